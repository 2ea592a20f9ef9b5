from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pairs.core.middleware import mark_personal
from pairs.platforms.permissions import permission

from . import policies, selectors


@permission(policies.DEMO_OUTBOX)
@require_GET
def demo_outbox(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE:
        raise Http404
    response = render(request, "notifications/demo_outbox.html", {"items": selectors.demo_outbox()})
    mark_personal(response)
    return response
