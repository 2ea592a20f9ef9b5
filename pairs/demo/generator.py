"""Deterministic demo data: same seed, same data. Everything is fake.

Later capabilities add their own ``seed_*`` step to :data:`STEPS`. ``scale`` multiplies
the generated volume; rows are written with bulk inserts so national-size data stays fast.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from pairs.accounts.models import User
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.services import communes_load

DEMO_PASSWORD = "Demo-Pairs-2026!"
DEMO_DOMAIN = "demo.pairs-ressources.example"

PLATFORMS = [
    {
        "slug": "rhone",
        "name": "Pairs Rhône",
        "department_codes": ["69"],
        "contact_email": "contact@rhone.demo.pairs-ressources.example",
        "contact_phone": "04 00 00 00 69",
    },
    {
        "slug": "isere",
        "name": "Pairs Isère",
        "department_codes": ["38"],
        "contact_email": "contact@isere.demo.pairs-ressources.example",
        "contact_phone": "04 00 00 00 38",
    },
]

DEMO_LOCAL_PARTS = {
    Role.COORDINATOR: "coordination",
    Role.PEER_WORKER: "pair-aidant",
    Role.PARTNER_CONTACT: "partenaire",
    Role.PERSON: "personne",
    Role.FUNDER: "financeur",
    Role.NETWORK_ADMIN: "reseau",
}

# Extra generated members per platform, multiplied by the scale (the demo account of each
# role comes on top: 25 peer workers in the Rhône, 8 in the Isère).
VOLUME = {
    "rhone": {Role.PEER_WORKER: 24, Role.PARTNER_CONTACT: 8, Role.PERSON: 40, Role.COORDINATOR: 1},
    "isere": {Role.PEER_WORKER: 7, Role.PARTNER_CONTACT: 5, Role.PERSON: 20, Role.COORDINATOR: 1},
}


@dataclass
class DemoContext:
    seed: int
    scale: int
    rng: random.Random
    fake: Faker
    platforms: dict[str, Platform] = field(default_factory=dict)
    accounts: list[dict[str, str]] = field(default_factory=list)


def demo_email(role: Role, platform_slug: str) -> str:
    return f"{DEMO_LOCAL_PARTS[role]}.{platform_slug}@{DEMO_DOMAIN}"


def fake_phone(rng: random.Random) -> str:
    """A mobile number in the range reserved for fiction (06 39 98 xx xx, ARCEP)."""
    return f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def seed_communes(ctx: DemoContext) -> None:
    communes_load()


def seed_platforms(ctx: DemoContext) -> None:
    for data in PLATFORMS:
        platform, _created = Platform.objects.update_or_create(slug=data["slug"], defaults=data)
        ctx.platforms[platform.slug] = platform


def seed_demo_accounts(ctx: DemoContext) -> None:
    password = make_password(DEMO_PASSWORD)
    for slug, platform in ctx.platforms.items():
        for role in Role:
            first_name = ctx.fake.first_name()
            last_name = ctx.fake.last_name() if role != Role.PERSON else ""
            user, _created = User.objects.get_or_create(
                email=demo_email(role, slug),
                defaults={"first_name": first_name, "last_name": last_name, "password": password},
            )
            Membership.objects.get_or_create(user=user, platform=platform, role=role)
            ctx.accounts.append(
                {
                    "role": role.value,
                    "platform": platform.name,
                    "email": user.email,
                    "password": DEMO_PASSWORD,
                    "role_label": str(role.label),
                }
            )


def seed_multi_platform_account(ctx: DemoContext) -> None:
    """The Rhône network administrator also holds that role in the Isère: the space switch shows."""
    user = User.objects.get(email=demo_email(Role.NETWORK_ADMIN, "rhone"))
    Membership.objects.get_or_create(user=user, platform=ctx.platforms["isere"], role=Role.NETWORK_ADMIN)


def seed_members(ctx: DemoContext) -> None:
    """Generated members (no password: they would be invited), written in bulk."""
    users: list[User] = []
    plan: list[tuple[Platform, Role]] = []
    for slug, platform in ctx.platforms.items():
        for role, count in VOLUME[slug].items():
            for index in range(count * ctx.scale):
                first = ctx.fake.first_name()
                last = ctx.fake.last_name() if role != Role.PERSON or ctx.rng.random() < 0.3 else ""
                users.append(
                    User(
                        email=f"{role.value.replace('_', '-')}-{index + 1}.{slug}@{DEMO_DOMAIN}",
                        first_name=first,
                        last_name=last,
                        phone=fake_phone(ctx.rng) if ctx.rng.random() < 0.6 else "",
                        password=make_password(None),
                    )
                )
                plan.append((platform, role))
    created = User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    by_email = dict(User.objects.filter(email__in=[u.email for u in created]).values_list("email", "id"))
    memberships = [
        Membership(user_id=by_email[user.email], platform=platform, role=role, is_active=ctx.rng.random() > 0.05)
        for user, (platform, role) in zip(users, plan, strict=True)
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000, ignore_conflicts=True)


def seed_pool(ctx: DemoContext) -> None:
    from .peers import seed_peers

    seed_peers(ctx)


def seed_partner_network(ctx: DemoContext) -> None:
    from .deployments import seed_deployments
    from .followup import seed_followup
    from .partners import seed_partners

    seed_partners(ctx)
    seed_deployments(ctx)
    seed_followup(ctx)


def seed_direct_support(ctx: DemoContext) -> None:
    from .support import seed_support

    seed_support(ctx)


def seed_crisis_plans(ctx: DemoContext) -> None:
    from .plans import seed_plans

    seed_plans(ctx)


def seed_observatory(ctx: DemoContext) -> None:
    from .observatory import seed_campaigns, seed_instruments, seed_measures

    seed_instruments(ctx)
    seed_campaigns(ctx)
    seed_measures(ctx)


def seed_territorial_resource(ctx: DemoContext) -> None:
    from .events import seed_events

    seed_events(ctx)


STEPS: list[Callable[[DemoContext], None]] = [
    seed_communes,
    seed_platforms,
    seed_demo_accounts,
    seed_multi_platform_account,
    seed_members,
    seed_pool,
    seed_partner_network,
    seed_direct_support,
    seed_crisis_plans,
    seed_observatory,
    seed_territorial_resource,
]


def accounts_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-accounts.json"


@transaction.atomic
def generate(*, seed: int = 2026, scale: int = 1) -> DemoContext:
    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    ctx = DemoContext(seed=seed, scale=scale, rng=rng, fake=fake)
    for step in STEPS:
        step(ctx)
    return ctx


def write_accounts(accounts: list[dict[str, Any]]) -> Path:
    path = accounts_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(accounts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def demo_accounts_from_db() -> list[dict[str, str]]:
    """The demo accounts already in the database, in the same order as when generated."""
    slugs = [p["slug"] for p in PLATFORMS]
    roles = list(Role)
    rows = [
        m
        for m in Membership.objects.filter(user__email__endswith="@" + DEMO_DOMAIN).select_related("user", "platform")
        if m.platform.slug in slugs and m.user.email == demo_email(Role(m.role), m.platform.slug)
    ]
    rows.sort(key=lambda m: (slugs.index(m.platform.slug), roles.index(Role(m.role))))
    return [
        {
            "role": m.role,
            "platform": m.platform.name,
            "email": m.user.email,
            "password": DEMO_PASSWORD,
            "role_label": str(Role(m.role).label),
        }
        for m in rows
    ]
