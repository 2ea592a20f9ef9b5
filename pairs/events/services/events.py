"""Writes of the coordination's events and training programmes: create and change an event (French
messages, nothing saved half-way), cancel it (everyone registered is told by e-mail), create a
programme with its sessions in one go, and register a participant on every session to come.

E-mails say which event and when, never anything about a person."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.accounts.models import User
from pairs.deployments.models import Deployment
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.observatory.models import Instrument
from pairs.partners.models import Organisation
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import (
    ACTIVE_REGISTRATION,
    Event,
    EventStatus,
    Kind,
    Programme,
    Registration,
    RegistrationStatus,
    Visibility,
)
from .registrations import offer_free_places

__all__ = [
    "MAX_SESSIONS",
    "MIN_SESSIONS",
    "SessionSlot",
    "event_cancel",
    "event_create",
    "event_edit_refusal",
    "event_update",
    "programme_create",
    "programme_register",
]

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "audience",
    "place",
    "commune",
    "video_link",
    "starts_at",
    "ends_at",
    "capacity",
    "visibility",
    "organisation",
    "deployment",
    "programme",
    "feedback_instrument",
    "beliefs_instrument",
)
PROGRAMME_FIELDS = ("title", "description", "organisation", "deployment")
REGISTRATION_FIELDS = ("name", "email", "organisation", "status")
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
MAX_DESCRIPTION = 5000
MAX_CAPACITY = 1000  # the messages say « 1 000 »
MIN_SESSIONS, MAX_SESSIONS = 2, 12
TITLE_MAX_LENGTH = 150
CANCELLED_KIND = "events_event_cancelled"
TIME_FORMAT = "G \\h i"  # "14 h 30"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def when_text(moment: datetime) -> str:
    """« jeudi 12 mars 2027, 14 h 30 » in local time."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')}, {date_format(local, TIME_FORMAT)}"


@dataclass(frozen=True)
class _Values:
    kind: str
    title: str
    description: str
    audience: str
    place: str
    commune: Commune | None
    video_link: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    visibility: str
    organisation: Organisation | None
    deployment: Deployment | None
    programme: Programme | None
    feedback_instrument: Instrument | None
    beliefs_instrument: Instrument | None

    def normalised(self) -> _Values:
        organisation = self.organisation
        if organisation is None and self.deployment is not None:
            organisation = self.deployment.organisation  # the deployment names its partner
        return replace(
            self,
            title=self.title.strip(),
            description=self.description.strip(),
            audience=self.audience.strip(),
            place=self.place.strip(),
            video_link=self.video_link.strip(),
            organisation=organisation,
        )


def _taken_places(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=HOLDING).count()


def _clean_people_and_links(
    *,
    platform: Platform,
    trainers: Sequence[PeerProfile],
    organisation: Organisation | None,
    deployment: Deployment | None,
    kept_trainers: set[int],
    errors: dict[str, list[str]],
) -> None:
    """Trainers of the platform (new ones in activity), a partner and a deployment of the platform,
    the deployment being the partner's."""
    if any(peer.platform_id != platform.pk for peer in trainers):
        errors["trainers"] = [_("Choisissez des pairs aidant·es de la plateforme.")]
    else:
        today = timezone.localdate()
        if any(peer.pk not in kept_trainers and not peer.is_active_on(today) for peer in trainers):
            errors["trainers"] = [_("Choisissez des pairs aidant·es en activité.")]
    if organisation is not None and organisation.platform_id != platform.pk:
        errors["organisation"] = [_("Choisissez un partenaire de la plateforme.")]
    if deployment is not None:
        if deployment.platform_id != platform.pk:
            errors["deployment"] = [_("Choisissez un déploiement de la plateforme.")]
        elif organisation is not None and deployment.organisation_id != organisation.pk:
            errors["deployment"] = [
                _("Ce déploiement est celui d'un autre partenaire : choisissez un déploiement de %(name)s.")
                % {"name": organisation.name}
            ]


