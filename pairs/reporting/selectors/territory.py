"""Territorial equity, computed for every commune and every intercommunality (EPCI) of a platform's
territory (the communes of its départements):

- the people supported (both relations: people concerned and relatives) whose record was open at some
  point in the period, and the same per 10,000 inhabitants (the "reach");
- the great-circle distance from the commune's centre to the nearest home commune of a peer worker in
  activity, and to the nearest meeting place offered (active ``support.Place``), in km;
- the share of the meetings of the people of the commune (planned or held, in the period) that were
  held by phone or video.

Counts are aggregated in SQL (GROUP BY commune): five queries whatever the number of communes, people
or meetings. Distances are computed in Python over the few resource communes × the communes.

The under-served rule (shown on the page): a commune of at least 1,000 inhabitants is « sous-desservie »
when its reach is zero or below a third of the median reach of the territory's communes of at least
1,000 inhabitants, AND the nearest resource (peer worker's home commune or meeting place) is more than
15 km away (or there is none). The same rule applies to the EPCIs with their population-weighted
figures: people per 10,000 inhabitants of the EPCI, the mean distance of its communes weighted by
their population, against the median reach of the EPCIs.

The "what if" tool adds a hypothetical resource (a pivot peer worker living in a commune, a meeting
place opened in a commune) and recomputes the distances and the flags; nothing is saved."""

from __future__ import annotations

import bisect
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.peers.models import PeerProfile
from pairs.peers.selectors.career import active_condition
from pairs.platforms.models import Platform
from pairs.support.models import Meeting, MeetingMode, MeetingStatus, Person
from pairs.support.selectors.meetings import active_places, communes_of

from ..geo import LatLon, Projection, median, nearest_km, quantiles, sqrt_radius
from ..indicators import SMALL_NUMBER, is_small, shown

# ---- The rule

MIN_POPULATION = 1000  # smaller communes are never flagged: too few inhabitants to say anything
LOW_REACH_SHARE = 1 / 3  # a reach below a third of the territory's median is low
FAR_KM = 15.0  # a resource further than this is far
PER_INHABITANTS = 10_000

REMOTE_MODES = (MeetingMode.PHONE, MeetingMode.VIDEO)
COUNTED_MEETINGS = (MeetingStatus.PLANNED, MeetingStatus.HELD)  # not cancelled, not missed


def is_low_reach(per_10k: float | None, median_reach: float | None) -> bool:
    """Zero (or unknown), or below a third of the median reach."""
    if not per_10k:
        return True
    return median_reach is not None and per_10k < median_reach * LOW_REACH_SHARE


def is_far(km: float | None) -> bool:
    """No resource at all, or the nearest more than 15 km away."""
    return km is None or km > FAR_KM


def is_underserved(*, population: int, per_10k: float | None, km: float | None, median_reach: float | None) -> bool:
    """The under-served rule (see the module's docstring)."""
    return population >= MIN_POPULATION and is_low_reach(per_10k, median_reach) and is_far(km)


def per_10k(people: int, population: int) -> float | None:
    return people * PER_INHABITANTS / population if population > 0 else None


def _closest(*values: float | None) -> float | None:
    known = [value for value in values if value is not None]
    return min(known) if known else None


