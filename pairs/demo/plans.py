"""Demo data of crisis plans: about thirty plans in the Rhône (fewer in the Isère) at every status,
written with the person's referent, with frozen versions and confirmations, shares to named
professionals with their accesses, one revoked share, facilitation sessions in the activity log,
crises, and the demo "personne" account's own plan. All fake."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from pairs.accounts.models import User
from pairs.peers.models import ActivityEntry, ActivityType
from pairs.plans.models import (
    AccessOutcome,
    CrisisEvent,
    CrisisPlan,
    FacilitationSession,
    PlanAccess,
    PlanSettings,
    PlanShare,
    PlanSignature,
    PlanStatus,
    PlanVersion,
    RecipientKind,
    SignatureRole,
)
from pairs.plans.sections import encode
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Mediation, Person, PersonStatus

if TYPE_CHECKING:
    import random

    from .generator import DemoContext

COUNTS = {
    "rhone": {"draft": 8, "finalised": 8, "shared": 10, "revoked": 4},
    "isere": {"draft": 2, "finalised": 2, "shared": 3, "revoked": 1},
}
TRUSTED = [("Claire", "Ma sœur"), ("Karim", "Mon ami d'enfance"), ("Odile", "Ma mère"), ("Jonas", "Mon compagnon")]
WARNINGS = [
    "Je dors moins de quatre heures par nuit et je ne réponds plus au téléphone.",
    "Je range tout de façon répétée et je n'arrive plus à manger.",
    "J'entends de nouveau des voix le soir et je me sens surveillé.",
]
HELPS = [
    "Une pièce calme, qu'on me parle doucement, pouvoir appeler ma sœur.",
    "Marcher dehors avec quelqu'un, de la musique douce, un thé.",
]
NOT_HELPS = ["Être entouré·e de beaucoup de monde.", "Qu'on me presse de répondre."]
TREATMENTS = [("Traitement A", "m'a aidé à dormir", "à petite dose"), ("Traitement B", "m'a apaisé", "")]
AVOID = [("Traitement C", "somnolence forte", "je ne tenais plus debout")]
PROFESSIONALS = [
    ("Inès Garnier", "Infirmière", "CMP Villeurbanne"),
    ("Dr Paul Roux", "Psychiatre", "Centre hospitalier du Vinatier"),
    ("Léa Fontaine", "Assistante sociale", "Maison de la Métropole de Vénissieux"),
]


def seed_plans(ctx: DemoContext) -> None:
    from .generator import demo_email

    now = timezone.now()
    for slug, platform in ctx.platforms.items():
        if slug not in COUNTS or CrisisPlan.objects.filter(platform=platform).exists():
            continue
        coordinator = User.objects.filter(email=demo_email(Role.COORDINATOR, slug)).first()
        people = list(
            Person.objects.filter(platform=platform, status=PersonStatus.OPEN, peer__isnull=False)
            .select_related("peer__membership__user", "membership__user", "commune")
            .order_by("pk")
        )
        if coordinator is None or not people:
            continue
        PlanSettings.objects.get_or_create(platform=platform)
        demo_person = next((p for p in people if p.membership_id is not None), None)
        chosen = [p for p in people if p.membership_id is None][: sum(COUNTS[slug].values())]
        statuses = [status for status, count in COUNTS[slug].items() for _ in range(count)]
        if demo_person is not None:
            chosen = [demo_person, *chosen[:-1]]
            statuses = ["shared", *statuses[:-1]]
        revoked_share_done = False
        for person, status in zip(chosen, statuses, strict=False):
            revoked = _plan(ctx.rng, platform, person, status, coordinator, now, revoke_one=not revoked_share_done)
            revoked_share_done = revoked_share_done or revoked


def _content(rng: random.Random, person: Person, version: int = 1) -> dict[str, Any]:
    first, relation = rng.choice(TRUSTED)
    content: dict[str, Any] = {
        "identity": {"name": person.pseudonym, "about": "J'aime qu'on m'appelle par mon prénom et qu'on me tutoie."},
        "trusted_person": {
            "name": f"{first} {rng.choice(['Martin', 'Bernard', 'Petit'])}",
            "relation": relation,
            "phone": f"06 39 98 {rng.randint(10, 99)} {rng.randint(10, 99)}",
        },
        "contacts": {
            "people": [{"name": "Mme Durand (voisine)", "role": "Nourrir le chat", "phone": "06 39 98 55 12"}]
        },
        "warning_signs": {"text": rng.choice(WARNINGS)},
        "helps": {"during_helps": rng.choice(HELPS), "during_not": rng.choice(NOT_HELPS)},
        "treatments": {
            "helped": [{"name": n, "effect": e, "remarks": r} for n, e, r in TREATMENTS[: rng.randint(1, 2)]],
            "avoid": [{"name": n, "effect": e, "remarks": r} for n, e, r in AVOID],
        },
    }
    if version > 1:
        content["practical"] = {"text": "Prévenir mon employeur que je serai absent·e, sans donner de raison."}
    return content


def _at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _plan(
    rng: random.Random,
    platform: Platform,
    person: Person,
    status: str,
    coordinator: User,
    now: datetime,
    *,
    revoke_one: bool,
) -> bool:
    """One plan; returns True once a revoked share exists."""
    peer = person.peer
    assert peer is not None
    started = max(person.opened_on, (now - timedelta(days=400)).date()) + timedelta(days=rng.randint(5, 30))
    plan = CrisisPlan.objects.create(
        platform=platform,
        person=person,
        facilitator=peer,
        status=PlanStatus.DRAFT,
        shared_with_team=rng.random() < 0.3,
    )
    sessions = rng.randint(1, 3)
    _sessions(platform, plan, peer, started, sessions)
    if status == "draft":
        PlanVersion.objects.create(plan=plan, content_encrypted=encode(_content(rng, person)))
        return False
    count = 2 if rng.random() < 0.3 else 1
    latest = None
    for number in range(1, count + 1):
        finalised = started + timedelta(days=14 * number)
        latest = PlanVersion.objects.create(
            plan=plan,
            number=number,
            content_encrypted=encode(_content(rng, person, number)),
            finalised_at=_at(finalised),
            finalised_by=person.membership.user if person.membership else peer.membership.user,
            place=person.commune.name if person.commune else "",
        )
        PlanSignature.objects.bulk_create(
            [
                PlanSignature(
                    version=latest, role=SignatureRole.PERSON, name=person.pseudonym, confirmed_at=_at(finalised)
                ),
                PlanSignature(
                    version=latest,
                    role=SignatureRole.PEER_WORKER,
                    name=peer.membership.user.display_name,
                    user=peer.membership.user,
                    confirmed_at=_at(finalised, 12),
                ),
            ]
        )
    assert latest is not None and latest.finalised_at is not None
    plan.review_due_on = latest.finalised_at.date() + timedelta(days=365)
    revoked_share = False
    if status in ("shared", "revoked"):
        revoked_share = _shares(rng, plan, latest, coordinator, now, revoke_one=revoke_one and status == "shared")
    plan.status = {"finalised": PlanStatus.FINALISED, "shared": PlanStatus.SHARED, "revoked": PlanStatus.REVOKED}[
        status
    ]
    if status == "revoked":
        plan.revoked_at = now - timedelta(days=rng.randint(2, 40))
        plan.shared_with_team = False
        PlanShare.objects.filter(plan=plan).update(revoked_at=plan.revoked_at)
    plan.save(update_fields=["status", "review_due_on", "revoked_at", "shared_with_team"])
    if rng.random() < 0.2:
        CrisisEvent.objects.create(
            plan=plan,
            occurred_on=(now - timedelta(days=rng.randint(5, 60))).date(),
            plan_used=True,
            recorded_by=coordinator,
        )
    mediation = Mediation.objects.filter(person=person, about_crisis_plan=True).first()
    if mediation is not None:
        mediation.plan_version = latest
        mediation.save(update_fields=["plan_version"])
    return revoked_share


def _sessions(platform: Platform, plan: CrisisPlan, peer: Any, started: date, count: int) -> None:
    kind, _created = ActivityType.objects.get_or_create(
        platform=platform,
        code="recovery_tools",
        defaults={"label": "Outils de rétablissement (plan de crise, directives anticipées)", "position": 30},
    )
    today = timezone.localdate()
    for index in range(count):
        day = min(started + timedelta(days=7 * index), today)
        entry = None
        if peer.is_active_on(day):
            entry = ActivityEntry.objects.create(
                platform=platform, profile=peer, day=day, duration_minutes=90, activity_type=kind, remote=True
            )
        FacilitationSession.objects.create(plan=plan, peer=peer, held_on=day, duration_minutes=90, activity_entry=entry)


def _shares(
    rng: random.Random,
    plan: CrisisPlan,
    version: PlanVersion,
    coordinator: User,
    now: datetime,
    *,
    revoke_one: bool,
) -> bool:
    created_by = plan.person.membership.user if plan.person.membership else coordinator
    revoked = False
    for index, (name, role, service) in enumerate(rng.sample(PROFESSIONALS, k=rng.randint(1, 2))):
        share = PlanShare.objects.create(
            plan=plan,
            version=version,
            recipient_kind=RecipientKind.PROFESSIONAL,
            name=name,
            role=role,
            service=service,
            email=f"{name.split()[-1].lower()}.{plan.pk}@exemple.org",
            token=secrets.token_urlsafe(32),
            expires_at=now + timedelta(days=rng.randint(20, 90)),
            created_by=created_by,
        )
        if revoke_one and index == 0:
            share.revoked_at = now - timedelta(days=3)
            share.save(update_fields=["revoked_at"])
            revoked = True
        outcomes = [AccessOutcome.CODE_SENT, AccessOutcome.OPENED] * rng.randint(0, 2)
        accesses = PlanAccess.objects.bulk_create(PlanAccess(share=share, outcome=o) for o in outcomes)
        for offset, access in enumerate(accesses):
            access.at = now - timedelta(days=10 - offset, hours=rng.randint(0, 8))
        PlanAccess.objects.bulk_update(accesses, ["at"])
    return revoked
