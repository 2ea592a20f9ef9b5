"""Scoped reads of direct support. Coordinators see the platform's people; a peer worker sees the
people they are the referent of or meet; a person sees only their own record."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from pairs.peers.models import PeerProfile
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import (
    Consent,
    Group,
    GroupSession,
    Meeting,
    Note,
    Person,
    Place,
    SupportRequest,
)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- Objects named in URLs


def support_request_exists_in(platform: Platform, value: Any) -> bool:
    return SupportRequest.objects.filter(platform=platform, pk=_int(value)).exists()


def person_exists_in(platform: Platform, value: Any) -> bool:
    return Person.objects.filter(platform=platform, pk=_int(value)).exists()


def consent_exists_in(platform: Platform, value: Any) -> bool:
    return Consent.objects.filter(person__platform=platform, pk=_int(value)).exists()


def meeting_exists_in(platform: Platform, value: Any) -> bool:
    return Meeting.objects.filter(platform=platform, pk=_int(value)).exists()


def place_exists_in(platform: Platform, value: Any) -> bool:
    return Place.objects.filter(platform=platform, pk=_int(value)).exists()


def group_exists_in(platform: Platform, value: Any) -> bool:
    return Group.objects.filter(platform=platform, pk=_int(value)).exists()


def group_session_exists_in(platform: Platform, value: Any) -> bool:
    return GroupSession.objects.filter(group__platform=platform, pk=_int(value)).exists()


def note_exists_in(platform: Platform, value: Any) -> bool:
    return Note.objects.filter(person__platform=platform, pk=_int(value)).exists()


# ---- Who is asking


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


def own_peer_profile(request: PlatformRequest) -> PeerProfile | None:
    """The peer worker profile behind the active membership (None for another role)."""
    membership = request.membership
    if membership is None or membership.role != Role.PEER_WORKER:
        return None
    return PeerProfile.objects.filter(membership=membership).first()


def own_person(request: PlatformRequest) -> Person | None:
    """The record of the signed-in person (role "person"), if their account is linked to one."""
    membership = request.membership
    if membership is None or membership.role != Role.PERSON:
        return None
    return Person.objects.filter(platform=request.platform, membership=membership).first()


# ---- People


def visible_people(request: PlatformRequest) -> QuerySet[Person]:
    """Coordinators: every record of the platform. A peer worker: the people they are the referent of,
    or have a meeting with. Anyone else: none."""
    people = Person.objects.filter(platform=request.platform)
    if is_coordinator(request):
        return people
    peer = own_peer_profile(request)
    if peer is None:
        return people.none()
    meets = Meeting.objects.filter(person_id=OuterRef("pk"), peer=peer)
    return people.filter(Q(peer=peer) | Exists(meets))


def get_person_for(request: PlatformRequest, person_id: Any) -> Person:
    """The person record, or 404 (another platform, or a record this peer worker does not follow)."""
    return get_object_or_404(
        visible_people(request).select_related("commune", "peer__membership__user", "relative_of"), pk=_int(person_id)
    )


def can_see_person(request: PlatformRequest, person: Person) -> bool:
    """Whether the person's record opens for this user (see ``visible_people``)."""
    return visible_people(request).filter(pk=person.pk).exists()