def name_key(name: str) -> str:
    """A name as a French reader sorts it: accents and case ignored (Châtillon before Chiroubles)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# ---- The period


@dataclass(frozen=True)
class Period:
    key: str  # "12m" or a year ("2025")
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.key == LAST_TWELVE_MONTHS:
            return _("12 derniers mois")
        return self.key


LAST_TWELVE_MONTHS = "12m"
YEARS_OFFERED = 5


def last_twelve_months(today: date) -> Period:
    try:
        year_before = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_before = today.replace(year=today.year - 1, day=28)
    return Period(key=LAST_TWELVE_MONTHS, start=year_before + timedelta(days=1), end=today)


def year_period(year: int, today: date) -> Period:
    return Period(key=str(year), start=date(year, 1, 1), end=min(date(year, 12, 31), today))


def period_choices(today: date) -> list[tuple[str, str]]:
    """« 12 derniers mois », then the current year and the previous ones."""
    years = [str(today.year - offset) for offset in range(YEARS_OFFERED)]
    return [(LAST_TWELVE_MONTHS, _("12 derniers mois")), *((year, year) for year in years)]


def period_for(key: str, today: date) -> Period:
    """The period of a choice of :func:`period_choices` (the last 12 months for anything else)."""
    if key.isdigit() and key in dict(period_choices(today)):
        return year_period(int(key), today)
    return last_twelve_months(today)


# ---- The territory's communes and resources


@dataclass(frozen=True)
class CommuneRef:
    insee: str
    name: str
    epci_code: str
    epci_name: str
    population: int
    latitude: float
    longitude: float

    @property
    def point(self) -> LatLon:
        return (self.latitude, self.longitude)


def territory_communes(platform: Platform) -> list[CommuneRef]:
    """The communes of the platform's départements, by name (one query)."""
    rows = communes_of(platform).values_list(
        "insee_code", "name", "epci_code", "epci_name", "population", "latitude", "longitude"
    )
    return [CommuneRef(*row) for row in rows]


@dataclass(frozen=True)
class Resource:
    """The communes where the platform has a resource: peer workers' homes, or meeting places."""

    insee: str
    name: str
    point: LatLon
    count: int  # peer workers living there, or places there
    in_territory: bool
    hypothetical: bool = False


def peer_home_communes(platform: Platform, *, day: date, territory: set[str]) -> list[Resource]:
    """The home communes of the peer workers in activity on ``day`` (one query, GROUP BY commune)."""
    rows = (
        PeerProfile.objects.filter(active_condition(day), platform=platform, home_commune__isnull=False)
        .order_by()
        .values("home_commune_id", "home_commune__name", "home_commune__latitude", "home_commune__longitude")
        .annotate(n=Count("pk"))
        .order_by("home_commune__name", "home_commune_id")
    )
    return [
        Resource(
            insee=row["home_commune_id"],
            name=row["home_commune__name"],
            point=(row["home_commune__latitude"], row["home_commune__longitude"]),
            count=row["n"],
            in_territory=row["home_commune_id"] in territory,
        )
        for row in rows
    ]


def place_communes(platform: Platform, *, territory: set[str]) -> list[Resource]:
    """The communes of the meeting places offered (one query, GROUP BY commune)."""
    rows = (
        active_places(platform)
        .order_by()
        .values("commune_id", "commune__name", "commune__latitude", "commune__longitude")
        .annotate(n=Count("pk"))
        .order_by("commune__name", "commune_id")
    )
    return [
        Resource(
            insee=row["commune_id"],
            name=row["commune__name"],
            point=(row["commune__latitude"], row["commune__longitude"]),
            count=row["n"],
            in_territory=row["commune_id"] in territory,
        )
        for row in rows
    ]


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone),
    )


