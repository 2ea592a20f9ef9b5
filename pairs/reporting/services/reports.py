"""Writes of the yearly activity report: the narrative texts, the request of a report (asked twice at
once: one job), and its generation by the background job, step by step, into a PDF and a spreadsheet.

The generation (``report_generate``) is the one function here that is not a single transaction: each
step is committed as it goes, so that the progress bar moves while the job runs."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.core.pdf import RunningText, render_pdf
from pairs.journal import services as journal
from pairs.observatory.selectors import threshold_of
from pairs.platforms.models import Platform

from ..indicators import Section, Table, is_small, shown
from ..models import Narrative, ReportStatus, YearlyReport
from ..selectors import report as reads
from ..xlsx import report_workbook

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "reporting/pdf/report.html"
CHART_ROWS = 12  # the bars of a chart: the first rows of its table
STALE_AFTER = timedelta(hours=1)  # a report takes seconds: one running for an hour was interrupted


# ---- The narrative texts


@transaction.atomic
def narratives_save(
    *, request: HttpRequest | None, platform: Platform, year: int, by: User, texts: Mapping[str, str]
) -> dict[str, str]:
    """Save the narrative sections of a year's report (each optional, 10,000 characters at most).
    Returns the texts by section key. The journal names the sections' field, never the text."""
    if not reads.year_is_allowed(year):
        raise ValidationError(
            _("Les textes du rapport concernent les années de %(first)s à cette année.") % {"first": reads.FIRST_YEAR}
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key in reads.NARRATIVE_KEYS:
        text = (texts.get(key) or "").strip()
        if len(text) > reads.NARRATIVE_MAX_LENGTH:
            errors[key] = _("Ce texte fait %(length)s caractères : %(max)s au plus.") % {
                "length": len(text),
                "max": "10 000",
            }
        cleaned[key] = text
    unknown = sorted(set(texts) - set(reads.NARRATIVE_KEYS))
    if unknown:
        raise ValidationError(_("Cette partie du rapport n'existe pas."))
    if errors:
        raise ValidationError(errors)
    existing = {
        narrative.section: narrative
        for narrative in Narrative.objects.select_for_update().filter(platform=platform, year=year)
    }
    for key in reads.NARRATIVE_KEYS:
        text = cleaned[key]
        found = existing.get(key)
        if found is None:
            if text:
                narrative = Narrative.objects.create(
                    platform=platform, year=year, section=key, text=text, updated_by=by
                )
                journal.log_create(request=request, obj=narrative, fields=["section", "text"], platform=platform)
        elif found.text != text:
            found.text = text
            found.updated_by = by
            found.save(update_fields=["text", "updated_by", "updated_at"])
            journal.log_update(request=request, obj=found, fields=["text"], platform=platform)
    return cleaned


# ---- Asking for a report


def _defer_generation(report_id: int) -> None:
    from ..tasks import yearly_report_generate

    yearly_report_generate.defer(report_id=report_id)


def _stale_reports_fail(platform: Platform, year: int) -> None:
    """A report still running long after it started was interrupted (the worker stopped): mark it
    failed, so that it no longer holds the place of the year's report in progress."""
    now = timezone.now()
    YearlyReport.objects.filter(
        platform=platform, year=year, status=ReportStatus.RUNNING, started_at__lt=now - STALE_AFTER
    ).update(
        status=ReportStatus.FAILED,
        error=_("La préparation s'est interrompue avant la fin. Relancez-la."),
        finished_at=now,
    )


@transaction.atomic
def report_request(*, request: HttpRequest | None, platform: Platform, year: int, by: User) -> YearlyReport:
    """Queue the generation of the platform's report of ``year``, with the narrative texts as they are
    now. A report of that year already queued or running is returned as it is: asked twice at once,
    the database's constraint (one report in progress per platform and year) keeps a single job. A
    report left running by a stopped worker is marked failed first."""
    if not reads.year_is_allowed(year):
        raise ValidationError(
            {"year": _("Choisissez une année entre %(first)s et cette année.") % {"first": reads.FIRST_YEAR}}
        )
    _stale_reports_fail(platform, year)
    narratives = {key: text for key, text in reads.narratives_of(platform, year).items() if text}
    try:
        with transaction.atomic():  # a savepoint: the transaction goes on after a refused insert
            report = YearlyReport.objects.create(
                platform=platform,
                year=year,
                status=ReportStatus.QUEUED,
                progress=0,
                step=_("En attente de démarrage"),
                narratives=narratives,
                requested_by=by,
            )
    except IntegrityError:
        existing = reads.report_in_progress(platform, year)
        if existing is None:
            raise
        return existing
    journal.log_create(request=request, obj=report, fields=["year"], platform=platform)
    transaction.on_commit(partial(_defer_generation, report.pk))
    return report


# ---- The printed report


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    top: float
    baseline: float
    width: float
    drawn: bool  # False for a small count: its length would tell the number


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    column: str
    bars: list[Bar]
    width: int = 660
    label_right: int = 226
    plot_from: int = 236
    plot_width: int = 340
    bar_height: int = 16

    @property
    def height(self) -> int:
        return int(self.bars[-1].top + self.bar_height + 10) if self.bars else 0

    @property
    def plot_to(self) -> int:
        return self.plot_from + self.plot_width


@dataclass(frozen=True)
class PrintedTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: frozenset[int]
    chart: BarChart | None = None


@dataclass(frozen=True)
class PrintedFigure:
    label: str
    value: str
    previous: str


@dataclass(frozen=True)
class PrintedSection:
    key: str
    title: str
    figures: list[PrintedFigure] = field(default_factory=list)
    tables: list[PrintedTable] = field(default_factory=list)


def _short(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def bar_chart(table: Table) -> BarChart | None:
    """A horizontal bar chart of the table's last count column, for its first rows; None when the
    table has no count column or too little to draw. A small count gets no bar, only « < 5 »."""
    if not table.count_columns or len(table.rows) < 2:
        return None
    column = max(table.count_columns)
    if column >= len(table.columns):
        return None
    values: list[tuple[str, int | float | None]] = []
    for row in table.rows[:CHART_ROWS]:
        value = row[column] if column < len(row) else None
        values.append((str(row[0]), value if isinstance(value, int | float) else None))
    largest = max((value for _label, value in values if value is not None and not is_small(value)), default=0)
    if not largest:
        return None
    label = str(table.columns[column])
    if len(table.rows) > CHART_ROWS:
        label = _("%(column)s, les %(n)s premières lignes") % {"column": label, "n": CHART_ROWS}
    chart = BarChart(key=f"chart-{table.key}", title=table.title, column=label, bars=[])
    bars: list[Bar] = []
    for index, (label, value) in enumerate(values):
        top = 8 + index * 26
        drawn = value is not None and not is_small(value)
        width = round(float(value) * chart.plot_width / float(largest), 1) if drawn and value else 0.0
        bars.append(
            Bar(
                label=_short(label),
                value_text=shown(value),
                top=top,
                baseline=top + 13,
                width=width,
                drawn=drawn,
            )
        )
    return BarChart(key=chart.key, title=chart.title, column=chart.column, bars=bars)


def printed_sections(sections: Sequence[Section]) -> list[PrintedSection]:
    """The sections as text for the PDF, small counts suppressed."""
    printed: list[PrintedSection] = []
    for section in sections:
        figures = [
            PrintedFigure(
                label=figure.label,
                value=shown(figure.value, is_count=figure.is_count, unit=figure.unit),
                previous=shown(figure.previous, is_count=figure.is_count, unit=figure.unit),
            )
            for figure in section.figures
        ]
        tables: list[PrintedTable] = []
        for table in section.tables:
            rows = [
                [shown(cell, is_count=index in table.count_columns) for index, cell in enumerate(cells)]
                for cells in table.rows
            ]
            numeric = frozenset(
                index
                for index in range(len(table.columns))
                if any(
                    index < len(cells) and isinstance(cells[index], int | float) and not isinstance(cells[index], bool)
                    for cells in table.rows
                )
            )
            tables.append(
                PrintedTable(
                    key=table.key,
                    title=table.title,
                    columns=[str(column) for column in table.columns],
                    rows=rows,
                    numeric=numeric,
                    chart=bar_chart(table),
                )
            )
        printed.append(PrintedSection(key=section.key, title=section.title, figures=figures, tables=tables))
    return printed


@dataclass(frozen=True)
class Narrated:
    key: str
    title: str
    text: str


def _narrated(narratives: Mapping[str, str], keys: Sequence[str]) -> list[Narrated]:
    return [
        Narrated(key=key, title=reads.narrative_title(key), text=narratives[key])
        for key in keys
        if (narratives.get(key) or "").strip()
    ]


def report_pdf_bytes(*, report: YearlyReport, platform: Platform, sections: Sequence[Section]) -> bytes:
    """The report as an accessible PDF: the cover, the narrative texts under their headings, each
    section's figures, tables and bar charts, then the method."""
    narratives = {key: str(text) for key, text in (report.narratives or {}).items()}
    title = _("Rapport d'activité %(year)s") % {"year": report.year}
    context = {
        "title": title,
        "platform_name": platform.name,
        "year": report.year,
        "previous_year": report.year - 1,
        "generated_on": date_format(timezone.localdate(), "j F Y"),
        "before": _narrated(narratives, reads.NARRATIVES_BEFORE),
        "after": _narrated(narratives, reads.NARRATIVES_AFTER),
        "method_text": (narratives.get("method") or "").strip(),
        "method_title": reads.narrative_title("method"),
        "notes": reads.method_notes(platform, report.year),
        "sections": printed_sections(sections),
        "threshold": threshold_of(platform),
    }
    running = RunningText(
        top_left=f"{platform.name} — {title}",
        page_label=_("Page %(page)s sur %(pages)s"),
    )
    return render_pdf(PDF_TEMPLATE, context, running=running)


# ---- The generation, run by the job


def _random_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(18)}.{extension}"


@transaction.atomic
def _report_start(report_id: int) -> YearlyReport | None:
    """Mark a queued report as running; None when it is not queued any more (already handled)."""
    report = YearlyReport.objects.select_for_update().select_related("platform").filter(pk=report_id).first()
    if report is None or report.status != ReportStatus.QUEUED:
        return None
    report.status = ReportStatus.RUNNING
    report.started_at = timezone.now()
    report.progress = 0
    report.step = _("Démarrage")
    report.save(update_fields=["status", "started_at", "progress", "step"])
    return report


def _report_step(report: YearlyReport, progress: int, step: str) -> None:
    """Save the progress at once (committed outside a transaction), so the page shows it."""
    report.progress = progress
    report.step = step[:120]
    report.save(update_fields=["progress", "step"])


def _report_fail(report: YearlyReport) -> None:
    error = _(
        "La génération du rapport a échoué à l'étape « %(step)s ». Relancez-la ; si l'échec se répète, "
        "prévenez l'équipe technique de la plateforme."
    ) % {"step": report.step or _("Démarrage")}
    YearlyReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, error=error[:300], finished_at=timezone.now()
    )
    report.refresh_from_db()


