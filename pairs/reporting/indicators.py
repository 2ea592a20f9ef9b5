"""The shapes every indicator takes, shared by the dashboard, the yearly report (PDF and XLSX) and the
network view: a section holds figures (one number, compared with the same period a year earlier, with
the list behind it) and tables. Pure Python: no database.

Small numbers: a count below ``SMALL_NUMBER`` (5) is shown as "< 5" wherever it leaves the platform's
own team (the report, the funder's and the network's views): statistical secrecy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

SMALL_NUMBER = 5

Value = int | float | None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # French, already translated
    value: Value
    previous: Value = None  # the same period a year earlier
    unit: str = ""  # "" (a count), "h", "%", "j" (days), "km"
    link: str = ""  # the URL of the list behind the figure, for roles allowed to see it ("" for none)
    is_count: bool = True  # a count of people or things: small numbers are suppressed where required

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return float(self.value) - float(self.previous)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Value | str]]
    count_columns: frozenset[int] = field(default_factory=frozenset)  # indexes holding counts


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()


def is_small(value: Value) -> bool:
    return value is not None and isinstance(value, int) and 0 < value < SMALL_NUMBER


def shown(value: Value | str, *, is_count: bool = True, suppress: bool = True, unit: str = "") -> str:
    """A value in French for a page, a PDF or a cell: "< 5" for a small count when ``suppress``,
    "—" when unknown, decimals with a comma."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if suppress and is_count and is_small(value):
        return _("< %(n)d") % {"n": SMALL_NUMBER}
    if isinstance(value, float):
        text = number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    else:
        text = number_format(value, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{unit}" if unit else text
