"""Workload and sustainability indicators, per worker and per week, computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.platforms.models import Platform

from ..models import PoolSettings

INDICATORS_SQL = """
WITH week AS (
    SELECT a.profile_id,
           SUM(a.duration_minutes) AS minutes,
           COUNT(DISTINCT CASE WHEN NOT a.remote
                 THEN coalesce(nullif(lower(btrim(a.workplace)), ''), 'commune:' || a.commune_id) END) AS workplaces,
           SUM(a.travel_minutes) AS travel_minutes,
           SUM(CASE WHEN t.crisis_related THEN a.duration_minutes ELSE 0 END) AS crisis_minutes
      FROM peers_activityentry a
      JOIN peers_activitytype t ON t.id = a.activity_type_id
     WHERE a.platform_id = %(platform)s AND a.day >= %(start)s AND a.day <= %(end)s
     GROUP BY a.profile_id
), supervision AS (
    SELECT att.peerprofile_id AS profile_id, MAX(s.held_on) AS last_on
      FROM peers_supervisionsession_attendees att
      JOIN peers_supervisionsession s ON s.id = att.supervisionsession_id
     WHERE s.platform_id = %(platform)s AND s.held_on <= %(as_of)s
     GROUP BY att.peerprofile_id
)
SELECT p.id, p.contract_hours,
       coalesce(w.minutes, 0), coalesce(w.workplaces, 0), coalesce(w.travel_minutes, 0),
       coalesce(w.crisis_minutes, 0), sv.last_on
  FROM peers_peerprofile p
  LEFT JOIN week w ON w.profile_id = p.id
  LEFT JOIN supervision sv ON sv.profile_id = p.id
 WHERE p.platform_id = %(platform)s
   AND p.status_start <= %(end)s AND (p.status_end IS NULL OR p.status_end >= %(start)s)
   {profile_filter}
 ORDER BY p.id
"""


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Alert:
    code: str
    message: str


@dataclass
class WeekIndicators:
    profile_id: int
    week_start: date
    contract_hours: Decimal
    minutes: int
    workplaces: int
    travel_minutes: int
    crisis_minutes: int
    last_supervision: date | None
    alerts: list[Alert] = field(default_factory=list)
    # The day "days since supervision" is counted to: the week's Sunday, or today for the current week.
    as_of: date | None = None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def travel_hours(self) -> Decimal:
        return (Decimal(self.travel_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def contract_percent(self) -> int | None:
        if not self.contract_hours:
            return None
        return round(Decimal(self.minutes) / (self.contract_hours * 60) * 100)

    @property
    def crisis_percent(self) -> int:
        return round(self.crisis_minutes * 100 / self.minutes) if self.minutes else 0

    @property
    def days_since_supervision(self) -> int | None:
        if self.last_supervision is None:
            return None
        return (self.reference_day - self.last_supervision).days

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def reference_day(self) -> date:
        return self.as_of or self.week_end


def hours_display(value: Decimal) -> str:
    """Hours the French way: "4,5", "24" (no trailing ",0")."""
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def reference_day(start: date) -> date:
    """The day indicators of the week starting ``start`` are counted to: never after today."""
    return min(start + timedelta(days=6), timezone.localdate())


def settings_for(platform: Platform) -> PoolSettings:
    """The platform's thresholds, or the defaults when it never changed them."""
    return PoolSettings.objects.filter(platform=platform).first() or PoolSettings(platform=platform)


def _alerts(row: WeekIndicators, limits: PoolSettings) -> list[Alert]:
    alerts = []
    percent = row.contract_percent
    if percent is not None and percent > limits.max_hours_ratio_percent:
        alerts.append(
            Alert(
                "hours",
                _("%(hours)s h déclarées pour un contrat de %(contract)s h, soit %(percent)s %% du contrat.")
                % {
                    "hours": hours_display(row.hours),
                    "contract": hours_display(row.contract_hours),
                    "percent": percent,
                },
            )
        )
    if row.workplaces > limits.max_workplaces_per_week:
        alerts.append(
            Alert(
                "workplaces",
                _("%(count)s lieux de travail différents dans la semaine (repère : %(limit)s au plus).")
                % {"count": row.workplaces, "limit": limits.max_workplaces_per_week},
            )
        )
    days = row.days_since_supervision
    limit_days = limits.max_weeks_without_supervision * 7
    if days is None:
        alerts.append(Alert("supervision", _("Aucune supervision ni intervision enregistrée.")))
    elif days > limit_days:
        weeks = days // 7
        alerts.append(
            Alert(
                "supervision",
                ngettext(
                    "Pas de supervision ni d'intervision depuis %(weeks)s semaine.",
                    "Pas de supervision ni d'intervision depuis %(weeks)s semaines.",
                    weeks,
                )
                % {"weeks": weeks},
            )
        )
    return alerts


