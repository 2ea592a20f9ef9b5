"""The « durées de conservation » pages: for the team, for the coordinators, and for the public."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.roles import Role
from pairs.platforms.tenancy import platform_scope
from pairs.support.selectors.intake import get_public_platform

from . import policies, selectors, services
from .forms import RetentionForm
from .retention import WARNING_DAYS


@permission(policies.RETENTION)
def retention(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    membership = request.membership
    context = {
        "rows": selectors.rule_rows(request.platform),
        "platform": request.platform,
        "may_edit": membership is not None and membership.role == Role.COORDINATOR,
    }
    return render(request, "privacy/retention.html", context)


@permission(policies.RETENTION_SETTINGS)
def retention_edit(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    months = selectors.months_of(request.platform)
    if request.method == "POST":
        form = RetentionForm(request.POST, months=months)
        if form.is_valid():
            try:
                services.settings_save(request=request, platform=request.platform, months=form.months())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Les durées de conservation sont enregistrées."))
                return redirect("privacy:retention")
    else:
        form = RetentionForm(months=months)
    return render(request, "privacy/retention_edit.html", {"form": form})


@permission(policies.RETENTION_SETTINGS)
def upcoming(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    rows = selectors.upcoming_ends(request.platform, today=timezone.localdate())
    return render(request, "privacy/upcoming.html", {"rows": rows, "warning_days": WARNING_DAYS})


@permission(policies.PUBLIC_RETENTION)
def public_retention(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    platform = get_public_platform(platform_slug)
    # A visitor may be signed in to another platform: read in the chosen platform's scope.
    with platform_scope(platform.pk):
        rows = selectors.rule_rows(platform)
    return render(request, "privacy/public_retention.html", {"rows": rows, "platform": platform})
