"""DU interns: the coordination's list and records (university, dates, tutor, learning goals,
evaluation milestones), and the tutor's view of their own interns."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.INTERNS)
def intern_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.INTERNS)
def intern_create(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.INTERNS_VIEW)
def intern_detail(request: PlatformRequest, intern_id: int) -> HttpResponse:
    raise Http404


@permission(policies.MY_INTERNS)
def my_interns(request: PlatformRequest) -> HttpResponse:
    raise Http404
