"""Writes of meetings and places: accessible places, booking a meeting (a worker is never booked
twice: the database refuses it), its outcome, the reminders by SMS and e-mail, the worker's
secret calendar address."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.notifications import sms
from pairs.notifications.services import email_queue, sms_queue
from pairs.peers.models import PeerProfile
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import (
    CalendarFeed,
    Consent,
    ConsentKind,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Person,
    PersonStatus,
    Place,
)

__all__ = [
    "DOUBLE_BOOKING_CONSTRAINT",
    "DoubleBooked",
    "feed_delete",
    "feed_renew",
    "hour_text",
    "meeting_create",
    "meeting_reminders_send",
    "meeting_set_status",
    "place_save",
    "where_text",
]

DOUBLE_BOOKING_CONSTRAINT = "meeting_peer_not_double_booked"
PLACE_NAME_CONSTRAINT = "place_unique_name"
MIN_DURATION, MAX_DURATION = 15, 240
MAX_DAYS_AHEAD = 366
REMINDER_AHEAD = timedelta(hours=24)
OUTCOMES = (MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW)


def _constraint_name(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


def hour_text(moment: datetime) -> str:
    """14 h 30, or 14 h on the hour (local time)."""
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"


def where_text(meeting: Meeting) -> str:
    """The place's name, or how the meeting happens when remote."""
    if meeting.mode == MeetingMode.PHONE:
        return _("au téléphone")
    if meeting.mode == MeetingMode.VIDEO:
        return _("en visio")
    return meeting.place.name if meeting.place is not None else ""


# ---- Accessible places


@transaction.atomic
def place_save(
    *,
    request: PlatformRequest,
    platform: Platform,
    place: Place | None,
    name: str,
    kind: str,
    address: str,
    commune: Commune,
    accessibility: str = "",
    opening_hours: str = "",
    active: bool = True,
) -> Place:
    """Add a place (``place`` None) or change one. The name is unique within the platform; the
    commune is one of the platform's territory."""
    name = " ".join(name.split())
    others = Place.objects.filter(platform=platform)
    if place is not None:
        others = others.exclude(pk=place.pk)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Indiquez le nom du lieu.")]
    elif others.filter(name__iexact=name).exists():
        errors["name"] = [_("Un lieu porte déjà ce nom : choisissez un autre nom.")]
    if kind not in Place.Kind.values:
        errors["kind"] = [_("Choisissez le type de lieu.")]
    if not address.strip():
        errors["address"] = [_("Indiquez l'adresse du lieu.")]
    if commune.department_code not in platform.department_codes:
        errors["commune"] = [_("Choisissez une commune du territoire de la plateforme.")]
    if errors:
        raise ValidationError(errors)
    values = {
        "name": name,
        "kind": kind,
        "address": address.strip(),
        "commune": commune,
        "accessibility": accessibility.strip(),
        "opening_hours": opening_hours.strip(),
        "active": active,
    }
    creating = place is None
    if place is None:
        place = Place(platform=platform)
        changed = [field for field, value in values.items() if value not in ("", None)]
    else:
        changed = [field for field, value in values.items() if getattr(place, field) != value]
    for field, value in values.items():
        setattr(place, field, value)
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError as error:
        if _constraint_name(error) == PLACE_NAME_CONSTRAINT:
            raise ValidationError({"name": [_("Un lieu porte déjà ce nom : choisissez un autre nom.")]}) from error
        raise
    if creating:
        journal.log_create(request=request, obj=place, fields=changed)
    elif changed:
        journal.log_update(request=request, obj=place, fields=changed)
    return place


# ---- Booking a meeting


class DoubleBooked(ValidationError):
    """The worker already has a planned or held meeting overlapping this one."""

    def __init__(self, *, peer: PeerProfile, starts_at: datetime, duration_minutes: int) -> None:
        self.peer = peer
        self.starts_at = starts_at
        self.duration_minutes = duration_minutes
        name = peer.membership.user.display_name
        super().__init__(
            {"starts_at": [_("%(name)s a déjà une rencontre à ce moment-là.") % {"name": name}]},
        )


