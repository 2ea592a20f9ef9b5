"""Territorial equity on a hand-built territory: five communes on one meridian (longitude 4.5°), so that
every distance is the Earth's radius times the difference of latitudes:

    commune   lat    population  EPCI  people (12 months)  resources
    Alpha     45.0   50 000      E1    20                  peer worker P1 lives here, meeting place
    Bravo     45.1   10 000      E1    6 (one relative, one closed 6 months ago)
    Charlie   45.3    2 000      E2    0 (one closed two years ago)
    Delta     45.5   20 000      E2    1
    Echo      45.8      500      E2    0                   peer worker P2 lives here

Haversine along a meridian: d = 6371.0088 km × Δlat × π / 180, so 0.1° = 11.1195 km, 0.2° = 22.2390 km,
0.3° = 33.3585 km, 0.5° = 55.5975 km, 0.8° = 88.9561 km.

Median reach of the communes of at least 1,000 inhabitants (Alpha 4.0, Bravo 6.0, Charlie 0, Delta 0.5
per 10,000): 2.25, a third of it 0.75. Charlie (nobody, 33.4 km) and Delta (0.5 < 0.75, 33.4 km) are
under-served; Echo is too small to be flagged."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.reporting.indicators import shown
from pairs.reporting.selectors import territory as selectors
from pairs.reporting.selectors.territory import Hypothesis
from pairs.support.models import MeetingMode, MeetingStatus, Relation
from pairs.territory.models import Commune
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PersonFactory, PlaceFactory

URL = "/territoire/"
ClientAs = Callable[..., tuple[Client, Membership]]
KM_01 = 11.1195  # 0.1° of latitude
KM_02 = 22.2390
KM_03 = 33.3585
KM_05 = 55.5975
KM_08 = 88.9561


def make_commune(insee: str, name: str, lat: float, population: int, epci: str, lon: float = 4.5) -> Commune:
    epci_code, epci_name = {
        "E1": ("200000001", "CC des Coteaux d'Alpha"),
        "E2": ("200000002", "CC du Haut Delta"),
        "": ("", ""),
    }[epci]
    return Commune.objects.create(
        insee_code=insee,
        name=name,
        department_code=insee[:2],
        population=population,
        epci_code=epci_code,
        epci_name=epci_name,
        latitude=lat,
        longitude=lon,
    )


@dataclass
class Territory:
    platform: Platform
    alpha: Commune
    bravo: Commune
    charlie: Commune
    delta: Commune
    echo: Commune


def peer_living_in(platform: Platform, commune: Commune, **kwargs: Any) -> Any:
    return PeerProfileFactory(membership__platform=platform, home_commune=commune, **kwargs)


@pytest.fixture
def territory(platform: Platform, other_platform: Platform) -> Territory:
    today = timezone.localdate()
    alpha = make_commune("69901", "Alpha", 45.0, 50_000, "E1")
    bravo = make_commune("69902", "Bravo", 45.1, 10_000, "E1")
    charlie = make_commune("69903", "Charlie", 45.3, 2_000, "E2")
    delta = make_commune("69904", "Delta", 45.5, 20_000, "E2")
    echo = make_commune("69905", "Echo", 45.8, 500, "E2")
    grenoble = make_commune("38185", "Grenoble", 45.18663, 158_454, "", lon=5.73631)

    # Resources: two peer workers in activity, one meeting place.
    peer_living_in(platform, alpha)
    peer_living_in(platform, echo)
    peer_living_in(platform, charlie, status_end=today - timedelta(days=1))  # left yesterday
    peer_living_in(platform, charlie, membership__is_active=False)  # account closed
    peer_living_in(other_platform, charlie)  # another platform's
    place = PlaceFactory(platform=platform, commune=alpha, name="Maison Alpha")
    PlaceFactory(platform=platform, commune=charlie, name="Ancien local", active=False)
    PlaceFactory(platform=other_platform, commune=charlie, name="Lieu d'ailleurs")

    # People: open at some point in the last 12 months, both relations.
    recent = today - timedelta(days=30)
    alphas = [PersonFactory(platform=platform, commune=alpha, opened_on=recent) for _ in range(20)]
    for _ in range(4):
        PersonFactory(platform=platform, commune=bravo, opened_on=recent)
    PersonFactory(platform=platform, commune=bravo, opened_on=recent, relation=Relation.RELATIVE)
    PersonFactory(
        platform=platform, commune=bravo, opened_on=today - timedelta(days=400), closed_on=today - timedelta(days=180)
    )
    PersonFactory(
        platform=platform,
        commune=charlie,
        opened_on=date(today.year - 3, 6, 1),
        closed_on=date(today.year - 2, 6, 1),
    )
    deltas = [PersonFactory(platform=platform, commune=delta, opened_on=recent)]
    PersonFactory(platform=platform, commune=None, opened_on=recent)  # no commune known
    PersonFactory(platform=platform, commune=grenoble, opened_on=recent)  # lives outside the territory
    PersonFactory(platform=other_platform, commune=charlie, opened_on=recent)  # another platform's

    # Meetings of the period: Alpha 2 remote out of 4 (the cancelled one and the old one do not count);
    # Delta 1 out of 1.
    def meeting(person: Any, days_ago: int, mode: str, status: str = MeetingStatus.HELD) -> None:
        starts = (timezone.localtime() - timedelta(days=days_ago)).replace(hour=10, minute=0, second=0, microsecond=0)
        MeetingFactory(
            person=person,
            mode=mode,
            place=place if mode == MeetingMode.IN_PERSON else None,
            starts_at=starts,
            status=status,
        )

    meeting(alphas[0], 10, MeetingMode.PHONE)
    meeting(alphas[1], 11, MeetingMode.VIDEO)
    meeting(alphas[2], 12, MeetingMode.IN_PERSON)
    meeting(alphas[3], 13, MeetingMode.IN_PERSON, MeetingStatus.PLANNED)
    meeting(alphas[4], 14, MeetingMode.PHONE, MeetingStatus.CANCELLED)
    meeting(alphas[5], 400, MeetingMode.PHONE)
    meeting(deltas[0], 5, MeetingMode.PHONE)
    return Territory(platform, alpha, bravo, charlie, delta, echo)


def equity_of(t: Territory, **kwargs: Any) -> selectors.Equity:
    today = timezone.localdate()
    period = kwargs.pop("period", None) or selectors.last_twelve_months(today)
    return selectors.territory_equity(t.platform, period=period, today=today, **kwargs)


def by_name(areas: Any) -> dict[str, Any]:
    return {area.name: area for area in areas}


def row_order(content: str) -> list[str]:
    return re.findall(r'<tr id="commune-(\d+)"', content)


# ---- The figures


def test_people_per_10000_inhabitants_by_commune(territory: Territory) -> None:
    communes = by_name(equity_of(territory).communes)
    assert {name: area.people for name, area in communes.items()} == {
        "Alpha": 20,
        "Bravo": 6,
        "Charlie": 0,
        "Delta": 1,
        "Echo": 0,
    }
    assert communes["Alpha"].per_10k == pytest.approx(4.0)  # 20 × 10 000 / 50 000
    assert communes["Bravo"].per_10k == pytest.approx(6.0)  # 6 × 10 000 / 10 000
    assert communes["Charlie"].per_10k == 0
    assert communes["Delta"].per_10k == pytest.approx(0.5)  # 1 × 10 000 / 20 000


def test_distances_to_the_nearest_peer_worker_and_place(territory: Territory) -> None:
    communes = by_name(equity_of(territory).communes)
    expected = {
        # name: (nearest peer worker's home, nearest meeting place), see the module's docstring
        "Alpha": (0.0, 0.0),
        "Bravo": (KM_01, KM_01),  # Alpha is 0.1° south
        "Charlie": (KM_03, KM_03),  # Alpha and Echo both 0.3° away; the closed place does not count
        "Delta": (KM_03, KM_05),  # Echo 0.3° north; the place in Alpha 0.5° south
        "Echo": (0.0, KM_08),
    }
    for name, (km_peer, km_place) in expected.items():
        assert communes[name].km_peer == pytest.approx(km_peer, abs=1e-3), name
        assert communes[name].km_place == pytest.approx(km_place, abs=1e-3), name
        assert communes[name].km == pytest.approx(min(km_peer, km_place), abs=1e-3), name


def test_share_of_remote_meetings(territory: Territory) -> None:
    communes = by_name(equity_of(territory).communes)
    assert (communes["Alpha"].meetings, communes["Alpha"].remote_meetings) == (4, 2)
    assert communes["Alpha"].remote_share == pytest.approx(50.0)
    assert communes["Delta"].remote_share == pytest.approx(100.0)
    assert communes["Bravo"].remote_share is None


def test_under_served_flags_follow_the_rule(territory: Territory) -> None:
    equity = equity_of(territory)
    assert equity.median_reach == pytest.approx(2.25)  # median of 0, 0.5, 4.0, 6.0
    assert equity.threshold == pytest.approx(0.75)
    flags = {area.name: area.underserved for area in equity.communes}
    # Charlie: nobody and 33.4 km; Delta: 0.5 < 0.75 and 33.4 km; Echo: 500 inhabitants, never flagged.
    assert flags == {"Alpha": False, "Bravo": False, "Charlie": True, "Delta": True, "Echo": False}
    assert equity.people_elsewhere == 2  # no commune, and Grenoble outside the territory


def test_epcis_use_population_weighted_figures(territory: Territory) -> None:
    epcis = by_name(equity_of(territory).epcis)
    e1, e2 = epcis["CC des Coteaux d'Alpha"], epcis["CC du Haut Delta"]
    assert (e1.population, e1.people, e1.communes) == (60_000, 26, 2)
    assert e1.per_10k == pytest.approx(26 * 10_000 / 60_000)
    assert e1.km == pytest.approx(10_000 * KM_01 / 60_000, abs=1e-3)  # (50 000 × 0 + 10 000 × 11.12) / 60 000
    assert (e2.population, e2.people) == (22_500, 1)
    assert e2.per_10k == pytest.approx(10_000 / 22_500)
    # (2 000 × 33.36 + 20 000 × 33.36 + 500 × 0) / 22 500 = 32.62 km
    assert e2.km == pytest.approx(22_000 * KM_03 / 22_500, abs=1e-3)
    # Median of the EPCIs' reaches (4.33 and 0.44) is 2.39, a third 0.80: E2 is low and far.
    assert not e1.underserved
    assert e2.underserved


def test_a_chosen_year_counts_the_people_open_that_year(territory: Territory) -> None:
    year = timezone.localdate().year - 2
    equity = equity_of(territory, period=selectors.period_for(str(year), timezone.localdate()))
    communes = by_name(equity.communes)
    assert communes["Charlie"].people == 1  # open from June, 3 years ago, to June, 2 years ago
    assert communes["Alpha"].people == 0
    assert communes["Charlie"].per_10k == pytest.approx(5.0)


def test_reach_classes_split_the_non_zero_reaches_in_quartiles(territory: Territory) -> None:
    equity = equity_of(territory)
    cuts = selectors.reach_cuts(equity.communes)
    assert cuts == pytest.approx([2.25, 4.0, 5.0])  # quartiles of 0.5, 4.0, 6.0
    classes = {area.name: selectors.reach_class(area, cuts) for area in equity.communes}
    assert classes == {"Alpha": 2, "Bravo": 4, "Charlie": 0, "Delta": 1, "Echo": 0}


# ---- "What if"


def test_a_pivot_peer_worker_relieves_a_commune(territory: Territory) -> None:
    communes_ref = {c.insee: c for c in selectors.territory_communes(territory.platform)}
    equity = equity_of(territory, hypothesis=Hypothesis(peer_commune=communes_ref["69903"]))
    communes = by_name(equity.communes)
    assert communes["Charlie"].km_if == 0
    assert communes["Charlie"].relieved
    # Delta: the pivot in Charlie is 0.2° away, 22.2 km: still far.
    assert communes["Delta"].km_peer_if == pytest.approx(KM_02, abs=1e-3)
    assert communes["Delta"].underserved_if is True
    assert [area.name for area in equity.within_reach] == ["Charlie"]
    assert equity.relieved_epcis == []  # E2: (20 000 × 22.2) / 22 500 = 19.8 km, still far


def test_a_pivot_and_a_place_relieve_two_communes_and_an_epci(territory: Territory) -> None:
    communes_ref = {c.insee: c for c in selectors.territory_communes(territory.platform)}
    hypothesis = Hypothesis(peer_commune=communes_ref["69903"], place_commune=communes_ref["69904"])
    equity = equity_of(territory, hypothesis=hypothesis)
    assert [area.name for area in equity.relieved] == ["Charlie", "Delta"]
    assert [area.name for area in equity.relieved_epcis] == ["CC du Haut Delta"]
    # Nothing is saved: without the hypothesis, the flags are back.
    assert [area.name for area in equity_of(territory).underserved] == ["Charlie", "Delta"]


def test_the_page_shows_the_what_if_summary(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.COORDINATOR, territory.platform)
    response = client.get(URL, {"pivot": "69903", "lieu": "69904"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"2 communes, {shown(22_000)} habitants, passeraient sous 15 km d&#x27;une ressource." in content
    assert "2 communes ne seraient plus sous-desservies" in content
    assert "1 intercommunalité ne serait plus sous-desservie" in content
    assert content.count("ne serait plus sous-desservie</span>") == 3  # Charlie, Delta, E2
    assert '<option value="69903" selected>Charlie</option>' in content
    assert "simulation : 0,0\u00a0km" in content


def test_one_pivot_gives_a_singular_summary(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.FUNDER, territory.platform)
    content = client.get(URL, {"pivot": "69903"}).content.decode()
    assert f"1 commune, {shown(2_000)} habitants, passerait sous 15 km d&#x27;une ressource." in content
    assert "1 commune ne serait plus sous-desservie" in content


def test_an_unknown_commune_is_refused_in_french_and_the_rest_kept(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.COORDINATOR, territory.platform)
    for unknown in ("99999", "38185"):  # nowhere, and a commune outside the territory
        response = client.get(URL, {"pivot": unknown, "lieu": "69904", "periode": "12m"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Cette commune n&#x27;est pas dans le territoire de la plateforme" in content
        assert '<option value="69904" selected>Delta</option>' in content
        assert "Résultat de la simulation" not in content
        assert "ne serait plus sous-desservie</span>" not in content


# ---- The page


def test_coordinator_sees_the_figures_the_map_and_the_rule(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.COORDINATOR, territory.platform)
    response = client.get(reverse("reporting:territory"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Équité territoriale</h1>" in content
    assert "au moins 1\u00a0000 habitants est sous-desservie" in content
    assert content.count('class="badge badge-late">sous-desservie') == 3  # Charlie, Delta, E2
    delta = content[content.index('<tr id="commune-69904"') :]
    delta = delta[: delta.index("</tr>")]
    assert ">1</td>" in delta and ">0,5</td>" in delta and "100,0\u00a0%" in delta
    assert "33,4\u00a0km" in delta and "55,6\u00a0km" in delta
    # The map: a link per commune to its row, hatched when under-served, resources as markers.
    assert content.count('<a href="#commune-') == 5
    assert content.count('fill="url(#territory-hatch)"/>') == 2 + 1  # two communes and the legend
    assert "Communes où habitent des pair aidant·es en activité :\n  Alpha, Echo" in content
    assert "Maison Alpha" not in content  # places are shown by commune
    assert "Lieu d&#x27;ailleurs" not in content


def test_funder_sees_small_counts_as_less_than_five(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.FUNDER, territory.platform)
    content = client.get(URL).content.decode()
    delta = content[content.index('<tr id="commune-69904"') :]
    delta = delta[: delta.index("</tr>")]
    assert "&lt; 5" in delta
    assert ">1</td>" not in delta and "0,5" not in delta and "100,0" not in delta  # rates hidden too
    bravo = content[content.index('<tr id="commune-69902"') :]
    assert ">6</td>" in bravo[: bravo.index("</tr>")]
    assert "&lt; 5 personnes accompagnées" in content  # the map's titles too
    assert "url(#territory-few)" in content


def test_sorting_by_a_column_header_without_javascript(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.COORDINATOR, territory.platform)
    content = client.get(URL, {"tri": "portee", "ordre": "desc"}).content.decode()
    # Bravo 6.0, Alpha 4.0, Delta 0.5, then Charlie and Echo at 0 by name.
    assert row_order(content) == ["69902", "69901", "69904", "69903", "69905"]
    assert (
        '<th scope="col" aria-sort="descending"><a href="?tri=portee&amp;ordre=asc#communes">Pour 10 000 habitants'
        in content
    )
    assert content.count("aria-sort=") == 1
    ascending = client.get(URL, {"tri": "km_lieu"}).content.decode()
    assert row_order(ascending) == ["69901", "69902", "69903", "69904", "69905"]
    assert 'aria-sort="ascending"' in ascending
    wrong_order = client.get(URL, {"tri": "km_lieu", "ordre": "n-importe-quoi"}).content.decode()
    assert row_order(wrong_order) == ["69901", "69902", "69903", "69904", "69905"]
    default = client.get(URL, {"tri": "n-importe-quoi"}).content.decode()
    assert row_order(default) == ["69901", "69902", "69903", "69904", "69905"]  # by name


def test_funder_sorting_does_not_reveal_small_counts(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.FUNDER, territory.platform)
    content = client.get(URL, {"tri": "portee", "ordre": "desc"}).content.decode()
    assert row_order(content) == ["69902", "69901", "69903", "69905", "69904"]  # Delta's rate unknown: last


def test_a_year_can_be_chosen_and_a_bad_period_is_explained(client_as: ClientAs, territory: Territory) -> None:
    client, _membership = client_as(Role.COORDINATOR, territory.platform)
    year = timezone.localdate().year - 2
    content = client.get(URL, {"periode": str(year)}).content.decode()
    assert f"Du 1 janvier {year} au 31 décembre {year}" in content
    assert f'<option value="{year}" selected>{year}</option>' in content
    bad = client.get(URL, {"periode": "1999"}).content.decode()
    assert "Choisissez les 12 derniers mois ou une des années de la liste." in bad


@pytest.mark.parametrize("role", [Role.PERSON, Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.NETWORK_ADMIN])
def test_other_roles_are_refused(client_as: ClientAs, platform: Platform, role: Role) -> None:
    client, _membership = client_as(role, platform)
    assert client.get(URL).status_code == 403


def test_another_platform_sees_only_its_own_territory(
    client_as: ClientAs, territory: Territory, other_platform: Platform
) -> None:
    client, _membership = client_as(Role.COORDINATOR, other_platform)
    content = client.get(URL, {"pivot": "69903"}).content.decode()
    assert "Grenoble" in content
    assert "Alpha" not in content and "Charlie</option>" not in content
    assert "Cette commune n&#x27;est pas dans le territoire de la plateforme" in content


def test_a_territory_without_communes_still_answers(client_as: ClientAs, db: Any) -> None:
    empty = Platform.objects.create(name="Territoire vide", slug="vide", department_codes=["99"])
    client, _membership = client_as(Role.COORDINATOR, empty)
    response = client.get(URL, {"pivot": "69901"})
    assert response.status_code == 200
    assert "Aucune commune dans le territoire de la plateforme." in response.content.decode()


def _territory_of(platform: Platform, size: int) -> None:
    communes = [
        Commune(
            insee_code=f"{platform.department_codes[0]}{index:03d}",
            name=f"Commune {index}",
            department_code=platform.department_codes[0],
            population=1000 + 100 * index,
            epci_code=f"2000000{index % 3}",
            epci_name=f"CC numéro {index % 3}",
            latitude=45 + index / 100,
            longitude=4 + (index % 7) / 10,
        )
        for index in range(size)
    ]
    Commune.objects.bulk_create(communes)
    for commune in communes[::2]:
        person = PersonFactory(platform=platform, commune=commune, opened_on=timezone.localdate())
        MeetingFactory(person=person, mode=MeetingMode.VIDEO)
    for commune in communes[:: max(1, size // 4)]:
        peer_living_in(platform, commune)
        PlaceFactory(platform=platform, commune=commune)


def test_query_count_does_not_grow_with_the_communes(db: Any) -> None:
    from tests.conftest import login_client

    small = Platform.objects.create(name="Petit territoire", slug="petit", department_codes=["01"])
    large = Platform.objects.create(name="Grand territoire", slug="grand", department_codes=["02"])
    _territory_of(small, 5)
    _territory_of(large, 50)
    counts = []
    for platform in (small, large):
        client = login_client(Client(), MembershipFactory(platform=platform, role=Role.COORDINATOR))
        client.get(URL)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"pivot": f"{platform.department_codes[0]}001", "tri": "portee"})
        assert response.status_code == 200
        assert len(row_order(response.content.decode())) in (5, 50)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
