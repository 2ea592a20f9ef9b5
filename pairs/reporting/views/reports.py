"""The yearly activity report for the funder: the narrative texts written before generating, generation
as a background job with a visible progress bar (asked twice at once: one job), a retry after a
failure, past reports kept, the PDF and the XLSX."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors


@permission(policies.REPORTS)
def report_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.REPORTS_MANAGE)
def narratives_edit(request: PlatformRequest, year: int) -> HttpResponse:
    raise Http404


@permission(policies.REPORTS)
def report_detail(request: PlatformRequest, report_id: int) -> HttpResponse:
    selectors.get_report_for(request, report_id)
    raise Http404


@permission(policies.REPORTS)
def report_progress(request: PlatformRequest, report_id: int) -> HttpResponse:
    selectors.get_report_for(request, report_id)
    raise Http404


@permission(policies.REPORTS)
def report_pdf(request: PlatformRequest, report_id: int) -> HttpResponse:
    selectors.get_report_for(request, report_id)
    raise Http404


@permission(policies.REPORTS)
def report_xlsx(request: PlatformRequest, report_id: int) -> HttpResponse:
    selectors.get_report_for(request, report_id)
    raise Http404
