"""The shared suggestion engine, on hand-built cases: plain values in, scores and French reasons out.
Deployments and direct support both rank with it (tests/deployments/test_ranking.py,
tests/support/test_matching.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateRange

from pairs.peers import matching
from pairs.peers.matching import Place, Reason, Slot

LYON = Place("Lyon", 45.758, 4.835)
VILLEURBANNE = Place("Villeurbanne", 45.766, 4.879)
GIVORS = Place("Givors", 45.590, 4.769)
VILLEFRANCHE = Place("Villefranche-sur-Saône", 45.989, 4.718)


@dataclass(frozen=True)
class Need:
    place: Place | None
    wanted: str  # a word the candidate should know


@dataclass(frozen=True)
class Candidate:
    profile_id: int
    name: str
    home: Place | None = None
    words: frozenset[str] = frozenset()
    alerts: tuple[str, ...] = ()
    free: tuple[Slot, ...] = ()


def knows_word(need: Need, who: Candidate) -> Reason:
    if need.wanted in who.words:
        return Reason("Mot", f"Connaît « {need.wanted} »", 10, 10)
    return Reason("Mot", f"Ne connaît pas « {need.wanted} »", 0, 10)


CRITERIA: tuple[matching.Criterion[Need, Candidate], ...] = (
    matching.distance_criterion(weight=20, near_km=5, far_km=50, unknown_place="Lieu inconnu : distance non comparée"),
    knows_word,
    matching.alerts_criterion(weight=8),
)


def test_hand_built_ranking_with_shared_and_own_criteria() -> None:
    need = Need(place=LYON, wanted="écoute")
    alice = Candidate(1, "Alice", home=VILLEURBANNE, words=frozenset({"écoute"}), free=((0, "morning"),))
    bruno = Candidate(2, "Bruno", home=GIVORS, words=frozenset({"écoute"}), alerts=("heures",))
    chloe = Candidate(3, "Chloé", home=None, alerts=("heures", "lieux"))
    ranked = matching.rank(need, [chloe, bruno, alice], CRITERIA, free_slots=lambda need, who: who.free)

    assert [(s.name, s.score) for s in ranked] == [("Alice", 38), ("Bruno", 28), ("Chloé", 10)]
    best, middle, last = ranked
    assert [r.text for r in best.reasons] == [
        "Habite à 4 km (Villeurbanne)",
        "Connaît « écoute »",
        "Aucune alerte de charge cette semaine",
    ]
    assert best.free_slots == ((0, "morning"),)
    assert best.profile_id == 1 and best.candidate is alice
    assert [r.text for r in middle.reasons] == [
        "Habite à 19 km (Givors)",
        "Connaît « écoute »",
        "1 alerte cette semaine : heures",
    ]
    assert [(r.points, r.out_of) for r in middle.reasons] == [(14, 20), (10, 10), (4, 8)]
    assert [r.text for r in last.reasons] == [
        "Commune de résidence non renseignée : distance non comparée",
        "Ne connaît pas « écoute »",
        "2 alertes cette semaine : heures, lieux",
    ]
    assert [str(r.level) for r in last.reasons] == ["partiel", "défavorable", "défavorable"]


def test_unknown_place_says_which_side_is_missing() -> None:
    (only,) = matching.rank(Need(place=None, wanted="x"), [Candidate(1, "Alix", home=LYON)], CRITERIA)
    assert only.reasons[0].text == "Lieu inconnu : distance non comparée"
    assert only.reasons[0].points == 10
    assert only.free_slots == ()


def test_same_commune_and_far_away() -> None:
    need = Need(place=LYON, wanted="x")
    near, far = matching.rank(
        need, [Candidate(2, "Far", home=VILLEFRANCHE), Candidate(1, "Near", home=LYON)], CRITERIA[:1]
    )
    assert near.reasons[0].text == "Habite dans la même commune (Lyon)" and near.score == 20
    assert far.reasons[0].text == "Habite à 27 km (Villefranche-sur-Saône)" and far.score == 10


def test_equal_scores_by_name_ignoring_accents_and_case() -> None:
    need = Need(place=None, wanted="x")
    names = [(1, "eric"), (2, "Émile"), (3, "Aurélie"), (4, "Émile")]
    ranked = matching.rank(need, [Candidate(pid, name) for pid, name in names], CRITERIA)
    assert [(s.name, s.profile_id) for s in ranked] == [("Aurélie", 3), ("Émile", 2), ("Émile", 4), ("eric", 1)]


def test_points_are_a_rounded_clamped_share() -> None:
    assert matching.points(20, 0.5) == 10
    assert matching.points(7, 0.5) == 4  # half up
    assert matching.points(10, 1.7) == 10 and matching.points(10, -1) == 0
    assert matching.distance_share(3, 5, 50) == 1 and matching.distance_share(60, 5, 50) == 0


def test_half_days_of_moments_and_absences_within_a_week() -> None:
    assert matching.slot_of(datetime(2027, 1, 5, 9, 30)) == (1, "morning")
    assert matching.slot_of(datetime(2027, 1, 5, 12, 0)) == (1, "afternoon")
    assert matching.slot_of(datetime(2027, 1, 10, 18, 0)) == (6, "evening")
    monday, sunday = date(2027, 1, 4), date(2027, 1, 10)
    periods = [DateRange(date(2026, 12, 20), date(2027, 1, 6), "[)"), DateRange(date(2027, 1, 9), None, "[)")]
    days = matching.days_within(periods, monday, sunday)
    assert sorted(days) == [date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 9), date(2027, 1, 10)]
    assert matching.first_date(monday, 3) == date(2027, 1, 7)
    assert matching.slots_label([(3, "evening"), (0, "morning")]) == "lundi matin, jeudi soir"
    assert matching.hours_text(Decimal("4.5")) == "4,5"
