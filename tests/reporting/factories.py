"""Factories of reporting: a yearly report (done by default, without files). Fake data only."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from pairs.reporting.models import ReportStatus, YearlyReport
from tests.factories import PlatformFactory, UserFactory


class YearlyReportFactory(DjangoModelFactory[YearlyReport]):
    class Meta:
        model = YearlyReport

    platform = factory.SubFactory(PlatformFactory)
    year = 2025
    status = ReportStatus.DONE
    progress = 100
    requested_by = factory.SubFactory(UserFactory)
