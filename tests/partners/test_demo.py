"""The demo partners: about forty in the Rhône and ten in the Isère, deterministic, invented."""

from __future__ import annotations

import random
from typing import Any

from django.db.models import Count
from faker import Faker

from pairs.demo.generator import DemoContext, demo_email
from pairs.demo.partners import CONTACT_DOMAIN, seed_partners
from pairs.partners.models import Contact, Organisation, Sector, Team
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory, PlatformFactory, UserFactory
from tests.partners.factories import commune


def _context(seed: int) -> DemoContext:
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    return DemoContext(seed=seed, scale=1, rng=random.Random(seed), fake=fake)


def _platforms() -> dict[str, Platform]:
    for index in range(5):
        commune(f"6900{index}", f"Commune fictive du Rhône {index}")
        commune(f"3800{index}", f"Commune fictive de l'Isère {index}")
    return {
        "rhone": PlatformFactory.create(slug="rhone", department_codes=["69"]),
        "isere": PlatformFactory.create(slug="isere", department_codes=["38"]),
    }


def _snapshot() -> list[tuple[str, str, str, int, int]]:
    rows = Organisation.objects.annotate(
        teams_n=Count("teams", distinct=True), contacts_n=Count("contacts", distinct=True)
    )
    return sorted(rows.values_list("platform__slug", "name", "commune_id", "teams_n", "contacts_n"))


def test_seed_partners_fills_both_platforms_across_every_sector(db: Any) -> None:
    ctx = _context(7)
    ctx.platforms = _platforms()
    partner = MembershipFactory(
        platform=ctx.platforms["rhone"],
        role=Role.PARTNER_CONTACT,
        user=UserFactory(email=demo_email(Role.PARTNER_CONTACT, "rhone")),
    )

    seed_partners(ctx)

    rhone, isere = ctx.platforms["rhone"], ctx.platforms["isere"]
    assert Organisation.objects.filter(platform=rhone).count() == 40
    assert Organisation.objects.filter(platform=isere).count() == 10
    for platform in (rhone, isere):
        assert set(Organisation.objects.filter(platform=platform).values_list("sector", flat=True)) == set(
            Sector.values
        )
        assert (
            not Organisation.objects.filter(platform=platform)
            .exclude(commune__department_code__in=platform.department_codes)
            .exists()
        )
    counts = Organisation.objects.annotate(t=Count("teams"), c=Count("contacts", distinct=True))
    assert all(1 <= o.t <= 3 for o in Organisation.objects.annotate(t=Count("teams")))
    assert all(1 <= o.c <= 3 for o in counts)  # the demo partner makes a third contact at most
    assert not Contact.objects.exclude(email__endswith="@" + CONTACT_DOMAIN).exclude(membership=partner).exists()
    assert Team.objects.filter(platform=rhone).exists()
    linked = Contact.objects.get(membership=partner)
    assert linked.organisation == Organisation.objects.filter(platform=rhone).order_by("pk").first()
    assert linked.email == partner.user.email


def test_seed_partners_is_deterministic_and_runs_once(db: Any) -> None:
    from django.db import transaction

    with transaction.atomic():
        ctx = _context(11)
        ctx.platforms = _platforms()
        seed_partners(ctx)
        first = _snapshot()
        transaction.set_rollback(True)
    ctx = _context(11)
    ctx.platforms = _platforms()
    seed_partners(ctx)
    assert _snapshot() == first
    seed_partners(ctx)
    assert Organisation.objects.count() == 50
