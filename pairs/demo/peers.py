"""Demo data of the peer worker pool: profiles, availability, onboarding, trainings,
supervision, career reviews and twelve months of activity, with some alerts. All fake."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from pairs.peers.models import (
    AbsenceKind,
    ActivityEntry,
    ActivityType,
    AvailabilityException,
    AvailabilitySlot,
    CareerReview,
    DayPart,
    Onboarding,
    OnboardingStep,
    OnboardingStepTemplate,
    PeerProfile,
    PeerStatus,
    Skill,
    SupervisionSession,
    TrainingRecord,
)
from pairs.peers.services.catalogues import catalogues_seed
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

if TYPE_CHECKING:
    from .generator import DemoContext

STATUS_MIX = [
    (PeerStatus.SALARIED, 14),
    (PeerStatus.FREELANCE, 3),
    (PeerStatus.VOLUNTEER, 3),
    (PeerStatus.PATIENT_EXPERT, 2),
    (PeerStatus.DU_INTERN, 2),
    (PeerStatus.FORMER_EMPLOYEE, 1),
]
LANGUAGES = ["français", "anglais", "arabe", "espagnol", "portugais", "italien", "langue des signes française"]
WORKPLACES = {
    "rhone": [
        "CMP Villeurbanne",
        "CH Le Vinatier – unité Rimbaud",
        "Maison de la Métropole Vénissieux",
        "GEM Lyon 8",
        "Centre social Villefranche",
        "Café associatif Croix-Rousse",
        "CMP Givors",
    ],
    "isere": [
        "CMP Grenoble Europole",
        "CHU Grenoble Alpes – psychiatrie",
        "GEM Voiron",
        "Maison des habitants Échirolles",
        "Centre social Vienne",
    ],
}
TRAININGS = [
    ("DU pair-aidance en santé mentale", "Université Claude Bernard Lyon 1", True, 120),
    ("Licence sciences sanitaires et sociales, parcours médiateur de santé pair", "Université Paris 8", True, 400),
    ("Plan de crise conjoint et directives anticipées", "Pairs Ressources", False, 14),
    ("Animation de groupes d'entraide", "Pairs Ressources", False, 21),
    ("Premiers secours en santé mentale", "PSSM France", False, 14),
]


def _communes(platform: Platform) -> list[Commune]:
    return list(Commune.objects.filter(department_code__in=platform.department_codes).order_by("-population"))


def _status_list(count: int) -> list[PeerStatus]:
    statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]
    return [statuses[i % len(statuses)] for i in range(count)]


def seed_peers(ctx: DemoContext) -> None:
    today = timezone.localdate()
    for slug, platform in ctx.platforms.items():
        catalogues_seed(platform=platform)
        _seed_platform(ctx, platform, slug, today)


def _seed_platform(ctx: DemoContext, platform: Platform, slug: str, today: date) -> None:
    rng = ctx.rng
    communes = _communes(platform)
    big = communes[:25]  # most work happens in the larger communes
    skills = list(Skill.objects.filter(platform=platform))
    types = {t.code: t for t in ActivityType.objects.filter(platform=platform)}
    memberships = list(
        Membership.objects.filter(platform=platform, role=Role.PEER_WORKER)
        .exclude(peer_profile__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    if not memberships:
        return
    statuses = _status_list(len(memberships))
    profiles: list[PeerProfile] = []
    for index, membership in enumerate(memberships):
        status = statuses[index]
        seniority_days = rng.randint(60, 1400) if index else 900  # the demo account is experienced
        start = today - timedelta(days=seniority_days)
        end = None
        if status == PeerStatus.FORMER_EMPLOYEE:
            end = today - timedelta(days=rng.randint(20, 120))
        contract = {
            PeerStatus.SALARIED: Decimal(rng.choice([17.5, 24, 28, 35])),
            PeerStatus.FREELANCE: Decimal(rng.choice([7, 10, 14])),
            PeerStatus.DU_INTERN: Decimal("21"),
        }.get(status, Decimal("0"))
        profiles.append(
            PeerProfile(
                platform=platform,
                membership=membership,
                status=status,
                status_start=start,
                status_end=end,
                contract_hours=contract,
                home_commune=rng.choice(big),
                languages=["français", *rng.sample(LANGUAGES[1:], k=rng.choice([0, 0, 1, 2]))],
                background=rng.choice(
                    [
                        "Ancienne aide-soignante.",
                        "Éducateur spécialisé de formation.",
                        "Parcours dans la restauration.",
                        "Anciennement comptable.",
                        "Études de psychologie.",
                        "",
                    ]
                ),
                experiential_themes=rng.choice(
                    [
                        "",
                        "",
                        "Rétablissement après plusieurs hospitalisations.",
                        "Vivre avec des voix.",
                        "Parcours de proche aidant.",
                    ]
                ),
                presentation=f"Bonjour, je suis {membership.user.first_name}. Je peux vous accompagner "
                "dans votre parcours de rétablissement, à partir de ma propre expérience.",
                presentation_published=rng.random() < 0.7,
            )
        )
    PeerProfile.objects.bulk_create(profiles)
    profiles = list(PeerProfile.objects.filter(platform=platform).order_by("pk"))
    for profile in profiles:
        profile.skills.set(rng.sample(skills, k=rng.randint(1, 4)))
        profile.zones.set(rng.sample(big, k=rng.randint(2, 6)))

    slots = []
    for profile in profiles:
        for weekday in range(5):
            for part in (DayPart.MORNING, DayPart.AFTERNOON):
                if rng.random() < 0.6:
                    slots.append(AvailabilitySlot(profile=profile, weekday=weekday, part=part))
        if rng.random() < 0.2:
            slots.append(AvailabilitySlot(profile=profile, weekday=rng.randint(0, 4), part=DayPart.EVENING))
    AvailabilitySlot.objects.bulk_create(slots, ignore_conflicts=True)

    absences = []
    for profile in profiles:
        if rng.random() < 0.5:
            first = today + timedelta(days=rng.randint(3, 60))
            absences.append(
                AvailabilityException(
                    profile=profile,
                    period=DateRange(first, first + timedelta(days=rng.randint(1, 14)), "[]"),
                    kind=rng.choice([AbsenceKind.LEAVE, AbsenceKind.TRAINING, AbsenceKind.SICKNESS]),
                )
            )
    AvailabilityException.objects.bulk_create(absences)

    # Onboarding: the three most recent workers are in their path, tutored by the seniors.
    seniors = sorted(profiles, key=lambda p: p.status_start)[:4]
    newcomers = sorted((p for p in profiles if p.status_end is None), key=lambda p: p.status_start)[-3:]
    templates = list(OnboardingStepTemplate.objects.filter(platform=platform))
    for i, profile in enumerate(newcomers):
        started = max(profile.status_start, today - timedelta(days=rng.randint(20, 80)))
        onboarding = Onboarding.objects.create(profile=profile, tutor=seniors[i % len(seniors)], started_on=started)
        OnboardingStep.objects.bulk_create(
            OnboardingStep(
                onboarding=onboarding,
                position=t.position,
                title=t.title,
                kind=t.kind,
                due_on=started + timedelta(days=t.due_after_days),
                done_on=started + timedelta(days=max(1, t.due_after_days - 3))
                if started + timedelta(days=t.due_after_days - 3) < today and rng.random() < 0.7
                else None,
            )
            for t in templates
        )

    trainings = []
    for profile in profiles:
        for title, organisation, diploma, hours in rng.sample(TRAININGS, k=rng.randint(1, 3)):
            started = profile.status_start - timedelta(days=rng.randint(-200, 400))
            started = min(started, today - timedelta(days=30))
            trainings.append(
                TrainingRecord(
                    profile=profile,
                    title=title,
                    organisation=organisation,
                    is_diploma=diploma,
                    started_on=started,
                    ended_on=started + timedelta(days=max(1, hours // 4)),
                    hours=Decimal(hours),
                )
            )
    TrainingRecord.objects.bulk_create(trainings)

    # Supervision every 4 weeks, intervision every 4 weeks in between; some workers skip them.
    skipping = {p.pk for p in profiles if rng.random() < 0.2}
    first_session = today - timedelta(days=365)
    sessions = []
    day = first_session
    kind = SupervisionSession.Kind.SUPERVISION
    while day <= today:
        sessions.append(
            SupervisionSession(
                platform=platform,
                kind=kind,
                held_on=day,
                duration_minutes=120,
                facilitator="Superviseure externe (psychologue)"
                if kind == SupervisionSession.Kind.SUPERVISION
                else "Pair aidant·e référent·e",
            )
        )
        kind = (
            SupervisionSession.Kind.INTERVISION
            if kind == SupervisionSession.Kind.SUPERVISION
            else SupervisionSession.Kind.SUPERVISION
        )
        day += timedelta(days=14)
    SupervisionSession.objects.bulk_create(sessions)
    through = SupervisionSession.attendees.through
    links = []
    for session in SupervisionSession.objects.filter(platform=platform):
        for profile in profiles:
            active = profile.is_active_on(session.held_on)
            recent = session.held_on > today - timedelta(days=70)
            if active and rng.random() < 0.75 and not (profile.pk in skipping and recent):
                links.append(through(supervisionsession_id=session.pk, peerprofile_id=profile.pk))
    through.objects.bulk_create(links)

    reviews = []
    for profile in profiles:
        if profile.status_start < today - timedelta(days=200):
            held = today - timedelta(days=rng.randint(150, 340))
            reviews.append(
                CareerReview(
                    profile=profile,
                    held_on=held,
                    next_review_on=held + timedelta(days=365),
                    wishes=rng.choice(
                        [
                            "Animer des groupes d'entraide.",
                            "Se former aux directives anticipées.",
                            "Travailler davantage en psychiatrie de secteur.",
                        ]
                    ),
                    skills_to_develop="Animation, posture professionnelle.",
                    planned_trainings="Plan de crise conjoint (2 jours).",
                    desired_missions="Déploiement en CMP.",
                )
            )
    CareerReview.objects.bulk_create(reviews)

    _seed_activity(ctx, slug, profiles, types, big, today)


def _seed_activity(
    ctx: DemoContext,
    slug: str,
    profiles: list[PeerProfile],
    types: dict[str, ActivityType],
    communes: list[Commune],
    today: date,
) -> None:
    rng = ctx.rng
    common = [
        "individual_support",
        "individual_support",
        "group",
        "meeting",
        "family_support",
        "professional_support",
        "workshop",
        "hospital_visit",
        "discharge_support",
        "mediation",
    ]
    places = WORKPLACES[slug]
    entries = []
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=52)
    for profile in profiles:
        if profile.contract_hours == 0 and profile.status != PeerStatus.VOLUNTEER:
            weekly_target = 4 * 60
        elif profile.status == PeerStatus.VOLUNTEER:
            weekly_target = 3 * 60
        else:
            weekly_target = int(profile.contract_hours * 60)
        own_places = rng.sample(places, k=min(len(places), rng.randint(2, 4)))
        overloaded = rng.random() < 0.15  # some workers spread over many places
        for week in range(53):
            monday = first_monday + timedelta(weeks=week)
            if rng.random() < 0.08:
                continue  # leave
            minutes_left = int(weekly_target * rng.uniform(0.85, 1.2 if overloaded else 1.05))
            week_places = own_places if not overloaded else rng.sample(places, k=min(len(places), 5))
            for weekday in range(5):
                day = monday + timedelta(days=weekday)
                if day > today or not profile.is_active_on(day) or minutes_left <= 0:
                    continue
                for _ in range(rng.randint(1, 2)):
                    duration = min(minutes_left, rng.choice([60, 90, 120, 150, 180, 210]))
                    if duration < 5:
                        break
                    minutes_left -= duration
                    remote = rng.random() < 0.12
                    entries.append(
                        ActivityEntry(
                            platform=profile.platform,
                            profile=profile,
                            day=day,
                            duration_minutes=duration,
                            activity_type=types[rng.choice(common)],
                            commune=None if remote else rng.choice(communes[:10]),
                            remote=remote,
                            workplace="" if remote else rng.choice(week_places),
                            travel_minutes=0 if remote else rng.choice([0, 15, 20, 30, 45, 60]),
                        )
                    )
    ActivityEntry.objects.bulk_create(entries, batch_size=5000)
