"""Ranked suggestions of peer workers for a deployment.

The engine (half-days, distance, reasons, points, the ranking itself) is shared with direct
support: pairs/peers/matching.py. This module says what a deployment needs, who the candidates
are, and which criteria judge them. The selectors gather the values
(pairs/deployments/selectors/assignments.py).

The score is the sum of the points of five criteria (100 at most):

- **availability, 40 points**: the share of the requested half-days on which the worker is
  usually available, not already taken by one of their current assignments, and not absent
  on the first such date from the start;
- **distance, 20 points**: full points up to 5 km between the home commune and the partner's
  commune (great-circle distance), none from 50 km, in proportion in between;
- **skills, 15 points**: the share of the skills the coordinator looks for that the worker holds;
- **workload, 15 points**: 8 for this week's workload alerts (none: 8, one: 4, more: 0) and 7 for
  the free contract hours (contract hours minus the weekly hours of current assignments)
  against the weekly hours requested, in proportion;
- **knowing the team, 10 points**: the worker has (or had) an assignment in another deployment
  of the same team, or of the same organisation when the request names no team.

A criterion that cannot be judged (no half-day requested, no home commune, no skill looked
for) gives half its points and says so. Suggestions come best first; equal scores are ordered
by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pairs.peers import matching
from pairs.peers.matching import (
    SLOT_VALUES,
    SLOTS,
    Criterion,
    Place,
    Reason,
    Slot,
    distance_km,
    first_date,
    hours_text,
    parse_slot,
    parse_slots,
    points,
    slot_choices,
    slot_label,
    slot_value,
    slots_label,
    sort_slots,
)

__all__ = [
    "SLOTS",
    "SLOT_VALUES",
    "Candidate",
    "Need",
    "Place",
    "Reason",
    "Slot",
    "Suggestion",
    "distance_km",
    "first_date",
    "hours_text",
    "parse_slot",
    "parse_slots",
    "rank",
    "slot_choices",
    "slot_label",
    "slot_value",
    "slots_label",
    "sort_slots",
    "suggest",
]

WEIGHT_AVAILABILITY = 40
WEIGHT_DISTANCE = 20
WEIGHT_SKILLS = 15
WEIGHT_ALERTS = 8
WEIGHT_HOURS = 7
WEIGHT_KNOWS = 10
NEAR_KM = 5.0
FAR_KM = 50.0


# ---- What the deployment needs, who the candidates are


@dataclass(frozen=True)
class Need:
    start: date  # the day the assignment would start
    slots: tuple[Slot, ...]  # requested half-days
    hours: Decimal  # weekly hours still to place
    skills: tuple[str, ...]  # names of the skills looked for
    place: Place | None  # where the team works
    has_team: bool = True  # the request names a team (otherwise "knowing" means the organisation)


@dataclass(frozen=True)
class Candidate:
    profile_id: int
    name: str
    home: Place | None = None
    usual_slots: frozenset[Slot] = frozenset()
    taken_slots: frozenset[Slot] = frozenset()  # half-days of their current assignments
    absent_days: frozenset[date] = frozenset()  # days of absence in the first week from the start
    skills: frozenset[str] = frozenset()
    alerts: tuple[str, ...] = ()  # short labels of this week's workload alerts
    contract_hours: Decimal = Decimal("0")
    assigned_hours: Decimal = Decimal("0")  # weekly hours of their current assignments
    knows_team: bool = False

    @property
    def free_hours(self) -> Decimal:
        return self.contract_hours - self.assigned_hours


Suggestion: TypeAlias = matching.Suggestion[Candidate]


# ---- The criteria


@dataclass(frozen=True)
class _SlotCheck:
    free: tuple[Slot, ...]
    taken: tuple[Slot, ...]
    absent: tuple[date, ...]
    unusual: tuple[Slot, ...]


def _check_slots(need: Need, who: Candidate) -> _SlotCheck:
    free: list[Slot] = []
    taken: list[Slot] = []
    absent: list[date] = []
    unusual: list[Slot] = []
    for slot in need.slots:
        day = first_date(need.start, slot[0])
        if slot not in who.usual_slots:
            unusual.append(slot)
        elif slot in who.taken_slots:
            taken.append(slot)
        elif day in who.absent_days:
            absent.append(day)
        else:
            free.append(slot)
    return _SlotCheck(tuple(free), tuple(taken), tuple(absent), tuple(unusual))


def _free_slots(need: Need, who: Candidate) -> tuple[Slot, ...]:
    """The requested half-days the worker is free on."""
    return _check_slots(need, who).free


def _availability(need: Need, who: Candidate) -> Reason:
    label = _("Disponibilité")
    if not need.slots:
        text = _("Aucune demi-journée demandée : disponibilité non comparée")
        return Reason(label, text, points(WEIGHT_AVAILABILITY, 0.5), WEIGHT_AVAILABILITY)
    check = _check_slots(need, who)
    total = len(need.slots)
    if total == 1:
        text = (
            _("Disponible sur la demi-journée demandée")
            if check.free
            else _("Pas disponible sur la demi-journée demandée")
        )
    else:
        text = _("Disponible sur %(free)s des %(total)s demi-journées demandées") % {
            "free": len(check.free),
            "total": total,
        }
    details = []
    if check.taken:
        details.append(_("déjà pris par une autre affectation : %(slots)s") % {"slots": slots_label(check.taken)})
    if check.absent:
        days = ", ".join(formats.date_format(day, "l j F") for day in sorted(set(check.absent)))
        details.append(_("absent·e le %(days)s") % {"days": days})
    if check.unusual:
        details.append(_("pas disponible d'habitude : %(slots)s") % {"slots": slots_label(check.unusual)})
    if details:
        text = f"{text} ({' ; '.join(details)})"
    return Reason(label, text, points(WEIGHT_AVAILABILITY, len(check.free) / total), WEIGHT_AVAILABILITY)


def _skills(need: Need, who: Candidate) -> Reason:
    label = _("Compétences")
    if not need.skills:
        text = _("Aucune compétence recherchée indiquée")
        return Reason(label, text, points(WEIGHT_SKILLS, 0.5), WEIGHT_SKILLS)
    matched = [name for name in need.skills if name in who.skills]
    total = len(need.skills)
    if matched:
        text = ngettext(
            "%(count)s compétence recherchée sur %(total)s : %(names)s",
            "%(count)s compétences recherchées sur %(total)s : %(names)s",
            len(matched),
        ) % {"count": len(matched), "total": total, "names": ", ".join(matched)}
    else:
        text = ngettext(
            "N'a pas la compétence recherchée",
            "N'a aucune des %(total)s compétences recherchées",
            total,
        ) % {"total": total}
    return Reason(label, text, points(WEIGHT_SKILLS, len(matched) / total), WEIGHT_SKILLS)


def _hours(need: Need, who: Candidate) -> Reason:
    label = _("Heures au contrat")
    free = who.free_hours
    wanted = hours_text(need.hours)
    if free <= 0:
        text = _("Plus d'heure libre au contrat, pour %(wanted)s h demandées") % {"wanted": wanted}
        return Reason(label, text, 0, WEIGHT_HOURS)
    text = _("%(free)s h libres au contrat pour %(wanted)s h demandées") % {"free": hours_text(free), "wanted": wanted}
    share = 1.0 if need.hours <= 0 else float(free / need.hours)
    return Reason(label, text, points(WEIGHT_HOURS, share), WEIGHT_HOURS)


def _knows(need: Need, who: Candidate) -> Reason:
    label = _("Connaissance de l'équipe")
    if who.knows_team:
        text = _("Connaît déjà l'équipe") if need.has_team else _("Connaît déjà la structure")
        return Reason(label, text, WEIGHT_KNOWS, WEIGHT_KNOWS)
    text = _("Ne connaît pas encore l'équipe") if need.has_team else _("Ne connaît pas encore la structure")
    return Reason(label, text, 0, WEIGHT_KNOWS)


CRITERIA: tuple[Criterion[Need, Candidate], ...] = (
    _availability,
    matching.distance_criterion(
        weight=WEIGHT_DISTANCE,
        near_km=NEAR_KM,
        far_km=FAR_KM,
        unknown_place=gettext_lazy("Commune du partenaire inconnue : distance non comparée"),
    ),
    _skills,
    matching.alerts_criterion(weight=WEIGHT_ALERTS),
    _hours,
    _knows,
)


def suggest(need: Need, who: Candidate) -> Suggestion:
    return matching.score(need, who, CRITERIA, free_slots=_free_slots)


def rank(need: Need, candidates: Sequence[Candidate]) -> list[Suggestion]:
    """Every candidate scored, best first; equal scores by name."""
    return matching.rank(need, candidates, CRITERIA, free_slots=_free_slots)
