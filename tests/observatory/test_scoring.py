"""Scoring verified against hand-computed values: means, sums, reverse items, missing codes, the
minimum-answered rule, prorated sums and the conversion table. The arithmetic is in the comments."""

from __future__ import annotations

import dataclasses
import re

import pytest

from pairs.observatory.engine import item_values, load_definition, score_answers

# Scale 1 to 5, with NA and DK as missing codes. Mean scores. At least 60 % of a dimension's items
# answered, rounded up: 3 items → ceil(1.8) = 2 answers; 2 items → ceil(1.2) = 2; 1 item → ceil(0.6) = 1.
# Item b2 is reverse-scored: it counts as 1 + 5 − value = 6 − value.
MEAN = """\
code: moyenne
version: "1"
name: Moyenne
language: fr
licence: free
scale:
  values: [1, 2, 3, 4, 5]
  missing: {NA: Sans objet, DK: Ne sait pas}
versions:
  - key: pros
    label: Professionnels
    items:
      - {key: a1, text: A1}
      - {key: a2, text: A2}
      - {key: a3, text: A3}
      - {key: b1, text: B1}
      - {key: b2, text: B2}
  - key: proches
    label: Proches
    items:
      - {key: a1, text: A1}
      - {key: a2, text: A2}
      - {key: b1, text: B1}
reverse_items: [b2]
dimensions:
  - {key: A, label: Dimension A, items: [a1, a2, a3]}
  - {key: B, label: Dimension B, items: [b1, b2]}
scoring:
  method: mean
  min_answered: 0.6
"""


@pytest.fixture(scope="module")
def mean_definition():
    return load_definition(MEAN)


def test_mean_with_a_missing_code_and_a_reverse_item(mean_definition):
    answers = {"a1": 4, "a2": 5, "a3": "NA", "b1": 2, "b2": 1}
    # A: a3 is "sans objet" → 2 answers of 3 (≥ 2 required): (4 + 5) / 2 = 4.5
    # B: b2 = 1 is reversed to 6 − 1 = 5: (2 + 5) / 2 = 3.5
    assert score_answers(mean_definition, "pros", answers) == {"A": 4.5, "B": 3.5}


def test_too_few_answers_give_no_score_for_that_dimension_only(mean_definition):
    answers = {"a1": 3, "a2": "DK", "a3": None, "b1": 4, "b2": 4}
    # A: a2 "ne sait pas" and a3 unanswered → 1 answer, 2 required → no score
    # B: b2 = 4 reversed to 6 − 4 = 2: (4 + 2) / 2 = 3.0
    assert score_answers(mean_definition, "pros", answers) == {"A": None, "B": 3.0}


def test_an_item_left_out_counts_as_missing(mean_definition):
    # A: only a1 and a2 given → (1 + 2) / 2 = 1.5; B: b1 = 5, b2 left out → 1 answer of 2 → no score
    assert score_answers(mean_definition, "pros", {"a1": 1, "a2": 2, "b1": 5}) == {"A": 1.5, "B": None}


def test_each_version_scores_its_own_items_of_a_dimension(mean_definition):
    # Proches: A has a1 and a2 (2 required), B has b1 only (1 required).
    # A: (2 + 3) / 2 = 2.5; B: b1 "sans objet" → 0 answers → no score
    assert score_answers(mean_definition, "proches", {"a1": 2, "a2": 3, "b1": "NA"}) == {"A": 2.5, "B": None}
    # B: b1 = 4 alone is enough (1 of 1): 4.0
    assert score_answers(mean_definition, "proches", {"a1": 2, "a2": "3", "b1": 4}) == {"A": 2.5, "B": 4.0}


def test_item_values_turn_reverse_items_round(mean_definition):
    answers = {"a1": 4, "a2": "DK", "a3": 3, "b1": 2, "b2": 5}
    assert item_values(mean_definition, "pros", answers) == {"a1": 4, "a2": None, "a3": 3, "b1": 2, "b2": 1}


