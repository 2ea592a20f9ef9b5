from django.db import models
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    """A French commune (reference open data, shared by every platform)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    epci_code = models.CharField(_("code EPCI"), max_length=9, blank=True)
    epci_name = models.CharField(_("intercommunalité"), max_length=150, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")

    def __str__(self) -> str:
        return f"{self.name} ({self.department_code})"
