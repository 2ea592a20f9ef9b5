"""The agendas: for a signed-in user, the platform's events their role may see; the public agenda of a
platform filtered by type and commune, and its iCalendar feed."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.EVENTS_BROWSE)
def agenda(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PUBLIC_AGENDA)
def public_agenda(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404


@permission(policies.PUBLIC_AGENDA)
def public_feed(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404
