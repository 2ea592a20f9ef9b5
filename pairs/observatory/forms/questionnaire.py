"""The questionnaire form, built from a definition: one question per item of the respondent
version, answered on the scale or with one of its "missing" codes ("Sans objet", "Ne sait pas"), or
left blank. Shared by the anonymous links, the typing in of paper questionnaires and the impact
measures. ``submission_key`` is drawn when the page is shown and signed, so that an answer sent
twice from the same page counts once."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ..engine import Definition, Item

SUBMISSION_SALT = "pairs.observatory.submission"
FIELD_PREFIX = "item_"


def new_submission_key() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=SUBMISSION_SALT)


def submission_key_value(signed: str) -> str | None:
    """The key inside a signed value, or None when it was not drawn by us."""
    try:
        value = signing.loads(signed, salt=SUBMISSION_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and 20 <= len(value) <= 43 else None


class QuestionnaireForm(forms.Form):
    """``answers()`` gives ``{item key: scale value (int) or missing code (str)}`` for the answered
    items only; an item left blank is missing for the scoring rule, like a missing code."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, definition: Definition, perspective: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.version = definition.respondent_version(perspective)
        scale = definition.scale
        choices = [(str(value), scale.labels.get(value, str(value))) for value in scale.values]
        choices += [(code, label) for code, label in scale.missing.items()]
        for item in self.version.items:
            self.fields[FIELD_PREFIX + item.key] = forms.ChoiceField(
                label=item.text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choisissez une des réponses proposées.")},
            )
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = new_submission_key()

    def questions(self) -> list[tuple[int, Item, forms.BoundField]]:
        """Each item with its number and its bound field, in the version's order."""
        return [(number, item, self[FIELD_PREFIX + item.key]) for number, item in enumerate(self.version.items, 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not any(data.get(FIELD_PREFIX + item.key) for item in self.version.items):
            raise forms.ValidationError(_("Répondez à au moins une question avant d'envoyer."))
        return data

    def answers(self) -> dict[str, int | str]:
        result: dict[str, int | str] = {}
        for item in self.version.items:
            raw = self.cleaned_data.get(FIELD_PREFIX + item.key) or ""
            if not raw:
                continue
            result[item.key] = int(raw) if raw.lstrip("-").isdigit() else raw
        return result

    def key(self) -> str | None:
        """The submission key of this page, or None when the hidden field was tampered with."""
        return submission_key_value(self.cleaned_data.get("submission_key") or "")
