"""Forms of the yearly report: the year to generate, and the narrative texts of a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import ServiceErrorsMixin

from ..selectors import report as reads


class ReportRequestForm(ServiceErrorsMixin, forms.Form):
    year = forms.TypedChoiceField(
        label=_("Année"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choisissez l'année du rapport."),
            "invalid_choice": _("Choisissez une année de la liste."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(year), str(year)) for year in reads.report_years()]
        if "year" not in self.initial:
            self.initial["year"] = str(reads.default_year())


class NarrativesForm(ServiceErrorsMixin, forms.Form):
    """One optional text per narrative section of the report."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, title in reads.NARRATIVES:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                max_length=reads.NARRATIVE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("Facultatif, 10 000 caractères au plus."),
                error_messages={
                    "max_length": _(
                        "Ce texte fait %(show_value)d caractères : raccourcissez-le à %(limit_value)d au plus."
                    ),
                },
            )
            # No maxlength in the page: a longer text gets the message above and is kept as typed.
            self.fields[key].widget.attrs.pop("maxlength", None)

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in reads.NARRATIVE_KEYS}
