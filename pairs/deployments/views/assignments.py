"""Assignment of peer workers with ranked suggestions, and the worker's own schedule."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..models import Deployment


def detail_context(request: PlatformRequest, deployment: Deployment) -> dict[str, Any]:
    """What this part adds to the deployment page (templates/deployments/_assignments.html)."""
    return {}


@permission(policies.ASSIGNMENT_MANAGE)
def assignment_screen(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    raise Http404


@permission(policies.ASSIGNMENT_MANAGE)
def assignment_edit(request: PlatformRequest, assignment_id: int) -> HttpResponse:
    raise Http404


@permission(policies.MY_ASSIGNMENTS)
def my_assignments(request: PlatformRequest) -> HttpResponse:
    raise Http404
