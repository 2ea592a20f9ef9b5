"""The demo deployments: every step present, a consistent history, deterministic."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from pairs.demo.deployments import STATE_COUNTS, seed_deployments
from pairs.demo.generator import DemoContext, demo_email
from pairs.deployments import workflow
from pairs.deployments.models import Deployment, Prerequisite, State, Transition
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import link_partner
from tests.factories import MembershipFactory, PlatformFactory, UserFactory
from tests.partners.factories import OrganisationFactory, TeamFactory


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
    rng = random.Random(5)
    return DemoContext(seed=5, scale=1, rng=rng, fake=Faker("fr_FR"), platforms={"rhone": platform})


def _snapshot(platform: Platform) -> list[tuple[Any, ...]]:
    return list(
        Deployment.objects.filter(platform=platform)
        .order_by("pk")
        .values_list("organisation__name", "kind", "state", "expected_hours", "needs", "team__name")
    )


def test_every_step_has_deployments_with_a_consistent_history(db: Any) -> None:
    ctx = _setup()
    platform = ctx.platforms["rhone"]
    seed_deployments(ctx)

    rows = list(Deployment.objects.filter(platform=platform).prefetch_related("transitions", "prerequisites"))
    counts = {state: sum(1 for d in rows if d.state == state) for state in State}
    assert counts == STATE_COUNTS["rhone"]
    assert sum(1 for d in rows if d.acknowledged_at is None) == 2
    assert all(d.state == State.REQUEST for d in rows if d.acknowledged_at is None)
    now = timezone.now()
    for deployment in rows:
        steps = sorted(deployment.transitions.all(), key=lambda t: t.at)
        source: str = State.REQUEST
        moment = deployment.filed_at
        for step in steps:
            assert step.from_state == source and workflow.is_allowed(State(source), State(step.to_state))
            assert moment < step.at < now
            assert step.reason  # every move says why, in French
            source, moment = step.to_state, step.at
        assert source == deployment.state
        items = list(deployment.prerequisites.all())
        assert len(items) == 5
        if any(step.to_state == State.SENSITISATION for step in steps):
            assert all(item.satisfied for item in items)
    assert Prerequisite.objects.filter(deployment__platform=platform).exclude(override_reason="").count() == 1
    abandons = Transition.objects.filter(deployment__platform=platform, to_state=State.ABANDONED)
    assert abandons.count() == 2 and all(step.reason for step in abandons)
    # The demo partner account's organisation has a new request, a deployment under way and a finished one.
    partner_states = set(Deployment.objects.filter(organisation__name="Partenaire 3").values_list("state", flat=True))
    assert partner_states >= {State.REQUEST, State.INTEGRATION, State.ENDED}


def test_the_demo_deployments_are_deterministic(db: Any) -> None:
    with transaction.atomic():
        ctx = _setup()
        seed_deployments(ctx)
        first = _snapshot(ctx.platforms["rhone"])
        transaction.set_rollback(True)
    ctx = _setup()
    seed_deployments(ctx)
    assert _snapshot(ctx.platforms["rhone"]) == first
    seed_deployments(ctx)  # a second run adds nothing
    assert len(_snapshot(ctx.platforms["rhone"])) == len(first)
