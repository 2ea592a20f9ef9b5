"""Meetings (no double booking), accessible places, the peer worker's agenda and calendar feed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..models import Person


def person_context(request: PlatformRequest, person: Person) -> dict[str, Any]:
    """What this part adds to the person page (templates/support/_meetings.html)."""
    return {}


@permission(policies.MEETINGS)
def meeting_new(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.MEETINGS)
def meeting_detail(request: PlatformRequest, meeting_id: int) -> HttpResponse:
    raise Http404


@permission(policies.MY_MEETINGS)
def my_meetings(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.MY_MEETINGS)
def calendar_settings(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.CALENDAR_FEED)
def calendar_feed(request: PlatformRequest, feed_token: str) -> HttpResponse:
    raise Http404


@permission(policies.PLACES)
def place_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PLACES)
def place_edit(request: PlatformRequest, place_id: int) -> HttpResponse:
    raise Http404
