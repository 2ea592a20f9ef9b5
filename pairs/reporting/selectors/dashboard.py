"""The platform's dashboard: the indicators of a period [start, end] (dates included), each compared with
the same period a year earlier, computed in SQL with a constant number of queries (about a dozen,
whatever the volume). Also the shapes a page needs to show them (values already formatted, small
numbers suppressed where required) and the geometry of the accessible bar charts.

Public entry points:

- ``dashboard_sections(platform, start, end, *, for_role) -> list[Section]``: the indicators;
- ``shown_sections(sections, *, suppress, charts=()) -> list[ShownSection]``: what
  ``reporting/_section.html`` renders (``charts``: the keys of the tables drawn as bar charts);
- ``bar_chart(table, *, suppress, chart_id, value_column=1) -> BarChart``: what
  ``reporting/_bar_chart.html`` renders;
- ``previous_period(start, end)``, ``shift_years(day, years)``: the comparison period.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.deployments.models import State
from pairs.partners.models import Sector
from pairs.peers.selectors.workload import weekly_indicators
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..indicators import Figure, Section, Table, Value, is_small, shown

# Deployments counted as "in progress": the partner's request was accepted and the work with the team
# has started (from the prerequisites to the transition to direct hiring), neither ended nor abandoned.
IN_PROGRESS_STATES = (
    State.PREREQUISITES,
    State.SENSITISATION,
    State.ASSIGNMENT,
    State.INTEGRATION,
    State.ASSESSMENT,
    State.RENEWAL,
    State.DIRECT_HIRE,
)

# The list behind each figure, for the coordinator (URL names; funders get no links).
LINKS = {
    "requests_received": "support:queue",
    "first_contact_days": "support:queue",
    "people_supported": "support:people",
    "people_new": "support:people",
    "relatives_supported": "support:people",
    "relatives_new": "support:people",
    "meetings_held": "support:people",
    "no_show_rate": "support:people",
    "groups_with_sessions": "support:groups",
    "group_attendance": "support:groups",
    "hours_total": "peers:workload",
    "deployments_in_progress": "deployments:list",
    "direct_hires": "deployments:list",
    "plans_facilitated": "plans:list",
    "plans_finalised": "plans:list",
    "plans_shared": "plans:list",
    "campaigns_opened": "observatory:campaigns",
    "answers_received": "observatory:campaigns",
    "events_held": "events:list",
    "event_attendees": "events:list",
    "workload_alerts": "peers:workload",
}


# ---- Periods


def shift_years(day: date, years: int) -> date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The same period a year earlier."""
    return shift_years(start, -1), shift_years(end, -1)


def _moment(day: date) -> datetime:
    """Midnight at the start of ``day``, local time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def period_params(platform_id: int, start: date, end: date) -> dict[str, Any]:
    """The bounds of the period and of the same period a year earlier: dates (both included) and
    moments (start included, end excluded)."""
    prev_start, prev_end = previous_period(start, end)
    return {
        "platform": platform_id,
        "d0": start,
        "d1": end,
        "p0": prev_start,
        "p1": prev_end,
        "t0": _moment(start),
        "t1": _moment(end + timedelta(days=1)),
        "pt0": _moment(prev_start),
        "pt1": _moment(prev_end + timedelta(days=1)),
        "now": timezone.now(),
    }


def fetch_all(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def fetch_one(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    rows = fetch_all(sql, params)
    return rows[0]


# ---- The queries: each returns the period's value and the previous year's side by side. Parameters:
# the platform; the period's dates d0..d1 and the previous year's p0..p1 (both included); the same as
# moments t0..t1 and pt0..pt1 (end excluded); now.

REQUESTS_SQL = """
SELECT count(*) FILTER (WHERE r.created_at >= %(t0)s AND r.created_at < %(t1)s),
       count(*) FILTER (WHERE r.created_at >= %(pt0)s AND r.created_at < %(pt1)s),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_contact_at - r.created_at) / 86400.0)
           FILTER (WHERE r.first_contact_at IS NOT NULL AND r.created_at >= %(t0)s AND r.created_at < %(t1)s),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_contact_at - r.created_at) / 86400.0)
           FILTER (WHERE r.first_contact_at IS NOT NULL AND r.created_at >= %(pt0)s AND r.created_at < %(pt1)s)
  FROM support_supportrequest r
 WHERE r.platform_id = %(platform)s AND r.created_at >= %(pt0)s AND r.created_at < %(t1)s