def _check_instrument(
    instrument: Instrument | None, *, platform: Platform, kept: int | None, name: str, errors: dict[str, list[str]]
) -> None:
    if instrument is None:
        return
    if instrument.platform_id != platform.pk or (not instrument.active and instrument.pk != kept):
        errors[name] = [_("Choisissez un questionnaire actif de l'Observatoire.")]


def _clean_event(
    *,
    platform: Platform,
    values: _Values,
    trainers: Sequence[PeerProfile],
    current: Event | None,
    now: datetime,
) -> None:
    errors: dict[str, list[str]] = {}
    if values.kind not in Kind.values:
        errors["kind"] = [_("Choisissez le type d'événement.")]
    if not values.title:
        errors["title"] = [_("Indiquez le titre de l'événement.")]
    elif len(values.title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("Le titre est trop long (%(max)s caractères au plus).") % {"max": TITLE_MAX_LENGTH}]
    if len(values.description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("La présentation est trop longue (%(max)s caractères au plus).") % {"max": MAX_DESCRIPTION}
        ]
    if values.visibility not in Visibility.values:
        errors["visibility"] = [_("Choisissez qui voit l'événement.")]
    if values.ends_at <= values.starts_at:
        errors["ends_at"] = [_("La fin doit être après le début.")]
    moved = current is None or values.starts_at != current.starts_at
    if moved and values.starts_at < now:
        errors["starts_at"] = [_("Ce début est déjà passé : choisissez une date et une heure à venir.")]
    if values.capacity is not None:
        if values.capacity < 1:
            errors["capacity"] = [_("Le nombre de places est d'au moins 1 : laissez vide pour ne pas limiter.")]
        elif values.capacity > MAX_CAPACITY:
            errors["capacity"] = [_("Le nombre de places va de 1 à 1 000 : laissez vide pour ne pas limiter.")]
        elif current is not None:
            taken = _taken_places(current)
            if values.capacity < taken:
                errors["capacity"] = [
                    ngettext(
                        "%(count)s personne est déjà inscrite : la capacité ne peut pas descendre en dessous.",
                        "%(count)s personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous.",
                        taken,
                    )
                    % {"count": taken}
                ]
    if not values.place and values.commune is None and not values.video_link:
        errors["place"] = [
            _("Indiquez où a lieu l'événement : une adresse ou une commune, ou un lien de visio s'il est à distance.")
        ]
    if (
        values.commune is not None
        and values.commune.department_code not in platform.department_codes
        and (current is None or values.commune.pk != current.commune_id)
    ):
        errors["commune"] = [_("Choisissez une commune du territoire de la plateforme.")]
    kept = set(current.trainers.values_list("pk", flat=True)) if current is not None else set()
    _clean_people_and_links(
        platform=platform,
        trainers=trainers,
        organisation=values.organisation,
        deployment=values.deployment,
        kept_trainers=kept,
        errors=errors,
    )
    if values.programme is not None and values.programme.platform_id != platform.pk:
        errors["programme"] = [_("Choisissez un programme de la plateforme.")]
    _check_instrument(
        values.feedback_instrument,
        platform=platform,
        kept=current.feedback_instrument_id if current is not None else None,
        name="feedback_instrument",
        errors=errors,
    )
    _check_instrument(
        values.beliefs_instrument,
        platform=platform,
        kept=current.beliefs_instrument_id if current is not None else None,
        name="beliefs_instrument",
        errors=errors,
    )
    if values.beliefs_instrument is not None and values.kind != Kind.TRAINING and "beliefs_instrument" not in errors:
        errors["beliefs_instrument"] = [_("Le questionnaire avant / après est réservé aux formations.")]
    if errors:
        raise ValidationError(errors)


def _apply(event: Event, values: _Values) -> None:
    for name in EVENT_FIELDS:
        setattr(event, name, getattr(values, name))


# ---- One event


