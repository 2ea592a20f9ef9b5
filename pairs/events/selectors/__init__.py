"""Scoped reads of the events: existence checks for the URL map, the events and programmes a user may
reach, and the lookups by personal token of the public pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform

from ..models import CircleMember, Event, Programme


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def event_exists_in(platform: Platform, value: Any) -> bool:
    return Event.objects.filter(platform=platform, pk=_int(value)).exists()


def programme_exists_in(platform: Platform, value: Any) -> bool:
    return Programme.objects.filter(platform=platform, pk=_int(value)).exists()


def member_exists_in(platform: Platform, value: Any) -> bool:
    return CircleMember.objects.filter(platform=platform, pk=_int(value)).exists()


def platform_events(request: PlatformRequest) -> QuerySet[Event]:
    return Event.objects.filter(platform=request.platform)


def get_event_for(request: PlatformRequest, event_id: Any) -> Event:
    """An event of the request's platform (the coordination's pages), or 404."""
    return get_object_or_404(
        platform_events(request).select_related("commune", "programme", "organisation", "deployment"),
        pk=_int(event_id),
    )


def get_programme_for(request: PlatformRequest, programme_id: Any) -> Programme:
    return get_object_or_404(
        Programme.objects.filter(platform=request.platform).select_related("organisation"), pk=_int(programme_id)
    )


def get_member_for(request: PlatformRequest, member_id: Any) -> CircleMember:
    return get_object_or_404(CircleMember.objects.filter(platform=request.platform), pk=_int(member_id))
