"""The only way views load the pool's objects: scoped to the platform, and to what the
role may see. Anything else answers 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import (
    ActivityEntry,
    AvailabilityException,
    CareerReview,
    OnboardingStep,
    PeerProfile,
    SupervisionSession,
    TrainingRecord,
)


def _int(value: Any) -> int:
    """A URL argument as a primary key; an unusable value matches no row (0)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- URL registry: does the object exist in this platform? (for the 404-not-403 rule)


def profile_exists_in(platform: Platform, value: Any) -> bool:
    return PeerProfile.objects.filter(platform=platform, pk=_int(value)).exists()


def activity_entry_exists_in(platform: Platform, value: Any) -> bool:
    return ActivityEntry.objects.filter(platform=platform, pk=_int(value)).exists()


def onboarding_step_exists_in(platform: Platform, value: Any) -> bool:
    return OnboardingStep.objects.filter(onboarding__profile__platform=platform, pk=_int(value)).exists()


def career_review_exists_in(platform: Platform, value: Any) -> bool:
    return CareerReview.objects.filter(profile__platform=platform, pk=_int(value)).exists()


def supervision_session_exists_in(platform: Platform, value: Any) -> bool:
    return SupervisionSession.objects.filter(platform=platform, pk=_int(value)).exists()


def training_exists_in(platform: Platform, value: Any) -> bool:
    return TrainingRecord.objects.filter(profile__platform=platform, pk=_int(value)).exists()


def availability_exception_exists_in(platform: Platform, value: Any) -> bool:
    return AvailabilityException.objects.filter(profile__platform=platform, pk=_int(value)).exists()


# ---- Scoped loading


def profiles_of(platform: Platform) -> QuerySet[PeerProfile]:
    return PeerProfile.objects.filter(platform=platform).select_related("membership__user", "home_commune", "platform")


def own_profile(request: PlatformRequest) -> PeerProfile:
    """The signed-in peer worker's own profile in the active platform (404 if none)."""
    membership = request.membership
    if membership is None or membership.role != Role.PEER_WORKER:
        raise Http404
    return get_object_or_404(profiles_of(request.platform), membership=membership)


def own_profile_or_none(request: PlatformRequest) -> PeerProfile | None:
    """The signed-in peer worker's profile, or None (a role given without a profile yet)."""
    membership = request.membership
    if membership is None or membership.role != Role.PEER_WORKER:
        return None
    return profiles_of(request.platform).filter(membership=membership).first()


def visible_profiles(request: PlatformRequest, *, include_tutees: bool = False) -> QuerySet[PeerProfile]:
    """Coordinators see the whole pool; a peer worker sees their own profile (and their tutees')."""
    qs = profiles_of(request.platform)
    membership = request.membership
    if membership is not None and membership.role == Role.COORDINATOR:
        return qs
    if membership is None or membership.role != Role.PEER_WORKER:
        return qs.none()
    condition = Q(membership=membership)
    if include_tutees:
        condition |= Q(onboarding__tutor__membership=membership)
    return qs.filter(condition)


def get_profile_for(request: PlatformRequest, profile_id: int, *, include_tutees: bool = False) -> PeerProfile:
    return get_object_or_404(visible_profiles(request, include_tutees=include_tutees), pk=profile_id)


def get_entry_for(request: PlatformRequest, entry_id: int, *, own: bool) -> ActivityEntry:
    qs = ActivityEntry.objects.filter(platform=request.platform).select_related(
        "activity_type", "commune", "profile__membership__user"
    )
    if own:
        qs = qs.filter(profile=own_profile(request))
    return get_object_or_404(qs, pk=entry_id)


def get_step_for(request: PlatformRequest, step_id: int) -> OnboardingStep:
    """Coordinators, the tutor and the worker themself may tick a step."""
    profiles = visible_profiles(request, include_tutees=True)
    return get_object_or_404(
        OnboardingStep.objects.filter(onboarding__profile__in=profiles).select_related("onboarding__profile"),
        pk=step_id,
    )


def get_review_for(request: PlatformRequest, review_id: int) -> CareerReview:
    """A career review: coordinators and the worker themself only (never a tutor or colleague)."""
    return get_object_or_404(
        CareerReview.objects.filter(profile__in=visible_profiles(request)).select_related("profile__membership__user"),
        pk=review_id,
    )


def get_session_for(request: PlatformRequest, session_id: int) -> SupervisionSession:
    return get_object_or_404(SupervisionSession.objects.filter(platform=request.platform), pk=session_id)


def get_training_for(request: PlatformRequest, training_id: int) -> TrainingRecord:
    return get_object_or_404(
        TrainingRecord.objects.filter(profile__in=visible_profiles(request)).select_related("profile"), pk=training_id
    )


def get_own_absence(request: PlatformRequest, exception_id: int) -> AvailabilityException:
    return get_object_or_404(AvailabilityException.objects.filter(profile=own_profile(request)), pk=exception_id)


def intern_exists_in(platform: Platform, value: Any) -> bool:
    from ..models import InternRecord

    return InternRecord.objects.filter(platform=platform, pk=_int(value)).exists()
