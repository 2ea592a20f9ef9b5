"""The suggestion engine shared by every place that proposes peer workers: deployments in a
partner team (pairs/deployments/ranking.py) and direct support to a person
(pairs/support/matching.py).

Pure logic: plain values in, ranked suggestions with their French reasons out, no database.
Each caller describes what it needs (its own ``need`` value) and who the candidates are (its
own ``candidate`` values, with a ``profile_id`` and a ``name``), and gives a list of criteria.
A criterion is a function ``(need, candidate) -> Reason``: a French sentence, the points earned
and the points at stake. The score is the sum of the points; suggestions come best first,
equal scores ordered by name (accents and case ignored), then by profile.

What is shared here:

- the half-days of the week (``"1:morning"`` is Tuesday morning) and their French labels, and
  the days of absence periods within a week;
- places and the great-circle distance between two communes;
- ``Reason`` (with its level in words, never colour alone) and ``Suggestion``;
- ``points(weight, share)``: a share between 0 and 1 of a criterion's weight, rounded;
- two criteria both callers use: the distance between the worker's home commune and where
  the work happens (full points up to ``near_km``, none from ``far_km``, in proportion in
  between; unknown on either side: half the points, said so), and this week's workload
  alerts (none: full points, one: half, more: none);
- ``rank``: every candidate scored by the criteria, best first.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import DayPart, Weekday

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


def slot_of(moment: datetime) -> Slot:
    """The half-day a (local) moment falls in: morning before noon, afternoon before 18 h, then evening."""
    if moment.hour < 12:
        part = DayPart.MORNING
    elif moment.hour < 18:
        part = DayPart.AFTERNOON
    else:
        part = DayPart.EVENING
    return (moment.weekday(), part.value)


class DayRange(Protocol):
    """A period of days, as PostgreSQL date ranges come back (bounds may be open or exclusive)."""

    @property
    def lower(self) -> date | None: ...

    @property
    def upper(self) -> date | None: ...

    @property
    def lower_inc(self) -> bool: ...

    @property
    def upper_inc(self) -> bool: ...


def days_within(periods: Iterable[DayRange], first: date, last: date) -> set[date]:
    """The days of ``periods`` (absences, typically) between ``first`` and ``last`` included."""
    days = set()
    for period in periods:
        low, high = period.lower, period.upper
        start = first if low is None else (low if period.lower_inc else low + timedelta(days=1))
        end = last if high is None else (high if period.upper_inc else high - timedelta(days=1))
        day = max(start, first)
        while day <= min(end, last):
            days.add(day)
            day += timedelta(days=1)
    return days


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


def distance_share(km: float, near_km: float, far_km: float) -> float:
    """1 up to ``near_km``, 0 from ``far_km``, in proportion in between."""
    if km <= near_km:
        return 1.0
    return max(0.0, (far_km - km) / (far_km - near_km))


# ---- Reasons, suggestions, points


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


class Named(Protocol):
    """What the engine needs to know of a candidate: who they are."""

    @property
    def profile_id(self) -> int: ...

    @property
    def name(self) -> str: ...


N = TypeVar("N")
C = TypeVar("C", bound=Named)
N_contra = TypeVar("N_contra", contravariant=True)
C_contra = TypeVar("C_contra", contravariant=True)


class Criterion(Protocol[N_contra, C_contra]):
    def __call__(self, need: N_contra, who: C_contra, /) -> Reason: ...


@dataclass(frozen=True)
class Suggestion(Generic[C]):
    candidate: C
    score: int
    reasons: tuple[Reason, ...]
    free_slots: tuple[Slot, ...] = ()  # the half-days the worker is free on, when the caller tells

    @property
    def profile_id(self) -> int:
        return self.candidate.profile_id

    @property
    def name(self) -> str:
        return self.candidate.name


def points(weight: int, share: float) -> int:
    """``share`` (clamped between 0 and 1) of ``weight``, rounded half up."""
    return int(weight * max(0.0, min(1.0, share)) + 0.5)


def hours_text(value: Decimal) -> str:
    """Hours the French way: "4,5", "24"."""
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def name_key(name: str) -> str:
    """Sorting key of a name: accents and case ignored."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


