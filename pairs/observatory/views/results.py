"""A campaign's results: scores per dimension and perspective with their intervals, gaps between
perspectives, lowest and highest items, change since the previous wave; the PDF report for the
team's debriefing and the CSV export of the anonymous answers. Nothing is shown for a group below
the anonymity threshold."""

from __future__ import annotations

import codecs
import csv
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, HttpResponseBase, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pairs.core.pdf import RunningText, render_pdf
from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..engine import Definition
from ..models import Campaign
from ..selectors import results as reads
from ..services.answers import is_open

# Colours of the charts, from the stylesheet's palette: each at least 4.5:1 on white (so also as text).
PALETTE = ("#0a625e", "#8a3b00", "#1f4e8c", "#6b2c91", "#4a5659", "#a4262c")
# Fills that do not rely on colour: solid, diagonal stripes, dots, cross-hatching, horizontal stripes.
PATTERNS = ("solid", "stripes", "dots", "cross", "lines")
DASHES = ("", "8 4", "3 3", "10 3 2 3", "1 4", "6 2 2 2")
TEXT = "#1b2428"
GRID = "#c5cdcc"
FONT = "Atkinson Hyperlegible, DejaVu Sans, Arial, sans-serif"


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _ticks(low: float, high: float) -> list[float]:
    """Axis graduations: every whole value of a short scale, otherwise about five round steps."""
    if high <= low:
        return [low]
    if high - low <= 10 and float(low).is_integer():
        return [float(v) for v in range(int(low), math.floor(high) + 1)]
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks: list[float] = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _tick_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else reads.number_text(value)


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class Series:
    """One perspective in the bar chart: its colour and fill pattern."""

    index: int
    label: str
    colour: str
    pattern: str
    fill: str  # the colour, or url(#pattern-id)
    pattern_id: str


@dataclass(frozen=True)
class Bar:
    series: Series
    label: str
    status: str  # "shown" | "few" | "absent"
    top: float
    bottom: float
    baseline: float  # text baseline of the row
    middle: float
    width: float
    ci_from: float | None
    ci_to: float | None
    value_x: float
    value_text: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    baseline: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    id: str
    width: int
    height: float
    label_right: int
    plot_from: int
    plot_to: int
    top: int
    axis_y: float
    tick_label_y: float
    bar_height: int
    series: tuple[Series, ...]
    groups: tuple[BarGroup, ...]
    ticks: tuple[Tick, ...]
    few_text: str
    font: str = FONT
    text: str = TEXT
    grid: str = GRID


def bar_chart(results: reads.Results, chart_id: str = "chart-scores") -> BarChart | None:
    """Grouped horizontal bars: for each dimension one bar per shown perspective, from the bottom of
    the scale to the mean, its 95 % interval as a whisker and the mean printed at the end."""
    shown = results.shown
    if not shown or not results.dimensions:
        return None
    width, label_right, plot_from, plot_to = 760, 230, 240, 660
    top, header, row, bar_height, gap = 8, 26, 26, 16, 10
    low, high = results.scale_low, results.scale_high
    span = (high - low) or 1.0

    def x(value: float) -> float:
        clipped = min(max(value, low), high)
        return round(plot_from + (clipped - low) / span * (plot_to - plot_from), 1)

    series = tuple(
        Series(
            index=i,
            label=count.label,
            colour=PALETTE[i % len(PALETTE)],
            pattern=PATTERNS[i % len(PATTERNS)],
            fill=PALETTE[i % len(PALETTE)] if i % len(PATTERNS) == 0 else f"url(#{chart_id}-p{i})",
            pattern_id=f"{chart_id}-p{i}",
        )
        for i, count in enumerate(shown)
    )
    groups: list[BarGroup] = []
    y = float(top)
    for dimension in results.dimensions:
        group_baseline = y + 18
        y += header
        bars: list[Bar] = []
        for cell, line in zip(dimension.cells, series, strict=True):
            summary = cell.summary
            end = x(summary.mean) if summary is not None and summary.mean is not None else plot_from
            ci_from = x(summary.ci_low) if summary is not None and summary.ci_low is not None else None
            ci_to = x(summary.ci_high) if summary is not None and summary.ci_high is not None else None
            bars.append(
                Bar(
                    series=line,
                    label=_short(cell.label, 30),
                    status=cell.status,
                    top=y + (row - bar_height) / 2,
                    bottom=y + (row + bar_height) / 2,
                    baseline=y + row / 2 + 5,
                    middle=y + row / 2,
                    width=max(end - plot_from, 1.0),
                    ci_from=ci_from,
                    ci_to=ci_to,
                    value_x=max(end, ci_to or end) + 8,
                    value_text=cell.mean_text,
                )
            )
            y += row
        groups.append(BarGroup(label=_short(dimension.label, 80), baseline=group_baseline, bars=tuple(bars)))
        y += gap
    ticks = tuple(Tick(position=x(value), text=_tick_text(value)) for value in _ticks(low, high))
    return BarChart(
        id=chart_id,
        width=width,
        height=y + 34,
        label_right=label_right,
        plot_from=plot_from,
        plot_to=plot_to,
        top=top,
        axis_y=y + 4,
        tick_label_y=y + 24,
        bar_height=bar_height,
        series=series,
        groups=tuple(groups),
        ticks=ticks,
        few_text=_("— moins de %(n)s réponses") % {"n": results.threshold},
    )


@dataclass(frozen=True)
class SlopeLine:
    label: str
    colour: str
    dash: str
    y_before: float
    y_after: float
    label_before_y: float
    label_after_y: float
    before_text: str
    after_text: str


