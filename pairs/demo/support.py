"""Demo data of direct support: accessible places, self-referral requests in the queue (some late),
about 150 people and 60 relatives in the Rhône (fewer in the Isère) with their referent peer
worker, consents, meetings past and upcoming (never two at once for a worker), three groups with
sessions and registrations, mediations and notes at every confidentiality level. The demo
"personne" account is linked to a record with shared notes and upcoming meetings. All fake."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from pairs.accounts.models import User
from pairs.core.crypto import encrypt
from pairs.peers.models import PeerProfile, PeerStatus
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.support.models import (
    ClosureReason,
    Confidentiality,
    Consent,
    ConsentKind,
    ConsentMethod,
    GenderPreference,
    Group,
    GroupRegistration,
    GroupSession,
    Mediation,
    Meeting,
    MeetingMode,
    MeetingStatus,
    ModePreference,
    Note,
    PeerChange,
    Person,
    PersonStatus,
    Place,
    PlacePreference,
    RegistrationStatus,
    Relation,
    RequestStatus,
    SupportRequest,
    SupportSettings,
    Topic,
)
from pairs.territory.models import Commune

if TYPE_CHECKING:
    import random

    from .generator import DemoContext

VOLUMES = {"rhone": (150, 60, 14), "isere": (30, 12, 5)}  # people, relatives, requests in the queue

PLACES = {
    "rhone": [
        ("Locaux de l'association – Campus du Vinatier", Place.Kind.PREMISES, "95, boulevard Pinel", "Bron"),
        (
            "Maison de la Métropole de Villeurbanne",
            Place.Kind.PUBLIC_SERVICE,
            "12, rue Francis-de-Pressensé",
            "Villeurbanne",
        ),
        ("Café associatif Le Comptoir", Place.Kind.CAFE, "4, place Sathonay", "Lyon"),
        ("Médiathèque du Bachut", Place.Kind.PUBLIC_SERVICE, "2, place du 11-Novembre-1918", "Lyon"),
        ("Maison de la Métropole de Vénissieux", Place.Kind.PUBLIC_SERVICE, "8, rue Gaspard-Picard", "Vénissieux"),
        (
            "Salle de l'espace associatif de Villefranche",
            Place.Kind.OTHER,
            "96, rue de la Sous-Préfecture",
            "Villefranche-sur-Saône",
        ),
    ],
    "isere": [
        ("Locaux de l'association – Grenoble", Place.Kind.PREMISES, "3, rue Marx-Dormoy", "Grenoble"),
        ("Café-lecture La Fontaine", Place.Kind.CAFE, "17, rue Très-Cloîtres", "Grenoble"),
        ("Maison des habitants de Vienne", Place.Kind.PUBLIC_SERVICE, "1, place de Miremont", "Vienne"),
    ],
}
ACCESS = [
    "Accès de plain-pied, toilettes adaptées. Tram à 200 m.",
    "Ascenseur, salle calme à l'étage. Arrêt de bus devant l'entrée.",
    "Terrasse et salle du fond au calme. Une marche à l'entrée.",
]
HOURS = [
    "Du lundi au vendredi, 9 h – 17 h",
    "Du mardi au samedi, 10 h – 19 h",
    "Lundi, mercredi, vendredi, 9 h – 12 h 30",
]
PSEUDONYMS = [
    "Alex",
    "Sam",
    "Camille",
    "Lou",
    "Noa",
    "Charlie",
    "Eden",
    "Sacha",
    "Maé",
    "Robin",
    "Yaël",
    "Andréa",
    "Ilan",
    "Nour",
    "Jade",
    "Malo",
    "Lina",
    "Tao",
    "Inès",
    "Gabin",
    "Anouk",
    "Rayan",
    "Zoé",
    "Élio",
]
LOOKING_FOR = [
    "J'aimerais parler avec quelqu'un qui est passé par là, je me sens un peu seul depuis ma sortie.",
    "Mon fils ne va pas bien depuis des mois, je ne sais plus comment l'aider.",
    "Je voudrais reprendre une activité mais j'ai peur de rechuter.",
    "Je cherche un groupe pour échanger avec d'autres personnes.",
    "J'ai besoin d'aide pour préparer un rendez-vous avec mon psychiatre.",
    "Ma sœur vient d'être hospitalisée, j'aimerais comprendre ce qui se passe.",
    "",
]
CONTACT_TIMES = ["Plutôt le matin", "Après 17 h", "Le mercredi", "N'importe quand", ""]
REDIRECTIONS = ["CMP de secteur", "GEM Le Passage", "Point écoute jeunes", "Maison des adolescents"]
NOTES = {
    Confidentiality.PRIVATE: [
        "Penser à rappeler avant la rencontre : la personne préfère les SMS.",
        "À reprendre en supervision : ma propre émotion quand il a parlé de l'hôpital.",
    ],
    Confidentiality.TEAM: [
        "Rencontre au café : elle parle d'un projet de reprise de la natation. Bonne énergie.",
        "Il souhaite préparer ses directives anticipées ; un binôme serait utile.",
    ],
    Confidentiality.PERSON: [
        "Ce que nous avons dit aujourd'hui : tu veux reprendre contact avec ta sœur, "
        "et on se revoit dans deux semaines.",
        "Les pistes évoquées : le groupe du jeudi, et noter ce qui t'aide quand les nuits sont difficiles.",
    ],
}
GROUPS = [
    (
        "Groupe d'entraide du jeudi",
        "Un temps d'échange entre pairs, sans obligation de parler.",
        "Le 1er et le 3e jeudi du mois, 14 h",
    ),
    (
        "Groupe des proches",
        "Pour les parents, conjoints, frères et sœurs : partager, comprendre, souffler.",
        "Un mardi par mois, 18 h 30",
    ),
    (
        "Retrouver le sommeil",
        "Un cycle de six séances autour du sommeil et de ce qui aide.",
        "Le lundi, 10 h, six semaines",
    ),
]


def seed_support(ctx: DemoContext) -> None:
    from .generator import demo_email

    now = timezone.now()
    for slug, platform in ctx.platforms.items():
        if Person.objects.filter(platform=platform).exists():
            continue  # already seeded
        workers = list(
            PeerProfile.objects.filter(platform=platform, status_end__isnull=True, membership__is_active=True)
            .exclude(status=PeerStatus.FORMER_EMPLOYEE)
            .select_related("membership__user")
            .order_by("pk")
        )
        coordinator = User.objects.filter(email=demo_email(Role.COORDINATOR, slug)).first()
        if not workers or coordinator is None or slug not in VOLUMES:
            continue
        rng = ctx.rng
        SupportSettings.objects.get_or_create(platform=platform)
        _genders(rng, workers)
        communes = list(
            Commune.objects.filter(department_code__in=platform.department_codes).order_by("-population")[:40]
        )
        places = _places(rng, platform, slug)
        demo_worker = next((w for w in workers if w.membership.user.email == demo_email(Role.PEER_WORKER, slug)), None)
        people = _people(rng, platform, slug, workers, communes, coordinator, demo_worker, now)
        demo_person = _link_demo_person(platform, slug, people, demo_worker)
        _requests(rng, platform, slug, communes, people, coordinator, now)
        _meetings_and_notes(rng, platform, people, places, coordinator, demo_worker, demo_person, now)
        _groups(rng, platform, workers, places, people, demo_person, now)


def _genders(rng: random.Random, workers: list[PeerProfile]) -> None:
    for worker in workers:
        worker.gender = rng.choice(["woman", "woman", "man", "man", "other", ""])
    PeerProfile.objects.bulk_update(workers, ["gender"])


def _places(rng: random.Random, platform: Platform, slug: str) -> list[Place]:
    rows = []
    for name, kind, address, commune_name in PLACES[slug]:
        commune = Commune.objects.filter(name=commune_name, department_code__in=platform.department_codes).first()
        if commune is None:
            continue
        rows.append(
            Place(
                platform=platform,
                name=name,
                kind=kind,
                address=address,
                commune=commune,
                accessibility=rng.choice(ACCESS),
                opening_hours=rng.choice(HOURS),
            )
        )
    return Place.objects.bulk_create(rows)


def _pseudonym(rng: random.Random, index: int) -> str:
    base = PSEUDONYMS[index % len(PSEUDONYMS)]
    return base if index < len(PSEUDONYMS) else f"{base} {chr(65 + rng.randint(0, 25))}."


def _people(
    rng: random.Random,
    platform: Platform,
    slug: str,
    workers: list[PeerProfile],
    communes: list[Commune],
    coordinator: User,
    demo_worker: PeerProfile | None,
    now: datetime,
) -> list[Person]:
    count, relatives, _queue = VOLUMES[slug]
    today = now.date()
    rows: list[Person] = []
    for index in range(count + relatives):
        relation = Relation.SELF if index < count else Relation.RELATIVE
        opened = today - timedelta(days=rng.randint(3, 700))
        closed = rng.random() < 0.2 and (today - opened).days > 120
        peer = demo_worker if demo_worker is not None and index % 9 == 0 else rng.choice(workers)
        rows.append(
            Person(
                platform=platform,
                pseudonym=_pseudonym(rng, index),
                relation=relation,
                commune=rng.choice(communes),
                phone=f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
                email=f"personne{index}.{slug}@exemple.org" if rng.random() < 0.6 else "",
                contact_times=rng.choice(CONTACT_TIMES),
                language=rng.choice(["", "", "", "arabe", "anglais"]),
                gender_preference=rng.choice(
                    [GenderPreference.ANY] * 4 + [GenderPreference.WOMAN, GenderPreference.MAN]
                ),
                place_preference=rng.choice(list(PlacePreference)),
                mode_preference=rng.choice(list(ModePreference)),
                peer=peer,
                status=PersonStatus.CLOSED if closed else PersonStatus.OPEN,
                opened_on=opened,
                closed_on=opened + timedelta(days=rng.randint(60, 120)) if closed else None,
                closure_reason=rng.choice(list(ClosureReason)) if closed else "",
                feedback_helpful=rng.choice([4, 5, None]) if closed else None,
            )
        )
    people = Person.objects.bulk_create(rows)
    selves = [p for p in people if p.relation == Relation.SELF]
    for relative in people[count:]:
        if rng.random() < 0.6:  # the others are supported without the person concerned being known
            relative.relative_of = rng.choice(selves)
    Person.objects.bulk_update(people[count:], ["relative_of"])
    changes, consents = [], []
    for person in people:
        changes.append(PeerChange(person=person, from_peer=None, to_peer=person.peer, by=coordinator))
        given = timezone.make_aware(datetime.combine(person.opened_on, time(11)))
        kinds = [ConsentKind.DATA_KEPT, ConsentKind.CONTACT_SMS]
        if person.email:
            kinds.append(ConsentKind.CONTACT_EMAIL)
        for kind in kinds:
            withdrawn = given + timedelta(days=30) if kind == ConsentKind.CONTACT_SMS and rng.random() < 0.1 else None
            consents.append(
                Consent(
                    person=person,
                    kind=kind,
                    given_at=given,
                    method=ConsentMethod.ORAL,
                    recorded_by=coordinator,
                    withdrawn_at=withdrawn,
                )
            )
        if rng.random() < 0.15:
            consents.append(
                Consent(
                    person=person,
                    kind=ConsentKind.SHARE_PROFESSIONAL,
                    professional="Dr Martin, psychiatre du CMP",
                    given_at=given,
                    method=ConsentMethod.WRITTEN,
                    recorded_by=coordinator,
                )
            )
    PeerChange.objects.bulk_create(changes)
    Consent.objects.bulk_create(consents)
    return people


def _link_demo_person(
    platform: Platform, slug: str, people: list[Person], demo_worker: PeerProfile | None
) -> Person | None:
    from .generator import demo_email

    membership = Membership.objects.filter(
        platform=platform, role=Role.PERSON, user__email=demo_email(Role.PERSON, slug)
    ).first()
    if membership is None:
        return None
    person = next(p for p in people if p.relation == Relation.SELF and p.status == PersonStatus.OPEN)
    person.membership = membership
    person.pseudonym = membership.user.first_name or person.pseudonym
    person.email = membership.user.email
    if demo_worker is not None:
        person.peer = demo_worker
    person.save(update_fields=["membership", "pseudonym", "email", "peer"])
    if not Consent.objects.filter(person=person, kind=ConsentKind.CONTACT_EMAIL).exists():
        Consent.objects.create(
            person=person, kind=ConsentKind.CONTACT_EMAIL, given_at=timezone.now(), method=ConsentMethod.ORAL
        )
    return person


def _requests(
    rng: random.Random,
    platform: Platform,
    slug: str,
    communes: list[Commune],
    people: list[Person],
    coordinator: User,
    now: datetime,
) -> None:
    """The queue: new requests (some late), some contacted, a few redirected; plus the accepted
    requests behind the most recent records."""
    _count, _relatives, queue = VOLUMES[slug]
    outside = Commune.objects.exclude(department_code__in=platform.department_codes).first()
    rows: list[SupportRequest] = []
    times: list[datetime] = []  # when each request arrived (created_at is set on insert, hence the update)
    for index in range(queue):
        created = now - timedelta(days=rng.choice([0, 0, 1, 2, 4, 6, 9]), hours=rng.randint(0, 10))
        new = index < queue * 0.6
        status = RequestStatus.NEW if new else rng.choice([RequestStatus.CONTACTED, RequestStatus.REDIRECTED])
        commune = outside if index == 3 and outside is not None else rng.choice(communes)
        times.append(created)
        rows.append(
            SupportRequest(
                platform=platform,
                pseudonym=_pseudonym(rng, index + 7),
                phone=f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
                email=f"demande{index}.{slug}@exemple.org" if rng.random() < 0.5 else "",
                contact_times=rng.choice(CONTACT_TIMES),
                relation=rng.choice([Relation.SELF, Relation.SELF, Relation.RELATIVE]),
                commune=commune,
                outside_territory=commune is not None and commune.department_code not in platform.department_codes,
                looking_for=rng.choice(LOOKING_FOR) or LOOKING_FOR[0],
                topics=rng.sample([t.value for t in Topic], k=rng.randint(0, 2)),
                status=status,
                first_contact_at=None if new else min(created + timedelta(days=1), now),
                redirected_to=rng.choice(REDIRECTIONS) if status == RequestStatus.REDIRECTED else "",
                handled_by=None if new else coordinator,
            )
        )
    # A duplicate hint: the first new request repeats the phone number of an existing record.
    if rows and len(people) > 1:
        rows[0].phone = people[1].phone
    for person in sorted(people, key=lambda p: p.opened_on, reverse=True)[:20]:
        arrived = timezone.make_aware(datetime.combine(person.opened_on, time(9))) - timedelta(days=2)
        times.append(arrived)
        rows.append(
            SupportRequest(
                platform=platform,
                pseudonym=person.pseudonym,
                phone=person.phone,
                email=person.email,
                relation=person.relation,
                commune=person.commune,
                looking_for=rng.choice(LOOKING_FOR) or LOOKING_FOR[0],
                status=RequestStatus.ACCEPTED,
                first_contact_at=arrived + timedelta(days=1),
                handled_by=coordinator,
                person=person,
            )
        )
    created_rows = SupportRequest.objects.bulk_create(rows)
    for row, arrived in zip(created_rows, times, strict=True):
        row.created_at = arrived
    SupportRequest.objects.bulk_update(created_rows, ["created_at"])


def _slot(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _meetings_and_notes(
    rng: random.Random,
    platform: Platform,
    people: list[Person],
    places: list[Place],
    coordinator: User,
    demo_worker: PeerProfile | None,
    demo_person: Person | None,
    now: datetime,
) -> None:
    """Meetings every few weeks for each open record (past ones held, cancelled or missed; the next one
    planned), never two at once for a worker; notes after some held meetings."""
    booked: dict[int, set[tuple[date, int]]] = defaultdict(set)
    meetings: list[Meeting] = []
    today = now.date()
    for person in people:
        if person.peer_id is None:
            continue
        last = person.closed_on or today + timedelta(days=14)
        day = person.opened_on + timedelta(days=rng.randint(2, 10))
        while day <= last:
            if day.weekday() < 5:
                hour = rng.choice([9, 10, 11, 14, 15, 16])
                if (day, hour) not in booked[person.peer_id]:
                    booked[person.peer_id].add((day, hour))
                    starts = _slot(day, hour)
                    mode = rng.choice(
                        [MeetingMode.IN_PERSON, MeetingMode.IN_PERSON, MeetingMode.PHONE, MeetingMode.VIDEO]
                    )
                    if starts < now:
                        status = rng.choice([MeetingStatus.HELD] * 8 + [MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW])
                    else:
                        status = MeetingStatus.PLANNED
                    meetings.append(
                        Meeting(
                            platform=platform,
                            person=person,
                            peer_id=person.peer_id,
                            mode=mode,
                            place=rng.choice(places) if mode == MeetingMode.IN_PERSON and places else None,
                            starts_at=starts,
                            duration_minutes=60,
                            period=DateTimeTZRange(starts, starts + timedelta(minutes=60), "[)"),
                            status=status if (mode != MeetingMode.IN_PERSON or places) else MeetingStatus.CANCELLED,
                            reminder_sent_at=starts - timedelta(hours=24) if starts < now else None,
                            created_by=coordinator,
                        )
                    )
            day += timedelta(days=rng.choice([7, 14, 14, 21, 28]))
    # The demo accounts: the worker meets the demo person this week and next.
    if demo_worker is not None and demo_person is not None:
        for offset, hour in ((1, 17), (8, 17)):
            day = today + timedelta(days=offset)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            if (day, hour) in booked[demo_worker.pk]:
                continue
            booked[demo_worker.pk].add((day, hour))
            starts = _slot(day, hour)
            meetings.append(
                Meeting(
                    platform=platform,
                    person=demo_person,
                    peer=demo_worker,
                    mode=MeetingMode.IN_PERSON if places else MeetingMode.PHONE,
                    place=places[0] if places else None,
                    starts_at=starts,
                    duration_minutes=60,
                    period=DateTimeTZRange(starts, starts + timedelta(minutes=60), "[)"),
                    created_by=coordinator,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    notes, mediations = [], []
    for meeting in meetings:
        if meeting.status != MeetingStatus.HELD or rng.random() < 0.6:
            continue
        level = rng.choice(list(Confidentiality))
        notes.append(
            Note(
                person=meeting.person,
                author_id=meeting.peer_id,
                meeting=meeting,
                confidentiality=level,
                body_encrypted=encrypt(rng.choice(NOTES[level])),
            )
        )
        if rng.random() < 0.04:
            mediations.append(
                Mediation(
                    person=meeting.person,
                    peer_id=meeting.peer_id,
                    held_on=meeting.starts_at.date(),
                    professional="Dr Martin, psychiatre du CMP",
                    purpose="Présenter ensemble les directives anticipées au psychiatre.",
                    outcome="Le psychiatre a lu le document et l'a joint au dossier.",
                    about_crisis_plan=True,
                )
            )
    if demo_person is not None and demo_person.peer_id is not None:
        for level in Confidentiality:
            notes.append(
                Note(
                    person=demo_person,
                    author_id=demo_person.peer_id,
                    confidentiality=level,
                    body_encrypted=encrypt(NOTES[level][0]),
                )
            )
    Note.objects.bulk_create(notes, batch_size=2000)
    Mediation.objects.bulk_create(mediations)


def _groups(
    rng: random.Random,
    platform: Platform,
    workers: list[PeerProfile],
    places: list[Place],
    people: list[Person],
    demo_person: Person | None,
    now: datetime,
) -> None:
    open_people = [p for p in people if p.status == PersonStatus.OPEN]
    for index, (theme, description, schedule) in enumerate(GROUPS):
        group = Group.objects.create(
            platform=platform,
            theme=theme,
            description=description,
            mode=MeetingMode.IN_PERSON if places else MeetingMode.VIDEO,
            place=places[index % len(places)] if places else None,
            schedule=schedule,
            capacity=8 if index else 10,
            registration_token=secrets.token_urlsafe(24),
        )
        group.facilitators.set(rng.sample(workers, k=min(2 if index != 2 else 1, len(workers))))
        wanted = (
            [p for p in open_people if p.relation == Relation.RELATIVE]
            if index == 1
            else [p for p in open_people if p.relation == Relation.SELF]
        )
        chosen = rng.sample(wanted, k=min(len(wanted), group.capacity + 2))
        if demo_person is not None and index == 0 and demo_person not in chosen:
            chosen = [demo_person, *chosen[:-1]]
        registrations = GroupRegistration.objects.bulk_create(
            GroupRegistration(
                group=group,
                person=person,
                status=RegistrationStatus.REGISTERED if position < group.capacity else RegistrationStatus.WAITING,
            )
            for position, person in enumerate(chosen)
        )
        registered = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]
        for week in range(-6, 4, 2):
            starts = (now + timedelta(weeks=week)).replace(hour=14, minute=0, second=0, microsecond=0)
            session = GroupSession.objects.create(group=group, starts_at=starts, duration_minutes=90, held=week < 0)
            if week < 0:
                session.attendees.set([r for r in registered if rng.random() < 0.75])
