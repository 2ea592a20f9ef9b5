"""Reads of contracts (conventions): hours contracted against hours delivered per month, the
platform's capacity for one-off work, the partner's follow-up page.

The month computations are pure functions over plain values, so that they can be checked by hand;
the database reads around them are a constant number of queries."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from pairs.peers.models import ActivityEntry
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform

from .. import workflow
from ..models import Assignment, Contract, Deployment, HoursBasis, Kind, Review, State
from . import visible_deployments

# Delivered hours further than this from the contracted hours of a finished month raise a warning.
TOLERANCE_PERCENT = 15
CAPACITY_MONTHS = 3
PARTNER_REVIEWS_SHOWN = 10
WAITING_SHOWN = 200

# The steps of a one-off request before anyone works on it.
WAITING_STATES = (State.REQUEST, State.ANALYSIS, State.PREREQUISITES, State.SENSITISATION, State.ASSIGNMENT)


# ---- Months


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return month_end(month) + timedelta(days=1)


def previous_month(month: date) -> date:
    return month_start(month_start(month) - timedelta(days=1))


def months_between(first: date, last: date) -> list[date]:
    """The first days of every month from ``first``'s to ``last``'s, both included."""
    months: list[date] = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def days_inside(month: date, start: date, end: date | None) -> int:
    """How many days of the month fall within [start, end] (an open end runs for ever)."""
    first, last = max(month_start(month), start), month_end(month) if end is None else min(month_end(month), end)
    return max((last - first).days + 1, 0)


def hours(value: Fraction) -> Decimal:
    """Hours (or a percentage) shown with one decimal."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- Hours contracted against hours delivered


class ContractTerms(Protocol):
    """What the computation needs of a contract (a Contract row fits)."""

    @property
    def start_date(self) -> date: ...

    @property
    def end_date(self) -> date: ...

    @property
    def hours_basis(self) -> str: ...

    @property
    def hours(self) -> Decimal: ...


def contracted_in(contracts: Iterable[ContractTerms], month: date) -> Fraction:
    """Hours contracted in a month, summed over the contracts: weekly hours × days inside ÷ 7, or the
    total hours spread evenly over every day of the contract."""
    total = Fraction(0)
    for contract in contracts:
        inside = days_inside(month, contract.start_date, contract.end_date)
        if inside == 0:
            continue
        amount = Fraction(contract.hours)
        if contract.hours_basis == HoursBasis.WEEKLY:
            total += amount * inside / 7
        else:
            total += amount * inside / ((contract.end_date - contract.start_date).days + 1)
    return total


@dataclass(frozen=True)
class MonthHours:
    """One month of a deployment: hours contracted, hours delivered, and the gap between them."""

    month: date
    contracted_exact: Fraction
    delivered_exact: Fraction
    current: bool

    @property
    def contracted(self) -> Decimal:
        return hours(self.contracted_exact)

    @property
    def delivered(self) -> Decimal:
        return hours(self.delivered_exact)

    @property
    def gap_percent(self) -> Decimal | None:
        """(delivered − contracted) ÷ contracted in %, one decimal; None without contracted hours."""
        if self.contracted_exact == 0:
            return None
        exact = (self.delivered_exact - self.contracted_exact) * 100 / self.contracted_exact
        return hours(exact)

    @property
    def gap_shown(self) -> Decimal | None:
        """The gap as shown, in whole percents; a gap just beyond the tolerance keeps one decimal so
        that it never reads as the tolerance itself."""
        gap = self.gap_percent
        if gap is None:
            return None
        whole = gap.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        if self.warning and abs(whole) <= TOLERANCE_PERCENT:
            size = max(abs(gap), Decimal(TOLERANCE_PERCENT) + Decimal("0.1"))
            return size if gap > 0 else -size
        return whole

    @property
    def gap_size(self) -> Decimal | None:
        gap = self.gap_shown
        return None if gap is None else abs(gap)

    @property
    def warning(self) -> str:
        """Either "under", "over" or "" — only for a finished month, beyond the tolerance (exactly 15 % is fine)."""
        if self.current:
            return ""
        gap = self.delivered_exact - self.contracted_exact
        if self.contracted_exact == 0:
            return "over" if gap > 0 else ""
        if abs(gap) * 100 > TOLERANCE_PERCENT * self.contracted_exact:
            return "under" if gap < 0 else "over"
        return ""


