"""The GET forms of the territorial equity page: the period, the sorting of the tables and the
"what if" (« Et si… ») simulation. Nothing is ever saved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors.territory import (
    LAST_TWELVE_MONTHS,
    CommuneRef,
    Hypothesis,
    Period,
    name_key,
    period_choices,
    period_for,
    sort_keys,
)


class PeriodForm(forms.Form):
    """``?periode=``: the last 12 months (by default) or a calendar year."""

    periode = forms.ChoiceField(
        label=_("Période"),
        required=False,
        error_messages={"invalid_choice": _("Choisissez les 12 derniers mois ou une des années de la liste.")},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["periode"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = period_choices(today)
        self.fields["periode"].initial = LAST_TWELVE_MONTHS

    def period(self) -> Period:
        key = self.cleaned_data.get("periode", "") if self.is_valid() else ""
        return period_for(key or LAST_TWELVE_MONTHS, self.today)


class SortForm(forms.Form):
    """``?tri=…&ordre=asc|desc``: an unknown column sorts the communes by name, an unknown order is
    ascending (each read on its own: a wrong order keeps the chosen column)."""

    tri = forms.ChoiceField(required=False)
    ordre = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])

    DEFAULT = "nom"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tri"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, key) for key in sort_keys(False)]

    def key(self) -> str:
        value = self.data.get("tri", "")
        return value if value in sort_keys(False) else self.DEFAULT

    def descending(self) -> bool:
        return bool(self.data.get("ordre") == "desc")


UNKNOWN_COMMUNE = _("Cette commune n'est pas dans le territoire de la plateforme : choisissez-la dans la liste.")


class WhatIfForm(forms.Form):
    """« Et si… »: a pivot peer worker living in a commune and/or a meeting place opened in one."""

    pivot = forms.ChoiceField(
        label=_("Placer un·e pair aidant·e pivot à"),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_COMMUNE},
        help_text=_("Une personne salariée qui habite la commune et rayonne autour."),
    )
    lieu = forms.ChoiceField(
        label=_("Ouvrir un lieu de rencontre à"),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_COMMUNE},
    )

    def __init__(self, *args: Any, communes: Sequence[CommuneRef], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {commune.insee: commune for commune in communes}
        choices: list[tuple[str, str]] = [("", str(_("— Aucune —")))]
        choices += [(c.insee, c.name) for c in sorted(communes, key=lambda c: (name_key(c.name), c.insee))]
        for name in ("pivot", "lieu"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
            field.widget.attrs["autocomplete"] = "off"

    def hypothesis(self) -> Hypothesis:
        if not self.is_bound or not self.is_valid():
            return Hypothesis()
        pivot = self.cleaned_data.get("pivot") or ""
        place = self.cleaned_data.get("lieu") or ""
        return Hypothesis(peer_commune=self.communes.get(pivot), place_commune=self.communes.get(place))
