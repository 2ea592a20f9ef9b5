"""Individual impact measures: a person's repeated measures, filled in with their peer worker or by
the person in their space, their own chart, and the change across people, shown aggregated only
above the anonymity threshold."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.support import selectors as support_selectors

from .. import policies


@permission(policies.MEASURES)
def person_measures(request: PlatformRequest, person_id: int) -> HttpResponse:
    support_selectors.get_person_for(request, person_id)
    raise Http404


@permission(policies.MEASURES)
def person_measure_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    support_selectors.get_person_for(request, person_id)
    raise Http404


@permission(policies.MY_MEASURES)
def my_measures(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.MY_MEASURES)
def my_measure_add(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.IMPACT)
def impact_overview(request: PlatformRequest) -> HttpResponse:
    raise Http404
