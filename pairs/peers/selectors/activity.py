"""Reads of the activity log: a worker's week, a month of entries, the usual week to copy,
the workload table. Every read is scoped to the platform (or to a profile already loaded
through ``objects``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import ActivityEntry, ActivityType, DayPart, PeerProfile
from .objects import profiles_of
from .workload import WeekIndicators, hours_display, week_start, weekly_indicators

USUAL_TYPE_CODE = "individual_support"
SLOT_MINUTES = 210


def format_minutes(minutes: int) -> str:
    """A duration as a person says it: "30 min", "1 h", "1 h 30", "2 h 05"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s") % {"hours": hours, "minutes": f"{rest:02d}"}


def month_bounds(first: date) -> tuple[date, date]:
    first = first.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


# ---- The partner deployments a worker is assigned to (read through reverse relations only:
# the pool never imports the deployments app)

ASSIGNMENT_WINDOW_DAYS = 31


def assignment_label(assignment: Any) -> str:
    """ "Partner – team", or the partner alone when the request names no team."""
    deployment = assignment.deployment
    if deployment.team_id is not None:
        return f"{deployment.organisation.name} – {deployment.team.name}"
    return str(deployment.organisation.name)


def assignment_choices(profile: PeerProfile, around: date, *, keep: int | None = None) -> QuerySet[Any]:
    """The worker's assignments under way within a month of ``around`` (and ``keep``, the one an
    entry already names), for the "Déploiement" select of the entry form."""
    near = Q(start_date__lte=around + timedelta(days=ASSIGNMENT_WINDOW_DAYS)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=around - timedelta(days=ASSIGNMENT_WINDOW_DAYS))
    )
    if keep is not None:
        near |= Q(pk=keep)
    return (
        profile.assignments.filter(near)
        .select_related("deployment__organisation", "deployment__team")
        .order_by("-start_date", "pk")
    )


# ---- One entry, as the pages show it


@dataclass
class EntryLine:
    entry: ActivityEntry

    @property
    def deployment(self) -> str:
        return assignment_label(self.entry.assignment) if self.entry.assignment_id else ""

    @property
    def duration(self) -> str:
        return format_minutes(self.entry.duration_minutes)

    @property
    def travel(self) -> str:
        return format_minutes(self.entry.travel_minutes) if self.entry.travel_minutes else ""

    @property
    def place(self) -> str:
        if self.entry.remote or self.entry.commune is None:
            return _("À distance")
        return self.entry.commune.name


def lines(entries: list[ActivityEntry]) -> list[EntryLine]:
    return [EntryLine(entry) for entry in entries]


# ---- A worker's week


@dataclass
class Day:
    day: date
    lines: list[EntryLine]
    is_future: bool

    @property
    def minutes(self) -> int:
        return sum(line.entry.duration_minutes for line in self.lines)

    @property
    def total(self) -> str:
        return format_minutes(self.minutes)


@dataclass
class Week:
    start: date
    days: list[Day]
    contract_hours: Decimal
    is_current: bool

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def previous(self) -> date:
        return self.start - timedelta(days=7)

    @property
    def next(self) -> date | None:
        return None if self.is_current else self.start + timedelta(days=7)

    @property
    def minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def total(self) -> str:
        return format_minutes(self.minutes)

    @property
    def contract(self) -> str:
        return hours_display(self.contract_hours)

    @property
    def is_empty(self) -> bool:
        return not any(day.lines for day in self.days)


def entries_between(profile: PeerProfile, start: date, end: date) -> QuerySet[ActivityEntry]:
    return (
        ActivityEntry.objects.filter(platform_id=profile.platform_id, profile=profile, day__gte=start, day__lte=end)
        .select_related(
            "activity_type", "commune", "assignment__deployment__organisation", "assignment__deployment__team"
        )
        .order_by("day", "id")
    )


def week_for(profile: PeerProfile, start: date, today: date) -> Week:
    """The worker's week starting on Monday ``start``: seven days, even the empty ones."""
    start = week_start(start)
    by_day: dict[date, list[ActivityEntry]] = {}
    for entry in entries_between(profile, start, start + timedelta(days=6)):
        by_day.setdefault(entry.day, []).append(entry)
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        days.append(Day(day, lines(by_day.get(day, [])), day > today))
    return Week(start, days, profile.contract_hours, start >= week_start(today))


# ---- Choices of the entry form


def activity_types(platform: Platform) -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(platform=platform)


def communes_for(platform: Platform, profile: PeerProfile) -> QuerySet[Commune]:
    """The platform's communes: the worker's home commune first, then the communes they cover."""
    zones = profile.zones.through.objects.filter(peerprofile_id=profile.pk).values("commune_id")
    first = [When(pk=profile.home_commune_id, then=Value(0))] if profile.home_commune_id else []
    rank = Case(*first, When(pk__in=zones, then=Value(1)), default=Value(2), output_field=IntegerField())
    return Commune.objects.filter(department_code__in=platform.department_codes).order_by(rank, "name")


