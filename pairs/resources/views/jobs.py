"""The job board: offers of peer-worker jobs from partners, posted by the coordination, on a public
page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope

from .. import policies, selectors
from ..forms.jobs import JobForm
from ..models import JobOffer
from ..selectors import jobs as reads
from ..services import jobs as writes


@permission(policies.JOBS_MANAGE)
@require_http_methods(["GET"])
def job_list(request: PlatformRequest) -> HttpResponse:
    """Open offers first (closing soonest first), then the most recently closed ones."""
    today = timezone.localdate()
    public_url = request.build_absolute_uri(
        reverse("resources:public_jobs", kwargs={"platform_slug": request.platform.slug})
    )
    context = {
        "open_jobs": reads.open_jobs(request.platform, today),
        "closed_jobs": reads.closed_jobs(request.platform, today),
        "closed_limit": reads.CLOSED_SHOWN,
        "public_url": public_url,
    }
    return render(request, "resources/jobs.html", context)


def _render_form(request: PlatformRequest, form: JobForm, job: JobOffer | None) -> HttpResponse:
    return render(request, "resources/job_form.html", {"form": form, "job": job})


@permission(policies.JOBS_MANAGE)
@require_http_methods(["GET", "POST"])
def job_create(request: PlatformRequest) -> HttpResponse:
    form = JobForm(request.POST if request.method == "POST" else None, platform=request.platform)
    if request.method == "POST" and form.is_valid():
        try:
            job = writes.job_create(request=request, platform=request.platform, by=request.user, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if job.published:
                message = _("L'offre « %(title)s » est publiée.")
            else:
                message = _("L'offre « %(title)s » est enregistrée, sans être publiée.")
            messages.success(request, message % {"title": job.title})
            return redirect("resources:jobs")
    return _render_form(request, form, None)


@permission(policies.JOBS_MANAGE)
def job_edit(request: PlatformRequest, job_id: int) -> HttpResponse:
    job = reads.get_job_for(request, job_id)  # another platform's: 404 whatever the method
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = JobForm(request.POST if request.method == "POST" else None, platform=request.platform, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            job = writes.job_update(request=request, job=job, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'offre « %(title)s » est enregistrée.") % {"title": job.title})
            return redirect("resources:jobs")
    return _render_form(request, form, job)


@permission(policies.PUBLIC)
@require_http_methods(["GET"])
def public_jobs(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    """The platform's published offers still open, with everything needed to apply."""
    platform = selectors.get_public_platform(platform_slug)
    # A visitor may be signed in to another platform: read in the chosen platform's scope.
    with platform_scope(platform.pk):
        offers = reads.public_jobs(platform, timezone.localdate())
    return render(request, "resources/public_jobs.html", {"platform": platform, "offers": offers})