def people_by_commune(platform: Platform, period: Period) -> dict[str | None, int]:
    """People supported (both relations) whose record was open at some point in the period, by
    commune (None: no commune known). One query."""
    rows = (
        Person.objects.filter(platform=platform, opened_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .order_by()
        .values("commune_id")
        .annotate(n=Count("pk"))
    )
    return {row["commune_id"]: row["n"] for row in rows}


def meetings_by_commune(platform: Platform, period: Period) -> dict[str | None, tuple[int, int]]:
    """The meetings of the period (planned or held) by the person's commune: (all, remote). One query."""
    start, end = _bounds(period)
    rows = (
        Meeting.objects.filter(platform=platform, starts_at__gte=start, starts_at__lt=end)
        .filter(status__in=COUNTED_MEETINGS)
        .order_by()
        .values("person__commune_id")
        .annotate(total=Count("pk"), remote=Count("pk", filter=Q(mode__in=REMOTE_MODES)))
    )
    return {row["person__commune_id"]: (row["total"], row["remote"]) for row in rows}


# ---- The results


@dataclass(frozen=True)
class Hypothesis:
    """The "what if": a pivot peer worker living in a commune and/or a meeting place opened in one."""

    peer_commune: CommuneRef | None = None
    place_commune: CommuneRef | None = None

    def __bool__(self) -> bool:
        return self.peer_commune is not None or self.place_commune is not None


@dataclass
class Area:
    """The figures of a commune or an EPCI. ``*_if`` are the figures with the hypothesis (or None)."""

    code: str
    name: str
    population: int
    people: int
    meetings: int
    remote_meetings: int
    km_peer: float | None
    km_place: float | None
    km: float | None  # to the nearest resource of either kind (an EPCI: the communes' mean, weighted)
    underserved: bool = False
    km_peer_if: float | None = None
    km_place_if: float | None = None
    km_if: float | None = None
    underserved_if: bool | None = None

    @property
    def per_10k(self) -> float | None:
        return per_10k(self.people, self.population)

    @property
    def remote_share(self) -> float | None:
        """The share of meetings held by phone or video, in %."""
        return 100 * self.remote_meetings / self.meetings if self.meetings else None

    @property
    def relieved(self) -> bool:
        """Under-served now, no longer with the hypothesis."""
        return self.underserved and self.underserved_if is False

    @property
    def comes_within_reach(self) -> bool:
        """Further than 15 km from any resource now, within 15 km with the hypothesis."""
        return self.underserved_if is not None and is_far(self.km) and not is_far(self.km_if)


@dataclass
class CommuneArea(Area):
    epci_code: str = ""
    epci_name: str = ""
    point: LatLon = (0.0, 0.0)


@dataclass
class EpciArea(Area):
    communes: int = 0


@dataclass
class Equity:
    period: Period
    communes: list[CommuneArea]
    epcis: list[EpciArea]
    peers: list[Resource]
    places: list[Resource]
    hypothetical_peers: list[Resource]
    hypothetical_places: list[Resource]
    median_reach: float | None
    epci_median_reach: float | None
    people_elsewhere: int  # people with no commune known, or living outside the territory
    hypothesis: Hypothesis = field(default_factory=Hypothesis)

    @property
    def population(self) -> int:
        return sum(area.population for area in self.communes)

    @property
    def people(self) -> int:
        return sum(area.people for area in self.communes)

    @property
    def per_10k(self) -> float | None:
        return per_10k(self.people, self.population)

    @property
    def threshold(self) -> float | None:
        return self.median_reach * LOW_REACH_SHARE if self.median_reach is not None else None

    @property
    def underserved(self) -> list[CommuneArea]:
        return [area for area in self.communes if area.underserved]

    @property
    def relieved(self) -> list[CommuneArea]:
        return [area for area in self.communes if area.relieved]

    @property
    def relieved_epcis(self) -> list[EpciArea]:
        return [area for area in self.epcis if area.relieved]

    @property
    def within_reach(self) -> list[CommuneArea]:
        return [area for area in self.communes if area.comes_within_reach]


def _weighted_km(parts: Iterable[tuple[int, float | None]]) -> float | None:
    """The mean distance weighted by population, over the communes with a known distance."""
    total = weight = 0.0
    for population, km in parts:
        if km is not None and population > 0:
            total += population * km
            weight += population
    return total / weight if weight else None


def _epcis(communes: Sequence[CommuneArea], *, with_hypothesis: bool) -> list[EpciArea]:
    groups: dict[str, list[CommuneArea]] = defaultdict(list)
    for area in communes:
        groups[area.epci_code].append(area)
    epcis = []
    for code, members in groups.items():
        epcis.append(
            EpciArea(
                code=code,
                name=members[0].epci_name or _("Sans intercommunalité"),
                population=sum(m.population for m in members),
                people=sum(m.people for m in members),
                meetings=sum(m.meetings for m in members),
                remote_meetings=sum(m.remote_meetings for m in members),
                km_peer=_weighted_km((m.population, m.km_peer) for m in members),
                km_place=_weighted_km((m.population, m.km_place) for m in members),
                km=_weighted_km((m.population, m.km) for m in members),
                km_peer_if=_weighted_km((m.population, m.km_peer_if) for m in members) if with_hypothesis else None,
                km_place_if=_weighted_km((m.population, m.km_place_if) for m in members) if with_hypothesis else None,
                km_if=_weighted_km((m.population, m.km_if) for m in members) if with_hypothesis else None,
                communes=len(members),
            )
        )
    epcis.sort(key=lambda e: (name_key(e.name), e.code))
    return epcis


def _flag(areas: Sequence[Area], median_reach: float | None, *, with_hypothesis: bool) -> None:
    for area in areas:
        area.underserved = is_underserved(
            population=area.population, per_10k=area.per_10k, km=area.km, median_reach=median_reach
        )
        if with_hypothesis:
            area.underserved_if = is_underserved(
                population=area.population, per_10k=area.per_10k, km=area.km_if, median_reach=median_reach
            )


def _median_reach(areas: Sequence[Area]) -> float | None:
    return median([area.per_10k or 0.0 for area in areas if area.population >= MIN_POPULATION])


def territory_equity(
    platform: Platform,
    *,
    period: Period,
    today: date,
    communes: Sequence[CommuneRef] | None = None,
    hypothesis: Hypothesis | None = None,
) -> Equity:
    """Every figure of the equity page (five queries, or four when ``communes`` is given)."""
    if communes is None:
        communes = territory_communes(platform)
    hypothesis = hypothesis or Hypothesis()
    codes = {commune.insee for commune in communes}
    people = people_by_commune(platform, period)
    meetings = meetings_by_commune(platform, period)
    peers = peer_home_communes(platform, day=min(period.end, today), territory=codes)
    places = place_communes(platform, territory=codes)
    peer_points = [resource.point for resource in peers]
    place_points = [resource.point for resource in places]
    hypothetical_peers = [_hypothetical(hypothesis.peer_commune)] if hypothesis.peer_commune else []
    hypothetical_places = [_hypothetical(hypothesis.place_commune)] if hypothesis.place_commune else []
    with_hypothesis = bool(hypothesis)
    peer_points_if = [*peer_points, *(resource.point for resource in hypothetical_peers)]
    place_points_if = [*place_points, *(resource.point for resource in hypothetical_places)]

    areas = []
    for commune in communes:
        total, remote = meetings.get(commune.insee, (0, 0))
        km_peer = nearest_km(commune.point, peer_points)
        km_place = nearest_km(commune.point, place_points)
        km_peer_if = nearest_km(commune.point, peer_points_if) if with_hypothesis else None
        km_place_if = nearest_km(commune.point, place_points_if) if with_hypothesis else None
        areas.append(
            CommuneArea(
                code=commune.insee,
                name=commune.name,
                population=commune.population,
                people=people.get(commune.insee, 0),
                meetings=total,
                remote_meetings=remote,
                km_peer=km_peer,
                km_place=km_place,
                km=_closest(km_peer, km_place),
                km_peer_if=km_peer_if,
                km_place_if=km_place_if,
                km_if=_closest(km_peer_if, km_place_if),
                epci_code=commune.epci_code,
                epci_name=commune.epci_name,
                point=commune.point,
            )
        )
    median_reach = _median_reach(areas)
    _flag(areas, median_reach, with_hypothesis=with_hypothesis)
    epcis = _epcis(areas, with_hypothesis=with_hypothesis)
    epci_median = _median_reach(epcis)
    _flag(epcis, epci_median, with_hypothesis=with_hypothesis)
    return Equity(
        period=period,
        communes=areas,
        epcis=epcis,
        peers=peers,
        places=places,
        hypothetical_peers=hypothetical_peers,
        hypothetical_places=hypothetical_places,
        median_reach=median_reach,
        epci_median_reach=epci_median,
        people_elsewhere=sum(n for code, n in people.items() if code not in codes),
        hypothesis=hypothesis,
    )


def _hypothetical(commune: CommuneRef) -> Resource:
    return Resource(
        insee=commune.insee, name=commune.name, point=commune.point, count=1, in_territory=True, hypothetical=True
    )


# ---- Sorting (links in the column headers, no JavaScript)

SortKey = Callable[[Any], Any]


def _people_key(suppress: bool) -> SortKey:
    # For a funder a small count sorts like any other small count: the order reveals nothing more.
    return lambda a: 1 if suppress and is_small(a.people) else a.people


def _rate_key(attribute: str, suppress: bool) -> SortKey:
    return lambda a: None if suppress and is_small(a.people) else getattr(a, attribute)


def sort_keys(suppress: bool) -> dict[str, SortKey]:
    """The ``?tri=`` values and how they sort."""
    return {
        "nom": lambda a: name_key(a.name),
        "epci": lambda a: name_key(a.epci_name if isinstance(a, CommuneArea) else a.name),
        "population": lambda a: a.population,
        "personnes": _people_key(suppress),
        "portee": _rate_key("per_10k", suppress),
        "km_pair": lambda a: a.km_peer,
        "km_lieu": lambda a: a.km_place,
        "distanciel": _rate_key("remote_share", suppress),
        "statut": lambda a: (not a.underserved, not a.relieved),
    }


def sorted_areas(areas: Sequence[Area], *, key: str, descending: bool, suppress: bool) -> list[Area]:
    """The areas sorted by a column; ties by name; unknown values (—) always last."""
    get = sort_keys(suppress).get(key) or sort_keys(suppress)["nom"]
    by_name = sorted(areas, key=lambda a: (name_key(a.name), a.code))
    known = [area for area in by_name if get(area) is not None]
    unknown = [area for area in by_name if get(area) is None]
    return sorted(known, key=get, reverse=descending) + unknown


# ---- The map


# A sequential, colour-blind-safe palette in the accent's hue (light to dark): class 0 is "nobody
# supported", classes 1 to 4 the quartiles of the non-zero reaches.
REACH_COLOURS = ("#ffffff", "#cfe8e3", "#86c3b9", "#3a9187", "#0a625e")
SUPPRESSED_FILL = "url(#territory-few)"
OUTLINE = "#4a5659"
UNDERSERVED = "#a4262c"
RELIEVED = "#1e6b34"
MAP_WIDTH = 640
MAP_MAX_HEIGHT = 720
SMALLEST_RADIUS = 2.5
LARGEST_RADIUS = 16.0


@dataclass(frozen=True)
class LegendItem:
    fill: str
    label: str


@dataclass(frozen=True)
class Circle:
    code: str
    x: float
    y: float
    r: float
    fill: str
    underserved: bool
    relieved: bool
    label: str

    @property
    def ring(self) -> float:
        """The radius of the ring drawn around a commune that would no longer be under-served."""
        return round(self.r + 3, 1)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    kind: str  # "peer" or "place"
    hypothetical: bool
    label: str
    path: str  # the SVG path of the triangle or the square


@dataclass(frozen=True)
class TerritoryMap:
    width: float
    height: float
    circles: list[Circle]
    markers: list[Marker]
    legend: list[LegendItem]
    suppressed: bool  # a "fewer than 5" fill is in use


def reach_cuts(areas: Sequence[Area]) -> list[float]:
    """The three cut points of the non-zero reaches' quartiles."""
    return quantiles([a.per_10k for a in areas if a.per_10k], 4)


def reach_class(area: Area, cuts: Sequence[float]) -> int:
    """0 for nobody supported; 1 to 4 for the quartile of the reach."""
    if not area.per_10k:
        return 0
    return 1 + min(3, bisect.bisect_left(list(cuts), area.per_10k)) if cuts else 1


def _number(value: float) -> str:
    return shown(round(value, 1), suppress=False)


def reach_legend(cuts: Sequence[float]) -> list[LegendItem]:
    items = [LegendItem(REACH_COLOURS[0], _("aucune personne accompagnée"))]
    if not cuts:
        items.append(LegendItem(REACH_COLOURS[1], _("au moins une personne accompagnée")))
        return items
    c1, c2, c3 = (_number(cut) for cut in cuts)
    items += [
        LegendItem(REACH_COLOURS[1], _("jusqu'à %(high)s pour 10 000 habitants") % {"high": c1}),
        LegendItem(REACH_COLOURS[2], _("de %(low)s à %(high)s pour 10 000 habitants") % {"low": c1, "high": c2}),
        LegendItem(REACH_COLOURS[3], _("de %(low)s à %(high)s pour 10 000 habitants") % {"low": c2, "high": c3}),
        LegendItem(REACH_COLOURS[4], _("plus de %(low)s pour 10 000 habitants") % {"low": c3}),
    ]
    return items


def people_text(people: int, *, suppress: bool) -> str:
    """« 12 personnes accompagnées », « < 5 personnes accompagnées » for a funder."""
    count = SMALL_NUMBER if suppress and is_small(people) else people
    return ngettext("%(n)s personne accompagnée", "%(n)s personnes accompagnées", count) % {
        "n": shown(people, suppress=suppress)
    }


def area_summary(area: Area, *, suppress: bool) -> str:
    """One sentence with the figures of a commune or an EPCI (the map's titles and labels)."""
    parts = [
        area.name,
        ngettext("%(n)s habitant", "%(n)s habitants", area.population) % {"n": shown(area.population, suppress=False)},
        people_text(area.people, suppress=suppress),
    ]
    if not (suppress and is_small(area.people)) and area.per_10k is not None:
        parts.append(_("%(rate)s pour 10 000 habitants") % {"rate": shown(area.per_10k)})
    parts.append(_("pair aidant·e le plus proche : %(km)s") % {"km": shown(area.km_peer, unit="km")})
    parts.append(_("lieu le plus proche : %(km)s") % {"km": shown(area.km_place, unit="km")})
    if area.underserved:
        parts.append(_("sous-desservie"))
    if area.relieved:
        parts.append(_("ne serait plus sous-desservie"))
    return ", ".join(parts)


def _triangle(x: float, y: float) -> str:
    return f"M{x:.1f} {y - 7:.1f}L{x + 6.5:.1f} {y + 4.5:.1f}L{x - 6.5:.1f} {y + 4.5:.1f}Z"


def _square(x: float, y: float) -> str:
    return f"M{x - 5:.1f} {y - 5:.1f}h10v10h-10Z"


def territory_map(equity: Equity, *, suppress: bool) -> TerritoryMap:
    """The SVG map: one circle per commune (area by population, fill by reach class, hatched when
    under-served), a triangle per peer worker's home commune and a square per meeting place commune."""
    projection = Projection.fit([area.point for area in equity.communes], width=MAP_WIDTH, max_height=MAP_MAX_HEIGHT)
    largest = max((area.population for area in equity.communes), default=0)
    cuts = reach_cuts(equity.communes)
    circles = []
    any_suppressed = False
    for area in sorted(equity.communes, key=lambda a: -a.population):  # the small ones on top
        x, y = projection.project(area.point)
        if suppress and is_small(area.people):
            fill, any_suppressed = SUPPRESSED_FILL, True
        else:
            fill = REACH_COLOURS[reach_class(area, cuts)]
        circles.append(
            Circle(
                code=area.code,
                x=x,
                y=y,
                r=round(
                    sqrt_radius(
                        area.population, largest, smallest_radius=SMALLEST_RADIUS, largest_radius=LARGEST_RADIUS
                    ),
                    1,
                ),
                fill=fill,
                underserved=area.underserved,
                relieved=area.relieved,
                label=area_summary(area, suppress=suppress),
            )
        )
    markers = []
    peers = [*equity.peers, *equity.hypothetical_peers]
    places = [*equity.places, *equity.hypothetical_places]
    for kind, resources in (("peer", peers), ("place", places)):
        for resource in resources:
            xy = projection.project(resource.point)
            if not projection.contains(xy):
                continue  # a resource beyond the map's edge still counts in the distances
            markers.append(
                Marker(
                    x=xy[0],
                    y=xy[1],
                    kind=kind,
                    hypothetical=resource.hypothetical,
                    label=_marker_label(resource, peer=kind == "peer"),
                    path=_triangle(*xy) if kind == "peer" else _square(*xy),
                )
            )
    legend = reach_legend(cuts)
    return TerritoryMap(
        width=projection.width,
        height=projection.height,
        circles=circles,
        markers=markers,
        legend=legend,
        suppressed=any_suppressed,
    )


def _marker_label(resource: Resource, *, peer: bool) -> str:
    if resource.hypothetical:
        if peer:
            return _("%(commune)s : pair aidant·e pivot (simulation)") % {"commune": resource.name}
        return _("%(commune)s : lieu de rencontre (simulation)") % {"commune": resource.name}
    if peer:
        return _("%(commune)s : commune de résidence de pair aidant·es") % {"commune": resource.name}
    return ngettext(
        "%(commune)s : %(n)d lieu de rencontre", "%(commune)s : %(n)d lieux de rencontre", resource.count
    ) % {"commune": resource.name, "n": resource.count}
