"""An event's page behind its link and registration without an account (capacity, waiting list); the
registrant's personal link: cancel, accept a place offered."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.PUBLIC_AGENDA)
def event_page(request: PlatformRequest, event_token: str) -> HttpResponse:
    raise Http404


@permission(policies.PUBLIC_AGENDA)
def registration_manage(request: PlatformRequest, registration_token: str) -> HttpResponse:
    raise Http404
