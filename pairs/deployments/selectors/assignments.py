"""Reads of assignments: the candidates for a deployment and their ranking (a constant number
of queries whatever the size of the pool), a deployment's assigned workers, a worker's own
schedule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import F, Min, Q, QuerySet
from django.shortcuts import get_object_or_404

from pairs.peers import matching
from pairs.peers.models import AvailabilityException, AvailabilitySlot, DayPart, PeerProfile, Skill, Weekday
from pairs.peers.selectors.objects import profiles_of
from pairs.peers.selectors.workload import weekly_indicators
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from .. import ranking
from ..models import Assignment, AssignmentSlot, Deployment, Review
from ..ranking import Candidate, Need, Place, Slot, Suggestion


def _active_on(day: date) -> Q:
    """Assignments under way on ``day``."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def reference_day(deployment: Deployment, today: date) -> date:
    """The day a new assignment would start: the deployment's start, or today once it is past."""
    return max(deployment.start_date, today)


def deployment_place(deployment: Deployment) -> Commune:
    """Where the team works: the team's own commune when it has one, else the organisation's."""
    team = deployment.team
    if team is not None and team.commune_id is not None and team.commune is not None:
        return team.commune
    return deployment.organisation.commune


def _place(commune: Commune | None) -> Place | None:
    if commune is None:
        return None
    return Place(commune.name, commune.latitude, commune.longitude)


# ---- The platform's workers who may be assigned


def assignable_profiles(
    platform: Platform, day: date, *, deployment: Deployment | None = None
) -> QuerySet[PeerProfile]:
    """Active peer workers on ``day`` (active account, status period covering the day), by name;
    without those already assigned to ``deployment``."""
    qs = (
        profiles_of(platform)
        .filter(Q(status_end__isnull=True) | Q(status_end__gte=day), status_start__lte=day)
        .filter(membership__is_active=True, membership__user__is_active=True)
    )
    if deployment is not None:
        qs = qs.exclude(pk__in=Assignment.objects.filter(deployment=deployment).values("profile_id"))
    return qs.order_by("membership__user__first_name", "membership__user__last_name", "pk")


def platform_profiles(platform: Platform) -> QuerySet[PeerProfile]:
    return profiles_of(platform)


def skills_of(platform: Platform) -> QuerySet[Skill]:
    return Skill.objects.filter(platform=platform).order_by("name")


def wanted_skills(deployment: Deployment) -> list[Skill]:
    return list(deployment.skills.order_by("name"))


# ---- Suggestions


@dataclass
class Ranking:
    need: Need
    suggestions: list[Suggestion]

    @property
    def pool_size(self) -> int:
        return len(self.suggestions)


def assigned_hours(assignments: list[Assignment], day: date) -> Decimal:
    """Weekly hours of the assignments not ended on ``day`` (under way or to come)."""
    return sum((a.weekly_hours for a in assignments if a.end_date is None or a.end_date >= day), Decimal("0"))


def hours_to_place(deployment: Deployment, assigned: Decimal) -> Decimal:
    """The requested weekly hours not yet given to a worker, at least half an hour."""
    hours = max(deployment.expected_hours - assigned, Decimal("0.5"))
    return hours.quantize(Decimal("1")) if hours == hours.to_integral_value() else hours


def suggestions(
    deployment: Deployment, *, platform: Platform, today: date, skills: list[Skill], assigned_hours: Decimal
) -> Ranking:
    """Every worker of ``platform`` (the deployment's) who may be assigned, ranked (see
    pairs/deployments/ranking.py and the shared engine, pairs/peers/matching.py). A constant
    number of queries: one per kind of information, for the whole pool at once."""
    start = reference_day(deployment, today)
    need = Need(
        start=start,
        slots=tuple(ranking.parse_slots(deployment.requested_slots)),
        hours=hours_to_place(deployment, assigned_hours),
        skills=tuple(skill.name for skill in skills),
        place=_place(deployment_place(deployment)),
        has_team=deployment.team_id is not None,
    )
    profiles = list(assignable_profiles(platform, start, deployment=deployment))
    if not profiles:
        return Ranking(need, [])
    ids = [profile.pk for profile in profiles]
    usual: dict[int, set[Slot]] = defaultdict(set)
    for pid, weekday, part in AvailabilitySlot.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "weekday", "part"
    ):
        usual[pid].add((weekday, part))
    last = start + timedelta(days=6)
    periods: dict[int, list[DateRange]] = defaultdict(list)
    for pid, period in AvailabilityException.objects.filter(
        profile_id__in=ids, period__overlap=DateRange(start, last, "[]")
    ).values_list("profile_id", "period"):
        periods[pid].append(period)
    current = Assignment.objects.filter(_active_on(start), platform=platform, profile_id__in=ids)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for pid, weekly in current.values_list("profile_id", "weekly_hours"):
        hours[pid] += weekly
    taken: dict[int, set[Slot]] = defaultdict(set)
    for pid, weekday, part in AssignmentSlot.objects.filter(assignment__in=current).values_list(
        "assignment__profile_id", "weekday", "part"
    ):
        taken[pid].add((weekday, part))
    same = (
        Q(deployment__team_id=deployment.team_id)
        if deployment.team_id
        else Q(deployment__organisation_id=deployment.organisation_id)
    )
    knowing = set(
        Assignment.objects.filter(same, platform=platform, profile_id__in=ids, start_date__lte=start)
        .exclude(deployment=deployment)
        .values_list("profile_id", flat=True)
    )
    held: dict[int, set[str]] = defaultdict(set)
    for pid, name in Skill.peers.through.objects.filter(peerprofile_id__in=ids).values_list(
        "peerprofile_id", "skill__name"
    ):
        held[pid].add(name)
    week = weekly_indicators(platform, today, profile_ids=ids)
    candidates = []
    for profile in profiles:
        indicators = week.get(profile.pk)
        alerts = matching.alert_labels(a.code for a in indicators.alerts) if indicators else ()
        candidates.append(
            Candidate(
                profile_id=profile.pk,
                name=profile.membership.user.display_name,
                home=_place(profile.home_commune),
                usual_slots=frozenset(usual[profile.pk]),
                taken_slots=frozenset(taken[profile.pk]),
                absent_days=frozenset(matching.days_within(periods[profile.pk], start, last)),
                skills=frozenset(held[profile.pk]),
                alerts=alerts,
                contract_hours=profile.contract_hours,
                assigned_hours=hours[profile.pk],
                knows_team=profile.pk in knowing,
            )
        )
    return Ranking(need, ranking.rank(need, candidates))


