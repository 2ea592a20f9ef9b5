"""The first step of a new impact measure: which questionnaire (an instrument and one of its
respondent versions) and on what date. The questions themselves are a ``QuestionnaireForm``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import DateInput, ServiceErrorsMixin

from ..selectors.measures import MeasureChoice, find_choice


class MeasureChoiceForm(ServiceErrorsMixin, forms.Form):
    questionnaire = forms.ChoiceField(
        label=_("Questionnaire"),
        error_messages={
            "required": _("Choisissez un questionnaire."),
            "invalid_choice": _("Choisissez un des questionnaires proposés."),
        },
    )
    measured_on = forms.DateField(
        label=_("Date de la mesure"),
        widget=DateInput(),
        help_text=_("Aujourd'hui en général ; une autre date pour un questionnaire rempli sur papier."),
        error_messages={
            "required": _("Indiquez la date de la mesure."),
            "invalid": _("Indiquez une date valide."),
        },
    )

    def __init__(self, *args: Any, choices: Sequence[MeasureChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure_choices = list(choices)
        field = self.fields["questionnaire"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Choisir —")), *((choice.value, choice.label) for choice in self.measure_choices)]
        if not self.is_bound and "measured_on" not in self.initial:
            self.initial["measured_on"] = timezone.localdate()
        if not self.is_bound and len(self.measure_choices) == 1:
            self.initial.setdefault("questionnaire", self.measure_choices[0].value)

    def choice(self) -> MeasureChoice | None:
        """The chosen questionnaire, once the form is valid."""
        return find_choice(self.measure_choices, self.cleaned_data.get("questionnaire"))

    def chosen(self) -> MeasureChoice | None:
        """The questionnaire named in the data, even when another field is wrong (to keep the
        questions and their answers on the page)."""
        if not self.is_bound:
            return find_choice(self.measure_choices, self.initial.get("questionnaire"))
        return find_choice(self.measure_choices, self.data.get("questionnaire"))