@transaction.atomic
def event_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    by: User,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    audience: str = "",
    place: str = "",
    commune: Commune | None = None,
    video_link: str = "",
    capacity: int | None = None,
    trainers: Sequence[PeerProfile] = (),
    visibility: str = Visibility.PUBLIC,
    organisation: Organisation | None = None,
    deployment: Deployment | None = None,
    programme: Programme | None = None,
    feedback_instrument: Instrument | None = None,
    beliefs_instrument: Instrument | None = None,
) -> Event:
    """A new event of the platform with its own link (``token``). Starts in the future, ends after it
    starts, has a place, a commune or a video link."""
    values = _Values(
        kind=kind,
        title=title,
        description=description,
        audience=audience,
        place=place,
        commune=commune,
        video_link=video_link,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        visibility=visibility,
        organisation=organisation,
        deployment=deployment,
        programme=programme,
        feedback_instrument=feedback_instrument,
        beliefs_instrument=beliefs_instrument,
    ).normalised()
    _clean_event(platform=platform, values=values, trainers=trainers, current=None, now=timezone.now())
    event = Event(platform=platform, token=new_token(), created_by=by)
    _apply(event, values)
    event.save()
    event.trainers.set(trainers)
    fields = [name for name in EVENT_FIELDS if getattr(values, name) not in (None, "")]
    journal.log_create(
        request=request, obj=event, fields=[*fields, *(["trainers"] if trainers else [])], platform=platform
    )
    return event


def event_edit_refusal(event: Event, *, now: datetime | None = None) -> str:
    """Why this event can no longer be changed (cancelled, or over), or an empty string."""
    if event.is_cancelled:
        return _("Cet événement est annulé : il ne peut plus être modifié.")
    if event.ends_at <= (now or timezone.now()):
        return _("Cet événement est passé : il ne peut plus être modifié.")
    return ""


@transaction.atomic
def event_update(
    *,
    request: HttpRequest | None,
    event: Event,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    audience: str = "",
    place: str = "",
    commune: Commune | None = None,
    video_link: str = "",
    capacity: int | None = None,
    trainers: Sequence[PeerProfile] = (),
    visibility: str = Visibility.PUBLIC,
    organisation: Organisation | None = None,
    deployment: Deployment | None = None,
    programme: Programme | None = None,
    feedback_instrument: Instrument | None = None,
    beliefs_instrument: Instrument | None = None,
) -> Event:
    """Change an event that is neither cancelled nor over. The capacity never goes below the places
    already taken."""
    locked = Event.objects.select_for_update(of=("self",)).select_related("platform").get(pk=event.pk)
    refusal = event_edit_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    values = _Values(
        kind=kind,
        title=title,
        description=description,
        audience=audience,
        place=place,
        commune=commune,
        video_link=video_link,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        visibility=visibility,
        organisation=organisation,
        deployment=deployment,
        programme=programme,
        feedback_instrument=feedback_instrument,
        beliefs_instrument=beliefs_instrument,
    ).normalised()
    _clean_event(platform=locked.platform, values=values, trainers=trainers, current=locked, now=timezone.now())
    before = {name: getattr(locked, name) for name in EVENT_FIELDS}
    before_trainers = set(locked.trainers.values_list("pk", flat=True))
    _apply(locked, values)
    locked.save()
    locked.trainers.set(trainers)
    fields = journal.changed_fields(before, {name: getattr(locked, name) for name in EVENT_FIELDS})
    if {peer.pk for peer in trainers} != before_trainers:
        fields.append("trainers")
    if fields:
        journal.log_update(request=request, obj=locked, fields=fields)
    old_capacity = before["capacity"]
    if old_capacity is not None and (locked.capacity is None or locked.capacity > old_capacity):
        offer_free_places(request=request, event=locked)  # the new places go to the first people waiting
    return locked