@dataclass(frozen=True)
class SlopeChart:
    id: str
    perspective: str
    title: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    before_label: str
    after_label: str
    lines: tuple[SlopeLine, ...]
    ticks: tuple[Tick, ...]
    font: str = FONT
    text: str = TEXT
    grid: str = GRID


def _spread(positions: Sequence[float], gap: float, top: float, bottom: float) -> list[float]:
    """Label positions near ``positions`` at least ``gap`` apart, kept between top and bottom."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [0.0] * len(positions)
    previous = top - gap
    for i in order:
        previous = max(positions[i], previous + gap)
        placed[i] = previous
    overflow = placed[order[-1]] - bottom if order else 0.0
    if overflow > 0:
        following = bottom + gap
        for i in reversed(order):
            following = min(placed[i], following - gap)
            placed[i] = following
    return [round(value, 1) for value in placed]


def slope_charts(results: reads.Results) -> list[SlopeChart]:
    """For each perspective shown in both waves, a line per dimension from the previous wave's mean
    (left) to this wave's (right), values written at both ends."""
    previous = results.previous
    if previous is None:
        return []
    charts: list[SlopeChart] = []
    width, left, right, top, bottom = 640, 170, 340, 44, 264
    low, high = results.scale_low, results.scale_high
    span = (high - low) or 1.0

    def y(value: float) -> float:
        clipped = min(max(value, low), high)
        return round(bottom - (clipped - low) / span * (bottom - top), 1)

    for change in results.changes:
        if not change.rows:
            continue
        befores = [y(row.before.mean or low) for row in change.rows]
        afters = [y(row.after.mean or low) for row in change.rows]
        # On the left only the values are written: equal values once, not stacked.
        first_of: dict[str, int] = {}
        for i, row in enumerate(change.rows):
            first_of.setdefault(row.before_text, i)
        written = sorted(first_of.values())
        spread = dict(zip(written, _spread([befores[i] + 5 for i in written], 16, top, bottom + 5), strict=True))
        label_befores = [spread.get(i, 0.0) for i in range(len(change.rows))]
        label_afters = _spread([v + 5 for v in afters], 16, top, bottom + 5)
        lines = tuple(
            SlopeLine(
                label=_short(row.label, 36),
                colour=PALETTE[i % len(PALETTE)],
                dash=DASHES[i % len(DASHES)],
                y_before=befores[i],
                y_after=afters[i],
                label_before_y=label_befores[i],
                label_after_y=label_afters[i],
                before_text=row.before_text if i in spread else "",
                after_text=row.after_text,
            )
            for i, row in enumerate(change.rows)
        )
        charts.append(
            SlopeChart(
                id=f"chart-change-{slugify(change.perspective)}",
                perspective=change.perspective,
                title=change.label,
                width=width,
                height=bottom + 24,
                left=left,
                right=right,
                top=top,
                bottom=bottom,
                before_label=previous.wave_label,
                after_label=results.campaign.wave_label,
                lines=lines,
                ticks=tuple(Tick(position=y(value), text=_tick_text(value)) for value in _ticks(low, high)),
            )
        )
    return charts


def _context(results: reads.Results, campaign: Campaign) -> dict[str, Any]:
    slopes = {chart.perspective: chart for chart in slope_charts(results)}
    return {
        "campaign": campaign,
        "results": results,
        "provisional": is_open(campaign),
        "bars": bar_chart(results),
        "scale_low": _tick_text(results.scale_low),
        "scale_high": _tick_text(results.scale_high),
        "changes": [(change, slopes.get(change.perspective)) for change in results.changes],
    }


@permission(policies.CAMPAIGNS)
def campaign_results(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    results = reads.campaign_results(campaign, threshold=selectors.threshold_of(request.platform))
    return render(request, "observatory/results.html", _context(results, campaign))


@permission(policies.CAMPAIGNS)
def campaign_report(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    """The results as an accessible PDF for the team's debriefing."""
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    results = reads.campaign_results(campaign, threshold=selectors.threshold_of(request.platform))
    running = RunningText(
        top_left=_short(campaign.title, 70),
        bottom=_("Observatoire du rétablissement — résultats de groupe, anonymes"),
        page_label=_("Page %(page)s sur %(pages)s"),
    )
    content = render_pdf("observatory/pdf/report.html", {**_context(results, campaign), "pdf": True}, running=running)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"observatoire-{campaign.pk}-{slugify(campaign.wave_label) or campaign.wave}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Line:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterator[list[str]]) -> Iterator[bytes]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield codecs.BOM_UTF8 + writer.writerow(header).encode("utf-8")
    for row in rows:
        yield writer.writerow(row).encode("utf-8")


@permission(policies.CAMPAIGNS)
def campaign_csv(request: PlatformRequest, campaign_id: int) -> HttpResponseBase:
    """The anonymous answers of the perspectives shown (at or above the anonymity threshold), one line
    each, streamed; no date. The export is journaled on the campaign."""
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    definition = Definition.from_dict(campaign.instrument.definition)
    perspectives = reads.shown_perspectives(campaign, definition, threshold=selectors.threshold_of(request.platform))
    rows = reads.csv_rows(campaign, definition, perspectives=perspectives)
    journal.log_export(request=request, obj=campaign, detail="csv")
    response = StreamingHttpResponse(
        _csv_lines(reads.csv_header(definition), rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="observatoire-{campaign.pk}-reponses.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
