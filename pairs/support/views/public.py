"""The public self-referral form: choosing the territory, the form, the acknowledgement."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.REQUEST_PUBLIC)
def request_choose(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.REQUEST_PUBLIC)
def request_form(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404


@permission(policies.REQUEST_PUBLIC)
def request_sent(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404