def weekly_indicators(
    platform: Platform, day: date, *, profile_ids: list[int] | None = None
) -> dict[int, WeekIndicators]:
    """Indicators of the week containing ``day`` for the platform's workers active that week."""
    start = week_start(day)
    end = start + timedelta(days=6)
    as_of = reference_day(start)
    params: dict[str, Any] = {"platform": platform.pk, "start": start, "end": end, "as_of": as_of}
    profile_filter = ""
    if profile_ids is not None:
        if not profile_ids:
            return {}
        profile_filter = "AND p.id = ANY(%(ids)s)"
        params["ids"] = list(profile_ids)
    with connection.cursor() as cursor:
        cursor.execute(INDICATORS_SQL.format(profile_filter=profile_filter), params)
        rows = cursor.fetchall()
    limits = settings_for(platform)
    result = {}
    for pid, contract, minutes, workplaces, travel, crisis, last_on in rows:
        item = WeekIndicators(pid, start, contract, minutes, workplaces, travel, crisis, last_on, as_of=as_of)
        item.alerts = _alerts(item, limits)
        result[pid] = item
    return result


RANGE_SQL = """
WITH weeks AS (
    SELECT (%(first)s::date + 7 * n) AS week_start, (%(first)s::date + 7 * n + 6) AS week_end,
           LEAST(%(first)s::date + 7 * n + 6, %(today)s::date) AS as_of
      FROM generate_series(0, %(weeks)s - 1) AS n
), profile AS (
    SELECT p.id, p.contract_hours, p.status_start, p.status_end
      FROM peers_peerprofile p
     WHERE p.platform_id = %(platform)s AND p.id = %(profile)s
), week AS (
    SELECT w.week_start,
           SUM(a.duration_minutes) AS minutes,
           COUNT(DISTINCT CASE WHEN NOT a.remote
                 THEN coalesce(nullif(lower(btrim(a.workplace)), ''), 'commune:' || a.commune_id) END) AS workplaces,
           SUM(a.travel_minutes) AS travel_minutes,
           SUM(CASE WHEN t.crisis_related THEN a.duration_minutes ELSE 0 END) AS crisis_minutes
      FROM weeks w
      JOIN peers_activityentry a ON a.day >= w.week_start AND a.day <= w.week_end
      JOIN peers_activitytype t ON t.id = a.activity_type_id
     WHERE a.platform_id = %(platform)s AND a.profile_id = %(profile)s
     GROUP BY w.week_start
)
SELECT w.week_start, p.contract_hours,
       coalesce(wk.minutes, 0), coalesce(wk.workplaces, 0), coalesce(wk.travel_minutes, 0),
       coalesce(wk.crisis_minutes, 0),
       (SELECT MAX(s.held_on)
          FROM peers_supervisionsession_attendees att
          JOIN peers_supervisionsession s ON s.id = att.supervisionsession_id
         WHERE att.peerprofile_id = p.id AND s.platform_id = %(platform)s AND s.held_on <= w.as_of),
       w.as_of
  FROM weeks w
  CROSS JOIN profile p
  LEFT JOIN week wk ON wk.week_start = w.week_start
 WHERE p.status_start <= w.week_end AND (p.status_end IS NULL OR p.status_end >= w.week_start)
 ORDER BY w.week_start
"""


def weekly_indicators_range(platform: Platform, profile_id: int, first_week: date, weeks: int) -> list[WeekIndicators]:
    """One worker's indicators for ``weeks`` consecutive weeks from the week of ``first_week``,
    oldest first, in one query (weeks when the worker was not active are left out)."""
    if weeks <= 0:
        return []
    params: dict[str, Any] = {
        "platform": platform.pk,
        "profile": profile_id,
        "first": week_start(first_week),
        "weeks": weeks,
        "today": timezone.localdate(),
    }
    with connection.cursor() as cursor:
        cursor.execute(RANGE_SQL, params)
        rows = cursor.fetchall()
    limits = settings_for(platform)
    result = []
    for start, contract, minutes, workplaces, travel, crisis, last_on, as_of in rows:
        item = WeekIndicators(profile_id, start, contract, minutes, workplaces, travel, crisis, last_on, as_of=as_of)
        item.alerts = _alerts(item, limits)
        result.append(item)
    return result
