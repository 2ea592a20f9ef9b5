"""Joint follow-up reviews, success criteria and the bilan, the transition to direct hiring."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..models import Deployment


def detail_context(request: PlatformRequest, deployment: Deployment) -> dict[str, Any]:
    """What this part adds to the deployment page (templates/deployments/_followup.html)."""
    return {}


@permission(policies.FOLLOWUP_RECORD)
def review_add(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    raise Http404


@permission(policies.FOLLOWUP_RECORD)
def review_edit(request: PlatformRequest, joint_review_id: int) -> HttpResponse:
    raise Http404


@permission(policies.FOLLOWUP_RECORD)
def assessment_edit(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    raise Http404


@permission(policies.FOLLOWUP_RECORD)
def transition_task_toggle(request: PlatformRequest, transition_task_id: int) -> HttpResponse:
    raise Http404


@permission(policies.SUCCESS_CRITERIA)
def success_criteria(request: PlatformRequest) -> HttpResponse:
    raise Http404
