"""The yearly activity report for the funder: the narrative texts written before generating, generation
as a background job with a visible progress bar (asked twice at once: one job), a retry after a
failure, past reports kept, the PDF and the XLSX."""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import Rule, permission

from .. import policies, selectors
from ..forms.reports import NarrativesForm, ReportRequestForm
from ..models import ReportStatus, YearlyReport
from ..selectors import report as reads
from ..services import reports as writes

PAGE_SIZE = 25
POLL_SECONDS = 2
HTMX_STOP_POLLING = 286  # htmx stops polling on this status (and still swaps the answer in)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refuse(request: PlatformRequest, rule: Rule) -> NoReturn:
    journal.log_permission_denied(request=request, rule_name=rule.name)
    raise PermissionDenied


def _can_manage(request: PlatformRequest) -> bool:
    return policies.REPORTS_MANAGE.allows(request)


def _is_htmx(request: PlatformRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _request_report(request: PlatformRequest, year: int) -> YearlyReport:
    """Ask for the year's report; the message says whether a job started or one was already running."""
    asked_at = timezone.now()
    report = writes.report_request(request=request, platform=request.platform, year=year, by=request.user)
    if report.requested_at < asked_at:
        messages.info(request, _("Ce rapport est déjà en cours de préparation."))
    else:
        messages.success(
            request,
            _("La préparation du rapport %(year)s a commencé. Cette page montre son avancement.") % {"year": year},
        )
    return report


@permission(policies.REPORTS)
def report_list(request: PlatformRequest) -> HttpResponse:
    """The platform's reports, and for the coordination the form to generate one."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    can_manage = _can_manage(request)
    form: ReportRequestForm | None = None
    if request.method == "POST":
        if not can_manage:
            _refuse(request, policies.REPORTS_MANAGE)
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            try:
                report = _request_report(request, form.cleaned_data["year"])
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return redirect("reporting:report", report_id=report.pk)
    elif can_manage:
        initial: dict[str, Any] = {}
        asked = request.GET.get("annee", "")
        if asked.isdigit() and reads.year_is_allowed(int(asked)):
            initial["year"] = asked
        form = ReportRequestForm(initial=initial)
    page = Paginator(reads.report_list(request.platform), PAGE_SIZE).get_page(request.GET.get("page"))
    narratives_year = reads.default_year()
    if form is not None and form.is_bound is False and form.initial.get("year"):
        narratives_year = int(form.initial["year"])
    return render(
        request,
        "reporting/report_list.html",
        {
            "page": page,
            "form": form,
            "can_manage": can_manage,
            "narratives_year": narratives_year,
        },
    )


@permission(policies.REPORTS_MANAGE)
def narratives_edit(request: PlatformRequest, year: int) -> HttpResponse:
    """The narrative texts of a year's report, written before generating it."""
    if not reads.year_is_allowed(year):
        raise Http404
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method == "POST":
        form = NarrativesForm(request.POST)
        if form.is_valid():
            try:
                writes.narratives_save(
                    request=request, platform=request.platform, year=year, by=request.user, texts=form.texts()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Les textes du rapport %(year)s sont enregistrés.") % {"year": year})
                return redirect(f"{reverse('reporting:reports')}?annee={year}")
    else:
        form = NarrativesForm(initial=reads.narratives_of(request.platform, year))
    years = reads.report_years()
    return render(
        request,
        "reporting/narratives.html",
        {
            "form": form,
            "year": year,
            "previous_year": year - 1 if year - 1 in years else None,
            "next_year": year + 1 if year + 1 in years else None,
        },
    )


def _digest(report: YearlyReport) -> str:
    """What the progress block shows, in short: the same digest, nothing new to swap in."""
    return f"{report.status}-{report.progress}"


def _detail_context(request: PlatformRequest, report: YearlyReport) -> dict[str, Any]:
    return {
        "report": report,
        "can_manage": _can_manage(request),
        "in_progress": report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING),
        "poll_seconds": POLL_SECONDS,
        "digest": _digest(report),
    }


@permission(policies.REPORTS)
def report_detail(request: PlatformRequest, report_id: int) -> HttpResponse:
    """A report: its progress while it is prepared, then its downloads, or the error and a retry."""
    report = selectors.get_report_for(request, report_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method == "POST":
        if not _can_manage(request):
            _refuse(request, policies.REPORTS_MANAGE)
        if request.POST.get("action") != "retry" or report.status != ReportStatus.FAILED:
            return redirect("reporting:report", report_id=report.pk)
        try:
            retried = _request_report(request, report.year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reporting:report", report_id=report.pk)
        return redirect("reporting:report", report_id=retried.pk)
    return render(request, "reporting/report_detail.html", _detail_context(request, report))


@permission(policies.REPORTS)
def report_progress(request: PlatformRequest, report_id: int) -> HttpResponse:
    """The progress block, polled by htmx every 2 s: 204 while nothing changed, the new block when the
    progress moved; once the report is done or failed, the final block with status 286 so that htmx
    stops polling."""
    report = selectors.get_report_for(request, report_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not _is_htmx(request):
        return redirect("reporting:report", report_id=report.pk)
    context = _detail_context(request, report)
    if context["in_progress"] and request.GET.get("v") == context["digest"]:
        return HttpResponse(status=204)  # nothing new: htmx leaves the region (and screen readers) alone
    response = render(request, "reporting/_report_progress.html", context)
    if not context["in_progress"]:
        response.status_code = HTMX_STOP_POLLING
    response["Cache-Control"] = "no-store"
    return response


def _download(
    request: PlatformRequest, report: YearlyReport, file: FieldFile, content_type: str, ext: str
) -> HttpResponse:
    if report.status != ReportStatus.DONE or not file:
        raise Http404
    try:
        with file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as error:
        raise Http404 from error
    journal.log_export(request=request, obj=report, detail=ext)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="rapport-activite-{report.year}.{ext}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission(policies.REPORTS)
def report_pdf(request: PlatformRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report_for(request, report_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _download(request, report, report.pdf, "application/pdf", "pdf")


@permission(policies.REPORTS)
def report_xlsx(request: PlatformRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report_for(request, report_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _download(request, report, report.xlsx, XLSX_TYPE, "xlsx")
