"""Reads of support groups: the groups a user may open, registrations and the waiting list, sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.peers.models import PeerProfile
from pairs.peers.selectors.career import active_condition
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform

from ..models import (
    Group,
    GroupRegistration,
    GroupSession,
    Person,
    PersonStatus,
    Place,
    RegistrationStatus,
)
from . import _int, is_coordinator, own_peer_profile, visible_people

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


class _SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: 0 when it has no rows, no GROUP BY on the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _count(queryset: QuerySet[Any]) -> Subquery:
    return _SubqueryCount(queryset.order_by().values("pk"))


def with_waiting_position(registrations: QuerySet[GroupRegistration]) -> QuerySet[GroupRegistration]:
    """Annotate ``position``: the rank on its group's waiting list (1 = next to get a place); 0 for
    a registration that is not waiting."""
    ahead = GroupRegistration.objects.filter(group_id=OuterRef("group_id"), status=RegistrationStatus.WAITING).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
    )
    return registrations.annotate(
        position=Case(When(status=RegistrationStatus.WAITING, then=_count(ahead)), default=Value(0))
    )


# ---- Which groups a user opens


def groups_for(request: PlatformRequest) -> QuerySet[Group]:
    """Coordinators: the platform's groups. A peer worker: the groups they facilitate."""
    groups = Group.objects.filter(platform=request.platform)
    if is_coordinator(request):
        return groups
    peer = own_peer_profile(request)
    if peer is None:
        return groups.none()
    return groups.filter(facilitators=peer)


def get_group_for(request: PlatformRequest, group_id: Any) -> Group:
    return get_object_or_404(groups_for(request).select_related("place__commune"), pk=_int(group_id))


def get_session_for(request: PlatformRequest, group_session_id: Any) -> GroupSession:
    return get_object_or_404(
        GroupSession.objects.filter(group__in=groups_for(request).values("pk")).select_related("group__place"),
        pk=_int(group_session_id),
    )


def _facilitators() -> Prefetch[Any]:
    return Prefetch(
        "facilitators",
        queryset=PeerProfile.objects.select_related("membership__user").order_by(
            "membership__user__first_name", "membership__user__last_name", "pk"
        ),
    )


def group_list(request: PlatformRequest) -> QuerySet[Group]:
    """The groups with their numbers: registered, waiting, next session (constant queries)."""
    registrations = GroupRegistration.objects.filter(group_id=OuterRef("pk"))
    upcoming = GroupSession.objects.filter(group_id=OuterRef("pk"), starts_at__gte=timezone.now())
    return (
        groups_for(request)
        .select_related("place")
        .prefetch_related(_facilitators())
        .annotate(
            registered_count=_count(registrations.filter(status=RegistrationStatus.REGISTERED)),
            waiting_count=_count(registrations.filter(status=RegistrationStatus.WAITING)),
            next_session=Subquery(upcoming.order_by("starts_at").values("starts_at")[:1]),
        )
        .order_by("-active", "theme", "pk")
    )


def facilitator_names(group: Group) -> list[str]:
    """Names of the facilitators (uses the prefetched list when there is one)."""
    return [peer.membership.user.display_name for peer in group.facilitators.all()]


# ---- One group's page


@dataclass(frozen=True)
class GroupPage:
    registered: list[GroupRegistration]
    waiting: list[GroupRegistration]
    sessions: Sequence[GroupSession]
    facilitators: list[PeerProfile]


def group_page(group: Group) -> GroupPage:
    registrations = list(
        with_waiting_position(group.registrations.filter(status__in=ACTIVE))
        .select_related("person")
        .order_by("created_at", "pk")
    )
    sessions = list(group.sessions.annotate(present=Count("attendees")).order_by("starts_at", "pk"))
    facilitators = list(
        group.facilitators.select_related("membership__user").order_by("membership__user__first_name", "pk")
    )
    return GroupPage(
        registered=[r for r in registrations if r.status == RegistrationStatus.REGISTERED],
        waiting=[r for r in registrations if r.status == RegistrationStatus.WAITING],
        sessions=sessions,
        facilitators=facilitators,
    )


