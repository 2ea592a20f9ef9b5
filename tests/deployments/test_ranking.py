"""The suggestion ranking, on a hand-built case: plain values in, scores and French reasons out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pairs.deployments.ranking import (
    Candidate,
    Need,
    Place,
    Suggestion,
    distance_km,
    parse_slot,
    parse_slots,
    rank,
    slot_label,
    slots_label,
)

LYON = Place("Lyon", 45.758, 4.835)
VILLEURBANNE = Place("Villeurbanne", 45.766, 4.879)
GIVORS = Place("Givors", 45.590, 4.769)

MONDAY = date(2027, 1, 4)
REQUESTED = ((0, "morning"), (0, "afternoon"), (3, "morning"), (3, "afternoon"))

NEED = Need(
    start=MONDAY,
    slots=REQUESTED,
    hours=Decimal("7"),
    skills=("Écoute", "Animation de groupe", "Emploi"),
    place=LYON,
    has_team=True,
)


def _texts(suggestion: Suggestion) -> list[str]:
    return [reason.text for reason in suggestion.reasons]


def test_half_days_read_and_written() -> None:
    assert parse_slot("1:morning") == (1, "morning")
    assert parse_slot("7:morning") is None and parse_slot("1:night") is None and parse_slot("x") is None
    assert parse_slots(["3:afternoon", "0:morning", "bad", "0:morning"]) == [(0, "morning"), (3, "afternoon")]
    assert slot_label((1, "afternoon")) == "mardi après-midi"
    assert slots_label([(3, "evening"), (0, "morning")]) == "lundi matin, jeudi soir"


def test_distance_is_great_circle_km() -> None:
    assert round(distance_km(VILLEURBANNE, LYON), 1) == 3.5
    assert round(distance_km(GIVORS, LYON)) == 19
    assert distance_km(LYON, LYON) == 0


def test_hand_built_ranking_with_reasons() -> None:
    alice = Candidate(
        profile_id=1,
        name="Alice Martin",
        home=VILLEURBANNE,
        usual_slots=frozenset(REQUESTED),
        skills=frozenset({"Écoute", "Animation de groupe", "Parentalité"}),
        contract_hours=Decimal("24"),
        assigned_hours=Decimal("10"),
        knows_team=True,
    )
    bruno = Candidate(
        profile_id=2,
        name="Bruno Petit",
        home=GIVORS,
        usual_slots=frozenset(REQUESTED),
        taken_slots=frozenset({(3, "morning")}),  # already in another team on Thursday morning
        absent_days=frozenset({date(2027, 1, 7)}),  # on leave the first Thursday
        skills=frozenset({"Parentalité"}),
        alerts=("heures",),
        contract_hours=Decimal("24"),
        assigned_hours=Decimal("20"),
    )
    chloe = Candidate(
        profile_id=3,
        name="Chloé Durand",
        home=None,
        usual_slots=frozenset(REQUESTED[:3]),
        skills=frozenset({"Écoute", "Animation de groupe", "Emploi"}),
        alerts=("heures", "supervision"),
        contract_hours=Decimal("0"),
    )
    ranked = rank(NEED, [bruno, chloe, alice])
    assert [(s.name, s.score) for s in ranked] == [("Alice Martin", 95), ("Chloé Durand", 55), ("Bruno Petit", 42)]

    best = ranked[0]
    assert _texts(best) == [
        "Disponible sur 4 des 4 demi-journées demandées",
        "Habite à 4 km (Villeurbanne)",
        "2 compétences recherchées sur 3 : Écoute, Animation de groupe",
        "Aucune alerte de charge cette semaine",
        "14 h libres au contrat pour 7 h demandées",
        "Connaît déjà l'équipe",
    ]
    assert [(r.points, r.out_of) for r in best.reasons] == [(40, 40), (20, 20), (10, 15), (8, 8), (7, 7), (10, 10)]
    assert best.free_slots == REQUESTED

    chloe_s = ranked[1]
    assert _texts(chloe_s) == [
        "Disponible sur 3 des 4 demi-journées demandées (pas disponible d'habitude : jeudi après-midi)",
        "Commune de résidence non renseignée : distance non comparée",
        "3 compétences recherchées sur 3 : Écoute, Animation de groupe, Emploi",
        "2 alertes cette semaine : heures, supervision",
        "Plus d'heure libre au contrat, pour 7 h demandées",
        "Ne connaît pas encore l'équipe",
    ]
    assert [r.points for r in chloe_s.reasons] == [30, 10, 15, 0, 0, 0]

    last = ranked[2]
    assert _texts(last) == [
        "Disponible sur 2 des 4 demi-journées demandées (déjà pris par une autre affectation : jeudi matin ; "
        "absent·e le jeudi 7 janvier)",
        "Habite à 19 km (Givors)",
        "N'a aucune des 3 compétences recherchées",
        "1 alerte cette semaine : heures",
        "4 h libres au contrat pour 7 h demandées",
        "Ne connaît pas encore l'équipe",
    ]
    assert [r.points for r in last.reasons] == [20, 14, 0, 4, 4, 0]
    assert last.free_slots == ((0, "morning"), (0, "afternoon"))
    assert [str(r.level) for r in last.reasons] == [
        "partiel",
        "partiel",
        "défavorable",
        "partiel",
        "partiel",
        "défavorable",
    ]


def test_equal_scores_are_ordered_by_name_ignoring_accents() -> None:
    twins = [
        Candidate(profile_id=pid, name=name, usual_slots=frozenset(REQUESTED), contract_hours=Decimal("24"))
        for pid, name in [(1, "Eric Morel"), (2, "Émile Roux"), (3, "Aurélie Blanc")]
    ]
    ranked = rank(NEED, twins)
    assert len({s.score for s in ranked}) == 1
    assert [s.name for s in ranked] == ["Aurélie Blanc", "Émile Roux", "Eric Morel"]


def test_criteria_that_cannot_be_compared_count_for_half() -> None:
    need = Need(start=MONDAY, slots=(), hours=Decimal("0.5"), skills=(), place=LYON, has_team=False)
    who = Candidate(profile_id=1, name="Alix", home=LYON, contract_hours=Decimal("10"), knows_team=True)
    (only,) = rank(need, [who])
    assert _texts(only) == [
        "Aucune demi-journée demandée : disponibilité non comparée",
        "Habite dans la même commune (Lyon)",
        "Aucune compétence recherchée indiquée",
        "Aucune alerte de charge cette semaine",
        "10 h libres au contrat pour 0,5 h demandées",
        "Connaît déjà la structure",
    ]
    assert only.score == 20 + 20 + 8 + 8 + 7 + 10
