"""Territorial equity: for each commune and EPCI of the territory, people supported per 10,000
inhabitants, distances to the nearest peer worker and accessible meeting place, the share of remote
meetings; the map (SVG from the communes' centres) with its sortable table, under-served communes
flagged by rule, and the "what if" tool."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.TERRITORY)
def equity(request: PlatformRequest) -> HttpResponse:
    raise Http404
