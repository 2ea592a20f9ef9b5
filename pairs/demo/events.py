"""Demo data of the territorial resource, on the Rhône platform (a few items on the Isère one): twelve
months of events of every type (information sessions, sensitisations, intervision open to the circle's
external members, DU teaching, groups for the public), a four-session training programme for a partner
team, a full information session with a waiting list, attendance taken on past events with the trainers'
hours in the activity log and certificates sent; the intervision circle; 30 library documents; job
offers; two DU interns with their tutor and milestones. All fake."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchVector
from django.utils import timezone

from pairs.accounts.models import User
from pairs.events.models import (
    CircleMember,
    CircleStatus,
    Event,
    Kind,
    Programme,
    Registration,
    RegistrationStatus,
    Visibility,
)
from pairs.observatory.models import Instrument
from pairs.partners.models import Organisation, Sector
from pairs.peers.models import (
    ActivityEntry,
    ActivityType,
    InternMilestone,
    InternRecord,
    PeerProfile,
    PeerStatus,
)
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.resources.models import Audience, Contract, Document, JobOffer, Topic
from pairs.resources.models import Visibility as DocumentVisibility
from pairs.territory.models import Commune

if TYPE_CHECKING:
    from .generator import DemoContext

ACTIVITY_BY_KIND = {
    Kind.INFO_SESSION: "sensitisation",
    Kind.TRAINING: "training_given",
    Kind.SENSITISATION: "sensitisation",
    Kind.INTERVISION: "supervision",
    Kind.DU_TEACHING: "training_given",
    Kind.PUBLIC_GROUP: "group",
}

# (kind, title, audience, visibility, capacity, hours)
CALENDAR = [
    (
        Kind.INFO_SESSION,
        "Devenir pair aidant·e : réunion d'information",
        "Personnes qui pensent au métier",
        Visibility.PUBLIC,
        20,
        2,
    ),
    (
        Kind.SENSITISATION,
        "Sensibilisation à la pair-aidance — IFSI",
        "Étudiant·es en soins infirmiers",
        Visibility.PARTNERS,
        40,
        3,
    ),
    (
        Kind.SENSITISATION,
        "La pair-aidance en CPTS",
        "Professionnel·les des soins primaires",
        Visibility.PARTNERS,
        25,
        2,
    ),
    (Kind.SENSITISATION, "Rencontre avec un GEM", "Adhérent·es et animateur·rices de GEM", Visibility.PUBLIC, 30, 2),
    (
        Kind.INTERVISION,
        "Intervision des pairs aidant·es du territoire",
        "Pairs aidant·es, quel que soit leur statut",
        Visibility.PEERS,
        12,
        2,
    ),
    (
        Kind.DU_TEACHING,
        "DU pair-aidance : module savoir expérientiel",
        "Étudiant·es du DU",
        Visibility.INVITATION,
        30,
        3,
    ),
    (
        Kind.PUBLIC_GROUP,
        "Groupe ouvert : parler du rétablissement",
        "Personnes concernées et proches",
        Visibility.PUBLIC,
        15,
        2,
    ),
]

DOCUMENTS = [
    ("Le métier de pair aidant·e en santé mentale", Topic.PROFESSION, Audience.EVERYONE, DocumentVisibility.PUBLIC),
    (
        "Fiche de poste type : pair aidant·e professionnel·le",
        Topic.RECRUITMENT,
        Audience.MANAGERS,
        DocumentVisibility.PARTNERS,
    ),
    ("Kit de recrutement : grille d'entretien", Topic.RECRUITMENT, Audience.MANAGERS, DocumentVisibility.PARTNERS),
    ("Kit de recrutement : annonce à adapter", Topic.RECRUITMENT, Audience.MANAGERS, DocumentVisibility.PARTNERS),
    (
        "Accueillir un·e pair aidant·e : guide pour l'équipe",
        Topic.HOSTING,
        Audience.PROFESSIONALS,
        DocumentVisibility.PARTNERS,
    ),
    ("Les prérequis d'accueil expliqués", Topic.HOSTING, Audience.MANAGERS, DocumentVisibility.PARTNERS),
    ("Le rétablissement en quelques mots", Topic.RECOVERY, Audience.EVERYONE, DocumentVisibility.PUBLIC),
    ("Témoignages : chemins de rétablissement", Topic.RECOVERY, Audience.PEOPLE, DocumentVisibility.PUBLIC),
    ("Rétablissement et emploi", Topic.RECOVERY, Audience.PEOPLE, DocumentVisibility.PUBLIC),
    (
        "Pratiques orientées rétablissement : repères pour les équipes",
        Topic.RECOVERY,
        Audience.PROFESSIONALS,
        DocumentVisibility.PARTNERS,
    ),
    ("Écrire ses directives anticipées : pas à pas", Topic.CRISIS_PLANS, Audience.PEOPLE, DocumentVisibility.PUBLIC),
    ("Modèle de plan de crise à imprimer", Topic.CRISIS_PLANS, Audience.PEOPLE, DocumentVisibility.PUBLIC),
    (
        "Accompagner la rédaction d'un plan de crise",
        Topic.CRISIS_PLANS,
        Audience.PEER_WORKERS,
        DocumentVisibility.PEERS,
    ),
    ("La personne de confiance", Topic.RIGHTS, Audience.EVERYONE, DocumentVisibility.PUBLIC),
    (
        "Droits des personnes hospitalisées sans consentement",
        Topic.RIGHTS,
        Audience.EVERYONE,
        DocumentVisibility.PUBLIC,
    ),
    ("Allocation adulte handicapé : les démarches", Topic.RIGHTS, Audience.PEOPLE, DocumentVisibility.PUBLIC),
    ("Proches : prendre soin de soi", Topic.FAMILIES, Audience.RELATIVES, DocumentVisibility.PUBLIC),
    ("Proches : parler avec l'équipe soignante", Topic.FAMILIES, Audience.RELATIVES, DocumentVisibility.PUBLIC),
    (
        "Formation initiale des pairs aidant·es : programme",
        Topic.TRAINING,
        Audience.PEER_WORKERS,
        DocumentVisibility.PEERS,
    ),
    ("Supports de la sensibilisation IFSI", Topic.TRAINING, Audience.PEER_WORKERS, DocumentVisibility.PEERS),
    ("Animer une intervision : trame", Topic.TRAINING, Audience.PEER_WORKERS, DocumentVisibility.PEERS),
    ("Posture et limites du pair aidant·e", Topic.PROFESSION, Audience.PEER_WORKERS, DocumentVisibility.PEERS),
    ("Le savoir expérientiel : de quoi parle-t-on ?", Topic.PROFESSION, Audience.EVERYONE, DocumentVisibility.PUBLIC),
    (
        "Se protéger de l'usure : repères pour les pairs aidant·es",
        Topic.PROFESSION,
        Audience.PEER_WORKERS,
        DocumentVisibility.PEERS,
    ),
    ("Trame d'entretien d'accueil d'une personne", Topic.PROFESSION, Audience.PEER_WORKERS, DocumentVisibility.STAFF),
    ("Procédure interne : situations de crise", Topic.CRISIS_PLANS, Audience.PEER_WORKERS, DocumentVisibility.STAFF),
    ("Convention type de mise à disposition", Topic.HOSTING, Audience.MANAGERS, DocumentVisibility.STAFF),
    ("Bilan d'activité de l'an dernier (synthèse)", Topic.PROFESSION, Audience.EVERYONE, DocumentVisibility.PUBLIC),
    ("Annuaire des GEM du département", Topic.FAMILIES, Audience.EVERYONE, DocumentVisibility.PUBLIC),
    ("Financer un poste de pair aidant·e", Topic.RECRUITMENT, Audience.MANAGERS, DocumentVisibility.PARTNERS),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _token() -> str:
    return secrets.token_urlsafe(24)


def seed_events(ctx: DemoContext) -> None:
    from .generator import demo_email

    for slug, platform in ctx.platforms.items():
        if Event.objects.filter(platform=platform).exists():
            continue
        rng = random.Random(ctx.seed + 900 + len(slug))
        coordinator = User.objects.get(email=demo_email(Role.COORDINATOR, slug))
        demo_worker = PeerProfile.objects.filter(
            platform=platform, membership__user__email=demo_email(Role.PEER_WORKER, slug)
        ).first()
        workers = list(
            PeerProfile.objects.filter(platform=platform, membership__is_active=True, status_end__isnull=True).order_by(
                "id"
            )
        )
        communes = list(
            Commune.objects.filter(department_code__in=platform.department_codes).order_by("-population")[:15]
        )
        if not workers or not communes:
            continue
        members = _circle(rng, ctx, platform) if slug == "rhone" else []
        _calendar(rng, ctx, platform, coordinator, workers, demo_worker, communes, members, full=slug == "rhone")
        if slug == "rhone":
            _programme(rng, ctx, platform, coordinator, workers, demo_worker, communes)
        _library(platform, coordinator, count=len(DOCUMENTS) if slug == "rhone" else 6)
        _jobs(rng, platform, coordinator, communes)
        if slug == "rhone":
            _interns(platform, workers, demo_worker)


def _circle(rng: random.Random, ctx: DemoContext, platform: Platform) -> list[CircleMember]:
    employers = ["", "", "GEM Les Ailes du Nord", "Clinique fictive du Parc", "Association Entre-Pairs fictive"]
    rows = []
    for index in range(14):
        first, last = ctx.fake.first_name(), ctx.fake.last_name()
        rows.append(
            CircleMember(
                platform=platform,
                first_name=first,
                last_name=last,
                email=f"cercle{index + 1}@exemple.org",
                phone=f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}" if rng.random() < 0.6 else "",
                status=rng.choice(list(CircleStatus)),
                employer=rng.choice(employers),
                consent_at=timezone.now() - timedelta(days=rng.randint(20, 300)),
                token=_token(),
            )
        )
    return CircleMember.objects.bulk_create(rows)


def _types(platform: Platform) -> dict[str, ActivityType]:
    return {t.code: t for t in ActivityType.objects.filter(platform=platform)}


def _calendar(
    rng: random.Random,
    ctx: DemoContext,
    platform: Platform,
    coordinator: User,
    workers: list[PeerProfile],
    demo_worker: PeerProfile | None,
    communes: list[Commune],
    members: list[CircleMember],
    *,
    full: bool,
) -> None:
    """Events from nine months ago to three months ahead, about three a month on the Rhône platform."""
    today = timezone.localdate()
    feedback = Instrument.objects.filter(platform=platform, code="satisfaction-evenement-demo").first()
    types = _types(platform)
    per_month = 3 if full else 1
    events: list[tuple[Event, list[PeerProfile]]] = []
    for month in range(-9, 3):
        for slot in range(per_month):
            kind, title, audience, visibility, capacity, hours = CALENDAR[(month * per_month + slot) % len(CALENDAR)]
            day = today + timedelta(days=30 * month + 7 * slot + rng.randint(0, 5))
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
            start = _at(day, rng.choice([9, 14, 18] if kind != Kind.PUBLIC_GROUP else [17, 18]))
            remote = kind == Kind.INTERVISION and rng.random() < 0.4
            commune = rng.choice(communes[:6])
            event = Event(
                platform=platform,
                kind=kind,
                title=title,
                description=_description(kind),
                audience=audience,
                place="" if remote else "Maison des associations, salle 2",
                commune=None if remote else commune,
                video_link="https://visio.exemple.org/intervision" if remote else "",
                starts_at=start,
                ends_at=start + timedelta(hours=hours),
                capacity=capacity,
                visibility=visibility,
                feedback_instrument=feedback if kind in (Kind.INFO_SESSION, Kind.SENSITISATION) else None,
                token=_token(),
                created_by=coordinator,
            )
            trainers = rng.sample(workers, k=min(2, len(workers)))
            if demo_worker is not None and slot == 0 and demo_worker not in trainers:
                trainers[0] = demo_worker
            events.append((event, trainers))
    # The next information session is full, with people waiting.
    if full:
        start = _at(today + timedelta(days=9), 18)
        events.append(
            (
                Event(
                    platform=platform,
                    kind=Kind.INFO_SESSION,
                    title="Devenir pair aidant·e : réunion d'information (complet)",
                    description=_description(Kind.INFO_SESSION),
                    audience="Personnes qui pensent au métier",
                    place="Locaux de la plateforme, 12 rue de l'Exemple",
                    commune=communes[0],
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    capacity=8,
                    visibility=Visibility.PUBLIC,
                    token=_token(),
                    created_by=coordinator,
                ),
                workers[:1] if demo_worker is None else [demo_worker],
            )
        )
    Event.objects.bulk_create([event for event, _trainers in events])
    for event, trainers in events:
        event.trainers.set(trainers)
    registrations: list[Registration] = []
    entries: list[ActivityEntry] = []
    now = timezone.now()
    # The demo peer worker's latest past event still waits for its roll call ("Faire l'appel").
    awaiting_roll = max(
        (event for event, trainers in events if event.ends_at < now and demo_worker in trainers),
        key=lambda event: event.starts_at,
        default=None,
    )
    for number, (event, trainers) in enumerate(events):
        past = event.ends_at < now and event is not awaiting_roll
        if event.title.endswith("(complet)"):
            size, waiting = 8, 3
        else:
            size, waiting = rng.randint(4, max(5, (event.capacity or 10) - 2)), 0
        for index in range(size + waiting):
            member = members[index] if event.kind == Kind.INTERVISION and index < len(members) and index < 6 else None
            name = f"{member.first_name} {member.last_name}" if member else ctx.fake.name()
            attended = (rng.random() < 0.85) if past else None
            registrations.append(
                Registration(
                    platform=platform,
                    event=event,
                    name=name,
                    email=member.email if member else f"participant{number}-{index}@exemple.org",
                    organisation=rng.choice(["", "", "IFSI fictif", "CPTS Val-Fictif", "GEM Les Ailes du Nord"]),
                    status=RegistrationStatus.CONFIRMED if index < size else RegistrationStatus.WAITING,
                    token=_token(),
                    attended=attended,
                    certificate_sent_at=now if attended else None,
                    circle_member=member,
                )
            )
        if past:
            event.attendance_closed_at = event.ends_at + timedelta(hours=1)
            for trainer in trainers:
                entries.append(
                    ActivityEntry(
                        platform=platform,
                        profile=trainer,
                        day=timezone.localtime(event.starts_at).date(),
                        duration_minutes=event.duration_minutes,
                        activity_type=types[ACTIVITY_BY_KIND[Kind(event.kind)]],
                        commune=event.commune,
                        remote=event.commune is None,
                    )
                )
    Event.objects.bulk_update([event for event, _t in events], ["attendance_closed_at"])
    Registration.objects.bulk_create(registrations, batch_size=1000)
    ActivityEntry.objects.bulk_create(entries, batch_size=1000)


def _description(kind: str) -> str:
    return {
        Kind.INFO_SESSION: "Vous pensez à devenir pair aidant·e ? Des pairs aidant·es de la plateforme racontent "
        "leur métier, les formations possibles et répondent à vos questions. Entrée libre sur inscription.",
        Kind.SENSITISATION: "Une rencontre pour découvrir la pair-aidance et le rétablissement, à partir de situations "
        "concrètes et du savoir expérientiel.",
        Kind.INTERVISION: "Un temps d'échange de pratiques entre pairs aidant·es, quel que soit le statut ou "
        "l'employeur. Rien de ce qui s'y dit n'est noté.",
        Kind.DU_TEACHING: "Module du diplôme universitaire de pair-aidance, animé par des pairs aidant·es.",
        Kind.PUBLIC_GROUP: "Un groupe ouvert à toutes et tous pour parler du rétablissement, sans inscription "
        "préalable obligatoire.",
        Kind.TRAINING: "Une séance du programme de formation de l'équipe aux pratiques orientées rétablissement.",
    }[Kind(kind)]


def _programme(
    rng: random.Random,
    ctx: DemoContext,
    platform: Platform,
    coordinator: User,
    workers: list[PeerProfile],
    demo_worker: PeerProfile | None,
    communes: list[Commune],
) -> None:
    """A four-session programme for a partner team: two sessions done, two to come."""
    organisation = (
        Organisation.objects.filter(platform=platform, sector=Sector.PSYCHIATRIC_HOSPITAL).order_by("name").first()
    )
    programme = Programme.objects.create(
        platform=platform,
        title="Pratiques orientées rétablissement — équipe du CMP",
        description="Quatre séances à partir des situations de l'équipe, avec mises en situation et regards croisés "
        "des personnes accompagnées et des proches.",
        organisation=organisation,
        created_by=coordinator,
    )
    beliefs = Instrument.objects.filter(platform=platform, code="croyances-professionnels-demo").first()
    today = timezone.localdate()
    trainers = [demo_worker] if demo_worker is not None else workers[:1]
    trainers += [w for w in workers if w not in trainers][:1]
    participants = [(ctx.fake.name(), f"equipe.cmp{index}@exemple.org") for index in range(10)]
    types = _types(platform)
    registrations, entries = [], []
    for number, offset in enumerate((-70, -35, 14, 49)):
        start = _at(today + timedelta(days=offset), 9)
        event = Event.objects.create(
            platform=platform,
            kind=Kind.TRAINING,
            title=f"{programme.title} — séance {number + 1}",
            description=_description(Kind.TRAINING),
            audience="L'équipe du CMP et son encadrement",
            place="Salle de réunion du CMP",
            commune=communes[1],
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            capacity=12,
            visibility=Visibility.INVITATION,
            organisation=organisation,
            programme=programme,
            beliefs_instrument=beliefs if number == 0 else None,
            token=_token(),
            created_by=coordinator,
            attendance_closed_at=start + timedelta(hours=4) if offset < 0 else None,
        )
        event.trainers.set(trainers)
        for index, (name, email) in enumerate(participants):
            attended = (index + number) % 5 != 0 if offset < 0 else None  # two absences per past session
            registrations.append(
                Registration(
                    platform=platform,
                    event=event,
                    name=name,
                    email=email,
                    organisation=organisation.name if organisation else "",
                    status=RegistrationStatus.CONFIRMED,
                    token=_token(),
                    attended=attended,
                    certificate_sent_at=timezone.now() if attended else None,
                )
            )
        if offset < 0:
            for trainer in trainers:
                entries.append(
                    ActivityEntry(
                        platform=platform,
                        profile=trainer,
                        day=start.date(),
                        duration_minutes=180,
                        activity_type=types["training_given"],
                        commune=communes[1],
                    )
                )
    Registration.objects.bulk_create(registrations)
    ActivityEntry.objects.bulk_create(entries)


def _library(platform: Platform, coordinator: User, *, count: int) -> None:
    rows = [
        Document(
            platform=platform,
            title=title,
            summary=f"Document d'exemple de la démonstration ({topic.label.lower()}), sans valeur de référence.",
            topic=topic,
            audience=audience,
            visibility=visibility,
            url=f"https://ressources.exemple.org/{index + 1}",
            token=_token(),
            added_by=coordinator,
        )
        for index, (title, topic, audience, visibility) in enumerate(DOCUMENTS[:count])
    ]
    Document.objects.bulk_create(rows)
    Document.objects.filter(platform=platform).update(
        search=SearchVector("title", weight="A", config="pairs_french")
        + SearchVector("summary", weight="B", config="pairs_french")
    )


def _jobs(rng: random.Random, platform: Platform, coordinator: User, communes: list[Commune]) -> None:
    organisations = list(Organisation.objects.filter(platform=platform).order_by("name")[:3])
    today = timezone.localdate()
    rows = []
    for index, organisation in enumerate(organisations):
        rows.append(
            JobOffer(
                platform=platform,
                organisation=organisation,
                employer=organisation.name,
                title=[
                    "Pair aidant·e professionnel·le",
                    "Médiateur·rice de santé pair",
                    "Pair aidant·e en équipe mobile",
                ][index % 3],
                description="Au sein d'une équipe pluridisciplinaire, vous accompagnez des personnes vers le "
                "rétablissement à partir de votre savoir expérientiel. Formation de pair aidant·e souhaitée.",
                commune=organisation.commune,
                contract=[Contract.PERMANENT, Contract.FIXED_TERM, Contract.PERMANENT][index % 3],
                hours_per_week=[35, 28, 17.5][index % 3],
                starts_on=today + timedelta(days=45),
                apply_by=today + timedelta(days=[20, 35, -10][index % 3]),
                how_to_apply="Lettre et CV par courriel au service des ressources humaines (adresse fictive).",
                created_by=coordinator,
            )
        )
    JobOffer.objects.bulk_create(rows)


def _interns(platform: Platform, workers: list[PeerProfile], demo_worker: PeerProfile | None) -> None:
    """Two DU interns tutored by the demo peer worker (or the first worker)."""
    tutor = demo_worker or workers[0]
    interns = [w for w in workers if w.status == PeerStatus.DU_INTERN and w != tutor][:2]
    today = timezone.localdate()
    for number, intern in enumerate(interns):
        start = today - timedelta(days=40 + 60 * number)
        end = start + timedelta(days=180)
        record = InternRecord.objects.create(
            platform=platform,
            profile=intern,
            university="Université fictive Claude-Exemple",
            diploma="DU pair-aidance en santé mentale",
            starts_on=start,
            ends_on=end,
            tutor=tutor,
            learning_goals="Mener un entretien d'accueil ; co-animer un groupe ; présenter son savoir expérientiel "
            "en réunion d'équipe.",
        )
        middle = start + (end - start) / 2
        InternMilestone.objects.bulk_create(
            [
                InternMilestone(
                    platform=platform,
                    record=record,
                    title="Point d'étape à mi-parcours",
                    due_on=middle,
                    done_on=middle if middle < today else None,
                    evaluation="Bonne aisance en groupe ; à travailler : la prise de parole en réunion."
                    if middle < today
                    else "",
                ),
                InternMilestone(platform=platform, record=record, title="Évaluation finale", due_on=end),
            ]
        )
