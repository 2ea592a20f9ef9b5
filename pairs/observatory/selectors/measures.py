"""Reads of the individual impact measures: the questionnaires a measure may use, one person's
measures grouped by questionnaire with their chart, the next proposed date, and the change across
people, aggregated in SQL and shown only above the anonymity threshold."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.platforms.models import Platform
from pairs.support.models import Person

from ..engine import Definition, Summary, summary_from_moments
from ..models import ImpactMeasure, Instrument, MeasureFiller
from . import instruments_of, is_usable, settings_of, threshold_of
from .instruments import definition_of

CHOICE_SEPARATOR = ":"


# ---- Small helpers


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def score_text(value: float | None) -> str:
    """A score as the pages show it: one decimal at most, French style (28, 33,3); "" for None."""
    if value is None:
        return ""
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return number_format(int(rounded))
    return number_format(rounded, decimal_pos=1)


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# ---- The questionnaires a measure may use


@dataclass(frozen=True)
class MeasureChoice:
    """One respondent version of an active instrument the platform may use."""

    value: str  # "<instrument id>:<version key>"
    label: str  # "<instrument name> — <version label>"
    instrument: Instrument
    definition: Definition
    perspective: str


def choice_value(instrument_id: int, perspective: str) -> str:
    return f"{instrument_id}{CHOICE_SEPARATOR}{perspective}"


def measure_choices(platform: Platform) -> list[MeasureChoice]:
    """Every respondent version of the platform's active instruments that are free or whose
    permission is on record (one query)."""
    choices: list[MeasureChoice] = []
    for instrument in instruments_of(platform).filter(active=True).defer("source_text").order_by("name", "id"):
        if not is_usable(instrument):
            continue
        definition = definition_of(instrument)
        if definition is None:
            continue
        for version in definition.versions:
            choices.append(
                MeasureChoice(
                    value=choice_value(instrument.pk, version.key),
                    label=f"{instrument.name} — {version.label}",
                    instrument=instrument,
                    definition=definition,
                    perspective=version.key,
                )
            )
    return choices


def find_choice(choices: Sequence[MeasureChoice], value: Any) -> MeasureChoice | None:
    return next((choice for choice in choices if choice.value == str(value or "")), None)


# ---- One person's measures and their chart

CHART_WIDTH, CHART_HEIGHT = 640, 300
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, 612, 28, 250
MIN_LABEL_GAP = 96  # between two date labels, in SVG units
# Line colours, each at least 3:1 on white, with a marker shape and a dash pattern of its own so that
# lines are told apart without colour.
STYLES = (
    ("#0a625e", "circle", ""),
    ("#8a3b00", "square", "7 4"),
    ("#4b3f9e", "triangle", "2 3"),
    ("#a4262c", "diamond", "10 3 2 3"),
    ("#1b2428", "circle", "4 4"),
    ("#5c5c00", "square", "1 2"),
)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: str
    day: str

    @property
    def square(self) -> tuple[float, float]:
        return (self.x - 4.5, self.y - 4.5)

    @property
    def triangle(self) -> str:
        return f"{self.x:.1f},{self.y - 6:.1f} {self.x + 6:.1f},{self.y + 4.5:.1f} {self.x - 6:.1f},{self.y + 4.5:.1f}"

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"


@dataclass(frozen=True)
class ChartLine:
    label: str
    colour: str
    marker: str  # circle | square | triangle | diamond
    dash: str
    path: str
    points: list[ChartPoint]


@dataclass(frozen=True)
class Chart:
    """An inline SVG line chart: one line per dimension, points placed by date."""

    key: str
    title: str
    desc: str
    lines: list[ChartLine]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = PLOT_LEFT
    right: int = PLOT_RIGHT
    top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM


@dataclass(frozen=True)
class MeasureRow:
    measure: ImpactMeasure
    filled_by: str
    scores: list[float | None]

    @property
    def cells(self) -> list[str | None]:
        """Each score as shown, None when it is not computed."""
        return [None if score is None else score_text(score) for score in self.scores]


@dataclass(frozen=True)
class MeasureGroup:
    """The measures of one person with one questionnaire (one instrument, one respondent version)."""

    key: str
    instrument: Instrument
    version_label: str
    dimensions: list[tuple[str, str]]  # key, label
    rows: list[MeasureRow]
    chart: Chart
    last_on: date


def _dimension_range(definition: Definition | None, perspective: str, dimension: str) -> tuple[float, float] | None:
    """The lowest and highest score a dimension can take, from the definition."""
    if definition is None:
        return None
    try:
        items = definition.dimension_items(perspective, dimension)
    except ValueError:
        return None
    scale, scoring = definition.scale, definition.scoring
    if scoring.conversion:
        values = list(scoring.conversion.values())
        return float(min(values)), float(max(values))
    if scoring.method == "mean":
        return float(scale.low), float(scale.high)
    return float(scale.low * len(items)), float(scale.high * len(items))


def _y_range(
    definition: Definition | None, perspective: str, dimensions: list[tuple[str, str]], rows: list[MeasureRow]
) -> tuple[float, float]:
    lows: list[float] = []
    highs: list[float] = []
    for key, _label in dimensions:
        bounds = _dimension_range(definition, perspective, key)
        if bounds is not None:
            lows.append(bounds[0])
            highs.append(bounds[1])
    observed = [score for row in rows for score in row.scores if score is not None]
    low = min(lows + observed, default=0.0)
    high = max(highs + observed, default=1.0)
    if high <= low:
        low, high = low - 1, high + 1
    return low, high


def _chart(
    key: str,
    instrument: Instrument,
    definition: Definition | None,
    perspective: str,
    dimensions: list[tuple[str, str]],
    rows: list[MeasureRow],
) -> Chart:
    low, high = _y_range(definition, perspective, dimensions, rows)
    days = sorted({row.measure.measured_on for row in rows})
    first, last = days[0], days[-1]
    span = (last - first).days
    plot_width, plot_height = PLOT_RIGHT - PLOT_LEFT - 40, PLOT_BOTTOM - PLOT_TOP

    def x_of(day: date) -> float:
        if span == 0:
            return (PLOT_LEFT + PLOT_RIGHT) / 2
        return PLOT_LEFT + 20 + plot_width * (day - first).days / span

    def y_of(value: float) -> float:
        return PLOT_BOTTOM - plot_height * (value - low) / (high - low)

    lines: list[ChartLine] = []
    descriptions: list[str] = []
    for index, (_key, label) in enumerate(dimensions):
        colour, marker, dash = STYLES[index % len(STYLES)]
        points: list[ChartPoint] = []
        path: list[str] = []
        spoken: list[str] = []
        for row in rows:  # a score not computed is left out: the line joins the computed ones
            score = row.scores[index]
            if score is None:
                continue
            day = row.measure.measured_on
            point = ChartPoint(x=round(x_of(day), 1), y=round(y_of(score), 1), value=score_text(score), day=_day(day))
            path.append(f"{'L' if points else 'M'}{point.x:.1f} {point.y:.1f}")
            points.append(point)
            spoken.append(_("%(value)s le %(day)s") % {"value": point.value, "day": point.day})
        drawn = " ".join(path)
        lines.append(ChartLine(label=label, colour=colour, marker=marker, dash=dash, path=drawn, points=points))
        if spoken:
            descriptions.append(_("%(dimension)s : %(values)s.") % {"dimension": label, "values": ", ".join(spoken)})
        else:
            descriptions.append(_("%(dimension)s : aucun score calculé.") % {"dimension": label})
    x_labels: list[tuple[float, str]] = []
    for day in reversed(days):  # the latest date is always labelled; a date too close to a labelled one is not
        x = round(x_of(day), 1)
        if all(abs(x - other) >= MIN_LABEL_GAP for other, _text in x_labels):
            x_labels.append((x, date_format(day, "j N Y")))
    x_labels.reverse()
    y_ticks = [(round(y_of(low + (high - low) * i / 4), 1), score_text(low + (high - low) * i / 4)) for i in range(5)]
    title = _("Évolution des scores : %(name)s") % {"name": instrument.name}
    return Chart(
        key=key,
        title=title,
        desc=" ".join(descriptions),
        lines=lines,
        x_labels=x_labels,
        y_ticks=y_ticks,
    )


def _dimensions(
    definition: Definition | None, perspective: str, measures: list[ImpactMeasure]
) -> list[tuple[str, str]]:
    if definition is not None:
        try:
            return [(d.key, d.label) for d in definition.dimensions_for(perspective)]
        except ValueError:
            pass
    keys: dict[str, None] = {}
    for measure in measures:
        keys.update(dict.fromkeys(measure.scores or {}))
    return [(key, key) for key in keys]


def _version_label(definition: Definition | None, perspective: str) -> str:
    if definition is None:
        return perspective
    try:
        return definition.respondent_version(perspective).label
    except ValueError:
        return perspective


OWN_FILLERS: dict[str, Any] = {
    MeasureFiller.PERSON: gettext_lazy("Vous, dans votre espace"),
    MeasureFiller.WITH_PEER: gettext_lazy("Vous, avec votre pair aidant·e"),
}


def measure_groups(person: Person, *, own: bool = False) -> list[MeasureGroup]:
    """The person's measures, one group per questionnaire used (instrument and respondent version),
    oldest first within a group, each with its chart (one query). ``own``: the person reads their
    own page, and who filled each measure in is said to them."""
    measures = list(
        ImpactMeasure.objects.filter(person=person)
        .select_related("instrument")
        .defer("instrument__source_text", "answers", "values")
        .order_by("instrument__name", "instrument_id", "perspective", "measured_on", "id")
    )
    grouped: dict[tuple[int, str], list[ImpactMeasure]] = {}
    for measure in measures:
        grouped.setdefault((measure.instrument_id, measure.perspective), []).append(measure)
    definitions: dict[int, Definition | None] = {}
    groups: list[MeasureGroup] = []
    fillers: dict[str, Any] = dict(MeasureFiller.choices)
    if own:
        fillers.update(OWN_FILLERS)
    for (instrument_id, perspective), items in grouped.items():
        instrument = items[0].instrument
        if instrument_id not in definitions:
            definitions[instrument_id] = definition_of(instrument)
        definition = definitions[instrument_id]
        dimensions = _dimensions(definition, perspective, items)
        rows = [
            MeasureRow(
                measure=measure,
                filled_by=str(fillers.get(measure.filled_by, measure.filled_by)),
                scores=[_float((measure.scores or {}).get(key)) for key, _label in dimensions],
            )
            for measure in items
        ]
        key = f"mesures-{instrument_id}-{perspective}"
        groups.append(
            MeasureGroup(
                key=key,
                instrument=instrument,
                version_label=_version_label(definition, perspective),
                dimensions=dimensions,
                rows=rows,
                chart=_chart(key, instrument, definition, perspective, dimensions, rows),
                last_on=max(measure.measured_on for measure in items),
            )
        )
    return groups


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class NextMeasure:
    """The date proposed for the next measure: the last measure + the platform's rhythm."""

    on: date | None
    due: bool
    interval_months: int


