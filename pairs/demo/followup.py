"""Demo data of the deployments' follow-up: the half-days partners asked for, peer workers placed in
the deployments that reached integration (the demo peer worker account among them), their logged
hours linked to the deployment, conventions, joint reviews past and upcoming, bilans, the plan of a
transition to direct hiring and one-off interventions for the capacity view. Runs after the
deployments step. All fake."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils import timezone

from pairs.accounts.models import User
from pairs.deployments.models import (
    Assessment,
    AssessmentScore,
    Assignment,
    AssignmentSlot,
    Contract,
    Deployment,
    DeploymentSettings,
    HoursBasis,
    Kind,
    Outcome,
    Pricing,
    Review,
    State,
    SuccessCriterionTemplate,
    Transition,
    TransitionPlan,
    TransitionTask,
)
from pairs.deployments.services.followup import (
    DEFAULT_TRANSITION_TASKS,
    add_months,
    success_criteria_seed,
)
from pairs.peers.models import ActivityEntry, DayPart, PeerProfile, PeerStatus, Skill
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

if TYPE_CHECKING:
    import random

    from .generator import DemoContext

HALF_DAYS = [f"{day}:{part}" for day in range(5) for part in (DayPart.MORNING, DayPart.AFTERNOON)]
REVIEW_MONTHS = (1, 3, 6)
WORKS = [
    "Le binôme avec l'infirmière référente fonctionne bien ; les patients demandent à le revoir.",
    "Les groupes du mercredi ont trouvé leur public. L'équipe cite le savoir expérientiel en réunion.",
    "Bonne place dans les transmissions, l'équipe l'associe aux projets de sortie.",
]
WORKS_LESS = [
    "Le bureau partagé rend les entretiens difficiles certains jours.",
    "Les médecins connaissent encore mal le rôle ; peu d'orientations venant d'eux.",
    "Le planning change souvent : difficile de tenir les rendez-vous du mardi.",
]
DECISIONS = [
    "Présenter le rôle en réunion médicale le mois prochain. Garder deux demi-journées.",
    "Réserver une salle le mardi matin. Point téléphonique entre la cadre et la coordination dans un mois.",
    "Ouvrir un deuxième groupe en septembre si la fréquentation se maintient.",
]
SUMMARIES = [
    "Intégration réussie : l'équipe s'appuie sur le pair aidant et souhaite pérenniser le poste.",
    "Un bon départ, des missions à préciser avec l'encadrement avant de renouveler.",
]
# A tiny but valid one-page PDF, enough to show a signed convention in the demo.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_followup(ctx: DemoContext) -> None:
    from .generator import demo_email

    today = timezone.localdate()
    for slug, platform in ctx.platforms.items():
        if Assignment.objects.filter(platform=platform).exists():
            continue  # already seeded
        coordinator = User.objects.filter(email=demo_email(Role.COORDINATOR, slug)).first()
        demo_worker = PeerProfile.objects.filter(
            platform=platform, membership__user__email=demo_email(Role.PEER_WORKER, slug)
        ).first()
        if coordinator is None:
            continue
        DeploymentSettings.objects.get_or_create(platform=platform, defaults={"one_off_hours_per_month": Decimal("40")})
        success_criteria_seed(platform=platform)
        _seed_platform(ctx.rng, platform, coordinator, demo_worker, today)


def _entered(platform: Platform) -> dict[int, dict[str, date]]:
    """The day each deployment last entered each step."""
    entered: dict[int, dict[str, date]] = defaultdict(dict)
    rows = Transition.objects.filter(deployment__platform=platform).order_by("at", "id")
    for deployment_id, state, at in rows.values_list("deployment_id", "to_state", "at"):
        entered[deployment_id][state] = timezone.localtime(at).date()
    return entered


def _seed_platform(
    rng: random.Random, platform: Platform, coordinator: User, demo_worker: PeerProfile | None, today: date
) -> None:
    deployments = list(Deployment.objects.filter(platform=platform).select_related("organisation", "team"))
    skills = list(Skill.objects.filter(platform=platform))
    for deployment in deployments:
        deployment.requested_slots = sorted(rng.sample(HALF_DAYS, k=rng.randint(1, 3)))
        if skills:
            deployment.skills.set(rng.sample(skills, k=min(len(skills), rng.randint(0, 2))))
    Deployment.objects.bulk_update(deployments, ["requested_slots"])
    entered = _entered(platform)
    _one_off(rng, deployments, entered, today)
    workers = list(
        PeerProfile.objects.filter(
            platform=platform, status__in=[PeerStatus.SALARIED, PeerStatus.FREELANCE], membership__is_active=True
        )
        .filter(status_end__isnull=True)
        .order_by("pk")
    )
    if not workers:
        return
    placed = [d for d in deployments if State.INTEGRATION in entered.get(d.pk, {})]
    demo_taken = 0
    taken: dict[int, set[str]] = defaultdict(set)  # half-days already given to each worker
    assignments: list[Assignment] = []
    for deployment in placed:
        steps = entered[deployment.pk]
        start = steps[State.INTEGRATION] - timedelta(days=3)
        end = steps.get(State.ENDED)
        count = 2 if deployment.expected_hours >= 10 else 1
        chosen = rng.sample(workers, k=min(count, len(workers)))
        if demo_worker is not None and demo_taken < 2 and deployment.state not in (State.ENDED, State.ABANDONED):
            chosen = [demo_worker, *[w for w in chosen if w.pk != demo_worker.pk]][:count]
            demo_taken += 1
        hours = max(Decimal("1"), (deployment.expected_hours / len(chosen)).quantize(Decimal("0.5"), ROUND_HALF_UP))
        for worker in chosen:
            assignment = Assignment.objects.create(
                platform=platform,
                deployment=deployment,
                profile=worker,
                weekly_hours=hours,
                start_date=start,
                end_date=end,
                created_by=coordinator,
            )
            busy = taken[worker.pk]
            slots = [s for s in deployment.requested_slots if s not in busy][:2]
            slots = slots or [s for s in HALF_DAYS if s not in busy][:1] or ["1:morning"]
            if end is None:
                busy.update(slots)
            AssignmentSlot.objects.bulk_create(
                AssignmentSlot(assignment=assignment, weekday=int(s.split(":")[0]), part=s.split(":")[1]) for s in slots
            )
            assignments.append(assignment)
        _contract(rng, platform, deployment, start, end, coordinator, signed=deployment.pk == placed[0].pk)
        _reviews(rng, platform, deployment, start, steps, today)
        _assessment(rng, platform, deployment, steps, coordinator)
        if deployment.state == State.DIRECT_HIRE:
            _transition_plan(deployment, steps, coordinator, today)
    _link_activity(rng, assignments, today)


def _one_off(
    rng: random.Random, deployments: list[Deployment], entered: dict[int, dict[str, date]], today: date
) -> None:
    """Two deployments under way become one-off interventions, and two waiting requests ask for one."""
    under_way = [d for d in deployments if d.state == State.INTEGRATION][1:3]
    waiting = [d for d in deployments if d.state in (State.ANALYSIS, State.PREREQUISITES, State.SENSITISATION)][:2]
    for deployment in [*under_way, *waiting]:
        deployment.kind = Kind.ONE_OFF
        deployment.expected_hours = Decimal(rng.choice([2, 3, 4]))
        start = entered.get(deployment.pk, {}).get(State.INTEGRATION, today + timedelta(days=rng.randint(10, 40)))
        deployment.start_date = start
        deployment.end_date = start + timedelta(days=rng.choice([60, 90]))
    Deployment.objects.bulk_update([*under_way, *waiting], ["kind", "expected_hours", "start_date", "end_date"])


def _contract(
    rng: random.Random,
    platform: Platform,
    deployment: Deployment,
    start: date,
    end: date | None,
    coordinator: User,
    *,
    signed: bool,
) -> None:
    hourly = rng.random() < 0.7
    contract = Contract(
        platform=platform,
        deployment=deployment,
        reference=f"CONV-{start.year}-{deployment.pk:03d}",
        start_date=start,
        end_date=end or add_months(start, 12),
        hours_basis=HoursBasis.WEEKLY,
        hours=deployment.expected_hours or Decimal("3"),
        pricing=Pricing.HOURLY if hourly else Pricing.FLAT,
        hourly_price=Decimal("45.00") if hourly else None,
        flat_fee=None if hourly else Decimal("9800.00"),
        signed_on=start - timedelta(days=5),
        created_by=coordinator,
    )
    if signed:
        contract.signed_document.save(f"demo-{deployment.pk}.pdf", ContentFile(DEMO_PDF), save=False)
    contract.save()


def _reviews(
    rng: random.Random, platform: Platform, deployment: Deployment, start: date, steps: dict[str, date], today: date
) -> None:
    """Reviews at 1, 3 and 6 months: held when in the past (and the deployment still ran), planned otherwise."""
    stop = steps.get(State.ENDED) or steps.get(State.ABANDONED)
    rows = []
    for months in REVIEW_MONTHS:
        planned = add_months(start, months)
        if stop and planned > stop:
            break
        review = Review(platform=platform, deployment=deployment, planned_on=planned)
        if planned <= today:
            review.held_on = planned + timedelta(days=rng.randint(0, 4))
            review.held_on = min(review.held_on, today)
            review.attendees = "La cadre de santé du service\nLe ou la pair aidant·e\nLa coordination"
            review.what_works = rng.choice(WORKS)
            review.what_does_not = rng.choice(WORKS_LESS)
            review.decisions = rng.choice(DECISIONS)
        rows.append(review)
    if deployment.state == State.INTEGRATION and not any(r.held_on is None for r in rows):
        rows.append(Review(platform=platform, deployment=deployment, planned_on=today + timedelta(days=5)))
    Review.objects.bulk_create(rows)


def _assessment(
    rng: random.Random, platform: Platform, deployment: Deployment, steps: dict[str, date], coordinator: User
) -> None:
    """A complete bilan for the deployments past the assessment step, a draft for those at it."""
    if State.ASSESSMENT not in steps:
        return
    criteria = list(SuccessCriterionTemplate.objects.filter(platform=platform).order_by("position", "id"))
    draft = deployment.state == State.ASSESSMENT
    outcome = {State.RENEWAL: Outcome.RENEWAL, State.DIRECT_HIRE: Outcome.DIRECT_HIRE}.get(
        State(deployment.state), Outcome.ENDED
    )
    assessment = Assessment.objects.create(
        deployment=deployment,
        held_on=steps[State.ASSESSMENT] + timedelta(days=7),
        summary="" if draft else rng.choice(SUMMARIES),
        outcome="" if draft else outcome,
        by=coordinator,
    )
    good = deployment.state == State.DIRECT_HIRE
    AssessmentScore.objects.bulk_create(
        AssessmentScore(
            assessment=assessment,
            position=criterion.position,
            label=criterion.label,
            score=None if draft and index >= 2 else (rng.choice([3, 4]) if good else rng.choice([2, 3, 3, 4])),
        )
        for index, criterion in enumerate(criteria)
    )


def _transition_plan(deployment: Deployment, steps: dict[str, date], coordinator: User, today: date) -> None:
    plan = TransitionPlan.objects.create(
        deployment=deployment, target_date=today + timedelta(days=75), created_by=coordinator
    )
    done_at = timezone.now() - timedelta(days=3)
    TransitionTask.objects.bulk_create(
        TransitionTask(
            plan=plan,
            position=i,
            label=str(label),
            done_at=done_at if i <= 2 else None,
            done_by=coordinator if i <= 2 else None,
        )
        for i, label in enumerate(DEFAULT_TRANSITION_TASKS, start=1)
    )


def _link_activity(rng: random.Random, assignments: list[Assignment], today: date) -> None:
    """The work already logged on the assignment's half-days becomes work for the deployment (the
    hours of the pool do not change); one deployment is left short of its hours, to show the warning."""
    if not assignments:
        return
    by_profile: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_profile[assignment.profile_id].append(assignment)
    weekdays = {
        a.pk: {slot.weekday for slot in a.slots.all()}
        for a in Assignment.objects.filter(pk__in=[a.pk for a in assignments]).prefetch_related("slots")
    }
    short = assignments[0].deployment_id
    earliest = min(a.start_date for a in assignments)
    entries = ActivityEntry.objects.filter(
        profile_id__in=list(by_profile), day__gte=earliest, day__lte=today, assignment__isnull=True
    ).order_by("day", "id")
    changed = []
    for entry in entries:
        for assignment in by_profile[entry.profile_id]:
            if not assignment.is_active_on(entry.day) or entry.day.weekday() not in weekdays[assignment.pk]:
                continue
            if assignment.deployment_id == short and rng.random() < 0.5:
                continue
            deployment = assignment.deployment
            entry.assignment = assignment
            entry.workplace = (deployment.team.name if deployment.team else deployment.organisation.name)[:120]
            entry.commune_id = deployment.organisation.commune_id
            entry.remote = False
            changed.append(entry)
            break
    ActivityEntry.objects.bulk_update(changed, ["assignment", "workplace", "commune", "remote"], batch_size=2000)
