"""Reads of the pool's profiles and availability: the pool list, a profile's weekly pattern
and absences, the "who is available?" search (distance computed in SQL), the catalogues.
Every read is scoped to the platform, or to a profile already loaded through ``objects``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import (
    AvailabilityException,
    AvailabilitySlot,
    DayPart,
    PeerProfile,
    PoolSettings,
    Skill,
    Weekday,
)
from .objects import profiles_of
from .workload import WeekIndicators, hours_display, settings_for, weekly_indicators

EARTH_RADIUS_KM = 6371.0

# ---- Catalogues and choices


def communes_of(platform: Platform) -> QuerySet[Commune]:
    """The communes of the platform's departments, by name."""
    return Commune.objects.filter(department_code__in=platform.department_codes).order_by("name", "insee_code")


def skills_of(platform: Platform) -> QuerySet[Skill]:
    return Skill.objects.filter(platform=platform).order_by("name")


def skills_with_counts(platform: Platform) -> QuerySet[Skill]:
    """The skill catalogue with the number of workers who hold each skill."""
    return skills_of(platform).annotate(peer_count=Count("peers"))


def tutor_candidates(platform: Platform, today: date) -> QuerySet[PeerProfile]:
    """Peer workers who may tutor a newcomer: active today, with an active account."""
    return (
        profiles_of(platform)
        .filter(Q(status_end__isnull=True) | Q(status_end__gte=today), status_start__lte=today)
        .filter(membership__is_active=True, membership__user__is_active=True)
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )


def languages_in_use(platform: Platform) -> list[str]:
    """The languages the platform's workers speak, for the search form (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT lang FROM peers_peerprofile p, unnest(p.languages) AS lang "
            "WHERE p.platform_id = %s ORDER BY lang",
            [platform.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def pool_settings_of(platform: Platform) -> PoolSettings:
    """The platform's thresholds, or an unsaved row with the defaults."""
    return settings_for(platform)


# ---- The pool list

STATE_ACTIVE = "active"
STATE_LEFT = "left"


def pool_list(
    platform: Platform,
    *,
    today: date,
    status: str = "",
    skill: Skill | None = None,
    commune_query: str = "",
    state: str = "",
) -> QuerySet[PeerProfile]:
    """The platform's peer workers, filtered, with what the list shows loaded in advance."""
    qs = profiles_of(platform).prefetch_related("skills")
    if status:
        qs = qs.filter(status=status)
    if skill is not None:
        qs = qs.filter(Exists(Skill.peers.through.objects.filter(peerprofile_id=OuterRef("pk"), skill_id=skill.pk)))
    if commune_query:
        qs = qs.filter(home_commune__name__icontains=commune_query)
    if state == STATE_ACTIVE:
        qs = qs.filter(Q(status_end__isnull=True) | Q(status_end__gte=today))
    elif state == STATE_LEFT:
        qs = qs.filter(status_end__lt=today)
    return qs.order_by("membership__user__first_name", "membership__user__last_name", "pk")


@dataclass
class PoolRow:
    profile: PeerProfile
    week: WeekIndicators | None
    today: date

    @property
    def has_left(self) -> bool:
        return self.profile.status_end is not None and self.profile.status_end < self.today

    @property
    def contract(self) -> str:
        return hours_display(self.profile.contract_hours)

    @property
    def hours(self) -> str:
        return hours_display(self.week.hours) if self.week is not None else ""

    @property
    def alert_count(self) -> int:
        return len(self.week.alerts) if self.week is not None else 0


def pool_rows(platform: Platform, profiles: list[PeerProfile], today: date) -> list[PoolRow]:
    """The page's profiles with this week's hours and alerts: one SQL query for the whole page."""
    indicators = weekly_indicators(platform, today, profile_ids=[p.pk for p in profiles]) if profiles else {}
    return [PoolRow(profile, indicators.get(profile.pk), today) for profile in profiles]


# ---- A profile's availability


@dataclass
class PatternDay:
    weekday: int
    label: str
    parts: list[tuple[str, bool]]  # (part label, available)


