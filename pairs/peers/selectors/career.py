"""Reads of onboarding, training, supervision and career reviews, always scoped to a platform."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear, Lower
from django.shortcuts import get_object_or_404

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import (
    CareerReview,
    Onboarding,
    OnboardingStep,
    OnboardingStepTemplate,
    PeerProfile,
    SupervisionSession,
    TrainingRecord,
)

# Overviews of late steps are bounded: they list what needs attention, not an archive.
LATE_STEPS_LIMIT = 50


def _by_name(qs: QuerySet[PeerProfile]) -> QuerySet[PeerProfile]:
    return qs.order_by(Lower("membership__user__first_name"), Lower("membership__user__last_name"), "pk")


def active_condition(day: date, prefix: str = "") -> Q:
    """A worker in activity on ``day`` with an active account."""
    return Q(**{f"{prefix}membership__is_active": True, f"{prefix}status_start__lte": day}) & (
        Q(**{f"{prefix}status_end__isnull": True}) | Q(**{f"{prefix}status_end__gte": day})
    )


def active_peer_profiles(platform: Platform, *, day: date, exclude: PeerProfile | None = None) -> QuerySet[PeerProfile]:
    """The platform's peer workers in activity on ``day`` (tutor and attendance choices)."""
    qs = PeerProfile.objects.filter(active_condition(day), platform=platform).select_related("membership__user")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return _by_name(qs)


def attendance_choices(platform: Platform, *, day: date, session: SupervisionSession | None) -> QuerySet[PeerProfile]:
    """Active workers, plus those already marked present (who may have left since)."""
    condition = active_condition(day)
    if session is not None:
        condition |= Q(pk__in=session.attendees.values("pk"))
    qs = PeerProfile.objects.filter(condition, platform=platform).select_related("membership__user")
    return _by_name(qs)


# ---- Onboarding


def _late(today: date) -> Case:
    return Case(
        When(done_on__isnull=True, due_on__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def onboarding_of(profile: PeerProfile) -> Onboarding | None:
    return (
        Onboarding.objects.filter(profile=profile, profile__platform=profile.platform)
        .select_related("tutor__membership__user")
        .first()
    )


def onboarding_steps(onboarding: Onboarding, *, today: date) -> list[OnboardingStep]:
    return list(onboarding.steps.annotate(is_late=_late(today)).order_by("position", "id"))


def late_steps(platform: Platform, *, today: date, tutor_membership: Any = None) -> list[OnboardingStep]:
    """Open steps past their due date, the oldest first; for one tutor's tutees if given."""
    qs = OnboardingStep.objects.filter(
        onboarding__profile__platform=platform, done_on__isnull=True, due_on__lt=today
    ).select_related("onboarding__profile__membership__user", "onboarding__tutor__membership__user")
    if tutor_membership is not None:
        qs = qs.filter(onboarding__tutor__membership=tutor_membership)
    return list(qs.order_by("due_on", "id")[: LATE_STEPS_LIMIT + 1])


def template_steps(platform: Platform) -> QuerySet[OnboardingStepTemplate]:
    return OnboardingStepTemplate.objects.filter(platform=platform).order_by("position", "id")


def get_template_step_for(platform: Platform, step_id: Any) -> OnboardingStepTemplate:
    try:
        pk = int(step_id)
    except (TypeError, ValueError):
        pk = 0
    return get_object_or_404(template_steps(platform), pk=pk)


# ---- Training record


def trainings_of(profile: PeerProfile) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(profile=profile, profile__platform=profile.platform).order_by(
        "-started_on", "-id"
    )


def training_hours_by_year(profile: PeerProfile) -> list[dict[str, Any]]:
    """Hours of training per calendar year (the year the training started), summed in SQL."""
    rows = (
        trainings_of(profile)
        .annotate(year=ExtractYear("started_on"))
        .values("year")
        .annotate(total=Sum("hours"), count=Count("id"))
        .order_by("-year")
    )
    return [dict(row) for row in rows]


# ---- Supervision


def supervision_sessions(platform: Platform) -> QuerySet[SupervisionSession]:
    return (
        SupervisionSession.objects.filter(platform=platform)
        .annotate(present=Count("attendees"))
        .order_by("-held_on", "-id")
    )


def session_attendees(session: SupervisionSession) -> list[PeerProfile]:
    return list(_by_name(session.attendees.filter(platform=session.platform_id).select_related("membership__user")))


# ---- Career reviews


def career_reviews_of(profile: PeerProfile) -> QuerySet[CareerReview]:
    return CareerReview.objects.filter(profile=profile, profile__platform=profile.platform).order_by("-held_on", "-id")


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR
