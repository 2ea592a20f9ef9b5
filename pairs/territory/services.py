"""Load the shipped commune open data (idempotent)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Commune

DATA_FILE = Path(__file__).resolve().parent / "data" / "communes.csv"


def read_communes(path: Path = DATA_FILE) -> list[Commune]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Commune(
                insee_code=row["insee_code"],
                name=row["name"],
                department_code=row["department_code"],
                population=int(row["population"] or 0),
                epci_code=row["epci_code"],
                epci_name=row["epci_name"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        ]


@transaction.atomic
def communes_load(*, path: Path = DATA_FILE) -> int:
    rows = read_communes(path)
    Commune.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["insee_code"],
        update_fields=["name", "department_code", "population", "epci_code", "epci_name", "latitude", "longitude"],
        batch_size=1000,
    )
    return len(rows)
