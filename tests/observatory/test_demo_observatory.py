"""The demo Observatoire: the five demo instruments on each demo platform, imported through the
service by the platform's coordinator, free (no permission recorded), and installed only once."""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

from pairs.accounts.models import User
from pairs.demo.generator import STEPS, DemoContext, demo_email, seed_crisis_plans, seed_observatory
from pairs.journal.models import Action, JournalEntry
from pairs.observatory.models import Instrument, Licence, LicencePermission
from pairs.platforms.roles import Role
from tests.factories import PlatformFactory, UserFactory


def _context() -> DemoContext:
    platforms = {}
    for slug in ("rhone", "isere"):
        platforms[slug] = PlatformFactory.create(slug=slug, name=f"Pairs {slug}")
        UserFactory(email=demo_email(Role.COORDINATOR, slug))
    return DemoContext(seed=3, scale=1, rng=random.Random(3), fake=Faker("fr_FR"), platforms=platforms)


def test_the_demo_instruments_are_installed_on_each_platform_once(db: Any) -> None:
    ctx = _context()
    seed_observatory(ctx)
    seed_observatory(ctx)  # a second run adds nothing
    for slug, platform in ctx.platforms.items():
        instruments = list(Instrument.objects.filter(platform=platform).order_by("code"))
        assert [i.code for i in instruments] == [
            "auto-evaluation-equipe-demo",
            "bien-etre-court-demo",
            "croyances-professionnels-demo",
            "espoir-demo",
            "satisfaction-evenement-demo",
        ]
        coordinator = User.objects.get(email=demo_email(Role.COORDINATOR, slug))
        for instrument in instruments:
            assert instrument.is_demo and instrument.active
            assert instrument.licence == Licence.FREE
            assert instrument.name.endswith("(démonstration — non validé)")
            assert instrument.imported_by == coordinator
            assert instrument.source_text.startswith("# Instrument de démonstration")
            assert JournalEntry.objects.filter(
                action=Action.CREATE,
                object_type="observatory.instrument",
                object_id=str(instrument.pk),
                platform=platform,
                actor=coordinator,
            ).exists()
    assert not LicencePermission.objects.exists()
    team = Instrument.objects.get(platform=ctx.platforms["rhone"], code="auto-evaluation-equipe-demo")
    assert [v["key"] for v in team.definition["versions"]] == ["professionnels", "personnes", "proches"]
    assert len(team.definition["dimensions"]) == 5


def test_the_observatory_step_comes_after_the_crisis_plans() -> None:
    assert STEPS.index(seed_observatory) == len(STEPS) - 2  # the events step follows (feedback instruments)
    assert STEPS.index(seed_crisis_plans) < STEPS.index(seed_observatory)


def test_the_demo_campaigns_and_measures_show_every_feature(db: Any) -> None:
    from django.db.models import Count
    from django.utils import timezone

    from pairs.demo.generator import generate
    from pairs.observatory.models import Campaign, ImpactMeasure, Purpose, Response
    from pairs.observatory.services.answers import is_open
    from pairs.partners.models import Contact

    generate(seed=2026, scale=1)
    rhone = Campaign.objects.filter(platform__slug="rhone", purpose=Purpose.TEAM)
    teams = {c.team_id for c in rhone}
    assert len(teams) == 6
    waves = Campaign.objects.filter(platform__slug="rhone", previous__isnull=False, purpose=Purpose.TEAM)
    assert waves.count() == 3  # two waves in three teams
    assert rhone.filter(perspectives=["professionnels"]).count() == 1  # the professionals' version alone
    # One perspective below the threshold (5) somewhere, with some answers received.
    small = (
        Response.objects.filter(campaign__in=rhone, campaign__closes_on__lt=timezone.localdate())
        .values("campaign", "perspective")
        .annotate(n=Count("id"))
        .filter(n__lt=5)
    )
    assert small.exists()
    assert any(is_open(c) for c in rhone)  # one campaign is collecting answers now
    assert 350 <= Response.objects.filter(platform__slug="rhone").count() <= 450
    assert Response.objects.filter(typed_in=True).exists()
    # Every answer is scored by the engine.
    assert not Response.objects.filter(scores={}).exists()
    # The demo partner's organisation has a campaign.
    partner = Contact.objects.get(membership__user__email=demo_email(Role.PARTNER_CONTACT, "rhone"))
    assert rhone.filter(team__organisation=partner.organisation).exists()
    # A training's before/after questionnaire.
    assert Campaign.objects.filter(platform__slug="rhone", purpose=Purpose.TRAINING).count() == 2
    # Repeated hope measures for about 60 people, the demo person among them.
    measured = ImpactMeasure.objects.filter(platform__slug="rhone", instrument__code="espoir-demo")
    assert measured.values("person").distinct().count() == 60
    assert measured.values("person").annotate(n=Count("id")).filter(n__gte=2).count() >= 40
    assert measured.filter(person__membership__user__email=demo_email(Role.PERSON, "rhone")).exists()
