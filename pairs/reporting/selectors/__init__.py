"""Scoped reads of reporting: existence checks for the URL map, a platform's reports."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform

from ..models import YearlyReport


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def report_exists_in(platform: Platform, value: Any) -> bool:
    return YearlyReport.objects.filter(platform=platform, pk=_int(value)).exists()


def get_report_for(request: PlatformRequest, report_id: Any) -> YearlyReport:
    return get_object_or_404(YearlyReport.objects.filter(platform=request.platform), pk=_int(report_id))
