"""The append-only audit journal. A database trigger refuses UPDATE and DELETE."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Consultation")
    EXPORT = "export", _("Export")
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    DELETE = "delete", _("Suppression")
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOCKED_OUT = "locked_out", _("Compte verrouillé temporairement")
    LOGOUT = "logout", _("Déconnexion")
    MAGIC_LINK_SENT = "magic_link_sent", _("Lien de connexion envoyé")
    SECOND_FACTOR = "second_factor", _("Double authentification")
    PERMISSION_DENIED = "permission_denied", _("Accès refusé")


OBJECT_TYPE_LABELS = {
    "accounts.user": _("Compte"),
    "platforms.membership": _("Rôle sur la plateforme"),
    "peers.peerprofile": _("Fiche de pair aidant·e"),
    "peers.activityentry": _("Activité"),
    "peers.availabilityexception": _("Indisponibilité"),
    "peers.onboarding": _("Parcours d'intégration"),
    "peers.onboardingstep": _("Étape d'intégration"),
    "peers.onboardingsteptemplate": _("Étape du parcours type"),
    "peers.trainingrecord": _("Formation suivie"),
    "peers.supervisionsession": _("Séance de supervision ou d'intervision"),
    "peers.careerreview": _("Entretien professionnel"),
    "peers.poolsettings": _("Seuils d'alerte"),
    "peers.skill": _("Compétence"),
    "partners.organisation": _("Partenaire"),
    "partners.team": _("Service d'un partenaire"),
    "partners.contact": _("Contact d'un partenaire"),
    "deployments.deployment": _("Demande ou déploiement"),
    "deployments.prerequisitetemplate": _("Prérequis de la plateforme"),
    "deployments.assignment": _("Affectation d'un·e pair aidant·e"),
    "deployments.review": _("Point de suivi conjoint"),
    "deployments.assessment": _("Bilan d'un déploiement"),
    "deployments.successcriteriontemplate": _("Critère de réussite de la plateforme"),
    "deployments.transitionplan": _("Plan de transition vers l'embauche directe"),
    "deployments.contract": _("Convention avec un partenaire"),
    "deployments.deploymentsettings": _("Réglages des déploiements"),
    "support.supportrequest": _("Demande d'accompagnement"),
    "support.person": _("Dossier d'une personne accompagnée"),
    "support.consent": _("Consentement"),
    "support.meeting": _("Rencontre"),
    "support.place": _("Lieu de rencontre"),
    "support.group": _("Groupe"),
    "support.groupsession": _("Séance de groupe"),
    "support.groupregistration": _("Inscription à un groupe"),
    "support.mediation": _("Médiation"),
    "support.note": _("Note d'accompagnement"),
    "support.supportsettings": _("Réglages de l'accompagnement"),
    "support.calendarfeed": _("Agenda d'un·e pair aidant·e"),
    "plans.crisisplan": _("Plan de crise / directives anticipées"),
    "plans.planversion": _("Version d'un plan de crise"),
    "plans.planshare": _("Partage d'un plan de crise"),
    "plans.facilitationsession": _("Séance d'aide à la rédaction d'un plan"),
    "plans.crisisevent": _("Crise notée"),
    "plans.plansettings": _("Réglages des plans de crise"),
    "observatory.instrument": _("Instrument de l'Observatoire"),
    "observatory.licencepermission": _("Autorisation d'usage d'un instrument"),
    "observatory.campaign": _("Campagne de l'Observatoire"),
    "observatory.response": _("Questionnaire papier saisi"),
    "observatory.observatorysettings": _("Réglages de l'Observatoire"),
    "observatory.impactmeasure": _("Mesure d'impact"),
    "privacy.privacysettings": _("Durées de conservation"),
}

DETAIL_LABELS = {
    "csv": _("réponses anonymes (CSV)"),
    "password": _("par mot de passe"),
    "password_changed": _("nouveau mot de passe"),
    "attempt": _("tentative pendant le verrouillage"),
    "correction": _("correction par la coordination"),
    "career_reviews": _("entretiens professionnels"),
    "magic_link": _("par lien de connexion"),
    "unknown_account": _("adresse inconnue"),
    "enabled": _("activée"),
    "disabled": _("désactivée"),
}


class JournalEntry(models.Model):
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(_("rôle"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    fields = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["platform", "-created_at"]),
            models.Index(fields=["platform", "object_type", "object_id"]),
            models.Index(fields=["platform", "action", "-created_at"]),
        ]
        verbose_name = _("entrée du journal")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    @property
    def actor_role_label(self) -> str:
        from pairs.platforms.roles import Role

        return str(Role(self.actor_role).label) if self.actor_role in Role.values else self.actor_role

    @property
    def object_label(self) -> str:
        if not self.object_type:
            return ""
        return f"{OBJECT_TYPE_LABELS.get(self.object_type, self.object_type)} n° {self.object_id}"

    @property
    def detail_label(self) -> str:
        return str(DETAIL_LABELS.get(self.detail, self.detail))