@transaction.atomic
def event_cancel(*, request: HttpRequest | None, event: Event) -> int:
    """Cancel an event that is not over: every active registrant with an e-mail is told. Returns the
    number of e-mails queued. Registrations are kept as they were (the history of the event)."""
    locked = Event.objects.select_for_update(of=("self",)).select_related("platform").get(pk=event.pk)
    if locked.is_cancelled:
        raise ValidationError(_("Cet événement est déjà annulé."))
    now = timezone.now()
    if locked.ends_at <= now:
        raise ValidationError(_("Cet événement est passé : il ne peut plus être annulé."))
    locked.status = EventStatus.CANCELLED
    locked.cancelled_at = now
    locked.save(update_fields=["status", "cancelled_at"])
    journal.log_update(request=request, obj=locked, fields=["status", "cancelled_at"])
    registrations = (
        Registration.objects.filter(event=locked, status__in=ACTIVE_REGISTRATION)
        .exclude(email="")
        .order_by("created_at", "pk")
    )
    # A group open to the public may name something personal: its e-mail gives the type, not the title.
    title = str(Kind(locked.kind).label) if locked.kind == Kind.PUBLIC_GROUP else locked.title
    sent: set[str] = set()
    for registration in registrations:
        address = registration.email.strip()
        if address.lower() in sent:
            continue
        sent.add(address.lower())
        email_queue(
            to=address,
            kind=CANCELLED_KIND,
            template="events/emails/event_cancelled.txt",
            context={
                "name": registration.name,
                "title": title,
                "when": when_text(locked.starts_at),
                "waiting": registration.status == RegistrationStatus.WAITING,
                "platform_name": locked.platform.name,
                "contact_email": locked.platform.contact_email,
            },
            platform=locked.platform,
        )
    return len(sent)


# ---- Programmes


@dataclass(frozen=True)
class SessionSlot:
    """One session of a new programme."""

    starts_at: datetime
    ends_at: datetime
    place: str = ""


def _session_title(title: str, number: int, count: int) -> str:
    suffix = _(" — séance %(number)s sur %(count)s") % {"number": number, "count": count}
    room = TITLE_MAX_LENGTH - len(suffix)
    base = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    return f"{base}{suffix}"


def _clean_programme(
    *,
    platform: Platform,
    title: str,
    description: str,
    organisation: Organisation | None,
    deployment: Deployment | None,
    sessions: Sequence[SessionSlot],
    trainers: Sequence[PeerProfile],
    capacity: int | None,
    visibility: str,
    video_link: str,
    now: datetime,
) -> None:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Indiquez l'intitulé du programme.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("L'intitulé est trop long (%(max)s caractères au plus).") % {"max": TITLE_MAX_LENGTH}]
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("La présentation est trop longue (%(max)s caractères au plus).") % {"max": MAX_DESCRIPTION}
        ]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choisissez qui voit les séances.")]
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("Le nombre de places va de 1 à 1 000 : laissez vide pour ne pas limiter.")]
    _clean_people_and_links(
        platform=platform,
        trainers=trainers,
        organisation=organisation,
        deployment=deployment,
        kept_trainers=set(),
        errors=errors,
    )
    session_errors: list[str] = []
    if not MIN_SESSIONS <= len(sessions) <= MAX_SESSIONS:
        session_errors.append(
            _("Un programme compte de %(min)s à %(max)s séances.") % {"min": MIN_SESSIONS, "max": MAX_SESSIONS}
        )
    for number, slot in enumerate(sessions, start=1):
        if slot.ends_at <= slot.starts_at:
            session_errors.append(_("Séance %(number)s : la fin doit être après le début.") % {"number": number})
        if slot.starts_at < now:
            session_errors.append(
                _("Séance %(number)s : ce début est déjà passé, choisissez une date à venir.") % {"number": number}
            )
        if not slot.place.strip() and not video_link:
            session_errors.append(
                _("Séance %(number)s : indiquez le lieu (ou un lien de visio pour tout le programme).")
                % {"number": number}
            )
    if session_errors:
        errors["sessions"] = session_errors
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    by: User,
    title: str,
    sessions: Sequence[SessionSlot],
    description: str = "",
    organisation: Organisation | None = None,
    deployment: Deployment | None = None,
    trainers: Sequence[PeerProfile] = (),
    capacity: int | None = None,
    visibility: str = Visibility.INVITATION,
    video_link: str = "",
) -> Programme:
    """A training programme and its sessions, all at once: each session is a training event (by
    default on invitation) with the same trainers, partner and deployment."""
    title, description, video_link = title.strip(), description.strip(), video_link.strip()
    if organisation is None and deployment is not None:
        organisation = deployment.organisation
    _clean_programme(
        platform=platform,
        title=title,
        description=description,
        organisation=organisation,
        deployment=deployment,
        sessions=sessions,
        trainers=trainers,
        capacity=capacity,
        visibility=visibility,
        video_link=video_link,
        now=timezone.now(),
    )
    programme = Programme.objects.create(
        platform=platform,
        title=title,
        description=description,
        organisation=organisation,
        deployment=deployment,
        created_by=by,
    )
    journal.log_create(
        request=request,
        obj=programme,
        fields=[name for name in PROGRAMME_FIELDS if getattr(programme, name) not in (None, "")],
        platform=platform,
    )
    ordered = sorted(sessions, key=lambda slot: slot.starts_at)
    for number, slot in enumerate(ordered, start=1):
        event = Event.objects.create(
            platform=platform,
            kind=Kind.TRAINING,
            title=_session_title(title, number, len(ordered)),
            description=description,
            place=slot.place.strip(),
            video_link=video_link,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            capacity=capacity,
            visibility=visibility,
            organisation=organisation,
            deployment=deployment,
            programme=programme,
            token=new_token(),
            created_by=by,
        )
        event.trainers.set(trainers)
        fields = [name for name in EVENT_FIELDS if getattr(event, name) not in (None, "")]
        journal.log_create(
            request=request, obj=event, fields=[*fields, *(["trainers"] if trainers else [])], platform=platform
        )
    return programme