def next_measure(platform: Platform, groups: Sequence[MeasureGroup], today: date) -> NextMeasure:
    interval = settings_of(platform).measure_interval_months
    last = max((group.last_on for group in groups), default=None)
    if last is None:
        return NextMeasure(on=None, due=True, interval_months=interval)
    proposed = add_months(last, interval)
    return NextMeasure(on=proposed, due=proposed <= today, interval_months=interval)


# ---- The change across people, aggregated in SQL

IMPACT_SQL = """
WITH scored AS (
    SELECT m.person_id, m.instrument_id, m.perspective, s.dimension, s.score::double precision AS score,
           row_number() OVER (
               PARTITION BY m.person_id, m.instrument_id, m.perspective, s.dimension
               ORDER BY m.measured_on, m.id
           ) AS rank_first,
           row_number() OVER (
               PARTITION BY m.person_id, m.instrument_id, m.perspective, s.dimension
               ORDER BY m.measured_on DESC, m.id DESC
           ) AS rank_last
      FROM observatory_impactmeasure m
     CROSS JOIN LATERAL jsonb_each_text(m.scores) AS s(dimension, score)
     WHERE m.platform_id = %(platform)s AND jsonb_typeof(m.scores) = 'object' AND s.score IS NOT NULL
), per_person AS (
    SELECT instrument_id, perspective, dimension, person_id, count(*) AS measures,
           max(score) FILTER (WHERE rank_first = 1) AS first_score,
           max(score) FILTER (WHERE rank_last = 1) AS last_score
      FROM scored
     GROUP BY instrument_id, perspective, dimension, person_id
)
SELECT instrument_id, perspective, dimension,
       count(*) FILTER (WHERE measures >= 2) AS n,
       avg(first_score) FILTER (WHERE measures >= 2) AS first_mean,
       avg(last_score) FILTER (WHERE measures >= 2) AS last_mean,
       avg(last_score - first_score) FILTER (WHERE measures >= 2) AS change_mean,
       stddev_samp(last_score - first_score) FILTER (WHERE measures >= 2) AS change_sd
  FROM per_person
 GROUP BY instrument_id, perspective, dimension
"""

