"""The person's own space: next meetings, shared notes, consents, groups, change of peer worker, their data."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.MY_SPACE)
def my_support(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.MY_SPACE)
def my_consent_withdraw(request: PlatformRequest, consent_id: int) -> HttpResponse:
    raise Http404


@permission(policies.MY_SPACE)
def my_change_request(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.MY_SPACE)
def my_data(request: PlatformRequest) -> HttpResponse:
    raise Http404
