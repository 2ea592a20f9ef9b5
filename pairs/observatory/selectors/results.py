"""A campaign's results, computed in SQL: per perspective the number of answers, per dimension the
count, mean and sample standard deviation of the scores, per item the count and mean of the scored
values, the same dimension aggregates for the previous wave. Two queries whatever the number of
answers (one scan of the campaign's answers, one of the previous wave's), each aggregate reading
one key of the ``scores`` or ``values`` JSONB column.

Nothing is shown for a perspective with fewer answers than the anonymity threshold, nor for a
dimension or an item with fewer scored answers than the threshold: such a group has no figure in
any of the results (table, gaps, items, change, charts, report, export)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.db.models import Avg, Count, FloatField, Q, StdDev
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.platforms.tenancy import platform_scope

from ..engine import Definition, Summary, effect_size_between, intervals_overlap, summary_from_moments
from ..models import Campaign, Response

HIGHLIGHTED_ITEMS = 3


# ---- Formatting


def number_text(value: float) -> str:
    """A figure with two decimals, in the active language's format (4,00 in French)."""
    return number_format(round(value, 2), decimal_pos=2)


def signed_text(value: float) -> str:
    """A difference with its sign: +0,50, −0,50 (a real minus sign), 0,00."""
    text = number_text(abs(value))
    if round(value, 2) > 0:
        return f"+{text}"
    if round(value, 2) < 0:
        return f"−{text}"
    return text


def interval_text(summary: Summary) -> str:
    if summary.ci_low is None or summary.ci_high is None:
        return "—"
    # Non-breaking spaces: an interval is never cut across two lines.
    return (
        _("[%(low)s ; %(high)s]")
        % {
            "low": number_text(summary.ci_low),
            "high": number_text(summary.ci_high),
        }
    ).replace(" ", "\u00a0")


def effect_words(d: float | None) -> str:
    """Cohen's conventional words for the size of a change."""
    if d is None:
        return _("non calculable")
    size = abs(d)
    if size < 0.2:
        return _("négligeable")
    if size < 0.5:
        return _("faible")
    if size < 0.8:
        return _("moyen")
    return _("important")


