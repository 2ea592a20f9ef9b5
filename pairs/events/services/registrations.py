"""Registrations without an account: a place while there is room, else the waiting list; the place
set free offered to the first person waiting, with a deadline to accept it; offers that expire go to
the next person; reminders 48 hours before.

Every change of registrations locks the event row first, so that registrations at the same moment
never overbook and a place set free goes to one person only.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.journal import services as journal
from pairs.notifications.services import email_queue

from ..models import ACTIVE_REGISTRATION, Event, EventStatus, Registration, RegistrationStatus
from ..selectors.agenda import PLACE_HOLDERS, waiting_position

__all__ = [
    "OFFER_HOURS",
    "OFFER_MARGIN_BEFORE_START",
    "REMINDER_AHEAD",
    "new_token",
    "offer_free_places",
    "offers_expire",
    "registration_accept",
    "registration_add",
    "registration_cancel",
    "registration_decline",
    "registration_link",
    "reminders_send",
]

OFFER_HOURS = timedelta(hours=48)  # time given to accept a place offered
OFFER_MARGIN_BEFORE_START = timedelta(hours=2)  # an offer always ends this long before the event
REMINDER_AHEAD = timedelta(hours=48)
MAX_NAME, MAX_ORGANISATION, MAX_EMAIL = 120, 150, 254

ALREADY_REGISTERED = gettext_lazy("Vous êtes déjà inscrit·e à cet événement avec cette adresse.")
EVENT_PAST = gettext_lazy("Cet événement est passé : les inscriptions sont closes.")
EVENT_CANCELLED = gettext_lazy("Cet événement est annulé : les inscriptions sont closes.")
NOTHING_OFFERED = gettext_lazy("Aucune place ne vous est proposée en ce moment.")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def registration_link(registration: Registration) -> str:
    """The personal link (absolute): see the registration, cancel it, accept a place offered."""
    path = reverse("events:registration", kwargs={"registration_token": registration.token})
    return settings.SITE_URL.rstrip("/") + path


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("platform", "commune").get(pk=event.pk)


def _lock_registration(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _places_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=PLACE_HOLDERS).count()


def _has_room(event: Event) -> bool:
    return event.capacity is None or _places_taken(event) < event.capacity


# ---- E-mails: the event's date, place, and the personal link; nothing else


def _where(event: Event) -> str:
    parts = [event.place.strip()] if event.place.strip() else []
    if event.commune is not None:
        parts.append(event.commune.name)
    return ", ".join(parts)


def _tell(registration: Registration, event: Event, kind: str, **extra: Any) -> None:
    if not registration.email:
        return
    context = {
        "name": registration.name,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "where": _where(event),
        "platform_name": event.platform.name,
        "link": registration_link(registration),
        "event_link": settings.SITE_URL.rstrip("/") + reverse("events:event_page", kwargs={"event_token": event.token}),
        **extra,
    }
    email_queue(
        to=registration.email,
        kind=f"events_registration_{kind}",
        template=f"events/emails/registration_{kind}.txt",
        context=context,
        platform=event.platform,
    )


def _tell_confirmed(registration: Registration, event: Event, *, accepted: bool = False) -> None:
    _tell(registration, event, "confirmed", video_link=event.video_link, accepted=accepted)


# ---- Register


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _clean(*, name: str, email: str, organisation: str, walk_in: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Indiquez votre prénom et votre nom.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_("%(max)s caractères au plus.") % {"max": MAX_NAME}]
    if not email and not walk_in:
        errors["email"] = [_("Indiquez une adresse e-mail : la confirmation et votre lien personnel y sont envoyés.")]
    elif email and (len(email) > MAX_EMAIL or not _valid_email(email)):
        errors["email"] = [_("Cette adresse e-mail ne semble pas valide.")]
    if len(organisation) > MAX_ORGANISATION:
        errors["organisation"] = [_("%(max)s caractères au plus.") % {"max": MAX_ORGANISATION}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def registration_add(
    *,
    request: HttpRequest | None,
    event: Event,
    name: str,
    email: str,
    organisation: str,
    walk_in: bool = False,
    status: str | None = None,
) -> Registration:
    """Register someone on an event: a place while there is room (capacity minus confirmed and
    offered), else the end of the waiting list; an e-mail with the personal link. Walk-ins added at
    the door (``walk_in``) are confirmed without a capacity check and may have no e-mail. ``status``
    forces CONFIRMED or WAITING."""
    locked = _lock(event)
    name, email, organisation = name.strip(), email.strip(), organisation.strip()
    _clean(name=name, email=email, organisation=organisation, walk_in=walk_in)
    if locked.is_cancelled:
        raise ValidationError(str(EVENT_CANCELLED))
    if not walk_in and locked.starts_at <= timezone.now():
        raise ValidationError(str(EVENT_PAST))
    if status is not None and status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        raise ValueError(f"A registration is added as confirmed or waiting, not {status!r}.")
    if email and locked.registrations.filter(email__iexact=email, status__in=ACTIVE_REGISTRATION).exists():
        raise ValidationError({"email": [str(ALREADY_REGISTERED)]})
    if status is None:
        confirmed = walk_in or _has_room(locked)
        status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING
    try:
        with transaction.atomic():  # the partial unique constraint, should a duplicate slip through
            registration = Registration.objects.create(
                platform=locked.platform,
                event=locked,
                name=name,
                email=email,
                organisation=organisation,
                status=status,
                walk_in=walk_in,
                token=new_token(),
            )
    except IntegrityError as error:
        raise ValidationError({"email": [str(ALREADY_REGISTERED)]}) from error
    fields = ["name", "status", "token"] + [f for f, v in (("email", email), ("organisation", organisation)) if v]
    if walk_in:
        fields.append("walk_in")
    journal.log_create(request=request, obj=registration, fields=fields, platform=locked.platform)
    if not walk_in:
        if status == RegistrationStatus.CONFIRMED:
            _tell_confirmed(registration, locked)
        else:
            _tell(registration, locked, "waiting", position=waiting_position(registration))
    return registration


# ---- Cancel, accept, decline; the place set free goes to the first person waiting


def _offer_deadline(event: Event, now: datetime) -> datetime | None:
    until = min(now + OFFER_HOURS, event.starts_at - OFFER_MARGIN_BEFORE_START)
    return until if until > now else None


def _offer(*, request: HttpRequest | None, event: Event, now: datetime) -> list[Registration]:
    """Offer the free places to the first people waiting (the event row is locked by the caller)."""
    if event.is_cancelled or event.starts_at <= now:
        return []
    until = _offer_deadline(event, now)
    if until is None:  # too close to the start for anyone to answer in time
        return []
    waiting = (
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
    )
    if event.capacity is not None:
        free = event.capacity - _places_taken(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    offered = list(waiting)
    for registration in offered:
        registration.status = RegistrationStatus.OFFERED
        registration.offered_until = until
        registration.save(update_fields=["status", "offered_until"])
        journal.log_update(
            request=request, obj=registration, fields=["status", "offered_until"], platform=event.platform
        )
        _tell(registration, event, "offered", offered_until=until)
    return offered


@transaction.atomic
def offer_free_places(*, request: HttpRequest | None, event: Event) -> list[Registration]:
    """Offer the event's free places to the first people waiting (for instance after its capacity
    was raised). Returns the registrations offered a place."""
    return _offer(request=request, event=_lock(event), now=timezone.now())


def _cancel(
    *, request: HttpRequest | None, registration: Registration, by_staff: bool, offered_only: bool = False
) -> None:
    locked = _lock(registration.event)  # always the event first, then the registration
    current = _lock_registration(registration)
    if offered_only and current.status != RegistrationStatus.OFFERED:
        raise ValidationError(str(NOTHING_OFFERED))
    if current.status not in ACTIVE_REGISTRATION:
        raise ValidationError(_("Cette inscription est déjà annulée."))
    now = timezone.now()
    if not by_staff and locked.starts_at <= now:
        raise ValidationError(_("Cet événement a commencé : l'inscription ne peut plus être annulée."))
    held_a_place = current.status in PLACE_HOLDERS
    current.status = RegistrationStatus.CANCELLED
    current.save(update_fields=["status"])
    journal.log_update(request=request, obj=current, fields=["status"], platform=locked.platform)
    registration.status = current.status
    if by_staff:
        _tell(current, locked, "cancelled")
    if held_a_place:
        _offer(request=request, event=locked, now=now)


@transaction.atomic
def registration_cancel(*, request: HttpRequest | None, registration: Registration, by_staff: bool) -> None:
    """Cancel a registration (by the person from their link, or by the coordination, who then tells
    them by e-mail). A place it held goes to the first person waiting, as an offer to accept."""
    _cancel(request=request, registration=registration, by_staff=by_staff)


@transaction.atomic
def registration_decline(*, request: HttpRequest | None, registration: Registration) -> None:
    """The person lets the place offered go: it goes to the next person waiting."""
    _cancel(request=request, registration=registration, by_staff=False, offered_only=True)


@transaction.atomic
def registration_accept(*, request: HttpRequest | None, registration: Registration) -> Registration:
    """The person accepts the place offered, while the offer holds."""
    locked = _lock(registration.event)
    current = _lock_registration(registration)
    now = timezone.now()
    if current.status != RegistrationStatus.OFFERED:
        raise ValidationError(str(NOTHING_OFFERED))
    if locked.is_cancelled:
        raise ValidationError(str(EVENT_CANCELLED))
    if current.offered_until is None or current.offered_until <= now or locked.starts_at <= now:
        raise ValidationError(_("Le délai pour accepter cette place est passé."))
    current.status = RegistrationStatus.CONFIRMED
    current.offered_until = None
    current.save(update_fields=["status", "offered_until"])
    journal.log_update(request=request, obj=current, fields=["status", "offered_until"], platform=locked.platform)
    _tell_confirmed(current, locked, accepted=True)
    return current


# ---- Jobs: offers that expire, reminders


def offers_expire(*, now: datetime) -> int:
    """Places offered and not accepted in time: EXPIRED (the person is told), and the place goes to
    the next person waiting. Run by a job, outside any request scope. Returns the offers expired."""
    event_ids = list(
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offered_until__lte=now)
        .order_by("event_id")
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(_expire_event_offers(event_id=event_id, now=now) for event_id in event_ids)


@transaction.atomic
def _expire_event_offers(*, event_id: int, now: datetime) -> int:
    locked = Event.objects.select_for_update(of=("self",)).select_related("platform", "commune").get(pk=event_id)
    expired = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(event=locked, status=RegistrationStatus.OFFERED, offered_until__lte=now)
        .order_by("created_at", "pk")
    )
    for registration in expired:
        registration.status = RegistrationStatus.EXPIRED
        registration.save(update_fields=["status"])
        journal.log_update(request=None, obj=registration, fields=["status"], platform=locked.platform)
        if not locked.is_cancelled:  # a cancelled event's registrants were told already
            _tell(registration, locked, "expired")
    if expired:
        _offer(request=None, event=locked, now=now)
    return len(expired)


@transaction.atomic
def reminders_send(*, now: datetime) -> int:
    """Remind confirmed registrants with an e-mail of events starting within 48 hours, once each.
    Run by a job, outside any request scope. Returns the reminders queued."""
    registrations = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminder_sent_at__isnull=True,
            event__status=EventStatus.SCHEDULED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_AHEAD,
            event__platform__is_active=True,
        )
        .exclude(email="")
        .select_related("event__platform", "event__commune")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("event__starts_at", "pk")
    )
    for registration in registrations:
        registration.reminder_sent_at = now
        registration.save(update_fields=["reminder_sent_at"])
        _tell(registration, registration.event, "reminder", video_link=registration.event.video_link)
    return len(registrations)
