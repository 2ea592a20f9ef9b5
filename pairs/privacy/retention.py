"""The retention rules, in one place: what is kept, how long, why, and what happens at the end.

Durations are in months. A platform may choose a duration between the rule's minimum and
maximum (``PrivacySettings.overrides``); a rule whose minimum equals its maximum is fixed.
The legal basis is the CNIL framework for social and medico-social support (référentiel relatif
aux traitements de données à caractère personnel mis en œuvre dans le cadre de l'accompagnement
social et médico-social, délibération n° 2023-095) and the GDPR (article 5.1.e, limited
retention); the wording below is ours, not a quotation."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

CNIL_FRAMEWORK = _(
    "CNIL, référentiel relatif à l'accompagnement social et médico-social (délibération n° 2023-095) ; "
    "RGPD, article 5, limitation de la conservation"
)
WARNING_DAYS = 30  # coordinators are told this many days before a support record's end


class End(Enum):
    ANONYMISED = "anonymised"
    DELETED = "deleted"
    KEPT_AS_STATISTICS = "kept_as_statistics"
    DESTROYED = "destroyed"

    @property
    def label(self) -> StrPromise:
        return END_LABELS[self]


END_LABELS = {
    End.ANONYMISED: _("Anonymisé : les informations qui permettent de reconnaître la personne sont effacées"),
    End.DELETED: _("Supprimé"),
    End.KEPT_AS_STATISTICS: _("Conservé sous forme de chiffres, rattaché au dossier anonymisé"),
    End.DESTROYED: _("Contenu détruit"),
}


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: StrPromise
    starts: StrPromise  # from when the duration runs
    default_months: int
    min_months: int
    max_months: int
    basis: StrPromise
    end: End
    # False when another part of the application applies the rule (it is shown, not run by the job).
    applied_by_job: bool = True

    @property
    def editable(self) -> bool:
        return self.min_months < self.max_months

    def allows(self, months: int) -> bool:
        return self.min_months <= months <= self.max_months


SUPPORT_RECORD = "support_record"
SUPPORT_REQUEST = "support_request"
NOTES = "notes"
CRISIS_PLANS = "crisis_plans"
EVENT_REGISTRATIONS = "event_registrations"
CIRCLE_MEMBERS = "circle_members"
JOURNAL = "journal"
IMPACT_MEASURES = "impact_measures"
OUTGOING_EMAILS = "outgoing_emails"

RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        key=SUPPORT_RECORD,
        label=_("Dossier d'une personne accompagnée ou d'un·e proche"),
        starts=_("après le dernier contact (dernière rencontre, dernière note ou date de clôture)"),
        default_months=24,
        min_months=12,
        max_months=24,
        basis=CNIL_FRAMEWORK,
        end=End.ANONYMISED,
    ),
    RetentionRule(
        key=SUPPORT_REQUEST,
        label=_("Demande d'accompagnement restée sans suite"),
        starts=_("après la réception de la demande"),
        default_months=6,
        min_months=1,
        max_months=24,
        basis=CNIL_FRAMEWORK,
        end=End.ANONYMISED,
    ),
    RetentionRule(
        key=NOTES,
        label=_("Notes des pairs aidant·es"),
        starts=_("à l'anonymisation du dossier de la personne"),
        default_months=0,
        min_months=0,
        max_months=0,
        basis=CNIL_FRAMEWORK,
        end=End.DESTROYED,
    ),
    RetentionRule(
        key=CRISIS_PLANS,
        label=_("Plans de crise et directives anticipées (contenu et liens de partage)"),
        starts=_("à l'anonymisation du dossier de la personne"),
        default_months=0,
        min_months=0,
        max_months=0,
        basis=CNIL_FRAMEWORK,
        end=End.DESTROYED,
    ),
    RetentionRule(
        key=EVENT_REGISTRATIONS,
        label=_("Inscriptions aux événements et formations (nom, adresse e-mail)"),
        starts=_("après la fin de l'événement"),
        default_months=12,
        min_months=1,
        max_months=36,
        basis=CNIL_FRAMEWORK,
        end=End.ANONYMISED,
    ),
    RetentionRule(
        key=CIRCLE_MEMBERS,
        label=_("Membres du cercle d'intervision qui l'ont quitté"),
        starts=_("après le départ du cercle"),
        default_months=3,
        min_months=0,
        max_months=12,
        basis=CNIL_FRAMEWORK,
        end=End.ANONYMISED,
    ),
    RetentionRule(
        key=JOURNAL,
        label=_("Journal des accès et des modifications"),
        starts=_("après l'enregistrement de l'entrée"),
        default_months=12,
        min_months=6,
        max_months=36,
        basis=_("CNIL, recommandations sur la journalisation ; référentiel de la délibération n° 2023-095"),
        end=End.DELETED,
        applied_by_job=False,
    ),
    RetentionRule(
        key=IMPACT_MEASURES,
        label=_("Mesures d'impact de l'Observatoire d'une personne anonymisée"),
        starts=_("à l'anonymisation du dossier de la personne"),
        default_months=0,
        min_months=0,
        max_months=0,
        basis=_("Statistiques sans donnée identifiante (RGPD, article 89)"),
        end=End.KEPT_AS_STATISTICS,
    ),
    RetentionRule(
        key=OUTGOING_EMAILS,
        label=_("Texte des e-mails envoyés par la plateforme"),
        starts=_("après l'envoi"),
        default_months=0,
        min_months=0,
        max_months=0,
        basis=CNIL_FRAMEWORK,
        end=End.DELETED,
        applied_by_job=False,
    ),
)

RULES_BY_KEY: dict[str, RetentionRule] = {rule.key: rule for rule in RULES}


def shift_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), clamped to the last day of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
