"""The coordination's events and training programmes: list, create, edit, cancel (everyone registered
is told), registrations and waiting list; a programme's sessions and each participant's completion;
the peer worker's own events as a trainer."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors


@permission(policies.EVENTS_MANAGE)
def event_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.EVENTS_MANAGE)
def event_create(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.EVENTS_MANAGE)
def event_detail(request: PlatformRequest, event_id: int) -> HttpResponse:
    selectors.get_event_for(request, event_id)
    raise Http404


@permission(policies.EVENTS_MANAGE)
def event_edit(request: PlatformRequest, event_id: int) -> HttpResponse:
    selectors.get_event_for(request, event_id)
    raise Http404


@permission(policies.EVENTS_MANAGE)
def programme_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.EVENTS_MANAGE)
def programme_create(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.EVENTS_MANAGE)
def programme_detail(request: PlatformRequest, programme_id: int) -> HttpResponse:
    selectors.get_programme_for(request, programme_id)
    raise Http404


@permission(policies.MY_EVENTS)
def my_events(request: PlatformRequest) -> HttpResponse:
    raise Http404
