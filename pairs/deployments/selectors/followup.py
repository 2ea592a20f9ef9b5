"""Reads of the follow-up of a deployment: joint reviews, the bilan, the transition to direct
hiring, and the platform's success criteria."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.partners.models import Contact
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform

from .. import models
from ..models import (
    Assessment,
    AssessmentScore,
    Assignment,
    Deployment,
    Review,
    State,
    SuccessCriterionTemplate,
    TransitionPlan,
    TransitionTask,
)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- Objects named in URLs


def get_review_for(request: PlatformRequest, review_id: int) -> Review:
    rows = Review.objects.filter(platform=request.platform).select_related(
        "deployment__organisation", "deployment__team"
    )
    return get_object_or_404(rows, pk=review_id)


def get_transition_task_for(request: PlatformRequest, task_id: int) -> TransitionTask:
    rows = TransitionTask.objects.filter(plan__deployment__platform=request.platform).select_related("plan")
    return get_object_or_404(rows, pk=task_id)


# ---- The follow-up part of the deployment page


@dataclass(frozen=True)
class PlannedReview:
    review: Review
    days: int  # from today: negative when the date has passed

    @property
    def late(self) -> bool:
        return self.days < 0

    @property
    def late_days(self) -> int:
        return -self.days


@dataclass(frozen=True)
class BilanSummary:
    assessment: Assessment | None
    scores: list[AssessmentScore] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return sum(1 for s in self.scores if s.score is not None)

    @property
    def complete(self) -> bool:
        return bool(self.scores) and self.scored == len(self.scores)

    @property
    def unscored(self) -> list[str]:
        return [s.label for s in self.scores if s.score is None]


@dataclass(frozen=True)
class FollowUp:
    planned: list[PlannedReview]
    held: list[Review]
    bilan: BilanSummary
    plan: TransitionPlan | None
    tasks: list[TransitionTask]

    @property
    def tasks_done(self) -> int:
        return sum(1 for t in self.tasks if t.done_at is not None)


def current_assessment(deployment: Deployment) -> Assessment | None:
    """The bilan of the deployment's latest stay at the "Bilan" step."""
    return models.current_assessment(deployment)


def shown_assessment(deployment: Deployment) -> Assessment | None:
    """At the "Bilan" step, the bilan being written (None before its first save); later, the last one."""
    if deployment.state == State.ASSESSMENT:
        return current_assessment(deployment)
    return Assessment.objects.filter(deployment=deployment).select_related("by").order_by("-created_at", "-id").first()


def bilan_summary(assessment: Assessment | None) -> BilanSummary:
    if assessment is None:
        return BilanSummary(assessment=None)
    return BilanSummary(assessment=assessment, scores=list(assessment.scores.order_by("position", "id")))


# The workflow never goes back: before the "Bilan" step there is no bilan to read, and only a
# deployment that moved to direct hiring has a transition plan.
BEFORE_ASSESSMENT = frozenset(
    {State.REQUEST, State.ANALYSIS, State.PREREQUISITES, State.SENSITISATION, State.ASSIGNMENT}
)
AFTER_DIRECT_HIRE = frozenset({State.DIRECT_HIRE, State.ENDED, State.ABANDONED})


def followup_of(deployment: Deployment, today: date) -> FollowUp:
    """Reviews to come and held, the bilan and the transition plan: a fixed number of queries."""
    planned: list[PlannedReview] = []
    held: list[Review] = []
    for review in Review.objects.filter(deployment=deployment).order_by("planned_on", "id"):
        if review.held_on is None:
            planned.append(PlannedReview(review=review, days=(review.planned_on - today).days))
        else:
            held.append(review)
    held.sort(key=lambda r: (r.held_on or r.planned_on, r.pk))
    plan = None
    if deployment.state in AFTER_DIRECT_HIRE:
        plan = TransitionPlan.objects.filter(deployment=deployment).first()
    tasks = list(plan.tasks.select_related("done_by").order_by("position", "id")) if plan else []
    assessment = None if deployment.state in BEFORE_ASSESSMENT else shown_assessment(deployment)
    return FollowUp(planned=planned, held=held, bilan=bilan_summary(assessment), plan=plan, tasks=tasks)


# ---- Noting a review


def attendee_suggestions(deployment: Deployment, coordinator: User, today: date) -> str:
    """Who usually attends, one per line: the partner's contacts, the peer workers placed in the
    deployment, and the coordinator noting the review."""
    lines: list[str] = []
    contacts = Contact.objects.filter(organisation_id=deployment.organisation_id).order_by(
        "last_name", "first_name", "pk"
    )
    for contact in contacts:
        name = str(contact)
        role = contact.job_title or deployment.organisation.name
        lines.append(f"{name} ({role})")
    assignments = (
        Assignment.objects.filter(deployment=deployment)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("profile__membership__user")
        .order_by("start_date", "pk")
    )
    for assignment in assignments:
        lines.append(_("%(name)s (pair aidant·e)") % {"name": assignment.profile.membership.user.display_name})
    lines.append(_("%(name)s (coordination)") % {"name": coordinator.display_name})
    return "\n".join(dict.fromkeys(lines))


# ---- The platform's success criteria


def success_criteria_list(platform: Platform) -> list[SuccessCriterionTemplate]:
    return list(SuccessCriterionTemplate.objects.filter(platform=platform).order_by("position", "id"))


def get_success_criterion_for(platform: Platform, item_id: Any) -> SuccessCriterionTemplate:
    return get_object_or_404(SuccessCriterionTemplate.objects.filter(platform=platform), pk=_int(item_id))
