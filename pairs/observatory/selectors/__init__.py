"""Scoped reads of the Observatoire: a platform's instruments and their permissions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.platforms.models import Platform

from ..models import Instrument, Licence, LicencePermission


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
