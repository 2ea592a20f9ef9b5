"""Scoped reads of the campaign pages: the list with each campaign's number of answers, the teams and
instruments a user may launch a campaign with, each perspective's link and counts, and a campaign's
state in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.partners.models import Team
from pairs.partners.selectors import own_contact
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..engine import Definition
from ..models import Campaign, CampaignLink, Instrument, Response
from . import _int, instruments_of, visible_campaigns
from .instruments import definition_of

UPCOMING = "upcoming"
OPEN = "open"
CLOSED = "closed"


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


def state_of(campaign: Campaign, today: date | None = None) -> str:
    """``upcoming`` before the opening date, ``open`` while answers are taken, else ``closed`` (past
    its closing date, or closed early by hand)."""
    day = today or timezone.localdate()
    if campaign.closed_at is not None or campaign.closes_on < day:
        return CLOSED
    if campaign.opens_on > day:
        return UPCOMING
    return OPEN


def state_label(state: str) -> str:
    return {UPCOMING: _("à venir"), OPEN: _("ouverte"), CLOSED: _("close")}[state]


def campaign_rows(request: PlatformRequest) -> QuerySet[Campaign]:
    """The campaigns the user may see, each with its team, instrument and ``answer_count``, in one query."""
    return (
        visible_campaigns(request)
        .select_related("team__organisation", "instrument")
        .defer("instrument__definition", "instrument__source_text")
        .annotate(answer_count=Count("responses"))
        .order_by("-opens_on", "-id")
    )


def teams_for(request: PlatformRequest) -> QuerySet[Team]:
    """The teams a campaign may be launched for: every team of the platform for the coordination, the
    teams of their own organisation for a partner contact, none for anyone else."""
    qs = Team.objects.filter(platform=request.platform).select_related("organisation")
    qs = qs.order_by("organisation__name", "name", "pk")
    if is_coordinator(request):
        return qs
    contact = own_contact(request)
    return qs.filter(organisation_id=contact.organisation_id) if contact else qs.none()


def campaign_instruments(platform: Platform) -> QuerySet[Instrument]:
    """The instruments offered for new campaigns, each with ``has_permission`` (see ``is_usable``)."""
    return instruments_of(platform).filter(active=True).defer("source_text").order_by("name", "version", "id")


def get_campaign_instrument(platform: Platform, value: Any) -> Instrument | None:
    """One instrument offered for campaigns, or None."""
    pk = _int(value)
    if not pk:
        return None
    return campaign_instruments(platform).filter(pk=pk).first()


def find_campaign_for(request: PlatformRequest, value: Any) -> Campaign | None:
    """A campaign the user may see, or None (for a ``?after=`` that names nothing visible)."""
    pk = _int(value)
    if not pk:
        return None
    return visible_campaigns(request).select_related("instrument", "team__organisation").filter(pk=pk).first()


def perspective_choices(instrument: Instrument | None) -> list[tuple[str, str]]:
    """The respondent versions of an instrument, as (key, label)."""
    if instrument is None:
        return []
    definition = definition_of(instrument)
    if definition is None:
        return []
    return [(version.key, version.label) for version in definition.versions]


def answer_url(token: str) -> str:
    """The full anonymous link of a perspective, to be handed out."""
    return settings.SITE_URL.rstrip("/") + reverse("observatory:answer", kwargs={"answer_token": token})


@dataclass(frozen=True)
class PerspectiveRow:
    """One perspective of a campaign as the follow-up page shows it."""

    key: str
    label: str
    url: str
    count: int
    typed_in: int
    missing: int  # answers still needed before this perspective's results can be shown

    @property
    def enough(self) -> bool:
        return self.missing == 0


def _labels(campaign: Campaign) -> dict[str, str]:
    definition: Definition | None = definition_of(campaign.instrument)
    if definition is None:
        return {}
    return {version.key: version.label for version in definition.versions}


def perspective_rows(campaign: Campaign, *, threshold: int) -> list[PerspectiveRow]:
    """Each perspective of the campaign, in the campaign's order, with its link and its counts, in
    two queries. ``threshold`` is the platform's anonymity threshold (``threshold_of``)."""
    tokens = dict(CampaignLink.objects.filter(campaign=campaign).values_list("perspective", "token"))
    counts = {
        row["perspective"]: (row["n"], row["typed"])
        for row in Response.objects.filter(campaign=campaign)
        .values("perspective")
        .annotate(n=Count("id"), typed=Count("id", filter=Q(typed_in=True)))
        .order_by()
    }
    labels = _labels(campaign)
    rows = []
    for key in campaign.perspectives:
        count, typed = counts.get(key, (0, 0))
        token = tokens.get(key)
        rows.append(
            PerspectiveRow(
                key=key,
                label=labels.get(key, key),
                url=answer_url(token) if token else "",
                count=count,
                typed_in=typed,
                missing=max(threshold - count, 0),
            )
        )
    return rows


def link_for(campaign: Campaign, perspective: str) -> CampaignLink:
    """The link of one perspective of the campaign (404 for a perspective it does not have)."""
    if perspective not in campaign.perspectives:
        raise Http404
    return get_object_or_404(CampaignLink.objects.filter(campaign=campaign), perspective=perspective)
