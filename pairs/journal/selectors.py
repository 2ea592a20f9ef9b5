from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import JournalEntry

if TYPE_CHECKING:
    from pairs.platforms.models import Membership, Platform


def journal_for_platform(
    platform: Platform,
    *,
    action: str = "",
    role: str = "",
    object_type: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[JournalEntry]:
    qs = JournalEntry.objects.filter(platform=platform).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if role:
        qs = qs.filter(actor_role=role)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        for word in actor.split():
            qs = qs.filter(
                Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
                | Q(actor__email__icontains=word)
            )
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs.order_by("-created_at", "-id")


def entries_about(platform: Platform, membership: Membership) -> QuerySet[JournalEntry]:
    """What the journal says about one member: their account and their roles here."""
    return (
        JournalEntry.objects.filter(platform=platform)
        .filter(
            Q(object_type="accounts.user", object_id=str(membership.user_id))
            | Q(object_type="platforms.membership", object_id=str(membership.pk))
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def object_types(platform: Platform) -> list[str]:
    return list(
        JournalEntry.objects.filter(platform=platform)
        .exclude(object_type="")
        .values_list("object_type", flat=True)
        .distinct()
        .order_by("object_type")
    )
