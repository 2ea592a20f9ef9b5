"""Reads of the coordination's events and programmes: the lists with their numbers (constant queries),
an event's registrations and counts, a programme's sessions and each participant's completion, the
events a peer worker leads, and the choices of the forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, Lower, Trim
from django.shortcuts import get_object_or_404

from pairs.deployments.models import Deployment
from pairs.observatory.models import Instrument
from pairs.observatory.selectors.campaigns import campaign_instruments
from pairs.partners.models import Organisation
from pairs.peers.models import PeerProfile
from pairs.peers.selectors.career import active_condition
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

from ..models import ACTIVE_REGISTRATION, Event, EventStatus, Programme, Registration, RegistrationStatus
from . import _int

CONFIRMED = RegistrationStatus.CONFIRMED
OFFERED = RegistrationStatus.OFFERED
WAITING = RegistrationStatus.WAITING
# A registration that holds a place: confirmed, or offered and not yet answered.
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
PERIOD_PAST = "passes"
RECENT_DAYS = 92  # « the last three months » of a trainer's events


class _SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: 0 when it has no rows, no GROUP BY on the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _count(queryset: QuerySet[Any]) -> Subquery:
    return _SubqueryCount(queryset.order_by().values("pk"))


def _trainers() -> Prefetch[Any]:
    return Prefetch(
        "trainers",
        queryset=PeerProfile.objects.select_related("membership__user").order_by(
            "membership__user__first_name", "membership__user__last_name", "pk"
        ),
    )


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``confirmed_count``, ``offered_count``, ``waiting_count`` and ``attended_count``."""
    registrations = Registration.objects.filter(event_id=OuterRef("pk"))
    return events.annotate(
        confirmed_count=_count(registrations.filter(status=CONFIRMED)),
        offered_count=_count(registrations.filter(status=OFFERED)),
        waiting_count=_count(registrations.filter(status=WAITING)),
        attended_count=_count(registrations.filter(attended=True)),
    )


def trainer_names(event: Event) -> list[str]:
    """The trainers' names (uses the prefetched list when there is one)."""
    return [peer.membership.user.display_name for peer in event.trainers.all()]


# ---- The coordination's list


def event_rows(
    platform: Platform, *, now: datetime, period: str = "", kind: str = "", visibility: str = ""
) -> QuerySet[Event]:
    """Upcoming events (not yet ended), soonest first; with ``period="passes"`` the past ones, the most
    recent first. Filtered by type and visibility; counts annotated, trainers prefetched."""
    events = Event.objects.filter(platform=platform)
    if period == PERIOD_PAST:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if kind:
        events = events.filter(kind=kind)
    if visibility:
        events = events.filter(visibility=visibility)
    return with_counts(events.select_related("commune", "programme").prefetch_related(_trainers()))


# ---- One event


