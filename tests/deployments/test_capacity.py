"""Capacity for one-off work: hours kept each month against hours reserved, and the requests waiting."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from pairs.deployments.models import Deployment, DeploymentSettings, Kind, State
from pairs.deployments.selectors import contracts as reads
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import AssignmentFactory, DeploymentFactory, partner_of

URL = "/capacite/"


def body(response: Any) -> str:
    return str(response.content.decode())


def months() -> tuple[date, date, date]:
    first = reads.month_start(timezone.localdate())
    second = reads.next_month(first)
    return first, second, reads.next_month(second)


def one_off(platform: Platform, **kwargs: Any) -> Deployment:
    kwargs.setdefault("state", State.INTEGRATION)
    return DeploymentFactory(organisation__platform=platform, kind=Kind.ONE_OFF, **kwargs)


def test_reserved_hours_by_hand() -> None:
    march = date(2027, 3, 1)
    periods = [
        reads.Period(weekly_hours=Decimal("7"), start=date(2027, 3, 1), end=date(2027, 3, 14)),  # 14 days: 14 h
        reads.Period(weekly_hours=Decimal("3.5"), start=date(2027, 2, 1), end=None),  # 31 days: 15.5 h
        reads.Period(weekly_hours=Decimal("7"), start=date(2027, 4, 1), end=None),  # not in March
    ]
    assert reads.reserved_in(periods, march) == Fraction(59, 2)
    [row] = reads.capacity_months(Decimal("20"), periods, [march])
    assert (row.reserved, row.available, row.overrun) == (Decimal("29.5"), Decimal("-9.5"), Decimal("9.5"))
    assert reads.overlap(date(2027, 1, 1), None, date(2027, 2, 1), date(2027, 3, 1)) == (
        date(2027, 2, 1),
        date(2027, 3, 1),
    )


def test_the_capacity_page_shows_reserved_and_available_hours(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    DeploymentSettings.objects.create(platform=platform, one_off_hours_per_month=Decimal("20"))
    first, second, third = months()
    # This month: 7 h a week for 14 days.
    running = one_off(platform, start_date=first, organisation__name="GEM La Passerelle")
    AssignmentFactory(deployment=running, weekly_hours=Decimal("7"), start_date=first, end_date=first + timedelta(13))
    # Next month: the deployment runs one week only, whatever the assignment says.
    short = one_off(platform, state=State.ASSIGNMENT, start_date=second, end_date=second + timedelta(6))
    AssignmentFactory(deployment=short, weekly_hours=Decimal("14"), start_date=first)
    # In two months: 35 h a week for 14 days, 70 h, beyond the 20 h kept.
    busy = one_off(platform, start_date=third)
    AssignmentFactory(deployment=busy, weekly_hours=Decimal("35"), start_date=third, end_date=third + timedelta(13))
    # Not counted: a finished one-off, a long deployment, another platform.
    AssignmentFactory(deployment=one_off(platform, state=State.ENDED, start_date=first), start_date=first)
    AssignmentFactory(deployment__organisation__platform=platform, start_date=first)
    AssignmentFactory(deployment=one_off(other_platform, start_date=first), start_date=first)

    page = body(client.get(URL))

    assert "Capacité pour les interventions ponctuelles" in page
    with translation.override("fr"):
        labels = [date_format(day, "F Y") for day in (first, second, third)]
    assert all(f"{label} : 20 h gardées" in page for label in labels)
    assert "14 h réservées, 6 h encore disponibles." in page
    assert page.count("20 h gardées") == 3
    assert "70 h réservées, dépassement de 50 h." in page
    assert "dépassement de 50 h</span>" in page
    assert "GEM La Passerelle" in page


def test_waiting_one_off_requests_are_listed_oldest_first(platform: Platform, client_as: Any) -> None:
    from pairs.deployments.models import Deployment as Model

    client, _membership = client_as(Role.COORDINATOR, platform)
    old = one_off(platform, state=State.REQUEST, organisation__name="Foyer Les Tilleuls", expected_hours=Decimal("3.5"))
    Model.objects.filter(pk=old.pk).update(filed_at=timezone.now() - timedelta(days=12))
    one_off(platform, state=State.SENSITISATION, organisation__name="CMP Croix-Rousse")
    served = one_off(platform, state=State.ASSIGNMENT, organisation__name="Clinique Servie")
    AssignmentFactory(deployment=served, start_date=served.start_date)
    one_off(platform, state=State.INTEGRATION, organisation__name="Équipe Intégrée")
    one_off(platform, state=State.ABANDONED, organisation__name="Demande Abandonnée")
    DeploymentFactory(organisation__platform=platform, state=State.REQUEST, organisation__name="Long Cours")

    page = body(client.get(URL))
    page = page[page.index('id="en-attente"') :]

    assert "Demandes d'intervention ponctuelle en attente" in page
    assert page.index("Foyer Les Tilleuls") < page.index("CMP Croix-Rousse")
    assert "déposée il y a 12 jours" in page
    assert "3,5 h" in page
    for absent in ("Clinique Servie", "Équipe Intégrée", "Demande Abandonnée", "Long Cours"):
        assert absent not in page
    assert f"/deploiements/{old.pk}/" in page


def test_without_settings_the_default_capacity_applies(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    page = body(client.get(URL))
    assert page.count("20 h gardées, 0 h réservées, 20 h encore disponibles.") == 3
    assert "Aucune demande d'intervention ponctuelle n'attend." in page


def test_the_capacity_page_does_not_grow_in_queries(
    platform: Platform, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    first, _second, _third = months()

    def add(count: int) -> None:
        for _ in range(count):
            running = one_off(platform, start_date=first)
            AssignmentFactory(deployment=running, start_date=first)
            AssignmentFactory(deployment=running, start_date=first)
            one_off(platform, state=State.REQUEST)

    add(1)
    with django_assert_max_num_queries(100) as small:
        assert client.get(URL).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).status_code == 200


def test_only_coordinators_see_the_capacity(platform: Platform, client_as: Any) -> None:
    for role in (Role.PEER_WORKER, Role.PERSON):
        assert client_as(role, platform)[0].get(URL).status_code == 403
    membership, _contact = partner_of(platform)
    assert login_client(Client(), membership).get(URL).status_code == 403
    assert client_as(Role.COORDINATOR, platform)[0].post(URL).status_code == 405