def monthly_hours(
    contracts: Sequence[ContractTerms], delivered: Mapping[date, Fraction], today: date
) -> list[MonthHours]:
    """Every month from the first contract's start to the current month or the last contract's end,
    whichever comes first. ``delivered`` maps the first day of a month to the hours logged in it."""
    if not contracts:
        return []
    first = min(contract.start_date for contract in contracts)
    last = min(month_start(today), month_start(max(contract.end_date for contract in contracts)))
    return [month_row(contracts, delivered, month, today) for month in months_between(first, last)]


def month_row(
    contracts: Sequence[ContractTerms], delivered: Mapping[date, Fraction], month: date, today: date
) -> MonthHours:
    month = month_start(month)
    return MonthHours(
        month=month,
        contracted_exact=contracted_in(contracts, month),
        delivered_exact=delivered.get(month, Fraction(0)),
        current=month == month_start(today),
    )


@dataclass(frozen=True)
class HoursTotal:
    contracted: Decimal
    delivered: Decimal


def finished_total(rows: Sequence[MonthHours]) -> HoursTotal | None:
    """Contracted and delivered hours over the finished months (None when none is finished)."""
    finished = [row for row in rows if not row.current]
    if not finished:
        return None
    return HoursTotal(
        contracted=hours(sum((row.contracted_exact for row in finished), Fraction(0))),
        delivered=hours(sum((row.delivered_exact for row in finished), Fraction(0))),
    )


def delivered_by_month(
    platform_id: int, deployment_ids: Iterable[int], first: date, last: date
) -> dict[int, dict[date, Fraction]]:
    """Hours logged by the assigned peer workers for each deployment, per month (one query)."""
    ids = list(deployment_ids)
    found: dict[int, dict[date, Fraction]] = defaultdict(dict)
    if not ids:
        return found
    rows = (
        ActivityEntry.objects.filter(
            platform_id=platform_id, assignment__deployment_id__in=ids, day__gte=first, day__lte=last
        )
        .annotate(month=TruncMonth("day"))
        .values("assignment__deployment_id", "month")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    for row in rows:
        found[row["assignment__deployment_id"]][row["month"]] = Fraction(row["minutes"] or 0, 60)
    return found


# ---- One deployment's contracts


def deployment_contracts(deployment: Deployment) -> list[Contract]:
    return list(Contract.objects.filter(deployment=deployment).order_by("start_date", "id"))


def deployment_hours(deployment: Deployment, contracts: Sequence[Contract], today: date) -> list[MonthHours]:
    """The month-by-month table of the deployment page (at most one query)."""
    if not contracts:
        return []
    first = min(contract.start_date for contract in contracts)
    last = month_end(min(month_start(today), month_start(max(contract.end_date for contract in contracts))))
    if last < first:
        return []
    delivered = delivered_by_month(deployment.platform_id, [deployment.pk], month_start(first), last)
    return monthly_hours(contracts, delivered.get(deployment.pk, {}), today)


def get_contract_for(request: PlatformRequest, contract_id: int) -> Contract:
    """A contract of a deployment the user may see (a partner: its own organisation's only)."""
    qs = Contract.objects.filter(platform=request.platform, deployment__in=visible_deployments(request))
    return get_object_or_404(qs.select_related("deployment", "deployment__organisation"), pk=contract_id)


# ---- Capacity for one-off work


@dataclass(frozen=True)
class Period:
    """Weekly hours over the days both the assignment and its deployment run."""

    weekly_hours: Decimal
    start: date
    end: date | None


def reserved_in(periods: Iterable[Period], month: date) -> Fraction:
    return sum(
        (Fraction(period.weekly_hours) * days_inside(month, period.start, period.end) / 7 for period in periods),
        Fraction(0),
    )


def overlap(start: date, end: date | None, other_start: date, other_end: date | None) -> tuple[date, date | None]:
    """The intersection of two periods with open ends (it may be empty: end before start)."""
    ends = [day for day in (end, other_end) if day is not None]
    return max(start, other_start), min(ends) if ends else None


@dataclass(frozen=True)
class CapacityMonth:
    month: date
    capacity: Decimal
    reserved_exact: Fraction

    @property
    def reserved(self) -> Decimal:
        return hours(self.reserved_exact)

    @property
    def available(self) -> Decimal:
        return hours(Fraction(self.capacity) - self.reserved_exact)

    @property
    def overrun(self) -> Decimal:
        """How far the reservations go beyond the capacity (0 when they fit)."""
        available = self.available
        return -available if available < 0 else Decimal("0.0")


@dataclass
class Reservation:
    """A one-off deployment holding hours, with its hours in each month shown."""

    deployment: Deployment
    periods: list[Period] = field(default_factory=list)
    by_month: list[Decimal] = field(default_factory=list)


@dataclass(frozen=True)
class Capacity:
    months: list[CapacityMonth]
    reservations: list[Reservation]


def capacity_months(capacity: Decimal, periods: Sequence[Period], months: Sequence[date]) -> list[CapacityMonth]:
    return [
        CapacityMonth(month=month, capacity=capacity, reserved_exact=reserved_in(periods, month)) for month in months
    ]


def capacity(platform: Platform, capacity_hours: Decimal, today: date) -> Capacity:
    """Hours kept for one-off work against hours reserved by assignments of one-off deployments still
    running, for this month and the next two (one query)."""
    months = [month_start(today)]
    while len(months) < CAPACITY_MONTHS:
        months.append(next_month(months[-1]))
    window_start, window_end = months[0], month_end(months[-1])
    assignments = (
        Assignment.objects.filter(platform=platform, deployment__kind=Kind.ONE_OFF, start_date__lte=window_end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=window_start))
        .exclude(deployment__state__in=workflow.FINAL)
        .select_related("deployment", "deployment__organisation")
        .order_by("deployment__start_date", "deployment_id", "id")
    )
    reservations: dict[int, Reservation] = {}
    for assignment in assignments:
        deployment = assignment.deployment
        start, end = overlap(assignment.start_date, assignment.end_date, deployment.start_date, deployment.end_date)
        if end is not None and end < start:
            continue
        period = Period(weekly_hours=assignment.weekly_hours, start=start, end=end)
        reservations.setdefault(deployment.pk, Reservation(deployment=deployment)).periods.append(period)
    periods = [period for reservation in reservations.values() for period in reservation.periods]
    for reservation in reservations.values():
        reservation.by_month = [hours(reserved_in(reservation.periods, month)) for month in months]
    kept = [reservation for reservation in reservations.values() if any(reservation.by_month)]
    return Capacity(months=capacity_months(capacity_hours, periods, months), reservations=kept)


