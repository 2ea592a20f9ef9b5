"""The intervision circle: the coordination's list of members; joining from a public page with consent,
and leaving through the member's personal link."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors


@permission(policies.CIRCLE_MANAGE)
def member_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.CIRCLE_MANAGE)
def member_detail(request: PlatformRequest, member_id: int) -> HttpResponse:
    selectors.get_member_for(request, member_id)
    raise Http404


@permission(policies.CIRCLE_JOIN)
def join(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404


@permission(policies.CIRCLE_JOIN)
def leave(request: PlatformRequest, member_token: str) -> HttpResponse:
    raise Http404