def recent_workplaces(profile: PeerProfile, today: date, *, limit: int = 15) -> list[str]:
    """The places the worker named in the last 90 days, the most used first (typing help)."""
    rows = (
        ActivityEntry.objects.filter(profile=profile, day__gte=today - timedelta(days=90))
        .exclude(workplace="")
        .values("workplace")
        .annotate(uses=Count("id"))
        .order_by("-uses", "workplace")[:limit]
    )
    return [row["workplace"] for row in rows]


# ---- A worker's month, for the coordination


def month_entries(profile: PeerProfile, first: date) -> QuerySet[ActivityEntry]:
    start, end = month_bounds(first)
    return entries_between(profile, start, end).order_by("-day", "-id")


def month_minutes(profile: PeerProfile, first: date) -> int:
    start, end = month_bounds(first)
    total = entries_between(profile, start, end).aggregate(total=Sum("duration_minutes"))["total"]
    return int(total or 0)


# ---- The usual week, proposed for an empty week


@dataclass
class Proposal:
    day: date
    duration_minutes: int
    activity_type: ActivityType
    commune: Commune | None
    remote: bool
    workplace: str
    travel_minutes: int
    assignment_id: int | None = None
    deployment: str = ""  # "partner – team" of the assignment

    @property
    def place(self) -> str:
        if self.remote or self.commune is None:
            return _("À distance")
        return self.commune.name

    @property
    def travel(self) -> str:
        return format_minutes(self.travel_minutes) if self.travel_minutes else ""


@dataclass
class PrefillPlan:
    start: date
    week_has_entries: bool
    source: str  # "previous_week", "slots" or "" (nothing to propose)
    proposals: list[Proposal]

    @property
    def has_assignments(self) -> bool:
        return any(proposal.assignment_id for proposal in self.proposals)


def slot_minutes(weekly_hours: Decimal, slots: int) -> int:
    """An assignment's weekly hours shared among its half-days, in minutes rounded to 5."""
    minutes = (Decimal(weekly_hours) * 60 / max(slots, 1) / 5).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 5
    return max(5, min(int(minutes), 24 * 60))


