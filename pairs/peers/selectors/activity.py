"""Reads of the activity log: a worker's week, a month of entries, the usual week to copy,
the workload table. Every read is scoped to the platform (or to a profile already loaded
through ``objects``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
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


# ---- One entry, as the pages show it


@dataclass
class EntryLine:
    entry: ActivityEntry

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
        .select_related("activity_type", "commune")
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


def prefill_plan(profile: PeerProfile, start: date, today: date) -> PrefillPlan:
    """Last week's entries moved by seven days; when last week is empty, a half-day of
    individual support at home for each morning or afternoon availability. Never after today."""
    start = week_start(start)
    end = start + timedelta(days=6)
    if ActivityEntry.objects.filter(profile=profile, day__gte=start, day__lte=end).exists():
        return PrefillPlan(start, True, "", [])
    previous = list(entries_between(profile, start - timedelta(days=7), start - timedelta(days=1)))
    if previous:
        proposals = [
            Proposal(
                e.day + timedelta(days=7),
                e.duration_minutes,
                e.activity_type,
                e.commune,
                e.remote,
                e.workplace,
                e.travel_minutes,
            )
            for e in previous
            if e.day + timedelta(days=7) <= today
        ]
        return PrefillPlan(start, False, "previous_week", proposals)
    types = activity_types(profile.platform)
    usual = types.filter(code=USUAL_TYPE_CODE).first() or types.first()
    if usual is None or profile.home_commune is None:
        return PrefillPlan(start, False, "", [])
    proposals = [
        Proposal(start + timedelta(days=slot.weekday), SLOT_MINUTES, usual, profile.home_commune, False, "", 0)
        for slot in profile.slots.filter(part__in=[DayPart.MORNING, DayPart.AFTERNOON]).order_by("weekday", "id")
        if start + timedelta(days=slot.weekday) <= today
    ]
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