@pytest.mark.parametrize(
    ("version", "answers", "message"),
    [
        ("pros", {"a1": 7}, "La réponse « 7 » n'est ni une valeur de l'échelle ni un code de valeur manquante."),
        ("pros", {"a1": "XX"}, "La réponse « XX » n'est ni une valeur de l'échelle ni un code de valeur manquante."),
        ("pros", {"a1": True}, "La réponse « True » n'est ni une valeur de l'échelle ni un code de valeur manquante."),
        ("proches", {"a3": 2}, "La version « proches » n'a pas d'item « a3 »."),
        ("directeurs", {}, "L'instrument « moyenne » n'a pas de version « directeurs »."),
    ],
)
def test_bad_answers_are_refused(mean_definition, version, answers, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        score_answers(mean_definition, version, answers)


# Scale 1 to 4, ten items summed, e5 and e8 reverse-scored (1 + 4 − value = 5 − value), at least 8
# answered; with 8 or 9 answers the sum is prorated: mean of the answers × 10.
SUM = """\
code: somme
version: "1"
name: Somme
language: fr
licence: free
scale:
  values: [1, 2, 3, 4]
  missing: {NR: Ne souhaite pas répondre}
versions:
  - key: personne
    label: Personne
    items:
"""
SUM += "".join(f"      - {{key: e{number}, text: Item {number}}}\n" for number in range(1, 11))
SUM += """\
reverse_items: [e5, e8]
dimensions:
  - {key: total, label: Total, items: [e1, e2, e3, e4, e5, e6, e7, e8, e9, e10]}
scoring:
  method: sum
  min_answered: 8
"""
FULL = {"e1": 3, "e2": 2, "e3": 4, "e4": 3, "e5": 1, "e6": 3, "e7": 2, "e8": 2, "e9": 4, "e10": 3}


@pytest.fixture(scope="module")
def sum_definition():
    return load_definition(SUM)


def test_sum_with_reverse_items(sum_definition):
    # e5 = 1 → 5 − 1 = 4; e8 = 2 → 5 − 2 = 3
    # 3 + 2 + 4 + 3 + 4 + 3 + 2 + 3 + 4 + 3 = 31
    assert score_answers(sum_definition, "personne", FULL) == {"total": 31.0}


def test_sum_with_two_missing_answers_is_prorated(sum_definition):
    answers = {**FULL, "e9": "NR", "e10": None}
    # 8 answers: 3 + 2 + 4 + 3 + 4 + 3 + 2 + 3 = 24; mean 24 / 8 = 3; prorated 3 × 10 = 30
    assert score_answers(sum_definition, "personne", answers) == {"total": 30.0}


def test_sum_with_one_missing_answer_is_prorated_exactly(sum_definition):
    answers = {**FULL, "e10": None}
    # 9 answers: 31 − 3 = 28; 28 / 9 × 10 = 31.111…
    assert score_answers(sum_definition, "personne", answers) == {"total": pytest.approx(280 / 9)}


def test_sum_with_three_missing_answers_has_no_score(sum_definition):
    answers = {**FULL, "e1": None, "e2": "NR", "e3": None}
    # 7 answers, 8 required
    assert score_answers(sum_definition, "personne", answers) == {"total": None}


# Three items 1 to 3 summed (raw 3 to 9), converted through a table; at least 2 answered.
CONVERSION = """\
code: conversion
version: "1"
name: Conversion
language: fr
licence: licence
scale:
  values: [1, 2, 3]
versions:
  - key: v
    label: Version
    items:
      - {key: c1, text: C1}
      - {key: c2, text: C2}
      - {key: c3, text: C3}
dimensions:
  - {key: total, label: Total, items: [c1, c2, c3]}
scoring:
  method: sum
  min_answered: 2
  conversion: {3: 0.0, 4: 12.5, 5: 30.1, 6: 50.0, 7: 69.9, 8: 87.5, 9: 100.0}
"""


@pytest.fixture(scope="module")
def conversion_definition():
    return load_definition(CONVERSION)


def test_a_raw_sum_is_converted_through_the_table(conversion_definition):
    # 1 + 2 + 3 = 6 → 50.0
    assert score_answers(conversion_definition, "v", {"c1": 1, "c2": 2, "c3": 3}) == {"total": 50.0}
    # 3 + 3 + 3 = 9 → 100.0
    assert score_answers(conversion_definition, "v", {"c1": 3, "c2": 3, "c3": 3}) == {"total": 100.0}


def test_a_prorated_sum_is_rounded_half_up_before_conversion(conversion_definition):
    # c3 missing: (3 + 2) / 2 × 3 = 7.5 → 8 → 87.5
    assert score_answers(conversion_definition, "v", {"c1": 3, "c2": 2}) == {"total": 87.5}
    # c3 missing: (1 + 2) / 2 × 3 = 4.5 → 5 → 30.1
    assert score_answers(conversion_definition, "v", {"c1": 1, "c2": 2}) == {"total": 30.1}
    # one answer only: no score
    assert score_answers(conversion_definition, "v", {"c1": 1}) == {"total": None}


def test_a_raw_score_absent_from_the_table_gives_no_score(conversion_definition):
    partial = dataclasses.replace(
        conversion_definition,
        scoring=dataclasses.replace(conversion_definition.scoring, conversion={3: 0.0, 9: 100.0}),
    )
    assert score_answers(partial, "v", {"c1": 1, "c2": 1, "c3": 1}) == {"total": 0.0}
    assert score_answers(partial, "v", {"c1": 1, "c2": 2, "c3": 3}) == {"total": None}


def test_required_answers_rounds_the_share_up_without_float_error(mean_definition):
    scoring = mean_definition.scoring
    # 0.6 × 5 = 3 exactly (not 3.0000000000000004 → 4); 0.6 × 3 = 1.8 → 2; 0.6 × 1 = 0.6 → 1
    assert [scoring.required_answers(n) for n in (5, 3, 1)] == [3, 2, 1]
