"""The Observatoire du rétablissement and impact measures. Instruments are data, not code: a
versioned definition file (items per respondent version, response scale, reverse items,
dimensions, scoring rule, language, licence status) validated on import by the engine
(pairs/observatory/engine/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
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


# ---- Settings, campaigns and anonymous answers


class ObservatorySettings(models.Model):
    """The platform's Observatoire settings: the anonymity threshold (never below 3) and the rhythm of
    individual impact measures."""

    MIN_THRESHOLD = 3
    DEFAULT_THRESHOLD = 5

    platform = models.OneToOneField("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("seuil d'anonymat"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(30)],
        help_text=_("Aucun résultat n'est montré pour un groupe de moins de réponses que ce seuil (3 au minimum)."),
    )
    measure_interval_months = models.PositiveSmallIntegerField(
        _("rythme des mesures d'impact (mois)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=3), name="observatory_threshold_at_least_3"
            )
        ]

    def __str__(self) -> str:
        return f"Observatory settings #{self.pk}"


class Purpose(models.TextChoices):
    TEAM = "team", _("Observatoire d'une équipe partenaire")
    TRAINING = "training", _("Avant et après une formation ou une sensibilisation")


class Campaign(models.Model):
    """One wave of a questionnaire for a partner team (T0, T1…), or the before/after questionnaire of a
    training. Answers come through one anonymous link per perspective (respondent version)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("objet"), max_length=10, choices=Purpose.choices, default=Purpose.TEAM)
    team = models.ForeignKey(
        "partners.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observatory_campaigns",
        verbose_name=_("équipe partenaire"),
    )
    title = models.CharField(_("intitulé"), max_length=150)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("instrument")
    )
    perspectives = ArrayField(models.CharField(max_length=60), verbose_name=_("points de vue"))
    wave = models.PositiveSmallIntegerField(_("vague"), default=0)  # 0 is T0 (or "avant" for a training)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_waves",
        verbose_name=_("vague précédente"),
    )
    opens_on = models.DateField(_("ouverture le"))
    closes_on = models.DateField(_("clôture le"))
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)  # closed early by hand
    last_reminder_on = models.DateField(_("dernière relance le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="campaign_dates"),
            models.CheckConstraint(
                condition=~models.Q(purpose="team") | models.Q(team__isnull=False), name="campaign_team_required"
            ),
        ]
        indexes = [models.Index(fields=["platform", "closes_on"]), models.Index(fields=["team", "instrument"])]

    def __str__(self) -> str:
        return self.title

    @property
    def wave_label(self) -> str:
        if self.purpose == Purpose.TRAINING:
            return str(_("Avant")) if self.wave == 0 else str(_("Après"))
        return f"T{self.wave}"


class CampaignLink(models.Model):
    """The anonymous link of one perspective of a campaign. The token is the only key: no account."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    perspective = models.CharField(_("point de vue"), max_length=60)
    token = models.CharField(max_length=43, unique=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "perspective"], name="campaign_link_unique_perspective")
        ]

    def __str__(self) -> str:
        return f"Campaign link #{self.pk}"


class Response(models.Model):
    """One anonymous set of answers. Nothing ties it to a person: no account, no IP address, no time
    of day (the date only). ``submission_key`` is drawn when the questionnaire page is shown, so an
    answer sent twice from the same page counts once. ``values`` holds each item's scored value
    (reverse items turned round, None when missing) and ``scores`` each dimension's score, both
    computed by the engine when the answer arrives, so that results are aggregated in SQL."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    perspective = models.CharField(_("point de vue"), max_length=60)
    answers = models.JSONField(_("réponses"))
    values = models.JSONField(_("valeurs par item"))
    scores = models.JSONField(_("scores par dimension"))
    typed_in = models.BooleanField(_("saisie d'un questionnaire papier"), default=False)
    submitted_on = models.DateField(_("reçue le"))
    submission_key = models.CharField(max_length=43)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "submission_key"], name="response_counted_once")]
        indexes = [models.Index(fields=["campaign", "perspective"])]

    def __str__(self) -> str:
        return f"Response #{self.pk}"


# ---- Individual impact measures


class MeasureFiller(models.TextChoices):
    PERSON = "person", _("La personne, dans son espace")
    WITH_PEER = "with_peer", _("La personne avec son ou sa pair aidant·e")


class ImpactMeasure(models.Model):
    """One repeated measure (hope, engagement in recovery…) in a person's record, filled in by the
    person in their space or with their peer worker. The person sees their own chart; change across
    people is only shown aggregated, above the anonymity threshold."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "support.Person", on_delete=models.CASCADE, related_name="impact_measures", verbose_name=_("personne")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="measures", verbose_name=_("questionnaire")
    )
    perspective = models.CharField(_("version"), max_length=60)
    answers = models.JSONField(_("réponses"))
    values = models.JSONField(_("valeurs par item"))
    scores = models.JSONField(_("scores par dimension"))
    measured_on = models.DateField(_("date de la mesure"))
    filled_by = models.CharField(_("rempli par"), max_length=10, choices=MeasureFiller.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "id"]
        indexes = [models.Index(fields=["platform", "instrument", "person"]), models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"Impact measure #{self.pk}"
