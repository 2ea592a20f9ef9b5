"""Demo data of axis 1: partners' requests and deployments in every step of the workflow, with a
consistent history (who, when, why) and their prerequisites. Runs after the partners step, which
creates the organisations, their teams and their contacts. All fake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from pairs.accounts.models import User
from pairs.deployments import workflow
from pairs.deployments.models import Deployment, Kind, Prerequisite, PrerequisiteTemplate, State, Transition
from pairs.deployments.services import prerequisite_templates_seed
from pairs.partners.models import Contact, Organisation
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

if TYPE_CHECKING:
    import random

    from .generator import DemoContext

# How many deployments end the seeding in each step, per platform.
STATE_COUNTS = {
    "rhone": {
        State.REQUEST: 3,
        State.ANALYSIS: 2,
        State.PREREQUISITES: 2,
        State.SENSITISATION: 2,
        State.ASSIGNMENT: 2,
        State.INTEGRATION: 3,
        State.ASSESSMENT: 2,
        State.RENEWAL: 1,
        State.DIRECT_HIRE: 1,
        State.ENDED: 2,
        State.ABANDONED: 2,
    },
    "isere": dict.fromkeys(State, 1) | {State.REQUEST: 2},
}
UNACKNOWLEDGED = 2  # new requests nobody has taken into account yet, per platform

NEEDS = [
    "L'équipe de l'unité d'admission souhaite accueillir un pair aidant pour les entretiens d'arrivée "
    "et les groupes du mercredi.",
    "Nous aimerions une intervention auprès de l'équipe pour parler du rétablissement et de la place "
    "d'un savoir expérientiel dans nos pratiques.",
    "Le CMP voudrait proposer des permanences de pair-aidance une demi-journée par semaine.",
    "Nous avons recruté une paire aidante il y a deux mois et souhaitons être accompagnés dans son intégration.",
    "Notre service souhaite préparer l'arrivée d'un pair aidant en 2027 : fiche de poste, budget, place dans l'équipe.",
    "Les résidents du foyer demandent des temps d'échange avec une personne qui a vécu un parcours similaire.",
    "Nos deux pairs aidants travaillent seuls sur leurs sites : ils ont besoin d'analyse de pratiques.",
    "Nous cherchons de l'aide pour recruter notre premier médiateur de santé pair.",
]
RHYTHMS = ["Une demi-journée par semaine", "Deux demi-journées par semaine", "Le mardi matin", "Une fois par mois", ""]
REASONS = {
    State.ANALYSIS: [
        "Premier échange téléphonique avec la cadre de santé.",
        "Demande relue en réunion de coordination.",
    ],
    State.PREREQUISITES: ["Rencontre de l'équipe faite, besoins précisés.", "Analyse terminée avec la direction."],
    State.SENSITISATION: ["Prérequis réunis.", "Tous les prérequis sont cochés."],
    State.ASSIGNMENT: ["Sensibilisation de l'équipe faite (deux séances).", "Équipe sensibilisée."],
    State.INTEGRATION: ["Pair aidant·e choisi·e avec l'équipe.", "Affectation validée en binôme."],
    State.ASSESSMENT: ["Six mois d'intégration : bilan prévu avec le partenaire.", "Fin de la première période."],
    State.RENEWAL: ["Bilan positif : l'équipe souhaite continuer.", "Renouvellement demandé par la direction."],
    State.DIRECT_HIRE: ["Le partenaire souhaite embaucher directement la personne.", "Poste créé au budget."],
    State.ENDED: ["Objectifs atteints, fin prévue.", "Fin de la convention."],
    State.ABANDONED: [
        "Le partenaire a suspendu le projet faute de budget.",
        "Changement de direction : projet reporté sine die.",
        "L'équipe ne se sent pas prête ; nous en reparlerons l'an prochain.",
    ],
}
OVERRIDE_REASON = "Le bureau sera partagé avec l'infirmière les trois premiers mois : accepté par la coordination."


@dataclass
class _Plan:
    organisation: Organisation
    path: list[State]  # the steps entered after the request, in order
    acknowledged: bool


def seed_deployments(ctx: DemoContext) -> None:
    from .generator import demo_email

    for slug, platform in ctx.platforms.items():
        if Deployment.objects.filter(platform=platform).exists():
            continue  # already seeded
        organisations = list(Organisation.objects.filter(platform=platform).prefetch_related("teams").order_by("pk"))
        coordinator = User.objects.filter(email=demo_email(Role.COORDINATOR, slug)).first()
        if not organisations or coordinator is None:
            continue
        prerequisite_templates_seed(platform=platform)
        demo_partner = demo_email(Role.PARTNER_CONTACT, slug)
        _seed_platform(ctx.rng, platform, slug, organisations, coordinator, demo_partner)


def _path_to(state: State, rng: random.Random) -> list[State]:
    """The steps a deployment went through to reach ``state`` (the request itself excluded)."""
    main = workflow.MAIN_PATH[1:]
    if state in workflow.MAIN_PATH:
        return main[: main.index(state) + 1] if state != State.REQUEST else []
    if state == State.RENEWAL:
        return [*main, State.RENEWAL]
    if state == State.DIRECT_HIRE:
        return [*main, State.DIRECT_HIRE]
    if state == State.ENDED:
        return (
            [*main, State.RENEWAL, State.INTEGRATION, State.ASSESSMENT, State.ENDED]
            if rng.random() < 0.5
            else [
                *main,
                State.ENDED,
            ]
        )
    stop = rng.randint(0, 3)  # abandoned at the request, the analysis, the prerequisites or the sensitisation
    return [*main[:stop], State.ABANDONED]


def _plans(rng: random.Random, slug: str, organisations: list[Organisation], first: Organisation) -> list[_Plan]:
    plans: list[_Plan] = []
    for state, count in STATE_COUNTS[slug].items():
        for _i in range(count):
            plans.append(_Plan(organisation=rng.choice(organisations), path=_path_to(state, rng), acknowledged=True))
    new_requests = [plan for plan in plans if not plan.path]
    for plan in new_requests[:UNACKNOWLEDGED]:
        plan.acknowledged = False
    # The demo partner account's organisation has a new request, a deployment under way and a finished one.
    for wanted in (None, State.INTEGRATION, State.ENDED):
        plan = next(p for p in plans if (p.path[-1] if p.path else None) == wanted)
        plan.organisation = first
    return plans


def _seed_platform(
    rng: random.Random,
    platform: Platform,
    slug: str,
    organisations: list[Organisation],
    coordinator: User,
    demo_partner: str,
) -> None:
    contacts = list(
        Contact.objects.filter(platform=platform, membership__isnull=False).select_related("membership__user")
    )
    filers = {contact.organisation_id: contact.membership.user for contact in contacts if contact.membership}
    demo_contact = next((c for c in contacts if c.membership and c.membership.user.email == demo_partner), None)
    first = demo_contact.organisation if demo_contact else organisations[0]
    templates = list(PrerequisiteTemplate.objects.filter(platform=platform).order_by("position", "id"))
    now = timezone.now()
    plans = _plans(rng, slug, organisations, first)
    overridden = False
    for plan in plans:
        gaps = [timedelta(days=rng.randint(7, 35), hours=rng.randint(0, 8)) for _step in plan.path]
        filed_at = now - sum(gaps, timedelta()) - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 10))
        deployment = _create(rng, platform, plan, filers.get(plan.organisation.pk, coordinator), now)
        times = _transitions(rng, deployment, plan.path, gaps, filed_at, coordinator)
        acknowledged_at = filed_at + timedelta(hours=rng.randint(4, 40)) if plan.acknowledged else None
        if times and acknowledged_at:
            acknowledged_at = min(acknowledged_at, times[0])
        Deployment.objects.filter(pk=deployment.pk).update(
            filed_at=filed_at,
            acknowledged_at=acknowledged_at,
            acknowledged_by=coordinator if acknowledged_at else None,
        )
        override = not overridden and State.SENSITISATION in plan.path
        _prerequisites(rng, deployment, plan.path, templates, times, coordinator, override=override)
        overridden = overridden or override


def _create(rng: random.Random, platform: Platform, plan: _Plan, filed_by: User, now: datetime) -> Deployment:
    teams = list(plan.organisation.teams.all())
    start = (now + timedelta(days=rng.randint(-200, 90))).date()
    return Deployment.objects.create(
        platform=platform,
        organisation=plan.organisation,
        team=rng.choice(teams) if teams and rng.random() < 0.7 else None,
        kind=rng.choice(list(Kind)),
        state=plan.path[-1] if plan.path else State.REQUEST,
        expected_hours=Decimal(rng.choice([2, 3.5, 7, 10.5, 14])),
        rhythm=rng.choice(RHYTHMS),
        start_date=start,
        end_date=start + timedelta(days=rng.choice([180, 365])) if rng.random() < 0.6 else None,
        needs=rng.choice(NEEDS),
        filed_by=filed_by,
    )


def _transitions(
    rng: random.Random,
    deployment: Deployment,
    path: list[State],
    gaps: list[timedelta],
    filed_at: datetime,
    coordinator: User,
) -> list[datetime]:
    """Write the history and date it in the past (``at`` is set on insert, hence the update after)."""
    source, at, times, rows = State.REQUEST, filed_at, [], []
    for target, gap in zip(path, gaps, strict=True):
        at += gap
        times.append(at)
        reason = rng.choice(REASONS[target]) if target in REASONS else ""
        rows.append(
            Transition(deployment=deployment, from_state=source, to_state=target, by=coordinator, reason=reason)
        )
        source = target
    created = Transition.objects.bulk_create(rows)
    for row, moment in zip(created, times, strict=True):
        row.at = moment
    Transition.objects.bulk_update(created, ["at"])
    return times


def _prerequisites(
    rng: random.Random,
    deployment: Deployment,
    path: list[State],
    templates: list[PrerequisiteTemplate],
    times: list[datetime],
    coordinator: User,
    *,
    override: bool,
) -> None:
    """Copy the checklist; tick it when the deployment went past the prerequisites step (or partly, at it)."""
    past = State.SENSITISATION in path
    during = bool(path) and path[-1] == State.PREREQUISITES
    done_at = times[path.index(State.SENSITISATION)] - timedelta(days=1) if past else None
    rows = []
    for index, template in enumerate(templates):
        item = Prerequisite(
            deployment=deployment, position=template.position, label=template.label, required=template.required
        )
        if past and override and index == len(templates) - 1:
            item.override_reason = OVERRIDE_REASON
        elif past or (during and rng.random() < 0.5):
            item.done_at = done_at or min(times[-1] + timedelta(days=rng.randint(1, 5)), timezone.now())
            item.done_by = coordinator
        rows.append(item)
    Prerequisite.objects.bulk_create(rows)