@transaction.atomic
def programme_register(
    *, request: HttpRequest | None, programme: Programme, name: str, email: str, organisation: str = ""
) -> list[Registration]:
    """Register someone on every session to come of a programme (a confirmed place on each). Sessions
    where they already hold a registration are left as they are. When one session is full, nobody is
    registered anywhere and the message names the full sessions."""
    name, email, organisation = name.strip(), email.strip(), organisation.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Indiquez le prénom et le nom.")]
    if not email:
        errors["email"] = [_("Indiquez l'adresse e-mail.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    sessions = list(
        Event.objects.select_for_update(of=("self",))
        .filter(programme=programme, status=EventStatus.SCHEDULED, starts_at__gt=now)
        .order_by("starts_at", "pk")
    )
    if not sessions:
        raise ValidationError(_("Ce programme n'a plus de séance à venir : personne ne peut y être inscrit·e."))
    already = set(
        Registration.objects.filter(
            event__in=sessions, email__iexact=email, status__in=ACTIVE_REGISTRATION
        ).values_list("event_id", flat=True)
    )
    wanted = [session for session in sessions if session.pk not in already]
    if not wanted:
        raise ValidationError({"email": [_("Cette adresse est déjà inscrite à toutes les séances à venir.")]})
    taken = dict(
        Registration.objects.filter(event__in=wanted, status__in=HOLDING)
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    full = [s for s in wanted if s.capacity is not None and taken.get(s.pk, 0) >= s.capacity]
    if full:
        days = ", ".join(date_format(timezone.localtime(s.starts_at), "j F Y") for s in full)
        raise ValidationError(
            ngettext(
                "La séance du %(days)s est complète : personne n'a été inscrit·e.",
                "Les séances du %(days)s sont complètes : personne n'a été inscrit·e.",
                len(full),
            )
            % {"days": days}
        )
    created = []
    for session in wanted:
        registration = Registration.objects.create(
            platform_id=session.platform_id,
            event=session,
            name=name,
            email=email,
            organisation=organisation,
            status=RegistrationStatus.CONFIRMED,
            token=new_token(),
        )
        journal.log_create(
            request=request,
            obj=registration,
            fields=[field for field in REGISTRATION_FIELDS if getattr(registration, field)],
            platform=programme.platform,
        )
        created.append(registration)
    return created
