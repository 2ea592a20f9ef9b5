"""A campaign's results: scores per dimension and perspective with their intervals, gaps between
perspectives, lowest and highest items, change since the previous wave; the PDF report for the
team's debriefing and the CSV export of the anonymous answers. Nothing is shown for a group below
the anonymity threshold."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors


@permission(policies.CAMPAIGNS)
def campaign_results(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_report(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_csv(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404