PEOPLE_SQL = """
SELECT count(DISTINCT person_id) FROM observatory_impactmeasure WHERE platform_id = %(platform)s
"""


@dataclass(frozen=True)
class ImpactRow:
    """One dimension of one questionnaire. The numbers are only set when ``shown`` (n at or above
    the anonymity threshold)."""

    dimension: str
    n: int
    shown: bool
    first_mean: float | None = None
    last_mean: float | None = None
    change: Summary | None = None

    @property
    def first_text(self) -> str:
        return score_text(self.first_mean)

    @property
    def last_text(self) -> str:
        return score_text(self.last_mean)

    @property
    def change_text(self) -> str:
        if self.change is None or self.change.mean is None:
            return ""
        text = score_text(self.change.mean)
        return f"+{text}" if self.change.mean > 0 and text != "0" else text

    @property
    def interval_text(self) -> str:
        if self.change is None or self.change.ci_low is None or self.change.ci_high is None:
            return ""
        low, high = score_text(self.change.ci_low), score_text(self.change.ci_high)
        return _("de %(low)s à %(high)s") % {"low": low, "high": high}


@dataclass(frozen=True)
class ImpactSection:
    key: str
    name: str
    version_label: str
    is_demo: bool
    rows: list[ImpactRow]


@dataclass(frozen=True)
class ImpactOverview:
    sections: list[ImpactSection]
    people: int  # people with at least one measure; only shown when ``people_shown``
    threshold: int

    @property
    def people_shown(self) -> bool:
        return self.people >= self.threshold


