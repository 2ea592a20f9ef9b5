"""Reads of meetings and places: a person's meetings, a meeting as the role may see it, the peer
worker's fortnight, the next free slots of a worker, the calendar feed. Constant query counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.peers.models import AvailabilityException, PeerProfile
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.tenancy import unscoped
from pairs.territory.models import Commune

from ..models import CalendarFeed, Meeting, MeetingStatus, Person, Place
from . import _int, visible_people

# The statuses that occupy the worker's time (those the exclusion constraint covers).
BOOKED = (MeetingStatus.PLANNED, MeetingStatus.HELD)

# Free slots are proposed on weekdays, between these hours, every half hour.
DAY_START = time(9, 0)
DAY_END = time(18, 0)
SLOT_STEP = timedelta(minutes=30)
SLOT_SEARCH_DAYS = 21

# The calendar feed covers this window around today.
FEED_PAST_DAYS = 30
FEED_AHEAD_DAYS = 90


def meeting_end(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


# ---- Places


def places_of(platform: Platform) -> QuerySet[Place]:
    return Place.objects.filter(platform=platform).select_related("commune").order_by("name", "pk")


def active_places(platform: Platform) -> QuerySet[Place]:
    return places_of(platform).filter(active=True)


def get_place_for(request: PlatformRequest, place_id: Any) -> Place:
    return get_object_or_404(places_of(request.platform), pk=_int(place_id))


def communes_of(platform: Platform) -> QuerySet[Commune]:
    """The communes of the platform's departments, by name."""
    return Commune.objects.filter(department_code__in=platform.department_codes).order_by("name", "insee_code")


# ---- Who may be booked


def bookable_peers(platform: Platform, day: date) -> QuerySet[PeerProfile]:
    """Peer workers active on ``day`` (active account, status period covering the day), by name."""
    return (
        PeerProfile.objects.filter(platform=platform, status_start__lte=day)
        .filter(Q(status_end__isnull=True) | Q(status_end__gte=day))
        .filter(membership__is_active=True, membership__user__is_active=True)
        .select_related("membership__user")
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )


# ---- A person's meetings (the person page)


@dataclass
class PersonMeetings:
    upcoming: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)
    # Planned meetings whose time has passed: their outcome is still to record.
    to_record: int = 0


def person_meetings(person: Person, now: datetime) -> PersonMeetings:
    """Meetings to come (not yet over, whatever their status), soonest first; then those past,
    latest first."""
    result = PersonMeetings()
    rows = (
        Meeting.objects.filter(person=person)
        .select_related("peer__membership__user", "place")
        .order_by("starts_at", "pk")
    )
    for meeting in rows:
        if meeting_end(meeting) > now:
            result.upcoming.append(meeting)
        else:
            result.past.append(meeting)
            if meeting.status == MeetingStatus.PLANNED:
                result.to_record += 1
    result.past.reverse()
    return result


# ---- One meeting


def visible_meetings(request: PlatformRequest) -> QuerySet[Meeting]:
    """Coordinators: the platform's meetings. A peer worker: the meetings of the people they follow
    or meet. Anyone else: none."""
    return Meeting.objects.filter(platform=request.platform, person__in=visible_people(request))


def get_meeting_for(request: PlatformRequest, meeting_id: Any) -> Meeting:
    return get_object_or_404(
        visible_meetings(request).select_related("person", "peer__membership__user", "place__commune", "created_by"),
        pk=_int(meeting_id),
    )


