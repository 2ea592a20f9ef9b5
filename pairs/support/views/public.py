"""The public self-referral form: choosing the territory, the form, the acknowledgement."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from pairs.core import ratelimit
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope

from .. import policies
from ..forms.intake import COMMUNES_LIST_ID, RequestForm
from ..selectors import intake as selectors
from ..services import intake as services

# Sent requests per client address and hour (the form itself can be shown and corrected freely).
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


@permission(policies.REQUEST_PUBLIC)
@require_http_methods(["GET"])
def request_choose(request: PlatformRequest) -> HttpResponse:
    platforms = list(selectors.public_platforms())
    if len(platforms) == 1:
        return redirect("support:request_form", platform_slug=platforms[0].slug)
    rows = [(platform, selectors.department_names(platform.department_codes)) for platform in platforms]
    return render(request, "support/request_choose.html", {"rows": rows})


@permission(policies.REQUEST_PUBLIC)
@require_http_methods(["GET", "POST"])
def request_form(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    platform = selectors.get_public_platform(platform_slug)
    # A visitor may be signed in to another platform: read and write in the chosen platform's scope.
    with platform_scope(platform.pk):
        form = RequestForm(request.POST or None)
        if request.method == "POST":
            if form.is_spam():
                ratelimit.check(request, "support-request", limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS)
                return redirect("support:request_sent", platform_slug=platform.slug)
            if form.is_valid():
                ratelimit.check(request, "support-request", limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS)
                try:
                    services.support_request_submit(request=request, platform=platform, **form.request_data())
                except ValidationError as error:
                    form.add_service_error(error)
                else:
                    return redirect("support:request_sent", platform_slug=platform.slug)
        context = {
            "platform": platform,
            "form": form,
            "days": selectors.first_contact_days(platform),
            "communes": selectors.platform_commune_names(platform),
            "communes_list_id": COMMUNES_LIST_ID,
            "several_platforms": selectors.public_platforms().count() > 1,
        }
        response = render(request, "support/request_form.html", context)
    if request.method == "POST":
        add_never_cache_headers(response)  # the page repeats what was typed
    return response


@permission(policies.REQUEST_PUBLIC)
@require_http_methods(["GET"])
def request_sent(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    platform = selectors.get_public_platform(platform_slug)
    with platform_scope(platform.pk):
        days = selectors.first_contact_days(platform)
    return render(request, "support/request_sent.html", {"platform": platform, "days": days})
