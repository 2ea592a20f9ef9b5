"""The period of the dashboard and of the network's indicators: two ISO dates in the query string
(``debut``, ``fin``), from 1 January of this year to today when not given, five years at most; and the
usual presets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import DateInput

from ..selectors.dashboard import shift_years

MAX_YEARS = 5


def default_period(today: date | None = None) -> tuple[date, date]:
    """From 1 January of this year to today."""
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today


@dataclass(frozen=True)
class Preset:
    label: str
    start: date
    end: date
    query: str  # "debut=…&fin=…"
    current: bool


def presets(start: date | None, end: date | None, today: date | None = None) -> list[Preset]:
    """« Cette année », « L'an dernier », « 12 derniers mois », the one matching the period marked."""
    today = today or timezone.localdate()
    spans = [
        (gettext("Cette année"), today.replace(month=1, day=1), today),
        (gettext("L'an dernier"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (gettext("12 derniers mois"), shift_years(today, -1) + timedelta(days=1), today),
    ]
    return [
        Preset(
            label,
            first,
            last,
            urlencode({"debut": first.isoformat(), "fin": last.isoformat()}),
            (first, last) == (start, end),
        )
        for label, first, last in spans
    ]


class PeriodForm(forms.Form):
    """Bound to ``request.GET``; the defaults fill what is not given."""

    debut = forms.DateField(label=_("Début de la période"), required=False, widget=DateInput())
    fin = forms.DateField(label=_("Fin de la période"), required=False, widget=DateInput())

    def __init__(self, data: Any = None, *, today: date | None = None, **kwargs: Any) -> None:
        self.today = today or timezone.localdate()
        start, end = default_period(self.today)
        values = {"debut": start.isoformat(), "fin": end.isoformat()}
        if data:
            values.update({key: data.get(key, "") for key in ("debut", "fin") if key in data})
        super().__init__(values, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period(self.today)
        if "debut" in data and data["debut"] is None:
            data["debut"] = start
        if "fin" in data and data["fin"] is None:
            data["fin"] = end
        first, last = data.get("debut"), data.get("fin")
        if isinstance(first, date) and isinstance(last, date):
            if last < first:
                self.add_error("fin", _("La fin de la période doit suivre son début."))
            elif first <= shift_years(last, -MAX_YEARS):
                self.add_error("debut", _("Choisissez une période de 5 ans au plus."))
        return data

    @property
    def period(self) -> tuple[date, date]:
        """The period chosen (call after ``is_valid()`` answered True)."""
        return self.cleaned_data["debut"], self.cleaned_data["fin"]
