"""Axis 2, the territory's resource for peer support: information sessions on the profession,
recovery-oriented training programmes for whole teams, sensitisations, intervision open to the
territory's peer workers, DU teaching and groups for the public. A public agenda with registration
(no account), capacity and a waiting list, reminders, attendance taken on a phone, hours written to
the trainers' activity log, attendance certificates, feedback through the Observatoire's instruments;
and the intervision circle of the territory's peer workers who are not employed by the platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INFO_SESSION = "info_session", _("Réunion d'information sur le métier de pair aidant·e")
    TRAINING = "training", _("Formation aux pratiques orientées rétablissement")
    SENSITISATION = "sensitisation", _("Sensibilisation")
    INTERVISION = "intervision", _("Intervision")
    DU_TEACHING = "du_teaching", _("Enseignement au DU")
    PUBLIC_GROUP = "public_group", _("Groupe ouvert au public")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public : dans l'agenda en ligne")
    PARTNERS = "partners", _("Partenaires seulement")
    PEERS = "peers", _("Pairs aidant·es seulement")
    INVITATION = "invitation", _("Sur invitation (lien personnel)")


class Programme(models.Model):
    """A training programme: several sessions spaced in time for the same group (a partner team with
    its management). Attendance is kept per session; the programme shows each participant's
    completion."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("intitulé"), max_length=150)
    description = models.TextField(_("présentation"), blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("partenaire (formation d'équipe)"),
    )
    deployment = models.ForeignKey(
        "deployments.Deployment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("déploiement"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévu")
    CANCELLED = "cancelled", _("Annulé")


class Event(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("présentation publique"), blank=True)
    audience = models.CharField(_("pour qui"), max_length=200, blank=True)
    place = models.CharField(_("lieu (adresse)"), max_length=200, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    video_link = models.URLField(_("lien de visio"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("nombre de places"), null=True, blank=True)
    trainers = models.ManyToManyField(
        "peers.PeerProfile", blank=True, related_name="events_led", verbose_name=_("animation (pairs aidant·es)")
    )
    visibility = models.CharField(_("visibilité"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("partenaire"),
    )
    deployment = models.ForeignKey(
        "deployments.Deployment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("déploiement (sensibilisation de l'équipe)"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("programme de formation"),
    )
    feedback_instrument = models.ForeignKey(
        "observatory.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire d'avis après l'événement"),
    )
    beliefs_instrument = models.ForeignKey(
        "observatory.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire avant / après (croyances des professionnel·les)"),
    )
    beliefs_before = models.ForeignKey(
        "observatory.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    beliefs_after = models.ForeignKey(
        "observatory.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback_campaign = models.ForeignKey(
        "observatory.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("état"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_closed_at = models.DateTimeField(_("présences validées le"), null=True, blank=True)
    token = models.CharField(max_length=43, unique=True)  # the event's public or invitation link
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after")]
        indexes = [
            models.Index(fields=["platform", "starts_at"]),
            models.Index(fields=["platform", "visibility", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit·e")
    WAITING = "waiting", _("Sur liste d'attente")
    OFFERED = "offered", _("Place proposée")
    CANCELLED = "cancelled", _("Désinscrit·e")
    EXPIRED = "expired", _("Proposition expirée")


ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED)


class Registration(models.Model):
    """A registration without an account: a name, an e-mail, an organisation (optional). ``token``
    is the personal link (cancel, accept a place offered, the certificate). Walk-ins added at the
    door by the trainer have ``walk_in`` and may have no e-mail."""

    personal_fields = ("name", "email", "organisation")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("prénom et nom"), max_length=120)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    organisation = models.CharField(_("structure ou organisation"), max_length=150, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=RegistrationStatus.choices)
    offered_until = models.DateTimeField(_("place proposée jusqu'au"), null=True, blank=True)
    token = models.CharField(max_length=43, unique=True)
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    walk_in = models.BooleanField(_("venu·e sans inscription"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    certificate_sent_at = models.DateTimeField(null=True, blank=True)
    circle_member = models.ForeignKey(
        "CircleMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(status__in=["confirmed", "waiting", "offered"]) & ~Q(email=""),
                name="registration_once_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Registration #{self.pk}"


class CircleStatus(models.TextChoices):
    VOLUNTEER = "volunteer", _("Bénévole")
    SALARIED_ELSEWHERE = "salaried_elsewhere", _("Salarié·e d'une autre structure")
    FREELANCE = "freelance", _("Indépendant·e")
    JOB_SEEKING = "job_seeking", _("En recherche d'emploi ou en formation")


class CircleMember(models.Model):
    """A peer worker of the territory who is not employed by the platform, member of the intervision
    circle: invited to intervisions; only their attendance is kept, never the content."""

    personal_fields = ("first_name", "last_name", "email", "phone", "employer")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    status = models.CharField(_("situation"), max_length=20, choices=CircleStatus.choices)
    employer = models.CharField(_("employeur (facultatif)"), max_length=150, blank=True)
    consent_at = models.DateTimeField(_("accord donné le"))
    active = models.BooleanField(_("membre actif"), default=True)
    left_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=43, unique=True)  # the member's personal link (leave the circle)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "platform", condition=Q(active=True), name="circle_member_once_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
