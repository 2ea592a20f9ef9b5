"""Contracts (conventions), hours delivered against contracted, capacity for one-off work, settings,
the partner's follow-up page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..models import Deployment


def detail_context(request: PlatformRequest, deployment: Deployment) -> dict[str, Any]:
    """What this part adds to the deployment page (templates/deployments/_contracts.html)."""
    return {}


@permission(policies.CONTRACT_MANAGE)
def contract_new(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    raise Http404


@permission(policies.CONTRACT_MANAGE)
def contract_edit(request: PlatformRequest, contract_id: int) -> HttpResponse:
    raise Http404


@permission(policies.CONTRACT_DOCUMENT)
def contract_document(request: PlatformRequest, contract_id: int) -> HttpResponse:
    raise Http404


@permission(policies.CAPACITY_VIEW)
def capacity(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.SETTINGS_EDIT)
def deployment_settings(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PARTNER_FOLLOWUP)
def partner_followup(request: PlatformRequest) -> HttpResponse:
    raise Http404
