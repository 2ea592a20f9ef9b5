"""Reads of the job board: the coordination's list (open offers first), one offer, the public page,
and the choices of the offer form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from pairs.partners.models import Organisation
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import JobOffer
from . import _int

CLOSED_SHOWN = 50


def _with_details(offers: QuerySet[JobOffer]) -> QuerySet[JobOffer]:
    return offers.select_related("commune", "organisation")


def open_jobs(platform: Platform, today: date) -> list[JobOffer]:
    """Offers still open (closing today or later), closing soonest first, published or not."""
    return list(
        _with_details(JobOffer.objects.filter(platform=platform, apply_by__gte=today)).order_by("apply_by", "id")
    )


def closed_jobs(platform: Platform, today: date) -> list[JobOffer]:
    """The most recently closed offers (``CLOSED_SHOWN`` at most)."""
    offers = JobOffer.objects.filter(platform=platform, apply_by__lt=today).order_by("-apply_by", "-id")
    return list(_with_details(offers)[:CLOSED_SHOWN])


def get_job_for(request: PlatformRequest, job_id: Any) -> JobOffer:
    """An offer of the request's platform, or 404."""
    return get_object_or_404(_with_details(JobOffer.objects.filter(platform=request.platform)), pk=_int(job_id))


def public_jobs(platform: Platform, today: date) -> list[JobOffer]:
    """The published offers still open, closing soonest first (the public page)."""
    offers = JobOffer.objects.filter(platform=platform, published=True, apply_by__gte=today)
    return list(_with_details(offers).order_by("apply_by", "id"))


def organisation_choices(platform: Platform) -> QuerySet[Organisation]:
    """The platform's partner organisations, by name."""
    return Organisation.objects.filter(platform=platform).order_by("name", "id")


def commune_choices(platform: Platform) -> QuerySet[Commune]:
    """The communes of the platform's departments, by name."""
    return Commune.objects.filter(department_code__in=platform.department_codes).order_by("name", "insee_code")
