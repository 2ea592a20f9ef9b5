"""Reads of the DU interns: the coordination's list (current and past), the tutor's interns, one record
with its milestones, the choices of the new-intern form. Scoped to the platform, and for a peer worker
to the interns they tutor: anything else answers 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import InternMilestone, InternRecord, PeerProfile, PeerStatus
from .career import active_peer_profiles


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


# ---- Rows of the lists


@dataclass
class InternRow:
    """A record with its milestones already loaded: the next one to do, and those past their date."""

    record: InternRecord
    today: date
    milestones: list[InternMilestone] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.record.profile.membership.user.display_name)

    @property
    def tutor_name(self) -> str:
        return str(self.record.tutor.membership.user.display_name)

    @property
    def is_past(self) -> bool:
        return self.record.ends_on < self.today

    @property
    def next_milestone(self) -> InternMilestone | None:
        return next((m for m in self.milestones if m.done_on is None and m.due_on >= self.today), None)

    @property
    def late_milestones(self) -> list[InternMilestone]:
        return [m for m in self.milestones if m.done_on is None and m.due_on < self.today]


def _records(platform: Platform) -> QuerySet[InternRecord]:
    return (
        InternRecord.objects.filter(platform=platform)
        .select_related("profile__membership__user", "tutor__membership__user")
        .prefetch_related(Prefetch("milestones", queryset=InternMilestone.objects.order_by("due_on", "id")))
    )


def _rows(records: QuerySet[InternRecord], today: date) -> list[InternRow]:
    return [InternRow(record, today, list(record.milestones.all())) for record in records]


def intern_rows(platform: Platform, *, today: date) -> tuple[list[InternRow], list[InternRow]]:
    """The current interns (the nearest end first), and the past ones (the latest first): two queries."""
    records = _records(platform)
    current = _rows(records.filter(ends_on__gte=today).order_by("ends_on", "id"), today)
    past = _rows(records.filter(ends_on__lt=today).order_by("-ends_on", "id"), today)
    return current, past


def tutored_rows(request: PlatformRequest, *, today: date) -> list[InternRow]:
    """The interns the signed-in peer worker tutors, current ones first."""
    membership = request.membership
    if membership is None or membership.role != Role.PEER_WORKER:
        return []
    records = _records(request.platform).filter(tutor__membership=membership)
    ongoing = Case(When(ends_on__gte=today, then=Value(0)), default=Value(1), output_field=IntegerField())
    return _rows(records.order_by(ongoing, "ends_on", "id"), today)


# ---- One record


def visible_records(request: PlatformRequest) -> QuerySet[InternRecord]:
    """Coordinators see every record of the platform; a peer worker, those of the interns they tutor."""
    qs = InternRecord.objects.filter(platform=request.platform).select_related(
        "profile__membership__user", "tutor__membership__user"
    )
    if is_coordinator(request):
        return qs
    membership = request.membership
    if membership is None or membership.role != Role.PEER_WORKER:
        return qs.none()
    return qs.filter(tutor__membership=membership)


def get_intern_for(request: PlatformRequest, intern_id: Any) -> InternRecord:
    return get_object_or_404(visible_records(request), pk=_int(intern_id))


def milestones_of(record: InternRecord) -> list[InternMilestone]:
    return list(InternMilestone.objects.filter(record=record, platform_id=record.platform_id).order_by("due_on", "id"))


def get_milestone_for(record: InternRecord, milestone_id: Any) -> InternMilestone:
    """A milestone of this record, or 404."""
    pk = _int(milestone_id)
    if not pk:
        raise Http404
    return get_object_or_404(InternMilestone.objects.filter(record=record, platform_id=record.platform_id), pk=pk)


# ---- Choices of the forms


def intern_candidates(platform: Platform) -> QuerySet[PeerProfile]:
    """The platform's peer profiles with an active account and no internship yet, DU interns first."""
    intern_first = Case(When(status=PeerStatus.DU_INTERN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        PeerProfile.objects.filter(platform=platform, membership__is_active=True, internship__isnull=True)
        .select_related("membership__user")
        .order_by(intern_first, Lower("membership__user__first_name"), Lower("membership__user__last_name"), "pk")
    )


def tutor_choices(platform: Platform, *, day: date, record: InternRecord | None = None) -> QuerySet[PeerProfile]:
    """Peer workers in activity (never the intern themself); the current tutor stays offered."""
    qs = active_peer_profiles(platform, day=day)
    if record is not None:
        qs = (qs | PeerProfile.objects.filter(pk=record.tutor_id, platform=platform)).exclude(pk=record.profile_id)
    return qs.select_related("membership__user")
