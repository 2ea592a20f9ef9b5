"""The form of the durations a coordinator may choose: one field per editable rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .retention import RULES


class RetentionForm(forms.Form):
    def __init__(self, *args: Any, months: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule in RULES:
            if not rule.editable:
                continue
            self.fields[rule.key] = forms.IntegerField(
                label=rule.label,
                initial=months[rule.key],
                help_text=_("En mois, %(starts)s : entre %(min)s et %(max)s (%(default)s par défaut).")
                % {
                    "starts": rule.starts,
                    "min": rule.min_months,
                    "max": rule.max_months,
                    "default": rule.default_months,
                },
                error_messages={
                    "required": _("Indiquez une durée en mois."),
                    "invalid": _("Indiquez un nombre entier de mois."),
                },
                widget=forms.NumberInput(attrs={"min": rule.min_months, "max": rule.max_months}),
            )

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(field if field in self.fields else None, item)
        else:
            self.add_error(None, error)

    def months(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items()}
