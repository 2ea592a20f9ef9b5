"""Axis 1: requests from partners and the deployment workflow, an explicit state machine."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LONG_DEPLOYMENT = "long_deployment", _("Déploiement au long cours")
    ONE_OFF = "one_off", _("Intervention ponctuelle (« pied à l'étrier »)")
    HOSTING_PROJECT = "hosting_project", _("Aide au projet d'accueil d'un pair aidant")
    TEAM_SENSITISATION = "team_sensitisation", _("Sensibilisation et formation de l'équipe")
    RECRUITMENT_HELP = "recruitment_help", _("Aide au recrutement")
    INTEGRATION_SUPPORT = "integration_support", _("Accompagnement de l'intégration")
    PRACTICE_ANALYSIS = "practice_analysis", _("Analyse de pratiques pour pairs aidants isolés")


class State(models.TextChoices):
    REQUEST = "request", _("Demande")
    ANALYSIS = "analysis", _("Analyse")
    PREREQUISITES = "prerequisites", _("Prérequis")
    SENSITISATION = "sensitisation", _("Sensibilisation de l'équipe")
    ASSIGNMENT = "assignment", _("Affectation")
    INTEGRATION = "integration", _("Intégration")
    ASSESSMENT = "assessment", _("Bilan")
    RENEWAL = "renewal", _("Renouvellement")
    DIRECT_HIRE = "direct_hire", _("Transition vers l'embauche directe")
    ENDED = "ended", _("Fin")
    ABANDONED = "abandoned", _("Abandon")


class Deployment(models.Model):
    """A partner's request and, once accepted, the deployment that follows it."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="deployments", verbose_name=_("partenaire")
    )
    team = models.ForeignKey(
        "partners.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployments",
        verbose_name=_("service ou équipe"),
    )
    kind = models.CharField(_("type de demande"), max_length=30, choices=Kind.choices)
    state = models.CharField(_("étape"), max_length=20, choices=State.choices, default=State.REQUEST)
    expected_hours = models.DecimalField(
        _("heures prévues par semaine"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    rhythm = models.CharField(_("rythme souhaité"), max_length=200, blank=True)
    start_date = models.DateField(_("début souhaité"))
    end_date = models.DateField(_("fin prévue"), null=True, blank=True)
    needs = models.TextField(_("besoins, dans vos mots"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("déposée par")
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("prise en compte le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["platform", "state"]), models.Index(fields=["organisation", "-filed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="deployment_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(expected_hours__gte=0), name="deployment_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.organisation.name}"


class Transition(models.Model):
    """Who moved a deployment from one step to the next, when and why."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class PrerequisiteTemplate(models.Model):
    """The platform's prerequisites checklist (defaults from the association's plan)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(_("prérequis"), max_length=200)
    required = models.BooleanField(_("obligatoire"), default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Prerequisite(models.Model):
    """A deployment's copy of a checklist item: ticked, or overridden with a written reason."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="prerequisites")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(_("prérequis"), max_length=200)
    required = models.BooleanField(_("obligatoire"), default=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(_("motif de la dérogation"), blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def satisfied(self) -> bool:
        return self.done_at is not None or bool(self.override_reason) or not self.required
