"""Campaigns: the list, launching one (a next wave prefilled from the previous), following it (live
counts per perspective, links, QR posters, reminders, closing), typing in paper questionnaires and
the Observatoire's settings."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors


@permission(policies.CAMPAIGNS)
def campaign_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_create(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_detail(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_counts(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_poster(request: PlatformRequest, campaign_id: int, perspective: str) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404


@permission(policies.CAMPAIGNS)
def campaign_type_in(request: PlatformRequest, campaign_id: int, perspective: str) -> HttpResponse:
    selectors.get_campaign_for(request, campaign_id)
    raise Http404


@permission(policies.SETTINGS)
def settings_edit(request: PlatformRequest) -> HttpResponse:
    raise Http404
