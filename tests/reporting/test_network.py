"""The network's indicators: a network administrator sees the main figures of every active platform
side by side, aggregated, small numbers shown « < 5 »; nobody else may open the page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.reporting.selectors.network import network_table
from pairs.support.models import SupportRequest
from tests.factories import PlatformFactory
from tests.peers.factories import ActivityEntryFactory, PeerProfileFactory
from tests.support.factories import PersonFactory

URL = "/reseau/indicateurs/"
QUERY = {"debut": "2025-01-01", "fin": "2025-12-31"}


def requests(platform: Platform, count: int, day: date = date(2025, 3, 1)) -> None:
    for _ in range(count):
        item = SupportRequest.objects.create(
            platform=platform, pseudonym="Sam", phone="06 39 98 00 03", relation="self"
        )
        moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
        SupportRequest.objects.filter(pk=item.pk).update(created_at=moment)


def dataset(platform: Platform, other_platform: Platform, *, scale: int = 1) -> None:
    # Rhône: 2 requests in 2025 (and 4 in 2024, outside the period), 1 person, 90 minutes of activity.
    requests(platform, 2 * scale)
    requests(platform, 4, date(2024, 6, 1))
    peer = PeerProfileFactory(membership__platform=platform)
    PersonFactory(platform=platform, peer=peer, opened_on=date(2025, 2, 1))
    ActivityEntryFactory(profile=peer, day=date(2025, 5, 5), duration_minutes=90)
    # Isère: 6 requests, 7 people (opened in 2024, still open), 3 hours.
    requests(other_platform, 6 * scale)
    other = PeerProfileFactory(membership__platform=other_platform)
    for _ in range(7 * scale):
        PersonFactory(platform=other_platform, peer=other, opened_on=date(2024, 9, 1))
    ActivityEntryFactory(profile=other, day=date(2025, 5, 5), duration_minutes=180)


def test_network_table_reads_every_active_platform(platform: Platform, other_platform: Platform) -> None:
    dataset(platform, other_platform)
    PlatformFactory(name="Pairs Test Ancienne", slug="test-ancienne", is_active=False)
    table = network_table(date(2025, 1, 1), date(2025, 12, 31))
    # Columns by platform name: Isère, then Rhône; the inactive platform is left out.
    assert list(table.columns) == ["Indicateur", "Pairs Test Isère", "Pairs Test Rhône"]
    rows = {row[0]: list(row[1:]) for row in table.rows}
    assert rows["Demandes reçues"] == [6, 2]
    assert rows["Personnes accompagnées"] == [7, 1]
    assert rows["Heures d'activité"] == [3.0, 1.5]
    assert rows["Rencontres tenues"] == [0, 0]


def test_network_admin_sees_platforms_side_by_side_with_small_numbers_suppressed(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    dataset(platform, other_platform)
    client, _ = client_as(Role.NETWORK_ADMIN, platform)  # signed in on Rhône, reading Isère too
    response = client.get(URL, QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<th scope="col">Pairs Test Isère</th><th scope="col">Pairs Test Rhône</th>' in body
    assert '<th scope="row">Demandes reçues</th><td>6</td><td>&lt; 5</td>' in body
    assert '<th scope="row">Personnes accompagnées</th><td>7</td><td>&lt; 5</td>' in body
    assert '<th scope="row">Heures d&#x27;activité</th><td>3,0</td><td>1,5</td>' in body
    assert "Méthode" in body and "affiché « &lt; 5 » (secret statistique)" in body
    assert "Du 1 janvier 2025 au 31 décembre 2025" in body


def test_network_period_is_validated(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.NETWORK_ADMIN, platform)
    body = client.get(URL, {"debut": "2025-12-31", "fin": "2025-01-01"}).content.decode()
    assert "La fin de la période doit suivre son début." in body
    assert 'value="2025-12-31"' in body
    assert "<caption>" not in body


def test_network_default_period_is_this_year(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.NETWORK_ADMIN, platform)
    body = client.get(URL).content.decode()
    assert f'value="{timezone.localdate().year}-01-01"' in body
    assert "<caption>Indicateurs du réseau, plateforme par plateforme</caption>" in body


def test_network_query_count_does_not_grow(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.NETWORK_ADMIN, platform)
    dataset(platform, other_platform)
    client.get(URL, QUERY)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, QUERY)
    dataset(platform, other_platform, scale=3)
    PlatformFactory(name="Pairs Test Drôme", slug="test-drome", department_codes=["26"])
    with CaptureQueriesContext(connection) as big:
        body = client.get(URL, QUERY).content.decode()
    assert "Pairs Test Drôme" in body
    assert len(small) == len(big)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FUNDER, Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON])
def test_only_network_admins(platform: Platform, client_as: Any, role: Role) -> None:
    client, _ = client_as(role, platform)
    assert client.get(URL).status_code == 403
