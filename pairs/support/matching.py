"""Ranked suggestions of a referent peer worker for a person, with the engine shared with
deployments (pairs/peers/matching.py): this module only says what the person needs, who the
candidates are and how each criterion judges them. The selector gathers the values
(pairs/support/selectors/persons.py).

The score is the sum of the points of seven criteria (100 at most):

- **availability, 25 points**: the worker's usual half-days in the 7 coming days, less the days
  of absence and the half-days already taken by a planned meeting; 4 free half-days or more
  give every point, fewer in proportion (no usual half-day recorded: half the points);
- **distance, 20 points**: the person's commune ↔ the worker's home commune, full points up to
  5 km, none from 40 km, in proportion in between (either commune unknown: half the points);
- **meeting mode, 10 points**: remote (phone, video) or no preference: every point, whatever
  the distance; in person: full points up to 5 km, none from 20 km, so that distance weighs
  more for a person who wants to meet in person;
- **language, 15 points**: the language the person asked for is among the worker's languages
  (case and accents ignored; French is spoken by everyone); none asked: every point;
- **gender, 15 points**: the person's preference for a woman or a man and the worker's gender;
  no preference: every point; the worker's gender not given: half;
- **workload, 15 points**: 8 for this week's workload alerts (none: 8, one: 4, more: 0) and 7 for
  the number of people the worker already follows as referent (5 or fewer: 7, none from 25).

Suggestions come best first; equal scores are ordered by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pairs.peers import matching
from pairs.peers.matching import Criterion, Place, Reason, Slot, points, slots_label

from .models import GenderPreference, ModePreference

WEIGHT_AVAILABILITY = 25
WEIGHT_DISTANCE = 20
WEIGHT_MODE = 10
WEIGHT_LANGUAGE = 15
WEIGHT_GENDER = 15
WEIGHT_ALERTS = 8
WEIGHT_PEOPLE = 7
FREE_HALF_DAYS_FULL = 4
NEAR_KM = 5.0
FAR_KM = 40.0
IN_PERSON_FAR_KM = 20.0
PEOPLE_FEW = 5
PEOPLE_MANY = 25
# Languages every worker of a French platform speaks (compared without accents or case).
SPOKEN_BY_ALL = frozenset({"francais", "french"})


@dataclass(frozen=True)
class Need:
    place: Place | None  # the person's commune
    language: str = ""
    gender_preference: str = ""  # GenderPreference
    mode_preference: str = ""  # ModePreference


@dataclass(frozen=True)
class Candidate:
    profile_id: int
    name: str
    home: Place | None = None
    usual_slots: frozenset[Slot] = frozenset()  # half-days they are usually available
    free_slots: tuple[Slot, ...] = ()  # of those, free in the 7 coming days
    languages: tuple[str, ...] = ()
    gender: str = ""  # "woman", "man", "other" or ""
    alerts: tuple[str, ...] = ()  # short labels of this week's workload alerts
    people: int = 0  # open records they are the referent of


Suggestion: TypeAlias = matching.Suggestion[Candidate]


def _availability(need: Need, who: Candidate) -> Reason:
    label = _("Disponibilité")
    if not who.usual_slots:
        text = _("Disponibilités habituelles non renseignées : disponibilité non comparée")
        return Reason(label, text, points(WEIGHT_AVAILABILITY, 0.5), WEIGHT_AVAILABILITY)
    count = len(who.free_slots)
    if not count:
        text = _("Aucune demi-journée libre dans les 7 prochains jours")
    else:
        text = ngettext(
            "%(count)s demi-journée libre dans les 7 prochains jours : %(slots)s",
            "%(count)s demi-journées libres dans les 7 prochains jours : %(slots)s",
            count,
        ) % {"count": count, "slots": slots_label(who.free_slots)}
    return Reason(label, text, points(WEIGHT_AVAILABILITY, count / FREE_HALF_DAYS_FULL), WEIGHT_AVAILABILITY)


def _mode(need: Need, who: Candidate) -> Reason:
    label = _("Forme de la rencontre")
    if need.mode_preference == ModePreference.REMOTE:
        text = _("Rencontre au téléphone ou en visio souhaitée : possible quelle que soit la distance")
        return Reason(label, text, WEIGHT_MODE, WEIGHT_MODE)
    if need.mode_preference != ModePreference.IN_PERSON:
        text = _("Pas de préférence : en personne ou à distance")
        return Reason(label, text, WEIGHT_MODE, WEIGHT_MODE)
    if who.home is None or need.place is None:
        text = _("Rencontre en personne souhaitée : distance non comparée")
        return Reason(label, text, points(WEIGHT_MODE, 0.5), WEIGHT_MODE)
    km = matching.distance_km(who.home, need.place)
    share = matching.distance_share(km, NEAR_KM, IN_PERSON_FAR_KM)
    if share >= 1:
        text = _("Rencontre en personne souhaitée : habite tout près")
    elif share > 0:
        text = _("Rencontre en personne souhaitée : un peu de trajet")
    else:
        text = _("Rencontre en personne souhaitée : habite loin")
    return Reason(label, text, points(WEIGHT_MODE, share), WEIGHT_MODE)


def _language(need: Need, who: Candidate) -> Reason:
    label = _("Langue")
    wanted = need.language.strip()
    if not wanted:
        return Reason(label, _("Pas de langue demandée"), WEIGHT_LANGUAGE, WEIGHT_LANGUAGE)
    key = matching.name_key(wanted)
    if key in SPOKEN_BY_ALL or key in {matching.name_key(language.strip()) for language in who.languages}:
        return Reason(label, _("Parle %(language)s") % {"language": wanted}, WEIGHT_LANGUAGE, WEIGHT_LANGUAGE)
    return Reason(label, _("Ne parle pas %(language)s") % {"language": wanted}, 0, WEIGHT_LANGUAGE)


def _gender(need: Need, who: Candidate) -> Reason:
    label = _("Genre")
    wanted = need.gender_preference
    if wanted not in {GenderPreference.WOMAN, GenderPreference.MAN}:
        return Reason(label, _("Pas de préférence"), WEIGHT_GENDER, WEIGHT_GENDER)
    wanted_label = GenderPreference(wanted).label
    if not who.gender:
        text = _("Préférence : %(wanted)s ; genre du ou de la pair aidant·e non renseigné") % {
            "wanted": str(wanted_label).lower()
        }
        return Reason(label, text, points(WEIGHT_GENDER, 0.5), WEIGHT_GENDER)
    if who.gender == wanted:
        text = _("%(wanted)s, comme souhaité") % {"wanted": wanted_label}
        return Reason(label, text, WEIGHT_GENDER, WEIGHT_GENDER)
    text = _("La personne préfère rencontrer %(wanted)s") % {"wanted": str(wanted_label).lower()}
    return Reason(label, text, 0, WEIGHT_GENDER)


def _people(need: Need, who: Candidate) -> Reason:
    label = _("Personnes suivies")
    if not who.people:
        text = _("Référent·e d'aucune personne pour l'instant")
    else:
        text = ngettext(
            "Déjà référent·e de %(count)s personne",
            "Déjà référent·e de %(count)s personnes",
            who.people,
        ) % {"count": who.people}
    share = 1.0 if who.people <= PEOPLE_FEW else (PEOPLE_MANY - who.people) / (PEOPLE_MANY - PEOPLE_FEW)
    return Reason(label, text, points(WEIGHT_PEOPLE, share), WEIGHT_PEOPLE)


CRITERIA: tuple[Criterion[Need, Candidate], ...] = (
    _availability,
    matching.distance_criterion(
        weight=WEIGHT_DISTANCE,
        near_km=NEAR_KM,
        far_km=FAR_KM,
        unknown_place=gettext_lazy("Commune de la personne non renseignée : distance non comparée"),
    ),
    _mode,
    _language,
    _gender,
    matching.alerts_criterion(weight=WEIGHT_ALERTS),
    _people,
)


def _free_slots(need: Need, who: Candidate) -> tuple[Slot, ...]:
    return who.free_slots


def rank(need: Need, candidates: Sequence[Candidate]) -> list[Suggestion]:
    """Every candidate scored, best first; equal scores by name."""
    return matching.rank(need, candidates, CRITERIA, free_slots=_free_slots)
