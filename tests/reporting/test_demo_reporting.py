"""The demo data makes the dashboard and the territory view non-trivial: every dashboard figure of the
last twelve months in the Rhône has a value, and the Rhône shows at least one clearly under-served
area (communes of the north-west with nobody supported, far from any peer worker or place)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from pairs.demo.generator import generate
from pairs.platforms.models import Platform
from pairs.platforms.tenancy import platform_scope
from pairs.reporting.selectors.dashboard import dashboard_sections
from pairs.reporting.selectors.territory import last_twelve_months, territory_equity


def test_the_demo_makes_every_dashboard_figure_and_the_territory_view_non_trivial(db: Any) -> None:
    generate(seed=2026, scale=1)
    rhone = Platform.objects.get(slug="rhone")
    today = timezone.localdate()
    with platform_scope(rhone.pk):
        sections = dashboard_sections(rhone, today - timedelta(days=365), today, for_role="coordinator")
        figures = [figure for section in sections for figure in section.figures]
        assert len(figures) >= 10
        empty = [figure.key for figure in figures if not figure.value]
        assert not empty, f"figures without a value in the demo: {empty}"
        tables = [table for section in sections for table in section.tables]
        assert all(table.rows for table in tables)
        equity = territory_equity(rhone, period=last_twelve_months(today), today=today)
    underserved = [area for area in equity.communes if area.underserved]
    assert len(underserved) >= 5
    assert any(area.km is not None and area.km > 15 and area.people == 0 for area in underserved)
    assert equity.people > 100