def _peer_is_bookable(peer: PeerProfile, platform_id: int, moment: datetime) -> bool:
    day = timezone.localtime(moment).date()
    return (
        PeerProfile.objects.filter(pk=peer.pk, platform_id=platform_id, status_start__lte=day)
        .filter(Q(status_end__isnull=True) | Q(status_end__gte=day))
        .filter(membership__is_active=True, membership__user__is_active=True)
        .exists()
    )


@transaction.atomic
def meeting_create(
    *,
    request: PlatformRequest,
    person: Person,
    peer: PeerProfile,
    mode: str,
    place: Place | None,
    starts_at: datetime,
    duration_minutes: int,
    now: datetime | None = None,
) -> Meeting:
    """Book a meeting of ``peer`` with ``person``. The database refuses a worker booked twice at
    once (planned or held meetings): that raises :class:`DoubleBooked`. A worker booked by someone
    else is told by e-mail (date, time and place; nothing about the person). A meeting starting
    within 24 hours gets its reminder at once."""
    now = now or timezone.now()
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status == PersonStatus.CLOSED:
        raise ValidationError(_("Cet accompagnement est clos : on n'y prévoit plus de rencontre."))
    starts_at = starts_at.replace(second=0, microsecond=0)
    errors: dict[str, list[str]] = {}
    if not _peer_is_bookable(peer, locked.platform_id, starts_at):
        errors["peer"] = [_("Choisissez un·e pair aidant·e en activité de la plateforme.")]
    if mode not in MeetingMode.values:
        errors["mode"] = [_("Choisissez comment se passe la rencontre.")]
    if mode == MeetingMode.IN_PERSON:
        if place is None:
            errors["place"] = [_("Pour une rencontre en personne, choisissez le lieu.")]
        elif place.platform_id != locked.platform_id or not place.active:
            errors["place"] = [_("Choisissez un lieu de la liste.")]
    else:
        place = None
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = [
            _("La durée va de %(min)d à %(max)d minutes.") % {"min": MIN_DURATION, "max": MAX_DURATION}
        ]
    if starts_at <= now:
        errors["starts_at"] = [_("Cette date est passée : choisissez une date et une heure à venir.")]
    elif starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_at"] = [_("Une rencontre se prévoit au plus un an à l'avance.")]
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        platform_id=locked.platform_id,
        person=locked,
        peer=peer,
        mode=mode,
        place=place,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        period=DateTimeTZRange(starts_at, starts_at + timedelta(minutes=duration_minutes), "[)"),
        status=MeetingStatus.PLANNED,
        created_by=request.user,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:
        if _constraint_name(error) == DOUBLE_BOOKING_CONSTRAINT:
            raise DoubleBooked(peer=peer, starts_at=starts_at, duration_minutes=duration_minutes) from error
        raise
    journal.log_create(
        request=request, obj=meeting, fields=["person", "peer", "mode", "place", "starts_at", "duration_minutes"]
    )
    if starts_at <= now + REMINDER_AHEAD:  # booked less than 24 hours ahead: reminded now, not within the hour
        _reminders_queue([meeting], now)
    worker = peer.membership.user
    if worker.pk != request.user.pk and worker.is_active:
        email_queue(
            to=worker.email,
            kind="meeting_booked",
            template="support/emails/meeting_booked.txt",
            context={
                "name": worker.first_name,
                "starts_at": starts_at,
                "hour": hour_text(starts_at),
                "duration": duration_minutes,
                "where": where_text(meeting),
                "address": place.address if place is not None else "",
                "link": settings.SITE_URL + reverse("support:meeting", kwargs={"meeting_id": meeting.pk}),
            },
            platform=meeting.platform,
            language=worker.preferred_language or None,
        )
    return meeting


