"""Sharing a finalised version with named recipients through expiring, revocable links with a
one-time code; revoking; the recipient's page."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.PLAN_WRITE)
def share_add(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def plan_revoke(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def share_revoke(request: PlatformRequest, share_id: int) -> HttpResponse:
    raise Http404


@permission(policies.SHARE_PUBLIC)
def share_open(request: PlatformRequest, share_token: str) -> HttpResponse:
    raise Http404