"""

# New: opened in the period. Ongoing: opened before it and not closed before it starts.
PEOPLE_SQL = """
SELECT p.relation,
       count(*) FILTER (WHERE p.opened_on >= %(d0)s AND p.opened_on <= %(d1)s),
       count(*) FILTER (WHERE p.opened_on < %(d0)s AND (p.closed_on IS NULL OR p.closed_on >= %(d0)s)),
       count(*) FILTER (WHERE p.opened_on >= %(p0)s AND p.opened_on <= %(p1)s),
       count(*) FILTER (WHERE p.opened_on < %(p0)s AND (p.closed_on IS NULL OR p.closed_on >= %(p0)s))
  FROM support_person p
 WHERE p.platform_id = %(platform)s AND p.opened_on <= %(d1)s
 GROUP BY p.relation
"""

MEETINGS_SQL = """
SELECT count(*) FILTER (WHERE m.status = 'held' AND m.starts_at >= %(t0)s AND m.starts_at < %(t1)s),
       count(*) FILTER (WHERE m.status = 'no_show' AND m.starts_at >= %(t0)s AND m.starts_at < %(t1)s),
       count(*) FILTER (WHERE m.status = 'held' AND m.starts_at >= %(pt0)s AND m.starts_at < %(pt1)s),
       count(*) FILTER (WHERE m.status = 'no_show' AND m.starts_at >= %(pt0)s AND m.starts_at < %(pt1)s)
  FROM support_meeting m
 WHERE m.platform_id = %(platform)s AND m.starts_at >= %(pt0)s AND m.starts_at < %(t1)s
"""

GROUPS_SQL = """
SELECT count(DISTINCT s.group_id) FILTER (WHERE s.starts_at >= %(t0)s AND s.starts_at < %(t1)s),
       count(a.id) FILTER (WHERE s.starts_at >= %(t0)s AND s.starts_at < %(t1)s),
       count(DISTINCT s.group_id) FILTER (WHERE s.starts_at >= %(pt0)s AND s.starts_at < %(pt1)s),
       count(a.id) FILTER (WHERE s.starts_at >= %(pt0)s AND s.starts_at < %(pt1)s)
  FROM support_groupsession s
  JOIN support_group g ON g.id = s.group_id
  LEFT JOIN support_groupsession_attendees a ON a.groupsession_id = s.id
 WHERE g.platform_id = %(platform)s AND s.held AND s.starts_at >= %(pt0)s AND s.starts_at < %(t1)s
"""

HOURS_BY_TYPE_SQL = """
SELECT t.label,
       coalesce(sum(a.duration_minutes) FILTER (WHERE a.day >= %(d0)s AND a.day <= %(d1)s), 0),
       coalesce(sum(a.duration_minutes) FILTER (WHERE a.day >= %(p0)s AND a.day <= %(p1)s), 0)
  FROM peers_activityentry a
  JOIN peers_activitytype t ON t.id = a.activity_type_id
 WHERE a.platform_id = %(platform)s AND a.day >= %(p0)s AND a.day <= %(d1)s
 GROUP BY t.id, t.label, t.position
 ORDER BY t.position, t.label, t.id
"""

# Hours logged for a partner deployment, by the partner organisation's sector ('' when not for a partner).
HOURS_BY_SECTOR_SQL = """
SELECT coalesce(o.sector, ''),
       coalesce(sum(a.duration_minutes) FILTER (WHERE a.day >= %(d0)s AND a.day <= %(d1)s), 0),
       coalesce(sum(a.duration_minutes) FILTER (WHERE a.day >= %(p0)s AND a.day <= %(p1)s), 0)
  FROM peers_activityentry a
  LEFT JOIN deployments_assignment s ON s.id = a.assignment_id
  LEFT JOIN deployments_deployment d ON d.id = s.deployment_id
  LEFT JOIN partners_organisation o ON o.id = d.organisation_id
 WHERE a.platform_id = %(platform)s AND a.day >= %(p0)s AND a.day <= %(d1)s
 GROUP BY 1