def _generate(report: YearlyReport) -> None:
    platform = report.platform
    sections: list[Section] = []
    parts = reads.REPORT_PARTS
    for index, part in enumerate(parts):
        _report_step(report, 10 + (60 * index) // len(parts), str(part.step))
        with transaction.atomic():  # read-only: a consistent view of each part
            sections.extend(part.build(platform, report.year))
    _report_step(report, 70, _("Mise en page du PDF"))
    pdf = report_pdf_bytes(report=report, platform=platform, sections=sections)
    _report_step(report, 90, _("Tableur"))
    xlsx = report_workbook(
        platform_name=platform.name,
        year=report.year,
        sections=sections,
        notes=reads.method_notes(platform, report.year),
    )
    report.pdf.save(_random_name("pdf"), ContentFile(pdf), save=False)
    report.xlsx.save(_random_name("xlsx"), ContentFile(xlsx), save=False)
    report.status = ReportStatus.DONE
    report.progress = 100
    report.step = _("Terminé")
    report.error = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["pdf", "xlsx", "status", "progress", "step", "error", "finished_at"])


def report_generate(*, report_id: int) -> YearlyReport | None:
    """Generate a queued report (called by the job, inside the report's platform scope): running, then
    each step with its progress, the PDF, the spreadsheet, done. Any error leaves the report failed
    with a French message (the details go to the log, never to the page). Returns None when the
    report was not queued any more."""
    report = _report_start(report_id)
    if report is None:
        return None
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the report is written in French
            _generate(report)
    except Exception:
        logger.exception("Yearly report #%s could not be generated", report.pk)
        with translation.override(settings.LANGUAGE_CODE):
            _report_fail(report)
    return report
