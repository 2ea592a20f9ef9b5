"""Reads of the anonymous questionnaire: a campaign's link found by its token alone (the token is the
only key, whatever space the visitor may be signed in to)."""

from __future__ import annotations

from ..models import CampaignLink

TOKEN_MAX_LENGTH = 64


def link_by_token(token: str) -> CampaignLink | None:
    """The link with its campaign, instrument, team, organisation and platform; None when unknown.
    Call it unscoped (``pairs.platforms.tenancy.unscoped``): the link may belong to any platform."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        CampaignLink.objects.select_related("platform", "campaign__instrument", "campaign__team__organisation")
        .filter(token=token)
        .first()
    )
