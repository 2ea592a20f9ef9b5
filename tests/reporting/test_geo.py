"""The geography of the equity page (pure maths, no database): great-circle distances, the nearest
resource, medians and quartiles, the flat projection of the map and the size of its circles."""

from __future__ import annotations

import math

import pytest

from pairs.reporting.geo import (
    EARTH_RADIUS_KM,
    Projection,
    haversine_km,
    median,
    nearest_km,
    quantiles,
    sqrt_radius,
)

# Commune centres as shipped in pairs/territory/data/communes.csv.
LYON = (45.76769, 4.83537)
VILLEFRANCHE = (45.98756, 4.71562)
GRENOBLE = (45.18663, 5.73631)


def test_lyon_villefranche_is_about_26_km_as_the_crow_flies() -> None:
    # About 30 km by road; 26.1 km on the great circle between the two commune centres.
    assert haversine_km(LYON, VILLEFRANCHE) == pytest.approx(26.1, abs=0.1)


def test_lyon_grenoble_is_about_95_km_as_the_crow_flies() -> None:
    # 95.4 km on the great circle between the two commune centres (about 105 km by road).
    assert haversine_km(LYON, GRENOBLE) == pytest.approx(95.4, abs=0.1)


def test_distance_is_symmetric_and_zero_on_the_spot() -> None:
    assert haversine_km(LYON, GRENOBLE) == pytest.approx(haversine_km(GRENOBLE, LYON))
    assert haversine_km(LYON, LYON) == 0


def test_along_a_meridian_the_distance_is_the_radius_times_the_angle() -> None:
    # 0.1° of latitude = 6371.0088 × 0.1 × π / 180 = 11.1195 km, whatever the longitude.
    assert haversine_km((45.0, 4.5), (45.1, 4.5)) == pytest.approx(EARTH_RADIUS_KM * math.radians(0.1))
    assert haversine_km((45.0, 4.5), (45.1, 4.5)) == pytest.approx(11.1195, abs=1e-4)


def test_antipodes_are_half_the_earth_round() -> None:
    assert haversine_km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_nearest_picks_the_closest_target_and_none_without_target() -> None:
    assert nearest_km(LYON, [GRENOBLE, VILLEFRANCHE]) == pytest.approx(haversine_km(LYON, VILLEFRANCHE))
    assert nearest_km(LYON, [LYON, GRENOBLE]) == 0
    assert nearest_km(LYON, []) is None


def test_median_of_odd_even_and_empty_lists() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 0.0, 6.0, 0.5]) == 2.25
    assert median([]) is None


def test_quartiles_cut_points() -> None:
    assert quantiles([1.0, 2.0, 3.0, 4.0, 5.0], 4) == [2.0, 3.0, 4.0]
    assert quantiles([10.0], 4) == [10.0, 10.0, 10.0]
    assert quantiles([], 4) == []


def test_circle_area_grows_with_the_population() -> None:
    assert sqrt_radius(0, 100, smallest_radius=2, largest_radius=12) == 2
    assert sqrt_radius(100, 100, smallest_radius=2, largest_radius=12) == 12
    # A quarter of the largest population: half-way between the radii (square root scale).
    assert sqrt_radius(25, 100, smallest_radius=2, largest_radius=12) == pytest.approx(7)


def test_projection_puts_north_up_east_right_and_keeps_proportions() -> None:
    points = [(45.0, 4.0), (46.0, 4.0), (45.0, 5.0)]
    projection = Projection.fit(points, width=600, max_height=700, margin=10)
    south_west = projection.project((45.0, 4.0))
    north_west = projection.project((46.0, 4.0))
    south_east = projection.project((45.0, 5.0))
    assert north_west[1] < south_west[1]  # north is up
    assert south_east[0] > south_west[0]  # east is right
    # A degree of longitude is cos(mean latitude) as long as a degree of latitude.
    ratio = (south_east[0] - south_west[0]) / (south_west[1] - north_west[1])
    assert ratio == pytest.approx(math.cos(math.radians(45 + 1 / 3)), abs=0.01)
    # The territory is taller than wide: it fills the height, and the viewBox keeps its shape.
    assert projection.height == pytest.approx(700, abs=0.1)
    assert projection.width < 600
    assert all(projection.contains(projection.project(point)) for point in points)
    assert not projection.contains(projection.project((47.0, 4.0)))