def in_sentence(label: str) -> str:
    """A label inside a sentence: « Personnes accompagnées » → « personnes accompagnées » (an
    acronym such as « IDE » stays as it is)."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


# ---- The result


@dataclass(frozen=True)
class PerspectiveCount:
    key: str
    label: str
    responses: int
    typed_in: int
    shown: bool  # at least as many answers as the threshold
    message: str  # why nothing is shown, "" when shown


@dataclass(frozen=True)
class Cell:
    """One dimension for one shown perspective. ``status``: "shown", "few" (fewer scored answers
    than the threshold: no figure) or "absent" (the dimension has no item in this version)."""

    perspective: str
    label: str
    status: str
    summary: Summary | None  # only when shown

    @property
    def shown(self) -> bool:
        return self.status == "shown"

    @property
    def mean(self) -> float | None:
        return self.summary.mean if self.summary is not None else None

    @property
    def mean_text(self) -> str:
        return number_text(self.summary.mean) if self.summary is not None and self.summary.mean is not None else "—"

    @property
    def interval_text(self) -> str:
        return interval_text(self.summary) if self.summary is not None else "—"

    @property
    def n(self) -> int | None:
        return self.summary.n if self.summary is not None else None


@dataclass(frozen=True)
class DimensionRow:
    key: str
    label: str
    cells: tuple[Cell, ...]  # one per shown perspective, in the same order


@dataclass(frozen=True)
class ItemMean:
    key: str
    text: str
    position: int  # order of the item in its version, from 1
    n: int
    mean: float

    @property
    def mean_text(self) -> str:
        return number_text(self.mean)


@dataclass(frozen=True)
class ItemsOf:
    """The lowest and highest items of one shown perspective (items with fewer scored answers than
    the threshold are left out)."""

    perspective: str
    label: str
    lowest: tuple[ItemMean, ...]
    highest: tuple[ItemMean, ...]


@dataclass(frozen=True)
class ChangeRow:
    dimension: str
    label: str
    before: Summary
    after: Summary
    d: float | None

    @property
    def difference(self) -> float:
        return (self.after.mean or 0.0) - (self.before.mean or 0.0)

    @property
    def before_text(self) -> str:
        return number_text(self.before.mean or 0.0)

    @property
    def after_text(self) -> str:
        return number_text(self.after.mean or 0.0)

    @property
    def difference_text(self) -> str:
        return signed_text(self.difference)

    @property
    def d_text(self) -> str:
        return signed_text(self.d) if self.d is not None else "—"

    @property
    def words(self) -> str:
        return effect_words(self.d)


@dataclass(frozen=True)
class ChangeOf:
    """The change of one perspective shown in both waves; ``rows`` holds the dimensions with enough
    scored answers in both waves."""

    perspective: str
    label: str
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class Results:
    campaign: Campaign
    definition: Definition
    threshold: int
    counts: tuple[PerspectiveCount, ...]
    dimensions: tuple[DimensionRow, ...]
    gaps: tuple[str, ...]
    items: tuple[ItemsOf, ...]
    previous: Campaign | None
    changes: tuple[ChangeOf, ...]
    change_messages: tuple[str, ...]
    scale_low: float
    scale_high: float

    @property
    def total(self) -> int:
        return sum(count.responses for count in self.counts)

    @property
    def shown(self) -> tuple[PerspectiveCount, ...]:
        return tuple(count for count in self.counts if count.shown)

    @property
    def hidden_messages(self) -> tuple[str, ...]:
        return tuple(count.message for count in self.counts if not count.shown)

    @property
    def has_few_cells(self) -> bool:
        return any(cell.status == "few" for row in self.dimensions for cell in row.cells)

    @property
    def has_absent_cells(self) -> bool:
        return any(cell.status == "absent" for row in self.dimensions for cell in row.cells)

    @property
    def few_note(self) -> str:
        return _(
            "— : moins de %(n)s réponses avec un score pour cette dimension : pas de résultat affiché, "
            "pour protéger l'anonymat."
        ) % {"n": self.threshold}


# ---- The queries


@dataclass(frozen=True)
class _Group:
    """The aggregates of one perspective, as read from the database."""

    responses: int
    typed_in: int
    dimensions: dict[str, Summary]
    items: dict[str, tuple[int, float | None]]


def _aggregates(campaign_id: int, dimension_keys: Sequence[str], item_keys: Sequence[str]) -> dict[str, _Group]:
    """One query: per perspective, the answers, the typed-in answers, each dimension's count, mean and
    sample standard deviation (``scores``) and each item's count and mean (``values``). JSON nulls
    (a dimension not scored, an item not answered) are SQL NULLs, which the aggregates leave out."""
    annotations: dict[str, Any] = {
        "responses": Count("id"),
        "typed": Count("id", filter=Q(typed_in=True)),
    }
    for index, key in enumerate(dimension_keys):
        score = Cast(KeyTextTransform(key, "scores"), FloatField())
        annotations[f"d{index}_n"] = Count(score)
        annotations[f"d{index}_mean"] = Avg(score)
        annotations[f"d{index}_sd"] = StdDev(score, sample=True)
    for index, key in enumerate(item_keys):
        value = Cast(KeyTextTransform(key, "values"), FloatField())
        annotations[f"i{index}_n"] = Count(value)
        annotations[f"i{index}_mean"] = Avg(value)
    rows = (
        Response.objects.filter(campaign_id=campaign_id)
        .order_by()
        .values("perspective")
        .annotate(**annotations)
        .values("perspective", *annotations)
    )
    groups: dict[str, _Group] = {}
    for row in rows:
        groups[row["perspective"]] = _Group(
            responses=row["responses"],
            typed_in=row["typed"],
            dimensions={
                key: summary_from_moments(row[f"d{i}_n"], row[f"d{i}_mean"], row[f"d{i}_sd"])
                for i, key in enumerate(dimension_keys)
            },
            items={key: (row[f"i{i}_n"], row[f"i{i}_mean"]) for i, key in enumerate(item_keys)},
        )
    return groups


def all_item_keys(definition: Definition) -> list[str]:
    """Every item key of the instrument in definition order (versions in order, each new key once)."""
    keys: list[str] = []
    seen: set[str] = set()
    for version in definition.versions:
        for key in version.item_keys():
            if key not in seen:
                seen.add(key)
                keys.append(key)
    return keys


def _perspective_order(campaign: Campaign, definition: Definition, found: Iterable[str]) -> list[str]:
    known = {version.key for version in definition.versions}
    order = [key for key in campaign.perspectives if key in known]
    order += sorted(key for key in found if key in known and key not in order)
    return order


def scale_bounds(definition: Definition, perspectives: Sequence[str]) -> tuple[float, float]:
    """The lowest and highest score a dimension can take: the scale's bounds for a mean; for a sum,
    the items × the scale's bounds over these perspectives' dimensions, or the conversion table's
    range."""
    scale, scoring = definition.scale, definition.scoring
    if scoring.method == "mean":
        return float(scale.low), float(scale.high)
    if scoring.conversion:
        converted = scoring.conversion.values()
        return float(min(converted)), float(max(converted))
    sizes = [
        len(definition.dimension_items(version, dimension.key))
        for version in (perspectives or [v.key for v in definition.versions])
        for dimension in definition.dimensions_for(version)
    ]
    if not sizes:
        return float(scale.low), float(scale.high)
    lows = [size * scale.low for size in sizes]
    highs = [size * scale.high for size in sizes]
    return float(min(lows)), float(max(highs))


def _below_message(threshold: int, label: str, responses: int) -> str:
    return ngettext(
        "Moins de %(threshold)s réponses pour le point de vue « %(label)s » (%(n)s reçue) : "
        "pas de résultat affiché, pour protéger l'anonymat.",
        "Moins de %(threshold)s réponses pour le point de vue « %(label)s » (%(n)s reçues) : "
        "pas de résultat affiché, pour protéger l'anonymat.",
        responses,
    ) % {"threshold": threshold, "label": label, "n": responses}


def _gap(dimension: str, high: Cell, low: Cell) -> str:
    return _(
        "%(dimension)s : les %(high)s donnent un score plus élevé (%(x)s) que les %(low)s (%(y)s) ; "
        "les intervalles de confiance ne se recouvrent pas."
    ) % {
        "dimension": dimension,
        "high": in_sentence(high.label),
        "x": high.mean_text,
        "low": in_sentence(low.label),
        "y": low.mean_text,
    }


def _gaps(rows: Sequence[DimensionRow]) -> list[str]:
    sentences: list[str] = []
    for row in rows:
        shown = [cell for cell in row.cells if cell.shown and cell.summary is not None]
        for a, b in combinations(shown, 2):
            assert a.summary is not None and b.summary is not None
            if intervals_overlap(a.summary, b.summary):
                continue
            high, low = (a, b) if (a.mean or 0.0) >= (b.mean or 0.0) else (b, a)
            sentences.append(_gap(row.label, high, low))
    return sentences


def _items_of(definition: Definition, count: PerspectiveCount, group: _Group, threshold: int) -> ItemsOf:
    ranked: list[ItemMean] = []
    for position, item in enumerate(definition.respondent_version(count.key).items, start=1):
        n, mean = group.items.get(item.key, (0, None))
        if mean is not None and n >= threshold:
            ranked.append(ItemMean(key=item.key, text=item.text, position=position, n=n, mean=float(mean)))
    lowest = sorted(ranked, key=lambda item: (item.mean, item.position))[:HIGHLIGHTED_ITEMS]
    rest = [item for item in ranked if item not in lowest]
    highest = sorted(rest, key=lambda item: (-item.mean, item.position))[:HIGHLIGHTED_ITEMS]
    return ItemsOf(perspective=count.key, label=count.label, lowest=tuple(lowest), highest=tuple(highest))


def campaign_results(campaign: Campaign, *, threshold: int) -> Results:
    """Everything the results page, the report and the charts show, in two queries (``campaign``
    comes with its instrument and previous wave, as ``get_campaign_for`` fetches it)."""
    definition = Definition.from_dict(campaign.instrument.definition)
    dimension_keys = [dimension.key for dimension in definition.dimensions]
    item_keys = all_item_keys(definition)
    groups = _aggregates(campaign.pk, dimension_keys, item_keys)
    order = _perspective_order(campaign, definition, groups)
    empty = _Group(responses=0, typed_in=0, dimensions={}, items={})

    counts: list[PerspectiveCount] = []
    for key in order:
        group = groups.get(key, empty)
        label = definition.respondent_version(key).label
        shown = group.responses >= threshold
        counts.append(
            PerspectiveCount(
                key=key,
                label=label,
                responses=group.responses,
                typed_in=group.typed_in,
                shown=shown,
                message="" if shown else _below_message(threshold, label, group.responses),
            )
        )
    shown_counts = [count for count in counts if count.shown]
    scored = {key: {d.key for d in definition.dimensions_for(key)} for key in order}

    rows: list[DimensionRow] = []
    for dimension in definition.dimensions:
        if not any(dimension.key in scored[key] for key in order):
            continue
        cells: list[Cell] = []
        for count in shown_counts:
            summary = groups[count.key].dimensions.get(dimension.key)
            if dimension.key not in scored[count.key]:
                cells.append(Cell(perspective=count.key, label=count.label, status="absent", summary=None))
            elif summary is None or summary.n < threshold or summary.mean is None:
                cells.append(Cell(perspective=count.key, label=count.label, status="few", summary=None))
            else:
                cells.append(Cell(perspective=count.key, label=count.label, status="shown", summary=summary))
        rows.append(DimensionRow(key=dimension.key, label=dimension.label, cells=tuple(cells)))

    items = [_items_of(definition, count, groups[count.key], threshold) for count in shown_counts]
    changes, change_messages = _changes(campaign, dimension_keys, rows, shown_counts, counts, threshold)
    low, high = scale_bounds(definition, order)
    return Results(
        campaign=campaign,
        definition=definition,
        threshold=threshold,
        counts=tuple(counts),
        dimensions=tuple(rows),
        gaps=tuple(_gaps(rows)),
        items=tuple(items),
        previous=campaign.previous,
        changes=tuple(changes),
        change_messages=tuple(change_messages),
        scale_low=low,
        scale_high=high,
    )


def _changes(
    campaign: Campaign,
    dimension_keys: Sequence[str],
    rows: Sequence[DimensionRow],
    shown: Sequence[PerspectiveCount],
    counts: Sequence[PerspectiveCount],
    threshold: int,
) -> tuple[list[ChangeOf], list[str]]:
    """The change since the previous wave, for the perspectives shown in both waves."""
    previous = campaign.previous
    if previous is None:
        return [], []
    before = _aggregates(previous.pk, dimension_keys, ())
    changes: list[ChangeOf] = []
    messages: list[str] = []
    for position, count in enumerate(shown):
        earlier = before.get(count.key)
        if earlier is None or earlier.responses < threshold:
            messages.append(
                _(
                    "Pas de comparaison pour le point de vue « %(label)s » : moins de %(n)s réponses "
                    "à la vague précédente."
                )
                % {"label": count.label, "n": threshold}
            )
            continue
        change_rows: list[ChangeRow] = []
        for row in rows:
            cell = row.cells[position]
            then = earlier.dimensions.get(row.key)
            if not cell.shown or cell.summary is None or then is None or then.n < threshold or then.mean is None:
                continue
            change_rows.append(
                ChangeRow(
                    dimension=row.key,
                    label=row.label,
                    before=then,
                    after=cell.summary,
                    d=effect_size_between(then, cell.summary),
                )
            )
        changes.append(ChangeOf(perspective=count.key, label=count.label, rows=tuple(change_rows)))
    for count in counts:
        if not count.shown and count.key in before:
            messages.append(
                _("Pas de comparaison pour le point de vue « %(label)s » : moins de %(n)s réponses à cette vague.")
                % {"label": count.label, "n": threshold}
            )
    return changes, messages


# ---- The export of the anonymous answers


def shown_perspectives(campaign: Campaign, definition: Definition, *, threshold: int) -> list[str]:
    """The perspectives with at least ``threshold`` answers, in the campaign's order (one query)."""
    counts = dict(
        Response.objects.filter(campaign_id=campaign.pk)
        .order_by()
        .values("perspective")
        .annotate(n=Count("id"))
        .values_list("perspective", "n")
    )
    return [key for key in _perspective_order(campaign, definition, counts) if counts.get(key, 0) >= threshold]


def csv_header(definition: Definition) -> list[str]:
    return ["point_de_vue", "saisie_papier", "vague", *all_item_keys(definition)]


def csv_rows(campaign: Campaign, definition: Definition, *, perspectives: Sequence[str]) -> Iterator[list[str]]:
    """The anonymous answers of these perspectives, one row each (the raw answer of every item: the
    scale value or the missing code; empty when not answered), read in chunks from a server-side
    cursor so that any number of answers streams without being held in memory. The reads run in
    the campaign's platform scope, also when the rows are sent after the request's middleware."""
    keys = all_item_keys(definition)
    wave = campaign.wave_label
    yes, no = _("oui"), _("non")
    answers = (
        Response.objects.filter(campaign_id=campaign.pk, perspective__in=list(perspectives))
        .order_by("id")
        .values_list("perspective", "typed_in", "answers")
    )
    with platform_scope(campaign.platform_id):
        for perspective, typed_in, given in answers.iterator(chunk_size=2000):
            values = given if isinstance(given, dict) else {}
            yield [
                perspective,
                yes if typed_in else no,
                wave,
                *("" if values.get(key) is None else str(values[key]) for key in keys),
            ]
