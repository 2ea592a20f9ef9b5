"""Reporting: the yearly activity report for the funder, generated as a background job with visible
progress, kept with its PDF and XLSX; the narrative sections a coordinator writes before generating.
Dashboards, territorial equity and the network view are computed in SQL, with no table of their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")


class YearlyReport(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"))
    status = models.CharField(_("état"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    step = models.CharField(_("étape"), max_length=120, blank=True)
    narratives = models.JSONField(_("textes"), default=dict)  # the narrative sections as they were generated
    pdf = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)
    error = models.CharField(_("erreur"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A report asked twice at once is one job: one queued or running report per platform and year.
            models.UniqueConstraint(
                fields=["platform", "year"],
                condition=Q(status__in=["queued", "running"]),
                name="yearly_report_one_in_progress",
            )
        ]

    def __str__(self) -> str:
        return f"Yearly report #{self.pk}"


class Narrative(models.Model):
    """A narrative section of a year's report, written by a coordinator before generating."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"))
    section = models.CharField(_("partie"), max_length=40)
    text = models.TextField(_("texte"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "section"]
        constraints = [models.UniqueConstraint(fields=["platform", "year", "section"], name="narrative_unique_section")]

    def __str__(self) -> str:
        return f"Narrative #{self.pk}"