def availability_pattern(profile: PeerProfile) -> list[PatternDay]:
    """Seven days × three parts of the day, for the weekly pattern table."""
    slots = set(AvailabilitySlot.objects.filter(profile=profile).values_list("weekday", "part"))
    return [
        PatternDay(day.value, str(day.label), [(str(part.label), (day.value, part.value) in slots) for part in DayPart])
        for day in Weekday
    ]


def slot_values(profile: PeerProfile) -> list[tuple[int, str]]:
    return list(AvailabilitySlot.objects.filter(profile=profile).values_list("weekday", "part"))


@dataclass
class Absence:
    absence: AvailabilityException
    first_day: date
    last_day: date

    @property
    def pk(self) -> int:
        return self.absence.pk

    @property
    def kind_label(self) -> str:
        return str(self.absence.get_kind_display())


def _inclusive(absence: AvailabilityException) -> Absence:
    period = absence.period
    first = period.lower if period.lower_inc else period.lower + timedelta(days=1)
    last = period.upper if period.upper_inc else period.upper - timedelta(days=1)
    return Absence(absence, first, last)


def upcoming_absences(profile: PeerProfile, today: date, *, limit: int = 50) -> list[Absence]:
    """Absences that end today or later (the current one included), the nearest first."""
    rows = AvailabilityException.objects.filter(profile=profile, period__endswith__gt=today).order_by("period")
    return [_inclusive(absence) for absence in rows[:limit]]


# ---- Who is available?


def next_weekday(today: date, weekday: int) -> date:
    """The next date falling on ``weekday`` (0 = Monday), today included."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _distance_km(near: Commune) -> CombinedExpression:
    """Great-circle (haversine) distance in km from the home commune to ``near``, in SQL."""
    lat = Radians(F("home_commune__latitude"))
    lon = Radians(F("home_commune__longitude"))
    near_lat = Value(math.radians(near.latitude), output_field=FloatField())
    near_lon = Value(math.radians(near.longitude), output_field=FloatField())
    half = Value(2.0, output_field=FloatField())
    haversine = Power(Sin((lat - near_lat) / half), 2) + Cos(lat) * Value(
        math.cos(math.radians(near.latitude)), output_field=FloatField()
    ) * Power(Sin((lon - near_lon) / half), 2)
    return Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * ASin(
        Sqrt(Least(haversine, Value(1.0, output_field=FloatField())))
    )


@dataclass
class FreeSearch:
    day: date
    results: QuerySet[PeerProfile]


def free_search(
    platform: Platform,
    *,
    today: date,
    weekday: int,
    part: str,
    near: Commune,
    skill: Skill | None = None,
    language: str = "",
) -> FreeSearch:
    """Active workers usually available on that weekday and part of the day, not absent on
    the next such date, nearest first (distance between home communes, in SQL)."""
    day = next_weekday(today, weekday)
    slot = AvailabilitySlot.objects.filter(profile_id=OuterRef("pk"), weekday=weekday, part=part)
    absent = AvailabilityException.objects.filter(profile_id=OuterRef("pk"), period__contains=day)
    in_zone = PeerProfile.zones.through.objects.filter(peerprofile_id=OuterRef("pk"), commune_id=near.pk)
    qs = (
        profiles_of(platform)
        .filter(Q(status_end__isnull=True) | Q(status_end__gte=day), status_start__lte=day)
        .filter(membership__is_active=True, membership__user__is_active=True)
        .filter(Exists(slot))
        .exclude(Exists(absent))
    )
    if skill is not None:
        qs = qs.filter(Exists(Skill.peers.through.objects.filter(peerprofile_id=OuterRef("pk"), skill_id=skill.pk)))
    if language:
        qs = qs.filter(languages__contains=[language])
    qs = (
        qs.annotate(distance_km=_distance_km(near), in_zone=Exists(in_zone))
        .prefetch_related("skills")
        .order_by(F("distance_km").asc(nulls_last=True), "membership__user__first_name", "pk")
    )
    return FreeSearch(day, qs)
