"""The yearly report as a spreadsheet (XlsxWriter): a first sheet « Synthèse » with every figure (the
year and the year before), one sheet per table, and a sheet « Méthode » with the notes and the full
title of each table. Numbers stay numbers; every count below 5 is the text « < 5 »."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from .indicators import Section, Value, is_small, shown

SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH = 8
MAX_WIDTH = 60


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters at most, none of []:*?/\\, not starting or ending
    with an apostrophe) and unique in the workbook, case aside."""
    base = FORBIDDEN_IN_SHEET_NAMES.sub(" ", title)
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or _("Tableau")
    name = base[:SHEET_NAME_MAX].strip()
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)].strip() + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _text_width(value: Any) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0)


class _Sheet:
    """A worksheet that remembers the widest text of each column, to size the columns at the end."""

    def __init__(self, workbook: Any, name: str, formats: dict[str, Any]) -> None:
        self.sheet = workbook.add_worksheet(name)
        self.formats = formats
        self.widths: dict[int, int] = {}

    def _seen(self, column: int, text: Any) -> None:
        self.widths[column] = max(self.widths.get(column, 0), _text_width(text))

    def text(self, row: int, column: int, value: str, style: str = "") -> None:
        self.sheet.write_string(row, column, value, self.formats.get(style))
        self._seen(column, value)

    def value(self, row: int, column: int, value: Value | str | Decimal, *, is_count: bool) -> None:
        """A cell: a small count as « < 5 », a number as a number, nothing for an unknown value."""
        if value is None or value == "":
            self.sheet.write_blank(row, column, None)
            return
        if isinstance(value, str):
            self.text(row, column, value)
            return
        if isinstance(value, Decimal):
            value = float(value)
        if is_count and is_small(value):
            self.text(row, column, shown(value))
            return
        style = "integer" if isinstance(value, int) else "decimal"
        self.sheet.write_number(row, column, value, self.formats[style])
        self._seen(column, shown(value, suppress=False))

    def header(self, row: int, titles: Sequence[str]) -> None:
        for column, title in enumerate(titles):
            self.text(row, column, str(title), "header")

    def size_columns(self) -> None:
        for column, width in self.widths.items():
            self.sheet.set_column(column, column, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))


def report_workbook(*, platform_name: str, year: int, sections: Sequence[Section], notes: Sequence[str] = ()) -> bytes:
    """The spreadsheet of a yearly report, as bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {"title": _("Rapport d'activité %(year)s — %(platform)s") % {"year": year, "platform": platform_name}}
    )
    formats = {
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": False}),
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "integer": workbook.add_format({"num_format": "#,##0"}),
        "decimal": workbook.add_format({"num_format": "#,##0.0#"}),
    }
    taken: set[str] = set()

    summary = _Sheet(workbook, sheet_name(_("Synthèse"), taken), formats)
    summary.header(0, [_("Partie"), _("Indicateur"), str(year), str(year - 1), _("Unité")])
    row = 1
    for section in sections:
        for figure in section.figures:
            summary.text(row, 0, section.title)
            summary.text(row, 1, figure.label)
            summary.value(row, 2, figure.value, is_count=figure.is_count)
            summary.value(row, 3, figure.previous, is_count=figure.is_count)
            if figure.unit:
                summary.text(row, 4, figure.unit)
            row += 1
    summary.sheet.freeze_panes(1, 0)
    summary.size_columns()

    contents: list[tuple[str, str]] = []
    for section in sections:
        for table in section.tables:
            sheet = _Sheet(workbook, sheet_name(table.title, taken), formats)
            contents.append((sheet.sheet.get_name(), table.title))
            sheet.header(0, [str(column) for column in table.columns])
            for index, cells in enumerate(table.rows, start=1):
                for column, cell in enumerate(cells):
                    sheet.value(index, column, cell, is_count=column in table.count_columns)
            if not table.rows:
                sheet.text(1, 0, _("Aucune donnée pour cette année."))
            sheet.sheet.freeze_panes(1, 0)
            sheet.size_columns()

    method = _Sheet(workbook, sheet_name(_("Méthode"), taken), formats)
    method.text(0, 0, _("Méthode et limites"), "title")
    row = 2
    for note in notes:
        method.sheet.write_string(row, 0, note)
        row += 1
    if contents:
        row += 1
        method.text(row, 0, _("Onglet"), "header")
        method.text(row, 1, _("Tableau"), "header")
        for name, title in contents:
            row += 1
            method.text(row, 0, name)
            method.text(row, 1, title)
    method.size_columns()
    workbook.close()
    return buffer.getvalue()
