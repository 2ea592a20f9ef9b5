"""Recovery tools: psychiatric advance directives / joint crisis plans ("plan de prévention
partagé"). The document belongs to the person; a peer worker facilitates. Content is encrypted
at rest (pairs/core/crypto.py), each finalised version is frozen, and every share is a revocable,
expiring link whose accesses are journaled."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    FINALISED = "finalised", _("Finalisé")
    SHARED = "shared", _("Partagé")
    REVOKED = "revoked", _("Révoqué")


class PlanSettings(models.Model):
    platform = models.OneToOneField("platforms.Platform", on_delete=models.PROTECT, related_name="plan_settings")
    review_months = models.PositiveSmallIntegerField(
        _("relecture proposée après (mois)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    share_days = models.PositiveSmallIntegerField(
        _("durée d'un lien de partage (jours)"), default=90, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )

    def __str__(self) -> str:
        return f"Plan settings of platform #{self.platform_id}"


class CrisisPlan(models.Model):
    """The person's document. Its content lives in versions: one working draft, frozen numbered
    finalised versions."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("support.Person", on_delete=models.PROTECT, related_name="crisis_plans")
    deployment = models.ForeignKey(
        "deployments.Deployment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suivi dans le cadre du déploiement"),
    )
    facilitator = models.ForeignKey(
        "peers.PeerProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitated_plans",
        verbose_name=_("pair aidant·e qui accompagne la rédaction"),
    )
    status = models.CharField(_("état"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    shared_with_team = models.BooleanField(_("partagé avec l'équipe de la plateforme"), default=False)
    review_due_on = models.DateField(_("relecture proposée le"), null=True, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["platform", "status"]), models.Index(fields=["platform", "review_due_on"])]

    def __str__(self) -> str:
        return f"Crisis plan #{self.pk}"


class PlanVersion(models.Model):
    """One state of the document: the draft being written (number empty), or a frozen finalised
    version (numbered 1, 2, …). The sections are one encrypted JSON document."""

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    content_encrypted = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(_("enregistré le"), auto_now=True)
    finalised_at = models.DateTimeField(_("finalisée le"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("fait à"), max_length=100, blank=True)

    class Meta:
        ordering = ["plan", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], condition=Q(number__isnull=False), name="plan_version_number_unique"
            ),
            models.UniqueConstraint(fields=["plan"], condition=Q(number__isnull=True), name="plan_one_draft"),
        ]

    def __str__(self) -> str:
        return f"Plan version #{self.pk} (n° {self.number or 'brouillon'})"

    @property
    def is_draft(self) -> bool:
        return self.number is None


class SignatureRole(models.TextChoices):
    PERSON = "person", _("La personne")
    PEER_WORKER = "peer_worker", _("Le ou la pair aidant·e")
    TRUSTED_PERSON = "trusted_person", _("La personne de confiance")
    PROFESSIONAL = "professional", _("Un·e professionnel·le")


class PlanSignature(models.Model):
    """Who confirmed a finalised version, and when (a recorded confirmation, not a handwritten one)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("qui"), max_length=20, choices=SignatureRole.choices)
    name = models.CharField(_("nom"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmé le"))

    class Meta:
        ordering = ["confirmed_at", "id"]

    def __str__(self) -> str:
        return f"Signature #{self.pk}"


class RecipientKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Un·e professionnel·le nommé·e")
    TRUSTED_PERSON = "trusted_person", _("Ma personne de confiance")
    PARTNER_TEAM = "partner_team", _("L'équipe partenaire qui me suit")
    OTHER = "other", _("Une autre personne que je choisis")


class PlanShare(models.Model):
    """A secure link to one finalised version for one named recipient: expiring, revocable, with an
    optional one-time code sent by e-mail. Too many wrong codes lock it."""

    personal_fields = ("name", "role", "service", "email")

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="shares")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="shares")
    recipient_kind = models.CharField(_("avec qui"), max_length=20, choices=RecipientKind.choices)
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    service = models.CharField(_("service"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"))
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    code_required = models.BooleanField(_("code à usage unique envoyé par e-mail"), default=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    failed_codes = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(_("bloqué le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Plan share #{self.pk}"


class AccessOutcome(models.TextChoices):
    OPENED = "opened", _("Document consulté")
    CODE_SENT = "code_sent", _("Code envoyé")
    CODE_FAILED = "code_failed", _("Code erroné")
    LOCKED = "locked", _("Lien bloqué après trop de codes erronés")
    REFUSED = "refused", _("Lien plus valable")
    CARD = "card", _("Carte consultée")


class PlanAccess(models.Model):
    """Each use of a share link, shown to the person ("consulté par … le …")."""

    share = models.ForeignKey(PlanShare, on_delete=models.CASCADE, related_name="accesses")
    outcome = models.CharField(max_length=12, choices=AccessOutcome.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Plan access #{self.pk}"


class FacilitationSession(models.Model):
    """A sitting where a peer worker helped write the plan (feeds the activity log and reports)."""

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="sessions")
    peer = models.ForeignKey("peers.PeerProfile", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    activity_entry = models.OneToOneField(
        "peers.ActivityEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Facilitation session #{self.pk}"


class CrisisEvent(models.Model):
    """A crisis recorded for the person: proposes a review of the plan, and counts whether the plan
    was used."""

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="crises")
    occurred_on = models.DateField(_("date de la crise"))
    plan_used = models.BooleanField(_("le plan a servi"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"Crisis event #{self.pk}"
