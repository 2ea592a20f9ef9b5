"""Reads of the agendas and of the public pages: which events a viewer sees listed (by role), the
upcoming events grouped by month with the places left, the iCalendar feed's events, an event or a
registration by its link. Constant query counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.utils import timezone

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.selectors.intake import get_public_platform
from pairs.territory.models import Commune

from ..models import Event, Registration, RegistrationStatus, Visibility

__all__ = [
    "FEED_DAYS",
    "PLACE_HOLDERS",
    "AgendaMonth",
    "agenda_communes",
    "agenda_events",
    "by_month",
    "event_by_token",
    "feed_events",
    "get_public_platform",
    "places_left",
    "registration_by_token",
    "trainer_first_names",
    "visibilities_for",
    "visible_events",
    "waiting_position",
    "with_places",
]

# Registrations that hold a place: confirmed, or offered and not yet answered.
PLACE_HOLDERS = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
FEED_DAYS = 366  # the feed covers the next twelve months

_STAFF_VISIBILITIES = (Visibility.PUBLIC, Visibility.PARTNERS, Visibility.PEERS)
_ROLE_VISIBILITIES: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: _STAFF_VISIBILITIES,
    Role.PEER_WORKER: _STAFF_VISIBILITIES,
    Role.PARTNER_CONTACT: (Visibility.PUBLIC, Visibility.PARTNERS),
}


# ---- Who sees what


def visibilities_for(request: HttpRequest | None, platform: Platform) -> tuple[str, ...]:
    """The visibilities listed for this viewer on this platform. Signed out, or signed in to another
    platform, or as a person or a funder: what the public sees. Invitation-only events are never
    listed: only their link opens them."""
    if request is None or not request.user.is_authenticated:
        return (Visibility.PUBLIC,)
    membership = getattr(request, "membership", None)
    if membership is None or membership.platform_id != platform.pk:
        return (Visibility.PUBLIC,)
    return _ROLE_VISIBILITIES.get(membership.role, (Visibility.PUBLIC,))


def visible_events(request: HttpRequest | None, platform: Platform) -> QuerySet[Event]:
    """The platform's events this viewer may see in an agenda, past and future, cancelled included."""
    return Event.objects.filter(platform=platform, visibility__in=visibilities_for(request, platform))


# ---- Places


def _count(registrations: QuerySet[Registration]) -> Coalesce:
    counted = registrations.order_by().values("event_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``places_taken`` (confirmed + offered), ``waiting_count`` and ``places_left`` (None
    when the capacity is unlimited, never below 0)."""
    registrations = Registration.objects.filter(event_id=OuterRef("pk"))
    return events.annotate(
        places_taken=_count(registrations.filter(status__in=PLACE_HOLDERS)),
        waiting_count=_count(registrations.filter(status=RegistrationStatus.WAITING)),
    ).annotate(
        places_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=Greatest(F("capacity") - F("places_taken"), Value(0)),
            output_field=IntegerField(),
        )
    )


def places_left(event: Event) -> int | None:
    """Places left on one event (None: unlimited)."""
    if event.capacity is None:
        return None
    taken = Registration.objects.filter(event=event, status__in=PLACE_HOLDERS).count()
    return max(event.capacity - taken, 0)


# ---- The agendas


@dataclass(frozen=True)
class AgendaMonth:
    month: date  # the first day of the month
    events: list[Event]


def agenda_events(
    request: HttpRequest | None,
    platform: Platform,
    *,
    now: datetime,
    kind: str = "",
    commune: str = "",
) -> list[Event]:
    """Upcoming events this viewer may see, with their places, optionally of one type or commune."""
    events = visible_events(request, platform).filter(starts_at__gte=now)
    if kind:
        events = events.filter(kind=kind)
    if commune:
        events = events.filter(commune_id=commune)
    return list(with_places(events).select_related("commune").order_by("starts_at", "pk"))


def agenda_communes(request: HttpRequest | None, platform: Platform, *, now: datetime) -> list[Commune]:
    """The communes of the upcoming events this viewer may see (the filter's choices)."""
    listed = visible_events(request, platform).filter(starts_at__gte=now, commune__isnull=False)
    return list(Commune.objects.filter(insee_code__in=listed.values("commune_id")).order_by("name", "insee_code"))


def by_month(events: Iterable[Event]) -> list[AgendaMonth]:
    """The events (in date order) grouped by local month."""
    months: list[AgendaMonth] = []
    for event in events:
        month = timezone.localtime(event.starts_at).date().replace(day=1)
        if not months or months[-1].month != month:
            months.append(AgendaMonth(month=month, events=[]))
        months[-1].events.append(event)
    return months


def feed_events(platform: Platform, *, now: datetime) -> list[Event]:
    """The public events of the next twelve months (cancelled ones too, so calendars update)."""
    return list(
        Event.objects.filter(
            platform=platform,
            visibility=Visibility.PUBLIC,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=FEED_DAYS),
        )
        .select_related("commune")
        .order_by("starts_at", "pk")
    )


# ---- The public pages, by link


def _valid_token(token: str) -> bool:
    return bool(token) and len(token) <= 64


def event_by_token(token: str) -> Event | None:
    """An event by its link, any platform (the caller reads it unscoped, then scopes to its platform)."""
    if not _valid_token(token):
        return None
    return Event.objects.select_related("platform", "commune").filter(token=token).first()


def registration_by_token(token: str) -> Registration | None:
    """A registration by its personal link, any platform (read unscoped by the caller)."""
    if not _valid_token(token):
        return None
    return (
        Registration.objects.select_related("event__platform", "event__commune", "platform").filter(token=token).first()
    )


def trainer_first_names(event: Event) -> list[str]:
    """The trainers' first names only, in alphabetical order."""
    names = event.trainers.order_by("membership__user__first_name", "pk").values_list(
        "membership__user__first_name", flat=True
    )
    return [str(name) for name in names if name]


def waiting_position(registration: Registration) -> int:
    """The rank on the event's waiting list (1 = next to be offered a place); 0 when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return 0
    return Registration.objects.filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lte=registration.pk),
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
    ).count()
