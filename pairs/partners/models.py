"""Partner organisations of a platform, their teams and their contacts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PSYCHIATRIC_HOSPITAL = "psychiatric_hospital", _("Établissement de santé mentale")
    MEDICO_SOCIAL = "medico_social", _("Médico-social")
    SOCIAL = "social", _("Social")
    PRIMARY_CARE = "primary_care", _("Soins primaires (CPTS, centre de santé)")
    EDUCATION = "education", _("Établissement d'enseignement ou de formation")
    GEM = "gem", _("GEM (groupe d'entraide mutuelle)")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité")
    OTHER = "other", _("Autre")


class Organisation(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nom"), max_length=150)
    sector = models.CharField(_("secteur"), max_length=30, choices=Sector.choices)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="organisation_unique_name")]
        indexes = [models.Index(fields=["platform", "sector"])]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A service or team of a partner organisation (a ward, a CMP, a day hospital…)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("service ou équipe"), max_length=150)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune (si différente)"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.organisation.name} – {self.name}"


class Contact(models.Model):
    """A person to talk to at a partner; may hold a partner-contact account for that organisation."""

    personal_fields = ("first_name", "last_name", "email", "phone", "job_title")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    job_title = models.CharField(_("fonction"), max_length=120, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    membership = models.OneToOneField(
        "platforms.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name=_("compte partenaire"),
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
