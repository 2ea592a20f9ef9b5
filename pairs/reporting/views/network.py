"""The network's indicators for a network administrator: the same figures side by side for every
platform, aggregated only, small numbers suppressed."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.NETWORK)
def network_indicators(request: PlatformRequest) -> HttpResponse:
    raise Http404
