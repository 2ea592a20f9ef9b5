"""Scoped reads of the instrument pages: the list with each licence status, an instrument's
permissions, and a stored definition put in words (scale, versions, dimensions, scoring rule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.platforms.models import Platform

from ..engine import Definition, DefinitionError
from ..models import Instrument, Licence, LicencePermission
from . import _int, instruments_of, is_usable


def instrument_rows(platform: Platform) -> QuerySet[Instrument]:
    """The list of instruments: each with ``has_permission`` and ``permission_recorded_at`` (the latest
    permission valid today), in one query."""
    today = timezone.localdate()
    latest = (
        LicencePermission.objects.filter(instrument_id=OuterRef("pk"), granted_on__lte=today)
        .exclude(valid_until__lt=today)
        .order_by("-recorded_at", "-id")
        .values("recorded_at")[:1]
    )
    return instruments_of(platform).annotate(permission_recorded_at=Subquery(latest)).defer("source_text")


def get_instrument_row(platform: Platform, instrument_id: Any) -> Instrument:
    """One instrument of the platform (404 otherwise), annotated as in the list."""
    return get_object_or_404(instrument_rows(platform).defer(None), pk=_int(instrument_id))


def version_exists(platform: Platform, code: str, version: str) -> bool:
    return Instrument.objects.filter(platform=platform, code=code, version=version).exists()


def permissions_of(instrument: Instrument) -> list[LicencePermission]:
    """The permissions recorded for an instrument, most recent first, each with ``valid_today``."""
    today = timezone.localdate()
    valid = Q(granted_on__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    permissions = LicencePermission.objects.filter(instrument=instrument).select_related("recorded_by")
    annotated = permissions.annotate(valid_today=ExpressionWrapper(valid, output_field=BooleanField()))
    return list(annotated.order_by("-granted_on", "-id"))


def licence_status(instrument: Instrument) -> str:
    """The licence status in words, with whether the instrument may be used in a campaign."""
    if instrument.licence == Licence.FREE:
        return _("Libre")
    needed = Licence(instrument.licence).label
    recorded = getattr(instrument, "permission_recorded_at", None)
    if is_usable(instrument):
        if recorded is not None:
            when = date_format(timezone.localtime(recorded).date(), "j F Y")
            return _("%(needed)s — autorisation notée le %(date)s") % {"needed": needed, "date": when}
        return _("%(needed)s — autorisation notée") % {"needed": needed}
    return _("%(needed)s — pas encore notée : ne peut pas être utilisé") % {"needed": needed}


def definition_of(instrument: Instrument) -> Definition | None:
    """The stored definition, or None when it cannot be read back."""
    try:
        return Definition.from_dict(instrument.definition)
    except (DefinitionError, KeyError, TypeError, ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class ItemRow:
    key: str
    text: str
    reverse: bool


@dataclass(frozen=True)
class VersionRow:
    key: str
    label: str
    instructions: str
    items: list[ItemRow]


@dataclass(frozen=True)
class DimensionRow:
    key: str
    label: str
    description: str
    items: list[ItemRow]


@dataclass(frozen=True)
class DefinitionView:
    """A definition as the pages show it: everything in words."""

    definition: Definition
    scale: list[tuple[int, str]]  # every value, with its label or ""
    missing: list[tuple[str, str]]
    versions: list[VersionRow]
    dimensions: list[DimensionRow]
    scoring: str
    reverse_rule: str
    conversion: list[tuple[int, str]]  # raw score, converted score as shown
    item_count: int  # distinct item keys across the respondent versions

    @property
    def summary(self) -> str:
        parts = [
            ngettext("%(n)d version", "%(n)d versions", len(self.versions)) % {"n": len(self.versions)},
            ngettext("%(n)d item", "%(n)d items", self.item_count) % {"n": self.item_count},
            ngettext("%(n)d dimension", "%(n)d dimensions", len(self.dimensions)) % {"n": len(self.dimensions)},
            self.scoring,
        ]
        return ", ".join(parts)


def _number(value: float) -> str:
    """A number with as many decimals as it has (three at most), French style: 7, 1,5, 12,25."""
    decimals = f"{float(value):.3f}".rstrip("0").split(".")[1]
    return number_format(round(float(value), 3), decimal_pos=len(decimals))


def scoring_words(definition: Definition) -> str:
    """The scoring rule in words: « moyenne des items répondus, au moins 60 % d'items répondus »."""
    scoring = definition.scoring
    if scoring.conversion:
        method = _("somme des réponses, convertie par une table")
    elif scoring.method == "sum":
        method = _("somme des réponses")
    else:
        method = _("moyenne des items répondus")
    minimum = scoring.min_answered
    if isinstance(minimum, float):  # a share of the dimension's items
        rule = _("au moins %(percent)s %% d'items répondus par dimension") % {
            "percent": _number(round(minimum * 100, 1))
        }
    else:
        count = int(minimum)
        rule = ngettext(
            "au moins %(n)d item répondu par dimension", "au moins %(n)d items répondus par dimension", count
        ) % {"n": count}
    return f"{method}, {rule}"


def definition_view(definition: Definition) -> DefinitionView:
    scale = definition.scale
    values = sorted(scale.values)
    versions = [
        VersionRow(
            key=version.key,
            label=version.label,
            instructions=version.instructions,
            items=[ItemRow(key=item.key, text=item.text, reverse=item.reverse) for item in version.items],
        )
        for version in definition.versions
    ]
    texts: dict[str, ItemRow] = {}
    for version_row in versions:
        for item_row in version_row.items:
            texts.setdefault(item_row.key, item_row)
    dimensions = [
        DimensionRow(
            key=dimension.key,
            label=dimension.label,
            description=dimension.description,
            items=[texts.get(key, ItemRow(key=key, text="", reverse=False)) for key in dimension.items],
        )
        for dimension in definition.dimensions
    ]
    reverse_rule = ""
    if values and any(item.reverse for row in versions for item in row.items):
        low, high = values[0], values[-1]
        reverse_rule = _(
            "Un item inversé compte à l'envers : sa réponse vaut %(sum)d moins la valeur choisie "
            "(%(low)d compte comme %(high)d)."
        ) % {"sum": low + high, "low": low, "high": high}
    table = definition.scoring.conversion or {}
    conversion = [(int(raw), _number(table[raw])) for raw in sorted(table)]
    return DefinitionView(
        definition=definition,
        scale=[(value, str(scale.labels.get(value, ""))) for value in values],
        missing=[(str(code), str(label)) for code, label in scale.missing.items()],
        versions=versions,
        dimensions=dimensions,
        scoring=scoring_words(definition),
        reverse_rule=reverse_rule,
        conversion=conversion,
        item_count=len(texts),
    )