# ---- The next free slots of a worker (after a double booking)


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def next_free_slots(
    peer: PeerProfile, *, duration_minutes: int, after: datetime, now: datetime, count: int = 3
) -> list[datetime]:
    """The first ``count`` starts, from ``after`` on (and never in the past), when the worker is free
    for ``duration_minutes``: weekdays, 9 h to 18 h, on the half hour, outside their planned and held
    meetings and their absences. Two queries."""
    start = max(after, now)
    first_day = timezone.localtime(start).date()
    last_day = first_day + timedelta(days=SLOT_SEARCH_DAYS)
    window = DateTimeTZRange(_local(first_day, time(0, 0)), _local(last_day + timedelta(days=1), time(0, 0)), "[)")
    busy = [
        (period.lower, period.upper)
        for period in Meeting.objects.filter(peer=peer, status__in=BOOKED, period__overlap=window).values_list(
            "period", flat=True
        )
    ]
    absences = list(
        AvailabilityException.objects.filter(
            profile=peer, period__overlap=DateRange(first_day, last_day, "[]")
        ).values_list("period", flat=True)
    )
    duration = timedelta(minutes=duration_minutes)
    slots: list[datetime] = []
    day = first_day
    while day <= last_day and len(slots) < count:
        if day.weekday() < 5 and not any(day in period for period in absences):
            moment, day_end = _local(day, DAY_START), _local(day, DAY_END)
            while moment + duration <= day_end and len(slots) < count:
                end = moment + duration
                if moment >= start and not any(lower < end and moment < upper for lower, upper in busy):
                    slots.append(moment)
                moment += SLOT_STEP
        day += timedelta(days=1)
    return slots


# ---- The peer worker's fortnight


@dataclass
class AgendaDay:
    day: date
    meetings: list[Meeting]


@dataclass
class AgendaWeek:
    monday: date
    label: str
    days: list[AgendaDay]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def count(self) -> int:
        return sum(len(day.meetings) for day in self.days)


@dataclass
class Agenda:
    weeks: list[AgendaWeek]
    to_record: list[Meeting]


def my_agenda(peer: PeerProfile, today: date, now: datetime) -> Agenda:
    """This week's and next week's meetings of the worker, day by day (days without a meeting are
    left out), and their past meetings still marked planned (outcome to record, last 30 days).
    Two queries."""
    monday = today - timedelta(days=today.weekday())
    weeks = [
        AgendaWeek(monday=monday, label=_("Cette semaine"), days=[]),
        AgendaWeek(monday=monday + timedelta(days=7), label=_("La semaine prochaine"), days=[]),
    ]
    rows = (
        Meeting.objects.filter(
            peer=peer,
            starts_at__gte=_local(monday, time(0, 0)),
            starts_at__lt=_local(monday + timedelta(days=14), time(0, 0)),
        )
        .select_related("person", "place")
        .order_by("starts_at", "pk")
    )
    for meeting in rows:
        day = timezone.localtime(meeting.starts_at).date()
        week = weeks[0] if day < weeks[1].monday else weeks[1]
        if not week.days or week.days[-1].day != day:
            week.days.append(AgendaDay(day=day, meetings=[]))
        week.days[-1].meetings.append(meeting)
    to_record = list(
        Meeting.objects.filter(
            peer=peer,
            status=MeetingStatus.PLANNED,
            starts_at__gte=now - timedelta(days=FEED_PAST_DAYS),
            starts_at__lt=now,
        )
        .select_related("person")
        .order_by("starts_at", "pk")
    )
    return Agenda(weeks=weeks, to_record=[m for m in to_record if meeting_end(m) <= now])


# ---- The calendar feed


def feed_of(peer: PeerProfile) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(peer=peer).first()


def feed_meetings(token: str, now: datetime) -> list[Meeting]:
    """The planned and held meetings of the feed's worker, from 30 days ago to 90 days ahead, or 404
    for an unknown or revoked address. The secret address is the only credential: it is read
    outside any platform scope (the reader is usually a calendar application, not signed in)."""
    if not token or len(token) > 64:
        raise Http404
    with unscoped():
        feed = CalendarFeed.objects.filter(token=token).first()
        if feed is None:
            raise Http404
        return list(
            Meeting.objects.filter(
                peer_id=feed.peer_id,
                status__in=BOOKED,
                starts_at__gte=now - timedelta(days=FEED_PAST_DAYS),
                starts_at__lt=now + timedelta(days=FEED_AHEAD_DAYS),
            )
            .select_related("place__commune")
            .order_by("starts_at", "pk")
        )
