"""Scoped reads of the resources: existence checks for the URL map, who is asking, the public pages'
platform. The library's reads are in selectors/library.py, the job board's in selectors/jobs.py."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import Document, JobOffer


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def document_exists_in(platform: Platform, value: Any) -> bool:
    return Document.objects.filter(platform=platform, pk=_int(value)).exists()


def job_exists_in(platform: Platform, value: Any) -> bool:
    return JobOffer.objects.filter(platform=platform, pk=_int(value)).exists()


# ---- Who is asking, and the public pages' platform


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


def get_public_platform(slug: str) -> Platform:
    """An active platform by its short name (the public pages), or 404."""
    return get_object_or_404(Platform.objects.filter(is_active=True), slug=slug)