def _impact_row(label: str, numbers: tuple[Any, ...], threshold: int) -> ImpactRow:
    """A row from the SQL numbers (n, mean first, mean latest, mean change, sd of the change)."""
    count, first, last, change, sd = numbers
    n = int(count or 0)
    if n < threshold:
        return ImpactRow(dimension=label, n=n, shown=False)
    return ImpactRow(
        dimension=label,
        n=n,
        shown=True,
        first_mean=float(first),
        last_mean=float(last),
        change=summary_from_moments(n, change, sd),
    )


def impact_overview(platform: Platform) -> ImpactOverview:
    """For each questionnaire and dimension used in the platform's measures: among the people with at
    least two scored measures, the mean first and latest scores and the mean change with its 95 %
    interval. Aggregated in SQL: the same few queries whatever the number of people."""
    threshold = threshold_of(platform)
    params = {"platform": platform.pk}
    with connection.cursor() as cursor:
        cursor.execute(IMPACT_SQL, params)
        rows = cursor.fetchall()
        cursor.execute(PEOPLE_SQL, params)
        found = cursor.fetchone()
    people = int(found[0] or 0) if found else 0
    ids = {row[0] for row in rows}
    instruments = (
        {
            instrument.pk: instrument
            for instrument in Instrument.objects.filter(platform=platform, pk__in=ids).only(
                "id", "name", "is_demo", "definition"
            )
        }
        if ids
        else {}
    )
    grouped: dict[tuple[int, str], dict[str, tuple[Any, ...]]] = {}
    for instrument_id, perspective, dimension, *numbers in rows:
        if instrument_id in instruments:
            grouped.setdefault((instrument_id, perspective), {})[dimension] = tuple(numbers)
    sections: list[ImpactSection] = []
    for (instrument_id, perspective), by_dimension in grouped.items():
        instrument = instruments[instrument_id]
        definition = definition_of(instrument)
        known = [(d.key, d.label) for d in definition.dimensions] if definition is not None else []
        ordered = [(key, label) for key, label in known if key in by_dimension]
        ordered += sorted((key, key) for key in by_dimension if key not in dict(known))
        sections.append(
            ImpactSection(
                key=f"impact-{instrument_id}-{perspective}",
                name=instrument.name,
                version_label=_version_label(definition, perspective),
                is_demo=instrument.is_demo,
                rows=[_impact_row(label, by_dimension[key], threshold) for key, label in ordered],
            )
        )
    sections.sort(key=lambda section: (section.name, section.version_label, section.key))
    return ImpactOverview(sections=sections, people=people, threshold=threshold)
