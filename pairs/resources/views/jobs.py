"""The job board: offers of peer-worker jobs from partners, posted by the coordination, on a public
page."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.JOBS_MANAGE)
def job_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.JOBS_MANAGE)
def job_create(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.JOBS_MANAGE)
def job_edit(request: PlatformRequest, job_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PUBLIC)
def public_jobs(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404
