"""The demo Observatoire: the three demo instruments on each demo platform, imported through the
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
        assert [i.code for i in instruments] == ["auto-evaluation-equipe-demo", "bien-etre-court-demo", "espoir-demo"]
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
    assert STEPS[-1] is seed_observatory
    assert STEPS.index(seed_crisis_plans) < STEPS.index(seed_observatory)
