"""Helpers of the profile and availability tests. Fake data only."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.db.backends.postgresql.psycopg_any import DateRange
from factory.django import DjangoModelFactory

from pairs.peers.models import AbsenceKind, AvailabilityException, AvailabilitySlot, PeerProfile, Skill
from pairs.platforms.models import Platform
from pairs.territory.models import Commune
from tests.peers.factories import PeerProfileFactory, commune

# Real coordinates, rounded: enough to order by distance.
VILLEFRANCHE = ("69264", "Villefranche-sur-Saône", 45.989, 4.718)
LYON = ("69123", "Lyon", 45.758, 4.835)
TARARE = ("69243", "Tarare", 45.896, 4.433)
GIVORS = ("69091", "Givors", 45.590, 4.769)
ANSE = ("69009", "Anse", 45.935, 4.720)
GRENOBLE = ("38185", "Grenoble", 45.188, 5.724)


def place(values: tuple[str, str, float, float]) -> Commune:
    insee, name, lat, lon = values
    return commune(insee, name, lat, lon)


class SkillFactory(DjangoModelFactory[Skill]):
    class Meta:
        model = Skill
        django_get_or_create = ("platform", "name")

    platform = factory.SubFactory("tests.factories.PlatformFactory")
    name = factory.Sequence(lambda n: f"Compétence {n}")


def peer(platform: Platform, **kwargs: Any) -> PeerProfile:
    """A peer worker of ``platform`` (membership, account and profile)."""
    return PeerProfileFactory(membership__platform=platform, **kwargs)


def slot(profile: PeerProfile, weekday: int, part: str) -> AvailabilitySlot:
    return AvailabilitySlot.objects.create(profile=profile, weekday=weekday, part=part)


def absence(profile: PeerProfile, first: date, last: date, kind: str = AbsenceKind.LEAVE) -> AvailabilityException:
    """An absence, both days included."""
    return AvailabilityException.objects.create(profile=profile, period=DateRange(first, last, "[]"), kind=kind)
