"""Reads of platforms and memberships, always scoped to a platform."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import get_object_or_404

from .models import Membership, Platform
from .roles import ROLE_ORDER, Role

if TYPE_CHECKING:
    from pairs.accounts.models import User


def memberships_of(user: User) -> list[Membership]:
    """The active spaces of a user: the default one is the most senior role, then the oldest."""
    rows = list(Membership.objects.of_user(user).active().select_related("platform"))
    rows.sort(key=lambda m: (ROLE_ORDER.index(Role(m.role)), m.pk))
    return rows


def membership_list(platform: Platform, *, role: str = "", query: str = "", active: str = "") -> QuerySet[Membership]:
    qs = Membership.objects.for_platform(platform).select_related("user", "platform")
    if role:
        qs = qs.filter(role=role)
    if active == "yes":
        qs = qs.filter(is_active=True)
    elif active == "no":
        qs = qs.filter(is_active=False)
    if query:
        for word in query.split():
            qs = qs.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
    # People known by a first name or pseudonym only sort among the others by that name.
    sort_name = Lower(Coalesce(NullIf("user__last_name", Value("")), "user__first_name"))
    return qs.order_by(sort_name, Lower("user__first_name"), "role", "pk")


def get_membership_for(platform: Platform, membership_id: int) -> Membership:
    """The only way a view loads a membership: 404 unless it belongs to the platform."""
    return get_object_or_404(
        Membership.objects.for_platform(platform).select_related("user", "platform"), pk=membership_id
    )


def membership_exists_in(platform: Platform, membership_id: Any) -> bool:
    return Membership.objects.for_platform(platform).filter(pk=membership_id).exists()


def role_counts(platform: Platform) -> dict[str, int]:
    rows = Membership.objects.for_platform(platform).filter(is_active=True).values("role").annotate(n=Count("id"))
    counts = {role.value: 0 for role in Role}
    for row in rows:
        counts[row["role"]] = row["n"]
    return counts


def other_memberships_in_platform(membership: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.for_platform(membership.platform)
        .filter(user_id=membership.user_id)
        .exclude(pk=membership.pk)
        .order_by("role")
    )


def network_platforms() -> QuerySet[Platform]:
    """Names and territories of the network's platforms (no figure of theirs)."""
    return Platform.objects.filter(is_active=True).order_by("name")
