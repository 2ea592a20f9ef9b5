"""Reads of the intervision circle: the platform of the public join page, a member by their personal
link, the coordination's list, a member's attendance (never any content), the intervisions to invite to."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from pairs.platforms.models import Platform

from ..models import CircleMember, Event, EventStatus, Kind, Registration

# The list filter: active members (default) or those who left.
ACTIVE, LEFT = "actifs", "partis"


def public_platform(slug: str) -> Platform:
    """An active platform by its short name, or 404 (the public join page)."""
    return get_object_or_404(Platform.objects.filter(is_active=True), slug=slug)


def member_by_token(token: str) -> CircleMember | None:
    """A member by their personal link (call it unscoped: the link alone names the platform)."""
    if not token or len(token) > 64:
        return None
    return CircleMember.objects.select_related("platform").filter(token=token).first()


def members(platform: Platform, *, state: str = ACTIVE) -> QuerySet[CircleMember]:
    """The circle's members of one platform, by name: active ones, or those who left (the latest first)."""
    qs = CircleMember.objects.filter(platform=platform)
    if state == LEFT:
        return qs.filter(active=False).order_by("-left_at", "last_name", "first_name", "id")
    return qs.filter(active=True).order_by("last_name", "first_name", "id")


def member_counts(platform: Platform) -> dict[str, int]:
    """How many active members and how many who left, in one query."""
    counts = CircleMember.objects.filter(platform=platform).aggregate(
        active_count=Count("id", filter=Q(active=True)), left_count=Count("id", filter=Q(active=False))
    )
    return {"active": counts["active_count"] or 0, "left": counts["left_count"] or 0}


def upcoming_intervisions(platform: Platform, *, now: datetime) -> QuerySet[Event]:
    """The platform's intervisions still to come and not cancelled, the nearest first."""
    return Event.objects.filter(
        platform=platform, kind=Kind.INTERVISION, status=EventStatus.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at", "id")


def active_members_of(platform: Platform) -> QuerySet[CircleMember]:
    """Who receives an intervision invitation."""
    return CircleMember.objects.filter(platform=platform, active=True).order_by("last_name", "first_name", "id")


def member_attendance(member: CircleMember) -> list[Event]:
    """The intervisions the member attended (registered with their e-mail, or linked to them, and marked
    present): title and date only. Nothing said during an intervision is ever kept."""
    registrations = Registration.objects.filter(platform_id=member.platform_id, attended=True).filter(
        Q(circle_member=member) | Q(email__iexact=member.email)
    )
    return list(
        Event.objects.filter(
            platform_id=member.platform_id, kind=Kind.INTERVISION, pk__in=registrations.values("event_id")
        ).order_by("-starts_at", "-id")
    )
