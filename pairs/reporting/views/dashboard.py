"""The platform's dashboard for a chosen period, compared with the same period a year earlier: requests
and triage, people supported, meetings and groups, hours, deployments, crisis plans, Observatoire
campaigns, events, workload; each figure links to the list behind it for roles allowed to see it;
accessible SVG charts with their tables."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.roles import Role

from .. import policies
from ..forms.period import PeriodForm, presets
from ..selectors.dashboard import CHARTS, dashboard_sections, previous_period, shown_sections


@permission(policies.DASHBOARD)
def dashboard(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    role = request.membership.role if request.membership is not None else ""
    suppress = role != Role.COORDINATOR  # the funder sees aggregates only, small numbers hidden
    context: dict[str, object] = {"form": form, "suppress": suppress}
    if form.is_valid():
        start, end = form.period
        sections = dashboard_sections(request.platform, start, end, for_role=role)
        context.update(
            start=start,
            end=end,
            previous=previous_period(start, end),
            presets=presets(start, end, today),
            sections=shown_sections(sections, suppress=suppress, charts=CHARTS),
        )
    else:
        context["presets"] = presets(None, None, today)
    return render(request, "reporting/dashboard.html", context)
