"""Scoped reads of the Observatoire: a platform's instruments and their permissions, the campaigns a
user may see, the settings and the anonymity threshold."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.partners.selectors import own_contact
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import Campaign, Instrument, Licence, LicencePermission, ObservatorySettings


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def instrument_exists_in(platform: Platform, value: Any) -> bool:
    return Instrument.objects.filter(platform=platform, pk=_int(value)).exists()


def instruments_of(platform: Platform) -> QuerySet[Instrument]:
    """The platform's instruments, each annotated with ``permitted``: free, or a permission on record
    that is still valid today."""
    today = timezone.localdate()
    valid = LicencePermission.objects.filter(instrument_id=OuterRef("pk"), granted_on__lte=today).exclude(
        valid_until__lt=today
    )
    return Instrument.objects.filter(platform=platform).annotate(has_permission=Exists(valid))


def get_instrument_for(platform: Platform, instrument_id: Any) -> Instrument:
    return get_object_or_404(instruments_of(platform), pk=_int(instrument_id))


def is_usable(instrument: Instrument) -> bool:
    """An instrument may be used in a campaign when it is free or its permission is on record."""
    return instrument.licence == Licence.FREE or bool(getattr(instrument, "has_permission", False))


# ---- Campaigns: scoping, settings


def campaign_exists_in(platform: Platform, value: Any) -> bool:
    return Campaign.objects.filter(platform=platform, pk=_int(value)).exists()


def visible_campaigns(request: PlatformRequest) -> QuerySet[Campaign]:
    """The coordination sees every campaign of the platform; a partner contact the campaigns of their
    organisation's teams; anyone else none."""
    qs = Campaign.objects.filter(platform=request.platform)
    membership = request.membership
    if membership is not None and membership.role == Role.COORDINATOR:
        return qs
    contact = own_contact(request)
    return qs.filter(team__organisation_id=contact.organisation_id) if contact else qs.none()


def get_campaign_for(request: PlatformRequest, campaign_id: Any) -> Campaign:
    return get_object_or_404(
        visible_campaigns(request).select_related("instrument", "team__organisation", "previous"),
        pk=_int(campaign_id),
    )


def settings_of(platform: Platform) -> ObservatorySettings:
    """The platform's settings; the defaults (unsaved) when it never changed them."""
    found = ObservatorySettings.objects.filter(platform=platform).first()
    return found or ObservatorySettings(platform=platform)


def threshold_of(platform: Platform) -> int:
    """The anonymity threshold: no result for a group with fewer answers (never below 3)."""
    return max(settings_of(platform).anonymity_threshold, ObservatorySettings.MIN_THRESHOLD)
