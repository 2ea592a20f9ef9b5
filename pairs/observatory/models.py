"""The Observatoire du rétablissement and impact measures. Instruments are data, not code: a
versioned definition file (items per respondent version, response scale, reverse items,
dimensions, scoring rule, language, licence status) validated on import by the engine
(pairs/observatory/engine/)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    FREE = "free", _("Libre")
    PERMISSION = "permission", _("Autorisation des auteurs nécessaire")
    LICENCE = "licence", _("Licence nécessaire")


class Instrument(models.Model):
    """One version of a questionnaire instrument, as imported by a platform."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=30)
    name = models.CharField(_("nom"), max_length=200)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    licence = models.CharField(_("licence"), max_length=12, choices=Licence.choices)
    is_demo = models.BooleanField(_("instrument de démonstration, non validé"), default=False)
    definition = models.JSONField(_("définition"))  # the validated definition (engine.Definition.as_dict())
    source_text = models.TextField(_("fichier importé"))  # the file as imported, for the record
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(_("proposé pour les campagnes"), default=True)

    class Meta:
        ordering = ["name", "version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "code", "version"], name="instrument_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class LicencePermission(models.Model):
    """The platform's record that it obtained the permission or licence an instrument needs."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="permissions")
    reference = models.CharField(
        _("référence de l'autorisation"),
        max_length=300,
        help_text=_("Par exemple « Accord écrit des auteurs, courriel du 12 mars 2026 »."),
    )
    granted_on = models.DateField(_("accordée le"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return f"Licence permission #{self.pk}"