def registrations_of(event: Event) -> list[Registration]:
    """The event's registrations: confirmed (walk-ins included), offered, waiting by arrival, then the
    cancelled and expired ones. ``is_active`` tells the registrations that may still be cancelled."""
    rank = Case(
        When(status=CONFIRMED, then=Value(0)),
        When(status=OFFERED, then=Value(1)),
        When(status=WAITING, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    active = Case(
        When(status__in=ACTIVE_REGISTRATION, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return list(
        Registration.objects.filter(event=event)
        .annotate(rank=rank, is_active=active)
        .order_by("rank", "created_at", "pk")
    )


def counts_of(event: Event) -> dict[str, int]:
    """The numbers of an event in one query: ``confirmed``, ``offered``, ``waiting``, ``attended``."""
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        offered=Count("pk", filter=Q(status=OFFERED)),
        waiting=Count("pk", filter=Q(status=WAITING)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    return {name: int(value or 0) for name, value in counts.items()}


def event_trainers(event: Event) -> list[PeerProfile]:
    return list(
        event.trainers.select_related("membership__user").order_by(
            "membership__user__first_name", "membership__user__last_name", "pk"
        )
    )


def get_registration_of(event: Event, registration_id: Any) -> Registration:
    """A registration of this very event, or 404."""
    return get_object_or_404(Registration.objects.filter(event=event), pk=_int(registration_id))


# ---- Programmes


def _participant_key() -> Case:
    """Who a registration is, across a programme's sessions: the e-mail (lower case), or the name for
    a walk-in who gave no e-mail."""
    return Case(
        When(email="", then=Concat(Value("#"), Lower(Trim("name")))),
        default=Lower("email"),
        output_field=CharField(),
    )


def _participations(programme_id: Any) -> QuerySet[Registration]:
    """The registrations that make someone a participant of a programme: a place on a session that
    takes place, or an attendance taken."""
    return Registration.objects.filter(event__programme_id=programme_id, event__status=EventStatus.SCHEDULED).filter(
        Q(status__in=HOLDING) | Q(attended__isnull=False)
    )


def programme_rows(platform: Platform, *, now: datetime) -> QuerySet[Programme]:
    """The programmes with ``sessions_count`` (sessions that take place), ``next_session`` and
    ``participants_count`` (distinct people across the sessions)."""
    sessions = Event.objects.filter(programme_id=OuterRef("pk"), status=EventStatus.SCHEDULED)
    participants = (
        _participations(OuterRef("pk"))
        .annotate(key=_participant_key())
        .order_by()
        .values("event__programme_id")
        .annotate(n=Count("key", distinct=True))
        .values("n")
    )
    return (
        Programme.objects.filter(platform=platform)
        .select_related("organisation")
        .annotate(
            sessions_count=_count(sessions),
            next_session=Subquery(sessions.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]),
            participants_count=Subquery(participants, output_field=IntegerField()),
        )
        .order_by("-created_at", "-pk")
    )


def programme_sessions(programme: Programme) -> list[Event]:
    """Every session of the programme (cancelled ones too), in order, with their counts."""
    return list(
        with_counts(Event.objects.filter(programme=programme))
        .select_related("commune")
        .prefetch_related(_trainers())
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class Cell:
    """A participant at one session: ``present``, ``absent`` or ``""`` (not registered, or attendance
    not taken yet)."""

    event_id: int
    state: str


@dataclass(frozen=True)
class Participant:
    key: str
    name: str
    email: str
    organisation: str
    attended: int
    sessions: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.sessions > 0 and self.attended >= self.sessions


@dataclass(frozen=True)
class Completion:
    sessions: list[Event]  # the sessions that take place, in order
    participants: list[Participant]

    @property
    def complete_count(self) -> int:
        return sum(1 for participant in self.participants if participant.complete)


def programme_completion(programme: Programme) -> Completion:
    """One row per participant (registrations across the sessions grouped by lower-case e-mail, or by
    name for walk-ins without one): a cell per session, sessions attended out of the programme's
    sessions, complete when all were attended. Three queries whatever the numbers."""
    sessions = list(
        Event.objects.filter(programme=programme, status=EventStatus.SCHEDULED)
        .only("pk", "title", "starts_at", "ends_at", "status", "programme_id", "platform_id")
        .order_by("starts_at", "pk")
    )
    registrations = _participations(programme.pk).annotate(key=_participant_key()).order_by()
    totals = list(
        registrations.values("key")
        .annotate(
            display_name=Min("name"),
            display_email=Max("email"),
            display_organisation=Max("organisation"),
            attended_count=Count("event_id", filter=Q(attended=True), distinct=True),
        )
        .order_by(Lower("display_name"), "key")
    )
    states: dict[tuple[str, int], str] = {}
    cells = registrations.values("key", "event_id").annotate(
        best=Max(
            Case(
                When(attended=True, then=Value(2)),
                When(attended=False, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    for row in cells:
        states[(row["key"], row["event_id"])] = {2: "present", 1: "absent"}.get(row["best"], "")
    participants = [
        Participant(
            key=row["key"],
            name=row["display_name"],
            email=row["display_email"] or "",
            organisation=row["display_organisation"] or "",
            attended=row["attended_count"],
            sessions=len(sessions),
            cells=[Cell(event_id=session.pk, state=states.get((row["key"], session.pk), "")) for session in sessions],
        )
        for row in totals
    ]
    return Completion(sessions=sessions, participants=participants)


def future_sessions(programme: Programme, *, now: datetime) -> QuerySet[Event]:
    return Event.objects.filter(programme=programme, status=EventStatus.SCHEDULED, starts_at__gt=now).order_by(
        "starts_at", "pk"
    )


# ---- The peer worker's own events


def own_peer_profile(request: PlatformRequest) -> PeerProfile | None:
    membership = request.membership
    if membership is None or membership.role != Role.PEER_WORKER:
        return None
    return PeerProfile.objects.filter(platform=request.platform, membership=membership).first()


@dataclass(frozen=True)
class MyEvents:
    upcoming: list[Event]
    recent: list[Event]


def events_led(profile: PeerProfile | None, *, now: datetime) -> MyEvents:
    """The events a peer worker leads: those to come (soonest first), then those of the last three
    months (the most recent first). Counts annotated, co-trainers prefetched."""
    if profile is None:
        return MyEvents(upcoming=[], recent=[])
    events = with_counts(
        Event.objects.filter(platform_id=profile.platform_id, trainers=profile)
        .select_related("commune")
        .prefetch_related(_trainers())
    )
    upcoming = list(events.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    recent = list(
        events.filter(ends_at__lt=now, starts_at__gte=now - timedelta(days=RECENT_DAYS)).order_by("-starts_at", "-pk")
    )
    return MyEvents(upcoming=upcoming, recent=recent)


# ---- Choices of the forms


def trainer_choices(platform: Platform, *, day: date, event: Event | None = None) -> QuerySet[PeerProfile]:
    """The platform's peer workers in activity on ``day``, plus the event's current trainers (who may
    have left since)."""
    condition = active_condition(day)
    if event is not None and event.pk:
        condition |= Q(pk__in=event.trainers.values("pk"))
    return (
        PeerProfile.objects.filter(condition, platform=platform)
        .select_related("membership__user")
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )


def commune_choices(platform: Platform, event: Event | None = None) -> QuerySet[Commune]:
    """The communes of the platform's departments (and the event's commune, wherever it is)."""
    condition = Q(department_code__in=platform.department_codes)
    if event is not None and event.commune_id is not None:
        condition |= Q(pk=event.commune_id)
    return Commune.objects.filter(condition).order_by("name", "insee_code")


def organisation_choices(platform: Platform) -> QuerySet[Organisation]:
    return Organisation.objects.filter(platform=platform).order_by("name", "pk")


def deployment_choices(platform: Platform) -> QuerySet[Deployment]:
    return (
        Deployment.objects.filter(platform=platform)
        .select_related("organisation", "team")
        .order_by("organisation__name", "-filed_at", "-pk")
    )


def programme_choices(platform: Platform) -> QuerySet[Programme]:
    return Programme.objects.filter(platform=platform).order_by("-created_at", "-pk")


def instrument_choices(platform: Platform, event: Event | None = None) -> QuerySet[Instrument]:
    """The Observatoire's active instruments (and the ones the event already uses)."""
    kept = [
        pk
        for pk in (getattr(event, "feedback_instrument_id", None), getattr(event, "beliefs_instrument_id", None))
        if pk
    ]
    active = campaign_instruments(platform)
    if not kept:
        return active
    return (
        Instrument.objects.filter(platform=platform)
        .filter(Q(pk__in=active.values("pk")) | Q(pk__in=kept))
        .order_by("name", "version", "id")
    )


def get_deployment_in(platform: Platform, value: Any) -> Deployment | None:
    """A deployment of the platform named in the address (to prefill a new event), or None."""
    pk = _int(value)
    if not pk:
        return None
    return Deployment.objects.filter(platform=platform, pk=pk).first()


def find_programme_in(platform: Platform, value: Any) -> Programme | None:
    """A programme of the platform named in the address (to prefill a new session), or None."""
    pk = _int(value)
    if not pk:
        return None
    return Programme.objects.filter(platform=platform, pk=pk).first()
