"""Ranked suggestions of peer workers for a deployment, and the half-days of the week.

Pure logic: plain values in, ranked suggestions with their French reasons out, no database.
The selectors gather the values (pairs/deployments/selectors/assignments.py).

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

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.peers.models import DayPart, Weekday

# ---- Half-days: "weekday:part" strings ("1:morning" is Tuesday morning)

Slot = tuple[int, str]

SLOTS: list[Slot] = [(day.value, part.value) for day in Weekday for part in DayPart]
_SLOT_ORDER = {slot: i for i, slot in enumerate(SLOTS)}


def slot_value(slot: Slot) -> str:
    return f"{slot[0]}:{slot[1]}"


SLOT_VALUES = [slot_value(slot) for slot in SLOTS]


def slot_choices() -> list[tuple[str, str]]:
    """Every half-day of the week as (value, "lundi matin"), for a form field."""
    return [(slot_value(slot), slot_label(slot)) for slot in SLOTS]


def parse_slot(value: str) -> Slot | None:
    """``"1:morning"`` → ``(1, "morning")``; None for anything that is not a half-day of the week."""
    day, _sep, part = str(value).partition(":")
    try:
        slot = (int(day), part)
    except ValueError:
        return None
    return slot if slot in _SLOT_ORDER else None


def parse_slots(values: Iterable[str]) -> list[Slot]:
    """The valid half-days among ``values``, without repeats, in week order."""
    found = {slot for slot in (parse_slot(value) for value in values) if slot is not None}
    return sort_slots(found)


def sort_slots(slots: Iterable[Slot]) -> list[Slot]:
    return sorted(set(slots), key=lambda slot: _SLOT_ORDER.get(slot, len(_SLOT_ORDER)))


def slot_label(slot: Slot) -> str:
    """ "lundi matin", "mardi après-midi"."""
    return f"{str(Weekday(slot[0]).label).lower()} {str(DayPart(slot[1]).label).lower()}"


def slots_label(slots: Iterable[Slot]) -> str:
    return ", ".join(slot_label(slot) for slot in sort_slots(slots))


def first_date(start: date, weekday: int) -> date:
    """The first date falling on ``weekday`` (0 = Monday), ``start`` included."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


# ---- Distance

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