def registrable_people(request: PlatformRequest, group: Group) -> QuerySet[Person]:
    """Open records this user may register (a coordinator: the platform's; a peer worker: the people
    they follow), minus those already registered or waiting."""
    already = GroupRegistration.objects.filter(group=group, person_id=OuterRef("pk"), status__in=ACTIVE)
    return visible_people(request).filter(status=PersonStatus.OPEN).exclude(Exists(already)).order_by("pseudonym", "pk")


def get_registration_for(group: Group, registration_id: Any) -> GroupRegistration:
    return get_object_or_404(group.registrations.filter(status__in=ACTIVE), pk=_int(registration_id))


def registration_name(registration: GroupRegistration) -> str:
    return registration.person.pseudonym if registration.person is not None else registration.pseudonym


# ---- Attendance


def attendance_choices(session: GroupSession) -> QuerySet[GroupRegistration]:
    """The people registered in the group, plus anyone already marked present (who may have left since)."""
    return (
        GroupRegistration.objects.filter(group_id=session.group_id)
        .filter(Q(status=RegistrationStatus.REGISTERED) | Q(pk__in=session.attendees.values("pk")))
        .select_related("person")
        .order_by("created_at", "pk")
    )


def is_facilitator(request: PlatformRequest, group: Group) -> bool:
    peer = own_peer_profile(request)
    return peer is not None and group.facilitators.filter(pk=peer.pk).exists()


# ---- Choices of the group form


def facilitator_choices(platform: Platform, *, day: date, group: Group | None) -> QuerySet[PeerProfile]:
    """Peer workers in activity, plus the group's current facilitators (who may have left since)."""
    condition = active_condition(day)
    if group is not None and group.pk:
        condition |= Q(pk__in=group.facilitators.values("pk"))
    return (
        PeerProfile.objects.filter(condition, platform=platform)
        .select_related("membership__user")
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )


def place_choices(platform: Platform, group: Group | None) -> QuerySet[Place]:
    condition = Q(active=True)
    if group is not None and group.place_id is not None:
        condition |= Q(pk=group.place_id)
    return Place.objects.filter(condition, platform=platform).order_by("name", "pk")


# ---- The public link


def group_by_token(token: str) -> Group | None:
    if not token or len(token) > 64:
        return None
    return Group.objects.select_related("place__commune", "platform").filter(registration_token=token).first()


def public_sessions(group: Group, limit: int = 3) -> list[GroupSession]:
    return list(group.sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")[:limit])


def waiting_position(registration: GroupRegistration) -> int:
    """The rank on the waiting list (1 = next to get a place); 0 when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return 0
    ahead = Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lte=registration.pk)
    return GroupRegistration.objects.filter(
        ahead, group_id=registration.group_id, status=RegistrationStatus.WAITING
    ).count()


# ---- A person's registrations (the person page, their space)


def person_registrations(person: Person, *, viewer: PeerProfile | None = None) -> list[GroupRegistration]:
    """The person's current registrations, with their waiting position and the next session. With a
    ``viewer`` (a peer worker), ``facilitated`` tells whether they may open the group's page."""
    upcoming = GroupSession.objects.filter(group_id=OuterRef("group_id"), starts_at__gte=timezone.now())
    registrations = with_waiting_position(person.group_registrations.filter(status__in=ACTIVE)).annotate(
        next_session=Subquery(upcoming.order_by("starts_at").values("starts_at")[:1])
    )
    if viewer is not None:
        facilitates = Group.facilitators.through.objects.filter(group_id=OuterRef("group_id"), peerprofile_id=viewer.pk)
        registrations = registrations.annotate(facilitated=Exists(facilitates))
    return list(registrations.select_related("group__place__commune").order_by("group__theme", "pk"))
