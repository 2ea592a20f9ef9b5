"""The Observatoire's instrument engine, pure Python (no database): definition files and their
validation, scoring of one respondent's answers, and the statistics of the results."""

from pathlib import Path

from .definition import (
    LICENCES,
    METHODS,
    Definition,
    DefinitionError,
    Dimension,
    Item,
    Perspective,
    RespondentVersion,
    Scale,
    Scoring,
    load_definition,
)
from .scoring import answer_value, item_values, score_answers
from .stats import (
    T_975,
    Summary,
    effect_size,
    effect_size_between,
    intervals_overlap,
    summarise,
    summary_from_moments,
    t_value,
)

DEMO_INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"


def demo_files() -> list[Path]:
    """The demonstration definition files shipped with the software, written by the project and
    labelled "démonstration — non validé"."""
    return sorted(DEMO_INSTRUMENTS_DIR.glob("*.yaml"))


__all__ = [
    "DEMO_INSTRUMENTS_DIR",
    "LICENCES",
    "METHODS",
    "T_975",
    "Definition",
    "DefinitionError",
    "Dimension",
    "Item",
    "Perspective",
    "RespondentVersion",
    "Scale",
    "Scoring",
    "Summary",
    "answer_value",
    "demo_files",
    "effect_size",
    "effect_size_between",
    "intervals_overlap",
    "item_values",
    "load_definition",
    "score_answers",
    "summarise",
    "summary_from_moments",
    "t_value",
]
