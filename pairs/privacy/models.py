"""Retention settings chosen by a platform, and the state of the anonymisation job.

The other apps' models are never changed: whether a record was anonymised, and whether its
coordinators were warned, is kept here, keyed by the record's type and id."""

from __future__ import annotations

from django.db import models


class PrivacySettings(models.Model):
    """The durations a platform chose, in months, by rule key (see retention.py). A rule missing
    from ``overrides`` uses its default duration."""

    platform = models.OneToOneField("platforms.Platform", on_delete=models.PROTECT, related_name="privacy_settings")
    overrides = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Privacy settings of platform #{self.platform_id}"


class AnonymisedRecord(models.Model):
    """A record the job anonymised: it is never processed twice."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)  # label_lower, e.g. "support.person"
    object_id = models.BigIntegerField()
    number = models.PositiveIntegerField(null=True, blank=True)  # "Personne anonymisée n° N"
    anonymised_at = models.DateTimeField()

    class Meta:
        ordering = ["anonymised_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="privacy_anonymised_once"),
        ]
        indexes = [models.Index(fields=["platform", "object_type"])]

    def __str__(self) -> str:
        return f"Anonymised {self.object_type} #{self.object_id}"


class RetentionWarning(models.Model):
    """A record whose end of retention was announced to the coordinators (once per due date)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    due_on = models.DateField()
    warned_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id", "due_on"], name="privacy_warned_once"),
        ]

    def __str__(self) -> str:
        return f"Retention warning for {self.object_type} #{self.object_id}"