def _assignment_proposals(
    profile: PeerProfile, start: date, today: date, usual: ActivityType | None, skip: set[tuple[int, int]]
) -> tuple[list[Proposal], set[tuple[int, str]]]:
    """A proposal for each half-day of the assignments under way that day (not after today), and the
    half-days they cover. ``skip`` holds (assignment, weekday) pairs already proposed from last week."""
    end = start + timedelta(days=6)
    assignments = (
        profile.assignments.filter(start_date__lte=min(end, today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("deployment__organisation__commune", "deployment__team__commune")
        .prefetch_related("slots")
        .order_by("start_date", "pk")
    )
    proposals: list[Proposal] = []
    covered: set[tuple[int, str]] = set()
    for assignment in assignments:
        slots = list(assignment.slots.all())
        if not slots or usual is None:
            continue
        deployment = assignment.deployment
        team = deployment.team
        commune = team.commune if team is not None and team.commune_id else deployment.organisation.commune
        workplace = team.name if team is not None else deployment.organisation.name
        minutes = slot_minutes(assignment.weekly_hours, len(slots))
        for slot in slots:
            day = start + timedelta(days=slot.weekday)
            if day > today or not assignment.is_active_on(day):
                continue
            covered.add((slot.weekday, slot.part))
            if (assignment.pk, slot.weekday) in skip:
                continue
            proposals.append(
                Proposal(
                    day,
                    minutes,
                    usual,
                    commune,
                    False,
                    workplace[:120],
                    0,
                    assignment_id=assignment.pk,
                    deployment=assignment_label(assignment),
                )
            )
    return proposals, covered


def _usual_type(profile: PeerProfile) -> ActivityType | None:
    types = activity_types(profile.platform)
    return types.filter(code=USUAL_TYPE_CODE).first() or types.first()


def _copy(entry: ActivityEntry, day: date) -> Proposal:
    """Last week's entry on ``day``; it keeps its deployment only while the assignment is under way."""
    assignment = entry.assignment if entry.assignment_id is not None else None
    kept = assignment is not None and assignment.is_active_on(day)
    return Proposal(
        day,
        entry.duration_minutes,
        entry.activity_type,
        entry.commune,
        entry.remote,
        entry.workplace,
        entry.travel_minutes,
        assignment_id=entry.assignment_id if kept else None,
        deployment=assignment_label(assignment) if kept else "",
    )


def _by_day(proposals: list[Proposal]) -> list[Proposal]:
    return sorted(proposals, key=lambda proposal: proposal.day)


def prefill_plan(profile: PeerProfile, start: date, today: date) -> PrefillPlan:
    """Last week's entries moved by seven days; when last week is empty, a half-day of
    individual support at home for each morning or afternoon availability. In both cases,
    the half-days of the worker's assignments under way are added (one entry each, in the
    partner's commune, for the deployment), unless last week already had an entry for that
    assignment on that weekday, or the availability half-day is the same. Never after today."""
    start = week_start(start)
    end = start + timedelta(days=6)
    if ActivityEntry.objects.filter(profile=profile, day__gte=start, day__lte=end).exists():
        return PrefillPlan(start, True, "", [])
    previous = list(entries_between(profile, start - timedelta(days=7), start - timedelta(days=1)))
    usual = _usual_type(profile)
    if previous:
        proposals = [_copy(e, e.day + timedelta(days=7)) for e in previous if e.day + timedelta(days=7) <= today]
        done = {(e.assignment_id, e.day.weekday()) for e in previous if e.assignment_id is not None}
        extra, _covered = _assignment_proposals(profile, start, today, usual, done)
        return PrefillPlan(start, False, "previous_week", _by_day([*proposals, *extra]))
    extra, covered = _assignment_proposals(profile, start, today, usual, set())
    proposals = []
    if usual is not None and profile.home_commune is not None:
        proposals = [
            Proposal(start + timedelta(days=slot.weekday), SLOT_MINUTES, usual, profile.home_commune, False, "", 0)
            for slot in profile.slots.filter(part__in=[DayPart.MORNING, DayPart.AFTERNOON]).order_by("weekday", "id")
            if start + timedelta(days=slot.weekday) <= today and (slot.weekday, slot.part) not in covered
        ]
    proposals = _by_day([*proposals, *extra])
    return PrefillPlan(start, False, "slots" if proposals else "", proposals)


# ---- A worker's own indicators, framed kindly

CRISIS_SHARE_NOTE = 50  # percent of the week's hours


class WeekDisplay:
    """How a week's indicators read on a page (shared by the worker's and the coordinators' tables)."""

    week: WeekIndicators

    @property
    def hours(self) -> str:
        return format_minutes(self.week.minutes)

    @property
    def contract(self) -> str:
        return hours_display(self.week.contract_hours)

    @property
    def travel(self) -> str:
        return format_minutes(self.week.travel_minutes)


@dataclass
class IndicatorRow(WeekDisplay):
    week: WeekIndicators

    @property
    def alert_labels(self) -> list[str]:
        labels = {"hours": _("heures"), "workplaces": _("lieux"), "supervision": _("supervision")}
        return [labels.get(alert.code, alert.code) for alert in self.week.alerts]

    @property
    def messages(self) -> list[str]:
        """What the week says, in kind words: a few landmarks to talk about, never a verdict."""
        week, notes = self.week, []
        codes = {alert.code for alert in week.alerts}
        if "hours" in codes:
            notes.append(
                _(
                    "Cette semaine, vous avez noté %(hours)s pour un contrat de %(contract)s h. C'est plus que "
                    "prévu : prenez soin de vous, et parlez-en avec la coordination si vous le souhaitez."
                )
                % {"hours": self.hours, "contract": self.contract}
            )
        if "workplaces" in codes:
            notes.append(
                _(
                    "Cette semaine, vous avez travaillé dans %(count)s lieux différents. C'est beaucoup : "
                    "parlez-en avec la coordination si vous le souhaitez."
                )
                % {"count": week.workplaces}
            )
        if week.minutes and week.crisis_percent >= CRISIS_SHARE_NOTE:
            notes.append(
                _(
                    "Cette semaine, %(percent)s %% de votre temps concernait des situations de crise. Ces moments "
                    "pèsent : la supervision et l'équipe sont là pour en parler."
                )
                % {"percent": week.crisis_percent}
            )
        if "supervision" in codes:
            days = week.days_since_supervision
            if days is None:
                notes.append(
                    _(
                        "Aucune supervision ni intervision n'est notée pour vous. Ces temps sont faits pour vous : "
                        "la coordination peut vous indiquer la prochaine séance."
                    )
                )
            else:
                notes.append(
                    ngettext(
                        "Votre dernière supervision ou intervision date de %(weeks)s semaine. Ces temps sont "
                        "faits pour vous : pensez à vous inscrire à la prochaine séance.",
                        "Votre dernière supervision ou intervision date de %(weeks)s semaines. Ces temps sont "
                        "faits pour vous : pensez à vous inscrire à la prochaine séance.",
                        days // 7,
                    )
                    % {"weeks": days // 7}
                )
        if not notes:
            notes.append(_("Vos repères de la semaine sont dans les limites habituelles. Merci pour votre travail."))
        return notes


# ---- The coordination's workload table


@dataclass
class WorkloadRow(WeekDisplay):
    profile: PeerProfile
    week: WeekIndicators


def workload_rows(platform: Platform, start: date) -> list[WorkloadRow]:
    """Every worker active that week, those with alerts first, then by name."""
    indicators = weekly_indicators(platform, start)
    if not indicators:
        return []
    profiles = profiles_of(platform).filter(pk__in=list(indicators))
    rows = [WorkloadRow(profile, indicators[profile.pk]) for profile in profiles]
    rows.sort(key=lambda row: (not row.week.alerts, row.profile.membership.user.display_name.lower()))
    return rows
