"""The territory's shared resources: a library of documents and links (guides, templates, the
hosting-prerequisites checklist, recruitment kits) by topic and audience with visibility rules and
French full-text search, and a board of peer-worker job offers from partners."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    PROFESSION = "profession", _("Le métier de pair aidant·e")
    RECOVERY = "recovery", _("Rétablissement")
    CRISIS_PLANS = "crisis_plans", _("Plans de crise et directives anticipées")
    HOSTING = "hosting", _("Accueillir un·e pair aidant·e dans une équipe")
    RECRUITMENT = "recruitment", _("Recrutement")
    TRAINING = "training", _("Formation")
    RIGHTS = "rights", _("Droits et démarches")
    FAMILIES = "families", _("Proches et familles")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Tout public")
    PEOPLE = "people", _("Personnes concernées")
    RELATIVES = "relatives", _("Proches")
    PEER_WORKERS = "peer_workers", _("Pairs aidant·es")
    PROFESSIONALS = "professionals", _("Professionnel·les et équipes")
    MANAGERS = "managers", _("Directions et cadres")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partenaires et équipe de la plateforme")
    PEERS = "peers", _("Pairs aidant·es et équipe de la plateforme")
    STAFF = "staff", _("Équipe de la plateforme seulement")


class Document(models.Model):
    """A document (an uploaded file, type-checked and size-limited) or a link. ``search`` is the
    French full-text vector (accents ignored, words stemmed) of the title and summary."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True)
    topic = models.CharField(_("thème"), max_length=20, choices=Topic.choices)
    audience = models.CharField(_("pour qui"), max_length=20, choices=Audience.choices)
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices)
    file = models.FileField(_("fichier"), upload_to="resources/", blank=True)
    file_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)  # the name shown on download
    file_size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(_("lien"), blank=True)
    token = models.CharField(max_length=43, unique=True)  # public download link of a public document
    search = SearchVectorField(null=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            GinIndex(fields=["search"], name="resources_document_search"),
            models.Index(fields=["platform", "visibility", "topic"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(file="") | ~models.Q(url=""), name="document_file_or_link")
        ]

    def __str__(self) -> str:
        return self.title


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("CDI")
    FIXED_TERM = "fixed_term", _("CDD")
    FREELANCE = "freelance", _("Indépendant·e, vacations")
    VOLUNTEER = "volunteer", _("Bénévolat")
    INTERNSHIP = "internship", _("Stage")


class JobOffer(models.Model):
    """A peer-worker job offer from a partner (or another employer of the territory), posted by the
    coordination: on a public page, and sent to the intervision circle."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_offers",
        verbose_name=_("partenaire"),
    )
    employer = models.CharField(_("employeur"), max_length=150)
    title = models.CharField(_("intitulé du poste"), max_length=150)
    description = models.TextField(_("description"))
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    contract = models.CharField(_("contrat"), max_length=12, choices=Contract.choices)
    hours_per_week = models.DecimalField(_("heures par semaine"), max_digits=4, decimal_places=1, null=True, blank=True)
    starts_on = models.DateField(_("prise de poste"), null=True, blank=True)
    apply_by = models.DateField(_("candidater avant le"))
    how_to_apply = models.TextField(_("comment candidater"))
    published = models.BooleanField(_("publiée"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["apply_by", "id"]
        indexes = [models.Index(fields=["platform", "published", "apply_by"])]

    def __str__(self) -> str:
        return self.title
