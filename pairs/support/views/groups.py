"""Support groups: sessions, registrations with a waiting list, attendance, the public registration link."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..models import Person


def person_context(request: PlatformRequest, person: Person) -> dict[str, Any]:
    """What this part adds to the person page (templates/support/_groups.html)."""
    return {}


@permission(policies.GROUPS)
def group_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.GROUPS)
def group_detail(request: PlatformRequest, group_id: int) -> HttpResponse:
    raise Http404


@permission(policies.GROUPS)
def session_attendance(request: PlatformRequest, group_session_id: int) -> HttpResponse:
    raise Http404


@permission(policies.GROUP_REGISTER_PUBLIC)
def group_register_public(request: PlatformRequest, group_token: str) -> HttpResponse:
    raise Http404