def distance_km(a: Place, b: Place) -> float:
    """Great-circle (haversine) distance in km."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))


# ---- What the deployment needs, who the candidates are

WEIGHT_AVAILABILITY = 40
WEIGHT_DISTANCE = 20
WEIGHT_SKILLS = 15
WEIGHT_ALERTS = 8
WEIGHT_HOURS = 7
WEIGHT_KNOWS = 10
NEAR_KM = 5.0
FAR_KM = 50.0


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


@dataclass(frozen=True)
class Reason:
    criterion: str
    text: str
    points: int
    out_of: int

    @property
    def level(self) -> str:
        """In words, for the page (never colour alone): "favorable", "partiel" or "défavorable"."""
        if self.points * 4 >= self.out_of * 3:
            return _("favorable")
        if self.points * 4 >= self.out_of:
            return _("partiel")
        return _("défavorable")


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: int
    reasons: tuple[Reason, ...]
    free_slots: tuple[Slot, ...]  # requested half-days the worker is free on

    @property
    def profile_id(self) -> int:
        return self.candidate.profile_id

    @property
    def name(self) -> str:
        return self.candidate.name


def hours_text(value: Decimal) -> str:
    """Hours the French way: "4,5", "24"."""
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def _points(weight: int, share: float) -> int:
    return int(weight * max(0.0, min(1.0, share)) + 0.5)


# ---- The criteria


def _availability(need: Need, who: Candidate) -> tuple[Reason, tuple[Slot, ...]]:
    label = _("Disponibilité")
    if not need.slots:
        text = _("Aucune demi-journée demandée : disponibilité non comparée")
        return Reason(label, text, _points(WEIGHT_AVAILABILITY, 0.5), WEIGHT_AVAILABILITY), ()
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
    total = len(need.slots)
    if total == 1:
        text = (
            _("Disponible sur la demi-journée demandée") if free else _("Pas disponible sur la demi-journée demandée")
        )
    else:
        text = _("Disponible sur %(free)s des %(total)s demi-journées demandées") % {"free": len(free), "total": total}
    details = []
    if taken:
        details.append(_("déjà pris par une autre affectation : %(slots)s") % {"slots": slots_label(taken)})
    if absent:
        days = ", ".join(formats.date_format(day, "l j F") for day in sorted(set(absent)))
        details.append(_("absent·e le %(days)s") % {"days": days})
    if unusual:
        details.append(_("pas disponible d'habitude : %(slots)s") % {"slots": slots_label(unusual)})
    if details:
        text = f"{text} ({' ; '.join(details)})"
    return Reason(label, text, _points(WEIGHT_AVAILABILITY, len(free) / total), WEIGHT_AVAILABILITY), tuple(free)


def _distance(need: Need, who: Candidate) -> Reason:
    label = _("Distance")
    if who.home is None or need.place is None:
        text = _("Commune de résidence non renseignée : distance non comparée")
        if who.home is not None:
            text = _("Commune du partenaire inconnue : distance non comparée")
        return Reason(label, text, _points(WEIGHT_DISTANCE, 0.5), WEIGHT_DISTANCE)
    km = distance_km(who.home, need.place)
    if who.home.name == need.place.name or km < 0.5:
        text = _("Habite dans la même commune (%(commune)s)") % {"commune": who.home.name}
    else:
        text = _("Habite à %(km)s km (%(commune)s)") % {"km": max(1, round(km)), "commune": who.home.name}
    share = 1.0 if km <= NEAR_KM else (FAR_KM - km) / (FAR_KM - NEAR_KM)
    return Reason(label, text, _points(WEIGHT_DISTANCE, share), WEIGHT_DISTANCE)


def _skills(need: Need, who: Candidate) -> Reason:
    label = _("Compétences")
    if not need.skills:
        text = _("Aucune compétence recherchée indiquée")
        return Reason(label, text, _points(WEIGHT_SKILLS, 0.5), WEIGHT_SKILLS)
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
    return Reason(label, text, _points(WEIGHT_SKILLS, len(matched) / total), WEIGHT_SKILLS)


def _alerts(who: Candidate) -> Reason:
    label = _("Charge de travail")
    count = len(who.alerts)
    if not count:
        return Reason(label, _("Aucune alerte de charge cette semaine"), WEIGHT_ALERTS, WEIGHT_ALERTS)
    text = ngettext(
        "%(count)s alerte cette semaine : %(labels)s",
        "%(count)s alertes cette semaine : %(labels)s",
        count,
    ) % {"count": count, "labels": ", ".join(who.alerts)}
    return Reason(label, text, _points(WEIGHT_ALERTS, 0.5 if count == 1 else 0.0), WEIGHT_ALERTS)


def _hours(need: Need, who: Candidate) -> Reason:
    label = _("Heures au contrat")
    free = who.free_hours
    wanted = hours_text(need.hours)
    if free <= 0:
        text = _("Plus d'heure libre au contrat, pour %(wanted)s h demandées") % {"wanted": wanted}
        return Reason(label, text, 0, WEIGHT_HOURS)
    text = _("%(free)s h libres au contrat pour %(wanted)s h demandées") % {"free": hours_text(free), "wanted": wanted}
    share = 1.0 if need.hours <= 0 else float(free / need.hours)
    return Reason(label, text, _points(WEIGHT_HOURS, share), WEIGHT_HOURS)


def _knows(need: Need, who: Candidate) -> Reason:
    label = _("Connaissance de l'équipe")
    if who.knows_team:
        text = _("Connaît déjà l'équipe") if need.has_team else _("Connaît déjà la structure")
        return Reason(label, text, WEIGHT_KNOWS, WEIGHT_KNOWS)
    text = _("Ne connaît pas encore l'équipe") if need.has_team else _("Ne connaît pas encore la structure")
    return Reason(label, text, 0, WEIGHT_KNOWS)


def suggest(need: Need, who: Candidate) -> Suggestion:
    availability, free = _availability(need, who)
    reasons = (
        availability,
        _distance(need, who),
        _skills(need, who),
        _alerts(who),
        _hours(need, who),
        _knows(need, who),
    )
    return Suggestion(who, sum(reason.points for reason in reasons), reasons, free)


def _name_key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def rank(need: Need, candidates: Sequence[Candidate]) -> list[Suggestion]:
    """Every candidate scored, best first; equal scores by name."""
    suggestions = [suggest(need, who) for who in candidates]
    return sorted(suggestions, key=lambda s: (-s.score, _name_key(s.name), s.profile_id))