# ---- The ranking


def score(
    need: N,
    who: C,
    criteria: Sequence[Criterion[N, C]],
    *,
    free_slots: Callable[[N, C], tuple[Slot, ...]] | None = None,
) -> Suggestion[C]:
    """One candidate judged on every criterion, in the order given."""
    reasons = tuple(criterion(need, who) for criterion in criteria)
    free = free_slots(need, who) if free_slots is not None else ()
    return Suggestion(who, sum(reason.points for reason in reasons), reasons, free)


def rank(
    need: N,
    candidates: Iterable[C],
    criteria: Sequence[Criterion[N, C]],
    *,
    free_slots: Callable[[N, C], tuple[Slot, ...]] | None = None,
) -> list[Suggestion[C]]:
    """Every candidate scored, best first; equal scores by name, then by profile."""
    suggestions = [score(need, who, criteria, free_slots=free_slots) for who in candidates]
    return sorted(suggestions, key=lambda s: (-s.score, name_key(s.name), s.profile_id))


# ---- Criteria both callers use


class HasPlace(Protocol):
    """A need located somewhere (a partner's commune, a person's commune)."""

    @property
    def place(self) -> Place | None: ...


class HasHome(Protocol):
    """A candidate's home commune."""

    @property
    def home(self) -> Place | None: ...


class HasAlerts(Protocol):
    """A candidate's workload alerts of the week, as short labels."""

    @property
    def alerts(self) -> tuple[str, ...]: ...


Text = str | Promise

# Short labels of the workload alerts of pairs/peers/selectors/workload.py, for reasons.
ALERT_LABELS: dict[str, Text] = {
    "hours": gettext_lazy("heures"),
    "workplaces": gettext_lazy("lieux"),
    "supervision": gettext_lazy("supervision"),
}


def alert_labels(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(ALERT_LABELS.get(code, code)) for code in codes)


def distance_reason(
    home: Place | None,
    place: Place | None,
    *,
    weight: int,
    near_km: float,
    far_km: float,
    unknown_place: Text,
    label: Text | None = None,
) -> tuple[Reason, float | None]:
    """The distance reason, and the distance in km (None when it cannot be compared)."""
    title = str(label) if label is not None else _("Distance")
    if home is None or place is None:
        text = _("Commune de résidence non renseignée : distance non comparée")
        if home is not None:
            text = str(unknown_place)
        return Reason(title, text, points(weight, 0.5), weight), None
    km = distance_km(home, place)
    if home.name == place.name or km < 0.5:
        text = _("Habite dans la même commune (%(commune)s)") % {"commune": home.name}
    else:
        text = _("Habite à %(km)s km (%(commune)s)") % {"km": max(1, round(km)), "commune": home.name}
    return Reason(title, text, points(weight, distance_share(km, near_km, far_km)), weight), km


def distance_criterion(
    *, weight: int, near_km: float, far_km: float, unknown_place: Text
) -> Criterion[HasPlace, HasHome]:
    """Home commune ↔ where the work happens. ``unknown_place`` says why the distance cannot be
    compared when only the place is unknown."""

    def distance(need: HasPlace, who: HasHome) -> Reason:
        reason, _km = distance_reason(
            who.home, need.place, weight=weight, near_km=near_km, far_km=far_km, unknown_place=unknown_place
        )
        return reason

    return distance


def alerts_criterion(*, weight: int) -> Criterion[object, HasAlerts]:
    """This week's workload alerts: none gives every point, one half, more none."""

    def alerts(need: object, who: HasAlerts) -> Reason:
        label = _("Charge de travail")
        count = len(who.alerts)
        if not count:
            return Reason(label, _("Aucune alerte de charge cette semaine"), weight, weight)
        text = ngettext(
            "%(count)s alerte cette semaine : %(labels)s",
            "%(count)s alertes cette semaine : %(labels)s",
            count,
        ) % {"count": count, "labels": ", ".join(who.alerts)}
        return Reason(label, text, points(weight, 0.5 if count == 1 else 0.0), weight)

    return alerts