@transaction.atomic
def meeting_set_status(
    *, request: PlatformRequest, meeting: Meeting, status: str, now: datetime | None = None
) -> Meeting:
    """Record how a planned meeting ended: held, cancelled or no-show. A meeting to come may be
    cancelled, not marked held or missed; a closed record no longer changes."""
    now = now or timezone.now()
    if status not in OUTCOMES:
        raise ValidationError({"status": [_("Choisissez l'issue de la rencontre.")]})
    locked = Meeting.objects.select_for_update().select_related("person").get(pk=meeting.pk)
    if locked.person.status == PersonStatus.CLOSED:
        raise ValidationError(_("Cet accompagnement est clos : ses rencontres ne changent plus."))
    if locked.status != MeetingStatus.PLANNED:
        raise ValidationError(
            _("L'issue de cette rencontre est déjà notée : %(status)s.") % {"status": locked.get_status_display()}
        )
    if status != MeetingStatus.CANCELLED and locked.starts_at > now:
        raise ValidationError(
            {"status": [_("Cette rencontre n'a pas encore commencé. Si elle n'aura pas lieu, annulez-la.")]}
        )
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    journal.log_update(request=request, obj=locked, fields=["status"])
    meeting.status = status
    return locked


# ---- Reminders


@transaction.atomic
def meeting_reminders_send(*, now: datetime) -> int:
    """Remind people of their planned meetings starting within 24 hours, once: by SMS when the
    person's consent to SMS contact is active and they have a phone number, by e-mail when the
    consent to e-mail contact is active and they have an address. A consent withdrawn stops its
    channel at once. The message holds the worker's first name, the day, the time and the place,
    nothing else. Run by a job, outside any request scope. Returns the number of meetings reminded."""
    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_AHEAD,
            platform__is_active=True,
            person__status=PersonStatus.OPEN,
        )
        .select_related("person", "peer__membership__user", "place", "platform")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("starts_at", "pk")
    )
    return _reminders_queue(meetings, now)


def _reminders_queue(meetings: list[Meeting], now: datetime) -> int:
    """Queue the reminders of these meetings on the channels each person consented to, and mark
    them sent. A meeting whose person consented to nothing usable stays unmarked."""
    if not meetings:
        return 0
    consents = set(
        Consent.objects.filter(
            person_id__in={m.person_id for m in meetings},
            withdrawn_at__isnull=True,
            given_at__lte=now,
            kind__in=[ConsentKind.CONTACT_SMS, ConsentKind.CONTACT_EMAIL],
        ).values_list("person_id", "kind")
    )
    today = timezone.localtime(now).date()
    reminded = 0
    for meeting in meetings:
        person = meeting.person
        context = {
            "worker": meeting.peer.membership.user.first_name,
            "tomorrow": timezone.localtime(meeting.starts_at).date() != today,
            "hour": hour_text(meeting.starts_at),
            "where": where_text(meeting),
            "platform_name": meeting.platform.name,
        }
        queued = False
        number = sms.normalise_phone(person.phone)
        if number and (person.pk, ConsentKind.CONTACT_SMS) in consents:
            sms_queue(
                to=number,
                kind="meeting_reminder",
                template="support/sms/meeting_reminder.txt",
                context=context,
                platform=meeting.platform,
            )
            queued = True
        if person.email and (person.pk, ConsentKind.CONTACT_EMAIL) in consents:
            email_queue(
                to=person.email,
                kind="meeting_reminder",
                template="support/emails/meeting_reminder.txt",
                context=context,
                platform=meeting.platform,
            )
            queued = True
        if queued:  # without any consent, the meeting is looked at again until it starts
            meeting.reminder_sent_at = now
            meeting.save(update_fields=["reminder_sent_at"])
            reminded += 1
    return reminded


# ---- The worker's secret calendar address


@transaction.atomic
def feed_renew(*, request: PlatformRequest, peer: PeerProfile) -> CalendarFeed:
    """Create the worker's calendar address, or replace it: the former address stops working."""
    previous = CalendarFeed.objects.select_for_update().filter(peer=peer).first()
    if previous is not None:
        previous.delete()
    feed = CalendarFeed.objects.create(peer=peer, token=secrets.token_urlsafe(32))
    if previous is None:
        journal.log_create(request=request, obj=feed, fields=["token"])
    else:
        journal.log_update(request=request, obj=feed, fields=["token"])
    return feed


@transaction.atomic
def feed_delete(*, request: PlatformRequest, peer: PeerProfile) -> bool:
    """Remove the worker's calendar address. Returns False when there was none."""
    feed = CalendarFeed.objects.select_for_update().filter(peer=peer).first()
    if feed is None:
        return False
    journal.log_delete(request=request, obj=feed)
    feed.delete()
    return True
