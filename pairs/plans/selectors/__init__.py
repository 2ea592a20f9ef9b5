"""Scoped reads of crisis plans. The person reads and writes their own plan; the facilitating peer
worker and the person's referent write with them; coordinators see that a plan exists and its
status, and its content only when the person shared it with the platform team."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from pairs.peers.models import PeerProfile
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import CrisisPlan, PlanShare, PlanVersion


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- Objects named in URLs


def plan_exists_in(platform: Platform, value: Any) -> bool:
    return CrisisPlan.objects.filter(platform=platform, pk=_int(value)).exists()


def version_exists_in(platform: Platform, value: Any) -> bool:
    return PlanVersion.objects.filter(plan__platform=platform, pk=_int(value)).exists()


def share_exists_in(platform: Platform, value: Any) -> bool:
    return PlanShare.objects.filter(plan__platform=platform, pk=_int(value)).exists()


# ---- Who may do what


def _role(request: PlatformRequest) -> str:
    return request.membership.role if request.membership is not None else ""


def own_peer_profile(request: PlatformRequest) -> PeerProfile | None:
    if _role(request) != Role.PEER_WORKER:
        return None
    return PeerProfile.objects.filter(membership=request.membership).first()


def visible_plans(request: PlatformRequest) -> QuerySet[CrisisPlan]:
    """Coordinators: every plan of the platform (content aside). A peer worker: the plans they
    facilitate or of the people they are the referent of. A person: their own."""
    plans = CrisisPlan.objects.filter(platform=request.platform).select_related(
        "person", "facilitator__membership__user"
    )
    role = _role(request)
    if role == Role.COORDINATOR:
        return plans
    if role == Role.PERSON:
        return plans.filter(person__membership=request.membership)
    peer = own_peer_profile(request)
    if peer is None:
        return plans.none()
    return plans.filter(Q(facilitator=peer) | Q(person__peer=peer))


def get_plan_for(request: PlatformRequest, plan_id: Any) -> CrisisPlan:
    return get_object_or_404(visible_plans(request), pk=_int(plan_id))


def can_write(request: PlatformRequest, plan: CrisisPlan) -> bool:
    """The person and the peer workers who follow them write; nobody writes a revoked plan."""
    return _role(request) in (Role.PERSON, Role.PEER_WORKER) and plan.revoked_at is None


def can_read_content(request: PlatformRequest, plan: CrisisPlan) -> bool:
    """Coordinators read the content only when the person shared it with the platform team."""
    if _role(request) == Role.COORDINATOR:
        return plan.shared_with_team
    return True


def is_owner(request: PlatformRequest, plan: CrisisPlan) -> bool:
    return _role(request) == Role.PERSON and plan.person.membership_id == getattr(request.membership, "pk", None)
