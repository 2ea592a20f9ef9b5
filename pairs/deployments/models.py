"""Axis 1: requests from partners and the deployment workflow, an explicit state machine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pairs.peers.models import DayPart, Weekday


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
    # Half-days the partner would like, as "weekday:part" ("1:morning" is Tuesday morning).
    requested_slots = ArrayField(
        models.CharField(max_length=12), default=list, blank=True, verbose_name=_("créneaux souhaités")
    )
    skills = models.ManyToManyField(
        "peers.Skill", blank=True, related_name="+", verbose_name=_("compétences recherchées")
    )
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


# ---- Assignment: peer workers placed in the deployment, with their weekly schedule


class Assignment(models.Model):
    """A peer worker placed in a deployment, with weekly hours and half-days (their schedule)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="assignments")
    profile = models.ForeignKey(
        "peers.PeerProfile", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("pair aidant·e")
    )
    weekly_hours = models.DecimalField(
        _("heures par semaine"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("48"))],
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["platform", "profile"])]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "profile"], name="assignment_unique_worker"),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gt=0) & models.Q(weekly_hours__lte=48),
                name="assignment_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Assignment #{self.pk}"

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class AssignmentSlot(models.Model):
    """A half-day of the week the worker spends in the partner's team."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    part = models.CharField(_("moment"), max_length=10, choices=DayPart.choices)

    class Meta:
        ordering = ["weekday", "part"]
        constraints = [models.UniqueConstraint(fields=["assignment", "weekday", "part"], name="assignment_slot_unique")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_part_display()}"


# ---- Per-platform settings of axis 1


def default_review_months() -> list[int]:
    return [1, 3, 6]


class DeploymentSettings(models.Model):
    """When joint reviews fall, when reminders leave, and the hours kept for one-off work."""

    platform = models.OneToOneField("platforms.Platform", on_delete=models.PROTECT, related_name="deployment_settings")
    review_months = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_review_months,
        verbose_name=_("points de suivi conjoint (mois après le début de l'intégration)"),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("rappel envoyé (jours avant le point de suivi)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    one_off_hours_per_month = models.DecimalField(
        _("heures gardées chaque mois pour les interventions ponctuelles"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5000"))],
    )

    def __str__(self) -> str:
        return f"Deployment settings of platform #{self.platform_id}"


# ---- Joint follow-up reviews (suivi conjoint)


class Review(models.Model):
    """A joint follow-up review with the partner, the peer worker(s) and the coordination."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="reviews")
    planned_on = models.DateField(_("date prévue"))
    held_on = models.DateField(_("date du point"), null=True, blank=True)
    attendees = models.TextField(_("présent·es"), blank=True)
    what_works = models.TextField(_("ce qui fonctionne"), blank=True)
    what_does_not = models.TextField(_("ce qui fonctionne moins bien"), blank=True)
    decisions = models.TextField(_("décisions"), blank=True)
    next_on = models.DateField(_("prochain point"), null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_on", "id"]
        indexes = [
            models.Index(
                fields=["platform", "planned_on"], condition=models.Q(held_on__isnull=True), name="review_open"
            )
        ]

    def __str__(self) -> str:
        return f"Review #{self.pk} ({self.planned_on})"


# ---- Success criteria, the assessment (bilan) and the transition to direct hiring


class SuccessCriterionTemplate(models.Model):
    """The platform's success criteria, scored at every assessment."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(_("critère de réussite"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Score(models.IntegerChoices):
    NOT_MET = 1, _("Non atteint")
    PARTLY = 2, _("Partiellement atteint")
    MET = 3, _("Atteint")
    EXCEEDED = 4, _("Dépassé")


class Outcome(models.TextChoices):
    RENEWAL = "renewal", _("Renouveler le déploiement")
    DIRECT_HIRE = "direct_hire", _("Préparer l'embauche directe par le partenaire")
    ENDED = "ended", _("Mettre fin au déploiement")


class Assessment(models.Model):
    """The bilan: each success criterion scored, a summary and the outcome proposed."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="assessments")
    held_on = models.DateField(_("date du bilan"))
    summary = models.TextField(_("synthèse"), blank=True)
    outcome = models.CharField(_("suite proposée"), max_length=20, choices=Outcome.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Assessment #{self.pk} ({self.held_on})"


class AssessmentScore(models.Model):
    """One criterion of a bilan (a copy of the platform's criterion at the time), scored."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(_("critère"), max_length=200)
    score = models.PositiveSmallIntegerField(_("appréciation"), choices=Score.choices, null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class TransitionPlan(models.Model):
    """The plan of the partner's direct hiring of the peer worker (pépinière, tremplin)."""

    deployment = models.OneToOneField(Deployment, on_delete=models.CASCADE, related_name="transition_plan")
    target_date = models.DateField(_("date visée pour l'embauche directe"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Transition plan #{self.pk}"


class TransitionTask(models.Model):
    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(_("étape de la transition"), max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


# ---- Contracts (conventions) and hours


class HoursBasis(models.TextChoices):
    WEEKLY = "weekly", _("Heures par semaine")
    TOTAL = "total", _("Heures au total")


class Pricing(models.TextChoices):
    HOURLY = "hourly", _("Prix à l'heure")
    FLAT = "flat", _("Forfait")


class Contract(models.Model):
    """The convention signed with the partner: hours, dates, price, and the signed PDF."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("référence"), max_length=60, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    hours_basis = models.CharField(_("heures prévues"), max_length=10, choices=HoursBasis.choices)
    hours = models.DecimalField(
        _("nombre d'heures"), max_digits=7, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    pricing = models.CharField(_("tarif"), max_length=10, choices=Pricing.choices)
    hourly_price = models.DecimalField(_("prix de l'heure (€)"), max_digits=7, decimal_places=2, null=True, blank=True)
    flat_fee = models.DecimalField(_("forfait (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    signed_document = models.FileField(_("convention signée (PDF)"), upload_to="deployments/contracts/", blank=True)
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="contract_end_after_start"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="contract_hours_positive"),
            models.CheckConstraint(
                condition=(models.Q(pricing="hourly") & models.Q(hourly_price__isnull=False))
                | (models.Q(pricing="flat") & models.Q(flat_fee__isnull=False)),
                name="contract_price_given",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Convention #{self.pk}"


# ---- Reads shared by services and selectors


def settings_for(platform_id: int) -> DeploymentSettings:
    """The platform's settings of axis 1, or an unsaved row with the defaults."""
    found = DeploymentSettings.objects.filter(platform_id=platform_id).first()
    return found or DeploymentSettings(platform_id=platform_id)


def has_current_assignment(deployment: Deployment, day: date | None = None) -> bool:
    """At least one peer worker placed in the deployment and not yet gone."""
    qs = Assignment.objects.filter(deployment=deployment)
    if day is not None:
        qs = qs.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))
    return qs.exists()


def current_assessment(deployment: Deployment) -> Assessment | None:
    """The bilan of the deployment's latest stay at the "Bilan" step (an earlier bilan, before a
    renewal, stays as it was and does not count for the next decision)."""
    entered = (
        Transition.objects.filter(deployment=deployment, to_state=State.ASSESSMENT)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    rows = Assessment.objects.filter(deployment=deployment).select_related("by")
    if entered is not None:
        rows = rows.filter(created_at__gte=entered)
    return rows.order_by("-created_at", "-id").first()


def assessment_is_complete(assessment: Assessment | None) -> bool:
    """A bilan counts once every criterion is scored (and it has at least one criterion)."""
    if assessment is None:
        return False
    scores = AssessmentScore.objects.filter(assessment=assessment)
    return scores.exists() and not scores.filter(score__isnull=True).exists()