# ---- A deployment's assigned workers


def deployment_assignments(deployment: Deployment) -> list[Assignment]:
    """Everyone placed in the deployment, current first, then those whose assignment ended."""
    return list(
        Assignment.objects.filter(deployment=deployment)
        .select_related("profile__membership__user")
        .prefetch_related("slots")
        .order_by(F("end_date").desc(nulls_first=True), "start_date", "pk")
    )


@dataclass
class AssignedRow:
    """One worker placed in the deployment, as the deployment page shows it."""

    assignment: Assignment
    today: date

    @property
    def name(self) -> str:
        return self.assignment.profile.membership.user.display_name

    @property
    def slots(self) -> list[Slot]:
        return ranking.sort_slots((s.weekday, s.part) for s in self.assignment.slots.all())

    @property
    def slots_label(self) -> str:
        return ranking.slots_label(self.slots)

    @property
    def hours(self) -> str:
        return ranking.hours_text(self.assignment.weekly_hours)

    @property
    def has_ended(self) -> bool:
        return self.assignment.end_date is not None and self.assignment.end_date < self.today

    @property
    def is_upcoming(self) -> bool:
        return self.assignment.start_date > self.today


def assigned_rows(assignments: list[Assignment], today: date) -> list[AssignedRow]:
    return [AssignedRow(assignment, today) for assignment in assignments]


def get_assignment_for(request: PlatformRequest, assignment_id: int) -> Assignment:
    """An assignment of the platform (coordinators only reach this view)."""
    return get_object_or_404(
        Assignment.objects.filter(platform=request.platform)
        .select_related(
            "deployment__organisation", "deployment__team", "profile__membership__user", "deployment__platform"
        )
        .prefetch_related("slots"),
        pk=assignment_id,
    )


def has_activity(assignment: Assignment) -> bool:
    return assignment.activities.exists()


# ---- A worker's own schedule


@dataclass
class MyAssignment:
    assignment: Assignment
    slots: list[Slot]
    next_review: date | None
    today: date

    @property
    def deployment(self) -> Deployment:
        return self.assignment.deployment

    @property
    def is_upcoming(self) -> bool:
        return self.assignment.start_date > self.today

    @property
    def place(self) -> Commune:
        return deployment_place(self.assignment.deployment)

    @property
    def label(self) -> str:
        deployment = self.assignment.deployment
        if deployment.team is not None:
            return f"{deployment.organisation.name} – {deployment.team.name}"
        return deployment.organisation.name

    @property
    def slots_label(self) -> str:
        return ranking.slots_label(self.slots)

    @property
    def hours(self) -> str:
        return ranking.hours_text(self.assignment.weekly_hours)


@dataclass
class ScheduleCell:
    part: str
    items: list[MyAssignment] = field(default_factory=list)


@dataclass
class ScheduleDay:
    label: str
    cells: list[ScheduleCell]


@dataclass
class MySchedule:
    rows: list[MyAssignment]
    days: list[ScheduleDay]
    parts: list[str]


def my_schedule(profile: PeerProfile, today: date) -> MySchedule:
    """The worker's current and upcoming assignments, and their half-days as a week."""
    assignments = list(
        Assignment.objects.filter(profile=profile, platform_id=profile.platform_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related(
            "deployment__organisation__commune", "deployment__team__commune", "deployment__team__organisation"
        )
        .prefetch_related("slots")
        .order_by("start_date", "pk")
    )
    reviews = dict(
        Review.objects.filter(
            deployment_id__in=[a.deployment_id for a in assignments], planned_on__gte=today, held_on__isnull=True
        )
        .values("deployment_id")
        .annotate(first=Min("planned_on"))
        .values_list("deployment_id", "first")
    )
    rows = [
        MyAssignment(
            a, ranking.sort_slots((s.weekday, s.part) for s in a.slots.all()), reviews.get(a.deployment_id), today
        )
        for a in assignments
    ]
    by_slot: dict[Slot, list[MyAssignment]] = defaultdict(list)
    for row in rows:
        for slot in row.slots:
            by_slot[slot].append(row)
    days = [
        ScheduleDay(
            str(day.label),
            [ScheduleCell(str(part.label), by_slot.get((day.value, part.value), [])) for part in DayPart],
        )
        for day in Weekday
    ]
    return MySchedule(rows, days, [str(part.label) for part in DayPart])
