"""Writing the plan with autosaved sections, finalising frozen versions, comparing them,
facilitation sessions, crises, the list and settings."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.PLAN)
def plan_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_SETTINGS)
def settings_edit(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PLAN)
def my_plan(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_START)
def plan_start(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN)
def plan_detail(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def plan_edit(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def section_save(request: PlatformRequest, plan_id: int, section: str) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def plan_finalise(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN)
def version_detail(request: PlatformRequest, plan_id: int, version_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN)
def version_compare(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def session_add(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN)
def crisis_add(request: PlatformRequest, plan_id: int) -> HttpResponse:
    raise Http404