"""

# A deployment's state at the end of a period: the state it left by its first transition after that
# moment, or its current state when nothing changed since. Deployments filed after the moment are left out.
DEPLOYMENTS_SQL = """
SELECT x.which, x.state, count(*) FROM (
    SELECT 'current' AS which,
           coalesce((SELECT t.from_state FROM deployments_transition t
                      WHERE t.deployment_id = d.id AND t.at >= %(t1)s
                      ORDER BY t.at, t.id LIMIT 1), d.state) AS state
      FROM deployments_deployment d
     WHERE d.platform_id = %(platform)s AND d.filed_at < %(t1)s
    UNION ALL
    SELECT 'previous' AS which,
           coalesce((SELECT t.from_state FROM deployments_transition t
                      WHERE t.deployment_id = d.id AND t.at >= %(pt1)s
                      ORDER BY t.at, t.id LIMIT 1), d.state) AS state
      FROM deployments_deployment d
     WHERE d.platform_id = %(platform)s AND d.filed_at < %(pt1)s
) x
GROUP BY x.which, x.state
"""

DIRECT_HIRES_SQL = """
SELECT count(*) FILTER (WHERE t.at >= %(t0)s AND t.at < %(t1)s),
       count(*) FILTER (WHERE t.at >= %(pt0)s AND t.at < %(pt1)s)
  FROM deployments_transition t
  JOIN deployments_deployment d ON d.id = t.deployment_id
 WHERE d.platform_id = %(platform)s AND t.to_state = 'direct_hire' AND t.at >= %(pt0)s AND t.at < %(t1)s
"""

# Crisis plans, the Observatoire and events: one row of scalar subqueries, the period then the year before.
TOOLS_SQL = """
WITH plan_sessions AS (
    SELECT f.plan_id, f.held_on FROM plans_facilitationsession f
      JOIN plans_crisisplan c ON c.id = f.plan_id
     WHERE c.platform_id = %(platform)s AND f.held_on >= %(p0)s AND f.held_on <= %(d1)s
), versions AS (
    SELECT v.finalised_at FROM plans_planversion v
      JOIN plans_crisisplan c ON c.id = v.plan_id
     WHERE c.platform_id = %(platform)s AND v.number IS NOT NULL
       AND v.finalised_at >= %(pt0)s AND v.finalised_at < %(t1)s
), shares AS (
    SELECT s.created_at FROM plans_planshare s
      JOIN plans_crisisplan c ON c.id = s.plan_id
     WHERE c.platform_id = %(platform)s AND s.created_at >= %(pt0)s AND s.created_at < %(t1)s
), held_events AS (
    SELECT e.id, e.starts_at FROM events_event e
     WHERE e.platform_id = %(platform)s AND e.status <> 'cancelled' AND e.starts_at <= %(now)s
       AND e.starts_at >= %(pt0)s AND e.starts_at < %(t1)s
)
SELECT
    (SELECT count(DISTINCT plan_id) FROM plan_sessions WHERE held_on >= %(d0)s AND held_on <= %(d1)s),
    (SELECT count(DISTINCT plan_id) FROM plan_sessions WHERE held_on >= %(p0)s AND held_on <= %(p1)s),
    (SELECT count(*) FROM versions WHERE finalised_at >= %(t0)s AND finalised_at < %(t1)s),
    (SELECT count(*) FROM versions WHERE finalised_at >= %(pt0)s AND finalised_at < %(pt1)s),
    (SELECT count(*) FROM shares WHERE created_at >= %(t0)s AND created_at < %(t1)s),
    (SELECT count(*) FROM shares WHERE created_at >= %(pt0)s AND created_at < %(pt1)s),
    (SELECT count(*) FROM observatory_campaign c
      WHERE c.platform_id = %(platform)s AND c.opens_on >= %(d0)s AND c.opens_on <= %(d1)s),
    (SELECT count(*) FROM observatory_campaign c
      WHERE c.platform_id = %(platform)s AND c.opens_on >= %(p0)s AND c.opens_on <= %(p1)s),
    (SELECT count(*) FROM observatory_response r
      WHERE r.platform_id = %(platform)s AND r.submitted_on >= %(d0)s AND r.submitted_on <= %(d1)s),
    (SELECT count(*) FROM observatory_response r
      WHERE r.platform_id = %(platform)s AND r.submitted_on >= %(p0)s AND r.submitted_on <= %(p1)s),
    (SELECT count(*) FROM held_events WHERE starts_at >= %(t0)s AND starts_at < %(t1)s),
    (SELECT count(*) FROM held_events WHERE starts_at >= %(pt0)s AND starts_at < %(pt1)s),
    (SELECT count(*) FROM events_registration r JOIN held_events e ON e.id = r.event_id
      WHERE r.attended IS TRUE AND e.starts_at >= %(t0)s AND e.starts_at < %(t1)s),
    (SELECT count(*) FROM events_registration r JOIN held_events e ON e.id = r.event_id
      WHERE r.attended IS TRUE AND e.starts_at >= %(pt0)s AND e.starts_at < %(pt1)s)
