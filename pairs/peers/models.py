"""The peer worker pool (vivier): profiles, availability, onboarding, training, supervision,
career reviews, the activity log and the workload thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeerStatus(models.TextChoices):
    SALARIED = "salaried", _("Salarié·e")
    FREELANCE = "freelance", _("Indépendant·e")
    VOLUNTEER = "volunteer", _("Bénévole")
    FORMER_EMPLOYEE = "former_employee", _("Ancien·ne salarié·e")
    PATIENT_EXPERT = "patient_expert", _("Patient·e expert·e")
    DU_INTERN = "du_intern", _("Stagiaire DU")


class Skill(models.Model):
    """A skill of the platform's catalogue (the coordinator edits it)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("compétence"), max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="skill_unique_name")]

    def __str__(self) -> str:
        return self.name


class PeerProfile(models.Model):
    """A peer worker of the platform: one per peer-worker role."""

    personal_fields = ("presentation", "experiential_themes", "background", "photo", "home_commune", "languages")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    membership = models.OneToOneField(
        "platforms.Membership", on_delete=models.PROTECT, related_name="peer_profile", verbose_name=_("compte")
    )
    status = models.CharField(_("statut"), max_length=20, choices=PeerStatus.choices, default=PeerStatus.SALARIED)
    status_start = models.DateField(_("début"), default=date.today)
    status_end = models.DateField(_("fin"), null=True, blank=True)
    contract_hours = models.DecimalField(
        _("heures par semaine au contrat"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("48"))],
    )
    home_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune de résidence"),
    )
    zones = models.ManyToManyField(
        "territory.Commune", blank=True, related_name="+", verbose_name=_("communes couvertes")
    )
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=_("langues"))
    gender = models.CharField(
        _("genre"),
        max_length=10,
        choices=[("woman", _("Femme")), ("man", _("Homme")), ("other", _("Autre"))],
        blank=True,
        help_text=_("Facultatif : sert seulement quand une personne préfère rencontrer une femme ou un homme."),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="peers", verbose_name=_("compétences"))
    background = models.TextField(_("parcours professionnel"), blank=True)
    experiential_themes = models.TextField(
        _("thèmes d'expérience que je choisis de partager"),
        blank=True,
        help_text=_("Facultatif, et seulement ce que vous choisissez de dire. Aucun diagnostic n'est demandé."),
    )
    presentation = models.TextField(_("présentation"), blank=True)
    presentation_published = models.BooleanField(_("présentation publiée"), default=False)
    photo = models.FileField(_("photo"), upload_to="peers/photos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["platform", "status"])]

    def __str__(self) -> str:
        return str(self.membership.user.display_name)

    def is_active_on(self, day: date) -> bool:
        return self.status_start <= day and (self.status_end is None or self.status_end >= day)


class DayPart(models.TextChoices):
    MORNING = "morning", _("Matin")
    AFTERNOON = "afternoon", _("Après-midi")
    EVENING = "evening", _("Soir")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Lundi")
    TUESDAY = 1, _("Mardi")
    WEDNESDAY = 2, _("Mercredi")
    THURSDAY = 3, _("Jeudi")
    FRIDAY = 4, _("Vendredi")
    SATURDAY = 5, _("Samedi")
    SUNDAY = 6, _("Dimanche")


class AvailabilitySlot(models.Model):
    """The weekly recurring pattern: a half-day when the worker is usually available."""

    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    part = models.CharField(_("moment"), max_length=10, choices=DayPart.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "weekday", "part"], name="slot_unique")]
        ordering = ["weekday", "part"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_part_display()}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Congé")
    SICKNESS = "sickness", _("Arrêt maladie")
    TRAINING = "training", _("Formation")
    OTHER = "other", _("Autre indisponibilité")


