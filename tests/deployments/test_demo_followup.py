"""The demo follow-up: workers placed where deployments reached integration, reviews past and
upcoming, bilans, a direct hiring plan, conventions, one-off work, hours linked to deployments."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone
from faker import Faker

from pairs.demo.deployments import seed_deployments
from pairs.demo.followup import seed_followup
from pairs.demo.generator import DemoContext, demo_email
from pairs.deployments.models import (
    Assignment,
    AssignmentSlot,
    Contract,
    Deployment,
    Kind,
    Review,
    State,
    TransitionPlan,
    assessment_is_complete,
    current_assessment,
)
from pairs.peers.models import ActivityEntry
from pairs.platforms.roles import Role
from tests.deployments.factories import link_partner
from tests.factories import MembershipFactory, PlatformFactory, UserFactory
from tests.partners.factories import OrganisationFactory, TeamFactory
from tests.peers.factories import ActivityEntryFactory, PeerProfileFactory


def _setup() -> DemoContext:
    platform = PlatformFactory.create(slug="rhone", name="Pairs Rhône", department_codes=["69"])
    UserFactory(email=demo_email(Role.COORDINATOR, "rhone"))
    organisations = [OrganisationFactory(platform=platform, name=f"Partenaire {i}") for i in range(6)]
    for i, organisation in enumerate(organisations[:4]):
        TeamFactory(organisation=organisation, name=f"Service {i}")
    partner = MembershipFactory(
        platform=platform, role=Role.PARTNER_CONTACT, user=UserFactory(email=demo_email(Role.PARTNER_CONTACT, "rhone"))
    )
    link_partner(partner, organisations[3])
    demo_worker = PeerProfileFactory(
        membership__platform=platform, membership__user__email=demo_email(Role.PEER_WORKER, "rhone")
    )
    workers = [demo_worker, *(PeerProfileFactory(membership__platform=platform) for _ in range(4))]
    today = timezone.localdate()
    for worker in workers:  # five months of logged work, every other day
        for back in range(1, 150):
            day = today - timedelta(days=back)
            if day.weekday() < 5 and back % 2 == 0:
                ActivityEntryFactory(profile=worker, day=day, duration_minutes=180)
    return DemoContext(seed=5, scale=1, rng=random.Random(5), fake=Faker("fr_FR"), platforms={"rhone": platform})


def test_the_follow_up_is_seeded_consistently(db: Any) -> None:
    ctx = _setup()
    platform = ctx.platforms["rhone"]
    seed_deployments(ctx)
    seed_followup(ctx)

    deployments = list(Deployment.objects.filter(platform=platform).prefetch_related("transitions"))
    placed = [d for d in deployments if any(t.to_state == State.INTEGRATION for t in d.transitions.all())]
    assert placed
    for deployment in placed:
        assert Assignment.objects.filter(deployment=deployment).exists(), deployment.state
        assert Contract.objects.filter(deployment=deployment).exists()
    assert all(d.requested_slots for d in deployments)

    today = timezone.localdate()
    assert Review.objects.filter(platform=platform, held_on__isnull=False).exclude(what_works="").exists()
    assert Review.objects.filter(platform=platform, held_on__isnull=True, planned_on__gte=today).exists()

    hired = [d for d in deployments if d.state == State.DIRECT_HIRE]
    assert hired
    for deployment in hired:
        assert assessment_is_complete(current_assessment(deployment))
        assert TransitionPlan.objects.get(deployment=deployment).tasks.count() >= 5
    assert Contract.objects.filter(platform=platform).exclude(signed_document="").count() == 1
    assert Assignment.objects.filter(deployment__kind=Kind.ONE_OFF).exists()
    waiting = [State.ANALYSIS, State.PREREQUISITES, State.SENSITISATION]
    assert Deployment.objects.filter(kind=Kind.ONE_OFF, state__in=waiting).exists()
    demo_worker = Assignment.objects.filter(profile__membership__user__email=demo_email(Role.PEER_WORKER, "rhone"))
    assert demo_worker.exists()
    current = AssignmentSlot.objects.filter(
        assignment__deployment__platform=platform, assignment__end_date__isnull=True
    )
    half_days = list(current.values_list("assignment__profile_id", "weekday", "part"))
    assert len(half_days) == len(set(half_days)), "no worker is placed twice on the same half-day"
    linked = ActivityEntry.objects.filter(assignment__deployment__platform=platform)
    assert linked.exists()
    for entry in linked.select_related("assignment__deployment__organisation")[:50]:
        assert entry.assignment is not None
        assert entry.assignment.is_active_on(entry.day)
        assert entry.commune_id == entry.assignment.deployment.organisation.commune_id


def test_seeding_twice_adds_nothing(db: Any) -> None:
    ctx = _setup()
    seed_deployments(ctx)
    seed_followup(ctx)
    counts = (Assignment.objects.count(), Review.objects.count(), Contract.objects.count())
    seed_followup(ctx)
    assert (Assignment.objects.count(), Review.objects.count(), Contract.objects.count()) == counts
