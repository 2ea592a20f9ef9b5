"""The coordinators' triage queue: new requests, first contact, redirection, acceptance."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.TRIAGE)
def queue(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.TRIAGE)
def request_detail(request: PlatformRequest, support_request_id: int) -> HttpResponse:
    raise Http404


@permission(policies.SETTINGS)
def settings_edit(request: PlatformRequest) -> HttpResponse:
    raise Http404