def waiting_one_off_requests(platform: Platform) -> QuerySet[Deployment]:
    """One-off requests not yet served: before integration, with nobody assigned, oldest first."""
    assigned = Assignment.objects.filter(deployment=OuterRef("pk"))
    return (
        Deployment.objects.filter(platform=platform, kind=Kind.ONE_OFF, state__in=WAITING_STATES)
        .exclude(Exists(assigned))
        .select_related("organisation", "team")
        .order_by("filed_at", "id")
    )


# ---- The partner's follow-up page


def partner_upcoming_reviews(platform: Platform, organisation_id: int, today: date) -> list[Review]:
    """The organisation's next joint reviews, across its deployments still running."""
    return list(
        Review.objects.filter(
            platform=platform,
            deployment__organisation_id=organisation_id,
            held_on__isnull=True,
            planned_on__gte=today,
        )
        .exclude(deployment__state__in=workflow.FINAL)
        .select_related("deployment", "deployment__team")
        .order_by("planned_on", "id")[:PARTNER_REVIEWS_SHOWN]
    )


@dataclass(frozen=True)
class PartnerHours:
    deployment: Deployment
    last_month: MonthHours
    this_month: MonthHours

    @property
    def months(self) -> list[MonthHours]:
        return [self.last_month, self.this_month]


def partner_hours(platform: Platform, organisation_id: int, today: date) -> list[PartnerHours]:
    """For each of the organisation's deployments with a contract running last month or this month:
    hours delivered against contracted in both months (two queries whatever the number)."""
    this_month = month_start(today)
    last_month = previous_month(this_month)
    running = Contract.objects.filter(
        platform=platform,
        deployment__organisation_id=organisation_id,
        start_date__lte=month_end(this_month),
        end_date__gte=last_month,
    )
    contracts = (
        Contract.objects.filter(deployment__in=running.values("deployment_id"))
        .select_related("deployment", "deployment__team")
        .order_by("deployment__start_date", "deployment_id", "start_date", "id")
    )
    by_deployment: dict[int, list[Contract]] = {}
    for contract in contracts:
        by_deployment.setdefault(contract.deployment_id, []).append(contract)
    delivered = delivered_by_month(platform.pk, by_deployment, last_month, month_end(this_month))
    return [
        PartnerHours(
            deployment=terms[0].deployment,
            last_month=month_row(terms, delivered.get(deployment_id, {}), last_month, today),
            this_month=month_row(terms, delivered.get(deployment_id, {}), this_month, today),
        )
        for deployment_id, terms in by_deployment.items()
    ]
