"""The network's indicators for a network administrator: the main figures of a period, one column per
active platform, with the definitions of the platforms' dashboards (``selectors/dashboard.py``).
Aggregates only, read across platforms in one query: no row of any platform leaves the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from pairs.platforms.models import Platform
from pairs.platforms.tenancy import unscoped

from ..indicators import Table, Value
from .dashboard import IN_PROGRESS_STATES, fetch_all, period_params

NETWORK_SQL = """
SELECT p.id,
       (SELECT count(*) FROM support_supportrequest r
         WHERE r.platform_id = p.id AND r.created_at >= %(t0)s AND r.created_at < %(t1)s),
       (SELECT count(*) FROM support_person x
         WHERE x.platform_id = p.id AND x.relation = 'self' AND x.opened_on <= %(d1)s
           AND (x.closed_on IS NULL OR x.closed_on >= %(d0)s)),
       (SELECT count(*) FROM support_person x
         WHERE x.platform_id = p.id AND x.relation = 'relative' AND x.opened_on <= %(d1)s
           AND (x.closed_on IS NULL OR x.closed_on >= %(d0)s)),
       (SELECT count(*) FROM support_meeting m
         WHERE m.platform_id = p.id AND m.status = 'held' AND m.starts_at >= %(t0)s AND m.starts_at < %(t1)s),
       (SELECT count(a.id) FROM support_groupsession s
          JOIN support_group g ON g.id = s.group_id
          JOIN support_groupsession_attendees a ON a.groupsession_id = s.id
         WHERE g.platform_id = p.id AND s.held AND s.starts_at >= %(t0)s AND s.starts_at < %(t1)s),
       (SELECT coalesce(sum(e.duration_minutes), 0) FROM peers_activityentry e
         WHERE e.platform_id = p.id AND e.day >= %(d0)s AND e.day <= %(d1)s),
       (SELECT count(*) FROM deployments_deployment d
         WHERE d.platform_id = p.id AND d.filed_at < %(t1)s
           AND coalesce((SELECT t.from_state FROM deployments_transition t
                           WHERE t.deployment_id = d.id AND t.at >= %(t1)s
                           ORDER BY t.at, t.id LIMIT 1), d.state) = ANY(%(in_progress)s)),
       (SELECT count(*) FROM events_event e
         WHERE e.platform_id = p.id AND e.status <> 'cancelled' AND e.starts_at <= %(now)s
           AND e.starts_at >= %(t0)s AND e.starts_at < %(t1)s),
       (SELECT count(*) FROM events_registration r JOIN events_event e ON e.id = r.event_id
         WHERE e.platform_id = p.id AND e.status <> 'cancelled' AND e.starts_at <= %(now)s
           AND e.starts_at >= %(t0)s AND e.starts_at < %(t1)s AND r.attended IS TRUE)
  FROM platforms_platform p
 WHERE p.id = ANY(%(platforms)s)
"""


def active_platforms() -> list[Platform]:
    """The network's active platforms, by name."""
    return list(Platform.objects.filter(is_active=True).order_by("name", "id"))


def network_table(start: date, end: date) -> Table:
    """The main figures of the period [start, end] (dates included), one row per indicator and one
    column per active platform (column 0 names the indicator). Counts are ints (to be shown « < 5 »
    when small, see ``indicators.shown``), hours a float. Two queries, whatever the number of
    platforms; read unscoped, as aggregates only."""
    platforms = active_platforms()
    labels = [
        _("Demandes reçues"),
        _("Personnes accompagnées"),
        _("Proches accompagnés"),
        _("Rencontres tenues"),
        _("Présences aux séances de groupe"),
        _("Heures d'activité"),
        _("Déploiements en cours en fin de période"),
        _("Événements tenus"),
        _("Participations aux événements"),
    ]
    hours_row = 5
    values: dict[int, list[Any]] = {}
    if platforms:
        params = period_params(0, start, end)
        params.update(platforms=[p.pk for p in platforms], in_progress=[str(s) for s in IN_PROGRESS_STATES])
        with unscoped():  # a network administrator reads every platform's aggregates
            rows = fetch_all(NETWORK_SQL, params)
        values = {row[0]: list(row[1:]) for row in rows}
    table_rows: list[list[Value | str]] = []
    for index, label in enumerate(labels):
        row: list[Value | str] = [label]
        for platform in platforms:
            value = values.get(platform.pk, [0] * len(labels))[index]
            row.append(round(value / 60, 1) if index == hours_row else int(value))
        table_rows.append(row)
    return Table(
        "network",
        _("Indicateurs du réseau, plateforme par plateforme"),
        (_("Indicateur"), *[platform.name for platform in platforms]),
        table_rows,
        count_columns=frozenset(range(1, len(platforms) + 1)),
    )