"""


# ---- Building the sections


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _days(value: float | None) -> float | None:
    return round(float(value), 1) if value is not None else None


def _sector_label(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else _("Hors partenaires")


def _sector_order(value: str) -> int:
    return Sector.values.index(value) if value in Sector.values else len(Sector.values)


def dashboard_sections(platform: Platform, start: date, end: date, *, for_role: str) -> list[Section]:
    """The dashboard's sections for the period [start, end] (dates included). Each figure carries the
    value of the same period a year earlier (``previous``) and, only when ``for_role`` is
    ``"coordinator"``, the URL of the list behind it (``link``); funders and the report get none.

    Sections and figure keys (stable: the yearly report and its spreadsheet use them):

    - ``requests``: requests_received, first_contact_days (median days from the request to the first
      contact, requests received in the period), people_supported, people_new, relatives_supported,
      relatives_new (a record opened in the period is new; one opened before and not closed before the
      period starts is ongoing; "supported" counts both);
    - ``activity``: meetings_held, no_show_rate (% of held and no-show meetings where the person did not
      come), groups_with_sessions, group_attendance (attendances at held sessions), hours_total; tables
      ``hours_by_type`` and ``hours_by_sector`` (hours of entries linked to a partner deployment, by the
      organisation's sector, plus « Hors partenaires »);
    - ``deployments``: deployments_in_progress (at the end of the period, see ``IN_PROGRESS_STATES``),
      direct_hires (transitions to direct hiring), plans_facilitated (plans with a facilitation
      session), plans_finalised (versions finalised), plans_shared (shares created), campaigns_opened,
      answers_received, events_held (not cancelled, started), event_attendees, workload_alerts (this
      week, no comparison); table ``deployments_by_state`` (state at the end of the period).

    About a dozen queries, whatever the volume.
    """
    params = period_params(platform.pk, start, end)
    links = for_role == Role.COORDINATOR

    def figure(key: str, label: str, value: Value, previous: Value, unit: str = "", is_count: bool = True) -> Figure:
        link = reverse(LINKS[key]) if links and key in LINKS else ""
        return Figure(key, label, value, previous, unit=unit, link=link, is_count=is_count)

    # 1. Requests and people supported
    received, received_prev, median, median_prev = fetch_one(REQUESTS_SQL, params)
    people = {relation: values for relation, *values in fetch_all(PEOPLE_SQL, params)}
    self_new, self_ongoing, self_new_prev, self_ongoing_prev = people.get("self", [0, 0, 0, 0])
    rel_new, rel_ongoing, rel_new_prev, rel_ongoing_prev = people.get("relative", [0, 0, 0, 0])
    requests = Section(
        "requests",
        _("Demandes et accompagnement"),
        figures=(
            figure("requests_received", _("Demandes reçues"), received, received_prev),
            figure(
                "first_contact_days",
                _("Délai médian avant le premier contact"),
                _days(median),
                _days(median_prev),
                unit="j",
                is_count=False,
            ),
            figure(
                "people_supported",
                _("Personnes accompagnées"),
                self_new + self_ongoing,
                self_new_prev + self_ongoing_prev,
            ),
            figure("people_new", _("dont nouvelles personnes"), self_new, self_new_prev),
            figure(
                "relatives_supported", _("Proches accompagnés"), rel_new + rel_ongoing, rel_new_prev + rel_ongoing_prev
            ),
            figure("relatives_new", _("dont nouveaux proches"), rel_new, rel_new_prev),
        ),
    )

    # 2. Activity
    held, no_show, held_prev, no_show_prev = fetch_one(MEETINGS_SQL, params)
    groups, attendance, groups_prev, attendance_prev = fetch_one(GROUPS_SQL, params)
    by_type = fetch_all(HOURS_BY_TYPE_SQL, params)
    by_sector = sorted(fetch_all(HOURS_BY_SECTOR_SQL, params), key=lambda row: _sector_order(row[0]))
    minutes = sum(row[1] for row in by_type)
    minutes_prev = sum(row[2] for row in by_type)
    hour_columns = (_("Heures"), _("Un an plus tôt"))
    activity = Section(
        "activity",
        _("Activité"),
        figures=(
            figure("meetings_held", _("Rencontres tenues"), held, held_prev),
            figure(
                "no_show_rate",
                _("Rencontres où la personne n'est pas venue"),
                _rate(no_show, held + no_show),
                _rate(no_show_prev, held_prev + no_show_prev),
                unit="%",
                is_count=False,
            ),
            figure("groups_with_sessions", _("Groupes réunis"), groups, groups_prev),
            figure("group_attendance", _("Présences aux séances de groupe"), attendance, attendance_prev),
            figure("hours_total", _("Heures d'activité"), _hours(minutes), _hours(minutes_prev), "h", False),
        ),
        tables=(
            Table(
                "hours_by_type",
                _("Heures par type d'activité"),
                (_("Type d'activité"), *hour_columns),
                [(label, _hours(cur), _hours(prev)) for label, cur, prev in by_type],
            ),
            Table(
                "hours_by_sector",
                _("Heures par secteur des partenaires"),
                (_("Secteur"), *hour_columns),
                [(_sector_label(sector), _hours(cur), _hours(prev)) for sector, cur, prev in by_sector],
            ),
        ),
    )

    # 3. Deployments, tools and capacity
    states: dict[str, dict[str, int]] = {"current": {}, "previous": {}}
    for which, state, count in fetch_all(DEPLOYMENTS_SQL, params):
        states[which][state] = count
    in_progress = sum(states["current"].get(s, 0) for s in IN_PROGRESS_STATES)
    in_progress_prev = sum(states["previous"].get(s, 0) for s in IN_PROGRESS_STATES)
    hires, hires_prev = fetch_one(DIRECT_HIRES_SQL, params)
    (
        facilitated,
        facilitated_prev,
        finalised,
        finalised_prev,
        shared,
        shared_prev,
        campaigns,
        campaigns_prev,
        answers,
        answers_prev,
        events,
        events_prev,
        attendees,
        attendees_prev,
    ) = fetch_one(TOOLS_SQL, params)
    alerts = sum(len(item.alerts) for item in weekly_indicators(platform, timezone.localdate()).values())
    state_rows = [
        (str(state.label), states["current"].get(state, 0), states["previous"].get(state, 0))
        for state in State
        if states["current"].get(state) or states["previous"].get(state)
    ]
    deployments = Section(
        "deployments",
        _("Déploiements, outils et capacité"),
        figures=(
            figure(
                "deployments_in_progress", _("Déploiements en cours en fin de période"), in_progress, in_progress_prev
            ),
            figure("direct_hires", _("Passages à l'embauche directe"), hires, hires_prev),
            figure("plans_facilitated", _("Plans de crise accompagnés"), facilitated, facilitated_prev),
            figure("plans_finalised", _("Versions de plans finalisées"), finalised, finalised_prev),
            figure("plans_shared", _("Partages de plans"), shared, shared_prev),
            figure("campaigns_opened", _("Campagnes de l'Observatoire ouvertes"), campaigns, campaigns_prev),
            figure("answers_received", _("Réponses reçues à l'Observatoire"), answers, answers_prev),
            figure("events_held", _("Événements tenus"), events, events_prev),
            figure("event_attendees", _("Participations aux événements"), attendees, attendees_prev),
            figure("workload_alerts", _("Alertes de charge de travail cette semaine"), alerts, None),
        ),
        tables=(
            Table(
                "deployments_by_state",
                _("Déploiements par étape en fin de période"),
                (_("Étape"), _("Fin de période"), _("Un an plus tôt")),
                state_rows,
                count_columns=frozenset({1, 2}),
            ),
        ),
    )
    return [requests, activity, deployments]


# ---- What a page shows


@dataclass(frozen=True)
class ShownFigure:
    key: str
    label: str
    value: str
    previous: str  # "" when there is nothing to compare with
    change: str  # "+3", "−2", "=" or "" (not shown: unknown, or it would reveal a small number)
    change_words: str  # the change in words, for screen readers
    link: str


@dataclass(frozen=True)
class ShownTable:
    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]  # the first cell of a row is its header
    chart: BarChart | None = None  # drawn before the table when given


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    figures: Sequence[ShownFigure]
    tables: Sequence[ShownTable]


def _change(item: Figure, *, suppress: bool) -> tuple[str, str]:
    change = item.change
    if change is None or (suppress and item.is_count and (is_small(item.value) or is_small(item.previous))):
        return "", ""
    amount = round(abs(change), 1)
    if not amount:
        return "=", _("autant qu'un an plus tôt")
    number = shown(int(amount) if item.is_count and amount == int(amount) else amount, suppress=False, unit=item.unit)
    if change > 0:
        return f"+{number}", _("%(n)s de plus qu'un an plus tôt") % {"n": number}
    return f"\u2212{number}", _("%(n)s de moins qu'un an plus tôt") % {"n": number}


def shown_figure(item: Figure, *, suppress: bool) -> ShownFigure:
    previous = ""
    if item.previous is not None:
        previous = shown(item.previous, is_count=item.is_count, suppress=suppress, unit=item.unit)
    change, words = _change(item, suppress=suppress)
    value = shown(item.value, is_count=item.is_count, suppress=suppress, unit=item.unit)
    return ShownFigure(item.key, item.label, value, previous, change, words, item.link)


def shown_table(table: Table, *, suppress: bool) -> ShownTable:
    rows = [
        [
            shown(cell, is_count=index in table.count_columns, suppress=suppress) if index else str(cell)
            for index, cell in enumerate(row)
        ]
        for row in table.rows
    ]
    return ShownTable(table.key, table.title, list(table.columns), rows)


def shown_sections(sections: Sequence[Section], *, suppress: bool, charts: Collection[str] = ()) -> list[ShownSection]:
    """The sections as ``reporting/_section.html`` renders them: values in French, small counts shown
    « < 5 » when ``suppress`` (anyone but the platform's coordinators). The tables whose key is in
    ``charts`` come with their bar chart (``reporting/_bar_chart.html``: the chart, then the table)."""
    result = []
    for section in sections:
        tables = []
        for table in section.tables:
            chart = None
            if table.key in charts:
                chart = bar_chart(table, suppress=suppress, chart_id=f"graphique-{table.key.replace('_', '-')}")
            tables.append(dataclasses.replace(shown_table(table, suppress=suppress), chart=chart))
        figures = [shown_figure(item, suppress=suppress) for item in section.figures]
        result.append(ShownSection(section.key, section.title, figures, tables))
    return result


# ---- Bar charts

CHARTS = frozenset({"hours_by_type", "deployments_by_state"})  # the dashboard's tables drawn as bar charts

CHART_WIDTH = 640
BAR_AREA = 470  # the longest bar; the value is written after it
ROW_HEIGHT = 54


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    label_y: int
    bar_y: int
    width: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    bars: Sequence[Bar]
    table: ShownTable


def bar_chart(table: Table, *, suppress: bool, chart_id: str, value_column: int = 1) -> BarChart:
    """A horizontal bar chart of one column of ``table`` (each row's label above its bar, the value
    written after it). A suppressed small count gets no bar, only « < 5 »."""
    is_count = value_column in table.count_columns
    values = [row[value_column] for row in table.rows]
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    largest = max(numbers, default=0.0)
    bars = []
    for index, row in enumerate(table.rows):
        value = row[value_column]
        top = index * ROW_HEIGHT
        hidden = suppress and is_count and isinstance(value, int | float) and is_small(value)
        width = 0
        if isinstance(value, int | float) and largest and not hidden:
            width = max(round(float(value) / largest * BAR_AREA), 2 if value else 0)
        bars.append(
            Bar(
                label=str(row[0]),
                value=shown(value, is_count=is_count, suppress=suppress),
                label_y=top + 18,
                bar_y=top + 26,
                width=width,
                value_x=width + 8,
                value_y=top + 40,
            )
        )
    description = _(
        "Une barre horizontale par ligne, sous son intitulé ; sa longueur est proportionnelle à la valeur, "
        "écrite au bout. Les mêmes chiffres figurent dans le tableau « %(title)s » qui suit."
    ) % {"title": table.title}
    return BarChart(
        id=chart_id,
        title=table.title,
        description=description,
        width=CHART_WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT,
        bar_height=18,
        bars=bars,
        table=shown_table(table, suppress=suppress),
    )
