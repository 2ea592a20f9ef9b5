"""Text rules shared by every app: French phone numbers, and names compared without accents."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Func, Value

# ---- Phone numbers

_SEPARATORS = re.compile(r"[\s.\-()/]")


def french_phone(value: str) -> str | None:
    """A French number written "06 12 34 56 78", or None when ``value`` is not one. Accepts ten
    digits starting with 0 (spaces, dots, dashes or brackets between them) and the +33 / 0033 forms
    (with or without the "(0)")."""
    compact = _SEPARATORS.sub("", (value or "").strip())
    for prefix in ("+33", "0033"):
        if compact.startswith(prefix):
            rest = compact[len(prefix) :]
            if len(rest) == 10 and rest.startswith("0"):  # "+33 (0)6 …"
                rest = rest[1:]
            compact = "0" + rest
            break
    if not re.fullmatch(r"0[1-9][0-9]{8}", compact):
        return None
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))


def international_phone(value: str) -> str:
    """The number in international form (+33612345678), or "" when it cannot be one. French
    numbers may be typed the usual way; others need their + prefix."""
    french = french_phone(value)
    if french is not None:
        return "+33" + french.replace(" ", "")[1:]
    number = _SEPARATORS.sub("", value or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    return number if re.fullmatch(r"\+[1-9]\d{7,14}", number) else ""


# ---- Names without accents

FOLD_FROM = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿ"
FOLD_TO = "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyyy"
_FOLD_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)


def fold(text: str) -> str:
    """Lower case, without accents: "Maëlys" and "MAELYS" give "maelys"."""
    return text.translate(_FOLD_TABLE).lower()


def sql_fold(expression: Any) -> Func:
    """The accents of a SQL text expression removed (the same table as ``fold``; case kept)."""
    return Func(expression, Value(FOLD_FROM), Value(FOLD_TO), function="translate")
