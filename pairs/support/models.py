"""Axis 2, direct support: anyone may ask to meet a peer worker, with no referral, no diagnosis
and no prior care path. Requests, triage, pseudonymous person records, consents, meetings in
accessible places, groups, mediation and notes with confidentiality levels."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# ---- Choices shared by requests and person records


class Relation(models.TextChoices):
    SELF = "self", _("La personne concernée")
    RELATIVE = "relative", _("Un·e proche")


class Topic(models.TextChoices):
    TALK = "talk", _("Parler avec quelqu'un qui est passé par là")
    HOPE = "hope", _("Retrouver de l'espoir, reprendre pied")
    CARE = "care", _("M'y retrouver dans les soins et les démarches")
    DAILY = "daily", _("La vie de tous les jours : logement, travail, liens")
    RELATIVE = "relative", _("Soutenir un proche")
    CRISIS_PLAN = "crisis_plan", _("Préparer un plan de crise ou des directives anticipées")
    GROUP = "group", _("Rejoindre un groupe")


class GenderPreference(models.TextChoices):
    ANY = "", _("Pas de préférence")
    WOMAN = "woman", _("Une femme")
    MAN = "man", _("Un homme")


class ModePreference(models.TextChoices):
    ANY = "", _("Pas de préférence")
    IN_PERSON = "in_person", _("En personne")
    REMOTE = "remote", _("Au téléphone ou en visio")


class PlacePreference(models.TextChoices):
    ANY = "", _("Pas de préférence")
    NEAR_HOME = "near_home", _("Près de chez moi")
    PUBLIC = "public", _("Un lieu public calme (café, médiathèque…)")
    PREMISES = "premises", _("Dans les locaux de l'association ou d'un partenaire")


class Preferences(models.Model):
    """What a person would like for the meetings: shared by the request and the record it becomes."""

    language = models.CharField(_("langue souhaitée"), max_length=40, blank=True)
    gender_preference = models.CharField(
        _("pair aidant·e"), max_length=10, choices=GenderPreference.choices, blank=True
    )
    place_preference = models.CharField(_("lieu"), max_length=10, choices=PlacePreference.choices, blank=True)
    mode_preference = models.CharField(_("rencontre"), max_length=10, choices=ModePreference.choices, blank=True)

    class Meta:
        abstract = True


PREFERENCE_CHOICES = {
    "gender_preference": GenderPreference.values,
    "place_preference": PlacePreference.values,
    "mode_preference": ModePreference.values,
}


def invalid_preferences(values: dict[str, str]) -> list[str]:
    """The preference fields of ``values`` whose value is not one of the list (checked by both services)."""
    return [name for name, allowed in PREFERENCE_CHOICES.items() if values.get(name, "") not in allowed]


class SupportSettings(models.Model):
    """Per-platform targets of direct support."""

    platform = models.OneToOneField("platforms.Platform", on_delete=models.PROTECT, related_name="support_settings")
    first_contact_days = models.PositiveSmallIntegerField(
        _("délai visé pour le premier contact (jours)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    def __str__(self) -> str:
        return f"Support settings of platform #{self.platform_id}"


# ---- Accessible places


class Place(models.Model):
    """An ordinary, non-stigmatising place where meetings can happen."""

    class Kind(models.TextChoices):
        PREMISES = "premises", _("Locaux de l'association")
        PARTNER = "partner", _("Locaux d'un partenaire")
        PUBLIC_SERVICE = "public_service", _("Lieu public (Maison de la Métropole, médiathèque…)")
        CAFE = "cafe", _("Café ou lieu convivial")
        OTHER = "other", _("Autre")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nom du lieu"), max_length=150)
    kind = models.CharField(_("type de lieu"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("adresse"), max_length=200)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    accessibility = models.TextField(
        _("accessibilité"), blank=True, help_text=_("Accès de plain-pied, ascenseur, transports, calme…")
    )
    opening_hours = models.CharField(_("horaires d'ouverture"), max_length=200, blank=True)
    active = models.BooleanField(_("proposé pour les rencontres"), default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="place_unique_name")]

    def __str__(self) -> str:
        return self.name


# ---- Self-referral requests and triage


class RequestStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    CONTACTED = "contacted", _("Premier contact fait")
    REDIRECTED = "redirected", _("Orientée ailleurs")
    ACCEPTED = "accepted", _("Acceptée")


class SupportRequest(Preferences):
    """A request sent through the public form: only what is needed to call back."""

    personal_fields = ("pseudonym", "phone", "email", "contact_times", "looking_for", "commune_name")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(_("prénom ou pseudonyme"), max_length=60)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    contact_times = models.CharField(_("quand vous joindre"), max_length=200, blank=True)
    relation = models.CharField(_("vous êtes"), max_length=10, choices=Relation.choices)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)  # as typed, when not found
    outside_territory = models.BooleanField(_("hors du territoire"), default=False)
    looking_for = models.TextField(_("ce que vous cherchez"), blank=True)
    topics = ArrayField(models.CharField(max_length=20, choices=Topic.choices), default=list, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW)
    first_contact_at = models.DateTimeField(_("premier contact"), null=True, blank=True)
    redirected_to = models.CharField(_("orientée vers"), max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("dossier")
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["platform", "status", "created_at"]),
            models.Index(fields=["platform", "phone"]),
            models.Index(fields=["platform", "email"]),
            GinIndex(fields=["pseudonym"], opclasses=["gin_trgm_ops"], name="support_request_pseudo_trgm"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="support_request_reachable"),
        ]

    def __str__(self) -> str:
        return f"Support request #{self.pk}"


# ---- The person record (pseudonymous by default)


class PersonStatus(models.TextChoices):
    OPEN = "open", _("Accompagnement en cours")
    CLOSED = "closed", _("Accompagnement clos")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Objectifs atteints")
    PERSON_CHOICE = "person_choice", _("Choix de la personne")
    REDIRECTED = "redirected", _("Relais pris ailleurs")
    NO_NEWS = "no_news", _("Sans nouvelles")
    MOVED = "moved", _("Déménagement")
    OTHER = "other", _("Autre")


class Person(Preferences):
    """A person supported, or a relative: pseudonymous unless they choose otherwise. A relative may be
    linked to the person concerned, or stand alone."""

    personal_fields = ("pseudonym", "phone", "email", "contact_times", "closure_comment")

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(_("prénom ou pseudonyme"), max_length=60)
    relation = models.CharField(_("situation"), max_length=10, choices=Relation.choices)
    relative_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relatives",
        verbose_name=_("proche de"),
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    contact_times = models.CharField(_("quand la joindre"), max_length=200, blank=True)
    peer = models.ForeignKey(
        "peers.PeerProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("pair aidant·e référent·e"),
    )
    membership = models.OneToOneField(
        "platforms.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_record",
        verbose_name=_("espace personnel"),
    )
    status = models.CharField(_("état"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.OPEN)
    opened_on = models.DateField(_("ouvert le"))
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    closure_reason = models.CharField(_("motif de clôture"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_comment = models.TextField(_("commentaire de clôture"), blank=True)
    feedback_helpful = models.PositiveSmallIntegerField(
        _("l'accompagnement vous a aidé"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback_comment = models.TextField(_("un mot sur l'accompagnement"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pseudonym", "id"]
        indexes = [
            models.Index(fields=["platform", "status"]),
            models.Index(fields=["platform", "peer"]),
            GinIndex(fields=["pseudonym"], opclasses=["gin_trgm_ops"], name="support_person_pseudo_trgm"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_closed(self) -> bool:
        return self.status == PersonStatus.CLOSED


class PeerChange(models.Model):
    """A change of referent peer worker, recorded without blame (who asked, not who failed)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="peer_changes")
    from_peer = models.ForeignKey(
        "peers.PeerProfile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_peer = models.ForeignKey("peers.PeerProfile", on_delete=models.PROTECT, related_name="+")
    asked_by_person = models.BooleanField(_("à la demande de la personne"), default=False)
    reason = models.TextField(_("motif"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Peer change #{self.pk}"


class ChangeRequest(models.Model):
    """A person's request, from their space, to change peer worker (no reason required)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="change_requests")
    message = models.TextField(_("message (facultatif)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Change request #{self.pk}"


# ---- Consents


class ConsentKind(models.TextChoices):
    CONTACT_SMS = "contact_sms", _("Être contacté·e par SMS (rappels de rendez-vous)")
    CONTACT_EMAIL = "contact_email", _("Être contacté·e par e-mail (rappels de rendez-vous)")
    DATA_KEPT = "data_kept", _("Conservation de mes informations par la plateforme")
    SHARE_PROFESSIONAL = "share_professional", _("Partage d'informations avec un·e professionnel·le nommé·e")


class ConsentMethod(models.TextChoices):
    ORAL = "oral", _("À l'oral, noté par l'équipe")
    WRITTEN = "written", _("Par écrit (formulaire signé)")
    ONLINE = "online", _("En ligne, depuis l'espace personnel")


class Consent(models.Model):
    """What the person agreed to, when and how; withdrawn at any time (the row stays as history)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consentement"), max_length=20, choices=ConsentKind.choices)
    professional = models.CharField(
        _("professionnel·le concerné·e"),
        max_length=150,
        blank=True,
        help_text=_("Pour un partage : le nom et la fonction du ou de la professionnel·le."),
    )
    given_at = models.DateTimeField(_("donné le"))
    method = models.CharField(_("comment"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [
            models.Index(fields=["person", "kind"], condition=Q(withdrawn_at__isnull=True), name="consent_active")
        ]

    def __str__(self) -> str:
        return f"Consent #{self.pk} ({self.kind})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


# ---- Meetings


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    PHONE = "phone", _("Au téléphone")
    VIDEO = "video", _("En visio")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    HELD = "held", _("Tenue")
    CANCELLED = "cancelled", _("Annulée")
    NO_SHOW = "no_show", _("Personne absente")


class Meeting(models.Model):
    """A meeting between a peer worker and a person. A worker is never booked twice at once: the
    exclusion constraint covers planned and held meetings."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meetings")
    peer = models.ForeignKey("peers.PeerProfile", on_delete=models.PROTECT, related_name="meetings")
    mode = models.CharField(_("forme"), max_length=10, choices=MeetingMode.choices)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("lieu")
    )
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    period = DateTimeRangeField()  # [starts_at, starts_at + duration), kept by the service
    status = models.CharField(_("état"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["platform", "starts_at"]),
            models.Index(fields=["peer", "starts_at"]),
            models.Index(fields=["person", "starts_at"]),
        ]
        constraints = [
            ExclusionConstraint(
                name="meeting_peer_not_double_booked",
                expressions=[("peer", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(status__in=["planned", "held"]),
            ),
            models.CheckConstraint(
                condition=~Q(mode="in_person") | Q(place__isnull=False), name="meeting_in_person_has_place"
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting #{self.pk}"


class CalendarFeed(models.Model):
    """A peer worker's secret iCalendar address (revocable: a new token replaces the old one)."""

    peer = models.OneToOneField("peers.PeerProfile", on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of peer #{self.peer_id}"


# ---- Groups


class Group(models.Model):
    """A support group: a theme, one or two peer workers who facilitate, a place and a rhythm."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(_("thème"), max_length=150)
    description = models.TextField(_("présentation"), blank=True)
    facilitators = models.ManyToManyField(
        "peers.PeerProfile", related_name="facilitated_groups", verbose_name=_("animation")
    )
    mode = models.CharField(_("forme"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="groups", verbose_name=_("lieu")
    )
    schedule = models.CharField(_("rythme"), max_length=200, help_text=_("Par exemple « le 1er et le 3e jeudi, 14 h »"))
    capacity = models.PositiveSmallIntegerField(
        _("nombre de places"), default=10, validators=[MinValueValidator(2), MaxValueValidator(60)]
    )
    registration_token = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("inscriptions ouvertes"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "id"]

    def __str__(self) -> str:
        return self.theme


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit·e")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Désinscrit·e")


class GroupRegistration(models.Model):
    """A place in a group, or on its waiting list. From the link a coordinator sends, a person with no
    record yet registers with a pseudonym and a way to reach them."""

    personal_fields = ("pseudonym", "phone", "email")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="group_registrations"
    )
    pseudonym = models.CharField(_("prénom ou pseudonyme"), max_length=60, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    status = models.CharField(_("état"), max_length=12, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(person__isnull=False) & ~Q(status="cancelled"),
                name="group_registration_once",
            )
        ]

    def __str__(self) -> str:
        return f"Registration #{self.pk}"


class GroupSession(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    attendees = models.ManyToManyField(
        GroupRegistration, blank=True, related_name="sessions_attended", verbose_name=_("présent·es")
    )
    held = models.BooleanField(_("séance tenue"), default=False)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"Group session #{self.pk}"


# ---- Mediation and notes


class Mediation(models.Model):
    """Mediation between the person and a professional of their care."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mediations")
    peer = models.ForeignKey("peers.PeerProfile", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    professional = models.CharField(_("professionnel·le (nom et fonction)"), max_length=150)
    purpose = models.TextField(_("objet de la médiation"))
    outcome = models.TextField(_("ce qui en est sorti"), blank=True)
    about_crisis_plan = models.BooleanField(_("autour du plan de crise ou des directives anticipées"), default=False)
    # The version of the crisis plan presented, if any. Declared by name: direct support never
    # imports the plans app, which sits above it.
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediations",
        verbose_name=_("version du plan présentée"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Mediation #{self.pk}"


class Confidentiality(models.TextChoices):
    PRIVATE = "private", _("Privée : moi seul·e")
    TEAM = "team", _("Partagée avec l'équipe de pairs aidant·es de la plateforme")
    PERSON = "person", _("Partagée avec la personne")


class Note(models.Model):
    """A peer worker's note, encrypted at rest (pairs/core/crypto.py); every read is journaled."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("peers.PeerProfile", on_delete=models.PROTECT, related_name="support_notes")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes")
    confidentiality = models.CharField(_("confidentialité"), max_length=10, choices=Confidentiality.choices)
    body_encrypted = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note #{self.pk}"