class AvailabilityException(models.Model):
    """A period when the worker is not available; two periods of a worker never overlap."""

    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="exceptions")
    period = DateRangeField(_("période"))
    kind = models.CharField(_("motif"), max_length=10, choices=AbsenceKind.choices)

    class Meta:
        ordering = ["period"]
        constraints = [
            ExclusionConstraint(
                name="availability_exception_no_overlap",
                expressions=[("profile", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


class OnboardingStepTemplate(models.Model):
    """A step of the platform's onboarding path template."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Formation")
        INTERVIEW = "interview", _("Entretien avec un·e collègue")
        SHADOWING = "shadowing", _("Immersion sur un site partenaire")
        TOOLS = "tools", _("Formation aux outils de rétablissement")
        OTHER = "other", _("Autre")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)
    title = models.CharField(_("étape"), max_length=150)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    due_after_days = models.PositiveSmallIntegerField(_("à faire sous (jours)"), default=30)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Onboarding(models.Model):
    """A new worker's onboarding path, with a tutor (an experienced peer worker)."""

    profile = models.OneToOneField(PeerProfile, on_delete=models.CASCADE, related_name="onboarding")
    tutor = models.ForeignKey(
        PeerProfile, on_delete=models.PROTECT, related_name="tutored", verbose_name=_("tuteur ou tutrice")
    )
    started_on = models.DateField(_("début du parcours"), default=date.today)

    def __str__(self) -> str:
        return f"Onboarding #{self.pk}"


class OnboardingStep(models.Model):
    onboarding = models.ForeignKey(Onboarding, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("étape"), max_length=150)
    kind = models.CharField(_("type"), max_length=12, choices=OnboardingStepTemplate.Kind.choices)
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("faite le"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="onboarding_step_open")]

    def __str__(self) -> str:
        return self.title


class TrainingRecord(models.Model):
    """A diploma or a training followed by the worker."""

    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("intitulé"), max_length=200)
    organisation = models.CharField(_("organisme"), max_length=150, blank=True)
    is_diploma = models.BooleanField(_("diplôme"), default=False)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    hours = models.DecimalField(_("heures"), max_digits=6, decimal_places=1, default=Decimal("0"))

    class Meta:
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return self.title


class SupervisionSession(models.Model):
    """A supervision or intervision session. No content notes: confidentiality is the point."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Supervision")
        INTERVISION = "intervision", _("Intervision")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    facilitator = models.CharField(_("animation"), max_length=150)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=120)
    attendees = models.ManyToManyField(
        PeerProfile, blank=True, related_name="supervisions", verbose_name=_("présent·es")
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["platform", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class CareerReview(models.Model):
    """The yearly career review (entretien professionnel): the worker and coordinators only."""

    personal_fields = ("wishes", "skills_to_develop", "planned_trainings", "desired_missions")

    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="career_reviews")
    held_on = models.DateField(_("date de l'entretien"))
    wishes = models.TextField(_("souhaits d'évolution"), blank=True)
    skills_to_develop = models.TextField(_("compétences à développer"), blank=True)
    planned_trainings = models.TextField(_("formations prévues"), blank=True)
    desired_missions = models.TextField(_("missions souhaitées"), blank=True)
    next_review_on = models.DateField(_("prochain entretien"))
    reminder_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Career review #{self.pk} ({self.held_on})"


class ActivityType(models.Model):
    """The platform's catalogue of activity types (seeded from the source documents)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    label = models.CharField(_("type d'activité"), max_length=80)
    crisis_related = models.BooleanField(_("lié aux situations de crise"), default=False)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "label"]
        constraints = [models.UniqueConstraint(fields=["platform", "code"], name="activity_type_unique_code")]

    def __str__(self) -> str:
        return self.label


class ActivityEntry(models.Model):
    """One piece of logged work: the single source of hours everywhere."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    profile = models.ForeignKey(PeerProfile, on_delete=models.PROTECT, related_name="activities")
    day = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, verbose_name=_("type"))
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    remote = models.BooleanField(_("à distance"), default=False)
    workplace = models.CharField(
        _("lieu de travail"),
        max_length=120,
        blank=True,
        help_text=_("Le lieu ou l'équipe (par exemple « CMP Villeurbanne »), jamais le nom d'une personne."),
    )
    travel_minutes = models.PositiveSmallIntegerField(
        _("temps de trajet (minutes)"), default=0, validators=[MaxValueValidator(12 * 60)]
    )
    # The partner deployment the work was done for: the source of "hours delivered". The pool
    # reads it as data only (see docs/decisions/0011); it never imports the deployments app.
    assignment = models.ForeignKey(
        "deployments.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("déploiement"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["platform", "profile", "day"]), models.Index(fields=["platform", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=1440), name="activity_duration_range"
            ),
            models.CheckConstraint(condition=Q(remote=True) | Q(commune__isnull=False), name="activity_place_given"),
        ]

    def __str__(self) -> str:
        return f"Activity #{self.pk} ({self.day}, {self.duration_minutes} min)"


class PoolSettings(models.Model):
    """Per-platform thresholds of the workload and sustainability alerts."""

    platform = models.OneToOneField("platforms.Platform", on_delete=models.PROTECT, related_name="pool_settings")
    max_workplaces_per_week = models.PositiveSmallIntegerField(_("lieux de travail distincts par semaine"), default=3)
    max_hours_ratio_percent = models.PositiveSmallIntegerField(_("heures au-delà du contrat (%)"), default=110)
    max_weeks_without_supervision = models.PositiveSmallIntegerField(
        _("semaines sans supervision ni intervision"), default=6
    )

    def __str__(self) -> str:
        return f"Pool settings of platform #{self.platform_id}"


class InternRecord(models.Model):
    """A DU intern hosted by the platform: their university, dates, tutor (an experienced peer worker,
    who sees their interns), learning goals and evaluation milestones."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    profile = models.OneToOneField(
        PeerProfile, on_delete=models.CASCADE, related_name="internship", verbose_name=_("stagiaire")
    )
    university = models.CharField(_("université"), max_length=150)
    diploma = models.CharField(_("diplôme préparé"), max_length=150, blank=True)
    starts_on = models.DateField(_("début du stage"))
    ends_on = models.DateField(_("fin du stage"))
    tutor = models.ForeignKey(
        PeerProfile, on_delete=models.PROTECT, related_name="interns", verbose_name=_("tuteur ou tutrice")
    )
    learning_goals = models.TextField(_("objectifs d'apprentissage"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="intern_dates"),
        ]

    def __str__(self) -> str:
        return f"Intern record #{self.pk}"


class InternMilestone(models.Model):
    """An evaluation milestone of an internship (mid-term review, final evaluation…)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(InternRecord, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("étape d'évaluation"), max_length=150)
    due_on = models.DateField(_("prévue le"))
    done_on = models.DateField(_("faite le"), null=True, blank=True)
    evaluation = models.TextField(_("bilan"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title
