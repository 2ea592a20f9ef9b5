"""Scoped reads of the resources: existence checks for the URL map."""

from __future__ import annotations

from typing import Any

from pairs.platforms.models import Platform

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
