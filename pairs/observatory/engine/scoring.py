"""Scoring one respondent's answers, dimension by dimension, following the definition's rule exactly.

- An answer is a value of the scale (an int, or its digits as text). A missing code of the scale
  ("NA", "DK"…) and None count as missing; an item left out of ``answers`` is missing too.
- A reverse-scored item counts as (lowest + highest value of the scale − value).
- A dimension is scored when it has at least ``Scoring.required_answers(n)`` valid answers, n being
  the number of its items in the respondent's version; otherwise its score is None.
- "mean": the mean of the valid answers. "sum": the sum of the items; when some are missing (but
  enough are answered) the sum is prorated: mean of the valid answers × n.
- With a conversion table, the (prorated) sum is rounded to the nearest whole number (halves up) and
  looked up; a raw score absent from the table gives None.
- Dimensions with no item in the respondent's version are not in the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from .definition import Definition, Scale

Answer = int | str | None


def answer_value(scale: Scale, answer: Answer) -> int | None:
    """The scale value of one answer, or None when it is missing; ValueError for anything else."""
    if answer is None:
        return None
    if isinstance(answer, str):
        if answer in scale.missing:
            return None
        text = answer.strip()
        if text.lstrip("-").isdigit():
            answer = int(text)
    if isinstance(answer, int) and not isinstance(answer, bool) and answer in scale.values:
        return answer
    raise ValueError(f"La réponse « {answer} » n'est ni une valeur de l'échelle ni un code de valeur manquante.")


def item_values(definition: Definition, version_key: str, answers: Mapping[str, Answer]) -> dict[str, int | None]:
    """Each item of the version with its scored value (reverse items already turned round) or None."""
    version = definition.respondent_version(version_key)
    keys = set(version.item_keys())
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise ValueError(f"La version « {version_key} » n'a pas d'item « {unknown[0]} ».")
    scale = definition.scale
    values: dict[str, int | None] = {}
    for item in version.items:
        value = answer_value(scale, answers.get(item.key))
        if value is not None and item.reverse:
            value = scale.low + scale.high - value
        values[item.key] = value
    return values


def score_answers(definition: Definition, version_key: str, answers: Mapping[str, Answer]) -> dict[str, float | None]:
    """One respondent's score on each dimension of their version (None: too few valid answers)."""
    values = item_values(definition, version_key, answers)
    scoring = definition.scoring
    scores: dict[str, float | None] = {}
    for dimension in definition.dimensions:
        keys = [key for key in dimension.items if key in values]
        if not keys:
            continue
        answered = [value for key in keys if (value := values[key]) is not None]
        if not answered or len(answered) < scoring.required_answers(len(keys)):
            scores[dimension.key] = None
            continue
        mean = Fraction(sum(answered), len(answered))
        if scoring.method == "mean":
            scores[dimension.key] = float(mean)
            continue
        total = mean * len(keys)
        if scoring.conversion is None:
            scores[dimension.key] = float(total)
        else:
            scores[dimension.key] = scoring.conversion.get(math.floor(total + Fraction(1, 2)))
    return scores
