"""Hours delivered (from the activity log) against hours contracted, month by month, with a warning
beyond 15 % for a finished month."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.test import Client

from pairs.deployments.models import Assignment, Contract, Deployment, HoursBasis, State
from pairs.deployments.selectors import contracts as reads
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import AssignmentFactory, ContractFactory, DeploymentFactory, partner_of
from tests.peers.factories import ActivityEntryFactory


def log(assignment: Assignment, day: date, minutes: int) -> None:
    """Log ``minutes`` of work for the deployment, in entries of at most 8 hours."""
    while minutes > 0:
        chunk = min(minutes, 480)
        ActivityEntryFactory(profile=assignment.profile, assignment=assignment, day=day, duration_minutes=chunk)
        minutes -= chunk


def contract(deployment: Deployment, start: date, end: date, basis: str, hours: str) -> Contract:
    return ContractFactory(
        deployment=deployment, start_date=start, end_date=end, hours_basis=basis, hours=Decimal(hours)
    )


# ---- The computation, by hand


def test_weekly_hours_follow_the_days_of_each_month_inside_the_contract(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform)
    terms = [contract(deployment, date(2027, 1, 4), date(2027, 3, 10), HoursBasis.WEEKLY, "7")]

    rows = reads.monthly_hours(terms, {}, today=date(2027, 6, 15))

    assert [row.month for row in rows] == [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert [row.contracted for row in rows] == [Decimal("28.0"), Decimal("28.0"), Decimal("10.0")]


def test_total_hours_are_spread_over_every_day_of_the_contract(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform)
    # 1 January to 10 April 2027: 31 + 28 + 31 + 10 = 100 days, 100 hours.
    terms = [contract(deployment, date(2027, 1, 1), date(2027, 4, 10), HoursBasis.TOTAL, "100")]

    rows = reads.monthly_hours(terms, {}, today=date(2027, 12, 1))

    assert [row.contracted for row in rows] == [Decimal("31.0"), Decimal("28.0"), Decimal("31.0"), Decimal("10.0")]


def test_contracts_add_up_and_the_table_stops_at_the_current_month(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform)
    terms = [
        contract(deployment, date(2027, 1, 1), date(2027, 12, 31), HoursBasis.WEEKLY, "3.5"),
        contract(deployment, date(2027, 2, 1), date(2027, 2, 28), HoursBasis.TOTAL, "10"),
    ]

    rows = reads.monthly_hours(terms, {date(2027, 2, 1): Fraction(24)}, today=date(2027, 3, 20))

    assert [row.month for row in rows] == [date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)]
    assert rows[0].contracted == Decimal("15.5")  # 3.5 × 31 ÷ 7
    assert rows[1].contracted == Decimal("24.0")  # 3.5 × 28 ÷ 7 + 10
    assert rows[1].delivered == Decimal("24.0") and rows[1].gap_percent == 0 and rows[1].warning == ""
    assert rows[2].current and not rows[0].current


def test_no_contract_no_row_and_a_contract_to_come_no_row(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform)
    assert reads.monthly_hours([], {}, today=date(2027, 1, 1)) == []
    later = [contract(deployment, date(2027, 5, 1), date(2027, 6, 30), HoursBasis.WEEKLY, "7")]
    assert reads.monthly_hours(later, {}, today=date(2027, 3, 1)) == []


def test_the_tolerance_is_15_percent_exactly() -> None:
    def row(contracted: int, delivered: Fraction, current: bool = False) -> reads.MonthHours:
        return reads.MonthHours(
            month=date(2027, 1, 1), contracted_exact=Fraction(contracted), delivered_exact=delivered, current=current
        )

    assert row(100, Fraction(85)).warning == ""
    assert row(100, Fraction(115)).warning == ""
    assert row(100, Fraction(8499, 100)).warning == "under"
    assert row(100, Fraction(11501, 100)).warning == "over"
    assert row(100, Fraction(78)).warning == "under" and row(100, Fraction(78)).gap_size == Decimal("22.0")
    assert row(100, Fraction(0), current=True).warning == ""
    assert row(0, Fraction(5)).warning == "over" and row(0, Fraction(5)).gap_percent is None
    assert row(0, Fraction(0)).warning == ""
    # A gap just beyond the tolerance never reads as the tolerance itself.
    assert row(100, Fraction(11504, 100)).gap_percent == Decimal("15.0")
    assert row(100, Fraction(11504, 100)).gap_size == Decimal("15.1")


# ---- Against the activity log


def test_delivered_hours_come_from_the_activity_of_the_assigned_workers(
    platform: Platform, django_assert_num_queries: Any
) -> None:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    first = AssignmentFactory(deployment=deployment, start_date=date(2027, 1, 4))
    second = AssignmentFactory(deployment=deployment, start_date=date(2027, 1, 4))
    terms = [contract(deployment, date(2027, 1, 4), date(2027, 12, 31), HoursBasis.WEEKLY, "7")]
    # January: 28 h contracted. 23.8 h delivered is exactly 15 % under: no warning.
    log(first, date(2027, 1, 10), 1000)
    log(second, date(2027, 1, 31), 428)
    # February: 28 h contracted. 32.2 h is exactly 15 % over: no warning.
    log(first, date(2027, 2, 1), 1932)
    # March: 31 h contracted. 36 h 40 min is 18.3 % over.
    log(second, date(2027, 3, 15), 2200)
    # April: 30 h contracted. 23 h 20 min is 22.2 % under.
    log(first, date(2027, 4, 30), 1400)
    # Work not done for this deployment is not counted.
    other = AssignmentFactory(deployment__organisation__platform=platform, profile=first.profile)
    ActivityEntryFactory(profile=first.profile, assignment=other, day=date(2027, 1, 12), duration_minutes=600)
    ActivityEntryFactory(profile=first.profile, assignment=None, day=date(2027, 1, 13), duration_minutes=600)
    # Before the first contract, outside the table.
    log(first, date(2026, 12, 31), 300)

    with django_assert_num_queries(1):
        rows = reads.deployment_hours(deployment, terms, today=date(2027, 5, 6))

    assert [(row.contracted, row.delivered, row.warning) for row in rows] == [
        (Decimal("28.0"), Decimal("23.8"), ""),
        (Decimal("28.0"), Decimal("32.2"), ""),
        (Decimal("31.0"), Decimal("36.7"), "over"),
        (Decimal("30.0"), Decimal("23.3"), "under"),
        (Decimal("31.0"), Decimal("0.0"), ""),
    ]
    assert rows[0].gap_percent == Decimal("-15.0")
    assert (rows[2].gap_percent, rows[2].gap_shown) == (Decimal("18.3"), Decimal("18"))
    assert (rows[3].gap_percent, rows[3].gap_shown) == (Decimal("-22.2"), Decimal("-22"))
    assert rows[4].current


def test_one_minute_beyond_the_tolerance_raises_the_warning(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    assignment = AssignmentFactory(deployment=deployment, start_date=date(2027, 1, 4))
    terms = [contract(deployment, date(2027, 1, 4), date(2027, 2, 28), HoursBasis.WEEKLY, "7")]
    log(assignment, date(2027, 1, 20), 1427)  # 28 h contracted, 15 % under is 1428 minutes
    log(assignment, date(2027, 2, 20), 1933)  # 28 h contracted, 15 % over is 1932 minutes

    rows = reads.deployment_hours(deployment, terms, today=date(2027, 6, 1))

    assert [row.warning for row in rows] == ["under", "over"]
    assert [row.gap_size for row in rows] == [Decimal("15.1"), Decimal("15.1")]


def _first_of_last_month() -> date:
    from django.utils import timezone

    return reads.previous_month(timezone.localdate())


def test_the_deployment_page_shows_the_months_with_the_warning_in_words(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    last_month = _first_of_last_month()
    this_month = reads.next_month(last_month)
    assignment = AssignmentFactory(deployment=deployment, start_date=last_month)
    contract(deployment, last_month, this_month - timedelta(days=1), HoursBasis.TOTAL, "100")
    contract(deployment, this_month, reads.month_end(this_month), HoursBasis.TOTAL, "10")
    log(assignment, last_month, 78 * 60)

    page = client.get(f"/deploiements/{deployment.pk}/").content.decode()

    assert "Convention et heures" in page
    assert "Heures prévues par la convention et heures réalisées, par mois" in page
    assert "Sous-réalisation de 22 %" in page
    assert "mois en cours" in page
    assert "78 h" in page and "100 h" in page


def test_the_partner_sees_the_hours_of_its_deployment(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    membership, _contact = partner_of(platform, deployment.organisation)
    last_month = _first_of_last_month()
    assignment = AssignmentFactory(deployment=deployment, start_date=last_month)
    contract(deployment, last_month, reads.month_end(last_month), HoursBasis.TOTAL, "50")
    log(assignment, last_month, 59 * 60)

    page = login_client(Client(), membership).get(f"/deploiements/{deployment.pk}/").content.decode()

    assert "Sur-réalisation de 18 %" in page
    edit = f'href="/conventions/{deployment.contracts.get().pk}/"'
    assert "Ajouter une convention" not in page and edit not in page
