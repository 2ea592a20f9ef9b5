"""Geography for the territorial equity page, in pure Python (no database, no internet): great-circle
distances between commune centres, the nearest of a set of places, and the flat projection of the
communes' centres into an SVG viewBox.

Distances are "as the crow flies" (haversine on a sphere of the Earth's mean radius): they understate
road distances by about a quarter in the countryside, which is fine to compare communes with each other."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)

LatLon = tuple[float, float]  # (latitude, longitude) in degrees


def haversine_km(a: LatLon, b: LatLon) -> float:
    """The great-circle distance in km between two points given in degrees."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_km(origin: LatLon, targets: Iterable[LatLon]) -> float | None:
    """The distance in km to the nearest target; None when there is none. O(len(targets))."""
    best: float | None = None
    for target in targets:
        distance = haversine_km(origin, target)
        if best is None or distance < best:
            best = distance
    return best


def median(values: Sequence[float]) -> float | None:
    """The median of the values; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def quantiles(values: Sequence[float], parts: int) -> list[float]:
    """The ``parts - 1`` cut points splitting the values into ``parts`` groups of equal size (linear
    interpolation between closest ranks, like ``statistics.quantiles(method="inclusive")``); [] for none."""
    if not values or parts < 2:
        return []
    ordered = sorted(values)
    last = len(ordered) - 1
    cuts = []
    for index in range(1, parts):
        position = last * index / parts
        low = math.floor(position)
        high = min(low + 1, last)
        cuts.append(ordered[low] + (ordered[high] - ordered[low]) * (position - low))
    return cuts


def sqrt_radius(value: float, largest: float, *, smallest_radius: float, largest_radius: float) -> float:
    """A circle's radius whose area grows with ``value`` (square root scale), between the two radii."""
    if largest <= 0 or value <= 0:
        return smallest_radius
    share = math.sqrt(min(value, largest) / largest)
    return smallest_radius + (largest_radius - smallest_radius) * share


@dataclass(frozen=True)
class Projection:
    """An equirectangular projection fitted to a set of points: longitudes are scaled by the cosine of
    the mean latitude (so that a km is about as long east-west as north-south), then everything is
    scaled to fit a viewBox ``width`` wide with ``margin`` around; north is up."""

    min_x: float
    max_y: float
    scale: float
    cos_lat: float
    margin: float
    width: float
    height: float

    @classmethod
    def fit(
        cls, points: Sequence[LatLon], *, width: float = 600, max_height: float = 700, margin: float = 16
    ) -> Projection:
        """The projection showing every point, as large as fits in ``width`` × ``max_height``; the viewBox
        keeps the territory's proportions (its width or its height is then smaller)."""
        if not points:
            return cls(min_x=0, max_y=0, scale=1, cos_lat=1, margin=margin, width=width, height=width / 2)
        mean_lat = sum(lat for lat, _lon in points) / len(points)
        cos_lat = math.cos(math.radians(mean_lat))
        xs = [lon * cos_lat for _lat, lon in points]
        ys = [lat for lat, _lon in points]
        span_x = max(max(xs) - min(xs), 1e-6)
        span_y = max(max(ys) - min(ys), 1e-6)
        scale = min((width - 2 * margin) / span_x, (max_height - 2 * margin) / span_y)
        return cls(
            min_x=min(xs),
            max_y=max(ys),
            scale=scale,
            cos_lat=cos_lat,
            margin=margin,
            width=round(2 * margin + span_x * scale, 1),
            height=round(2 * margin + span_y * scale, 1),
        )

    def project(self, point: LatLon) -> tuple[float, float]:
        """The (x, y) of a point in the viewBox, y growing southwards."""
        lat, lon = point
        x = self.margin + (lon * self.cos_lat - self.min_x) * self.scale
        y = self.margin + (self.max_y - lat) * self.scale
        return round(x, 1), round(y, 1)

    def contains(self, xy: tuple[float, float]) -> bool:
        x, y = xy
        return 0 <= x <= self.width and 0 <= y <= self.height
