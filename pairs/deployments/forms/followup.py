"""Forms of the follow-up: joint reviews, the bilan, the transition checklist, the success criteria.
They parse input and give early French messages; the rules live in services/followup.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Outcome, Score
from . import DateInput, ServiceErrorsMixin

DATE_ERRORS = {"invalid": _("Indiquez une date valide.")}
TEXT_MAX = 5000


def _text(label: Any, help_text: Any = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": _("Ce texte dépasse %(limit_value)d caractères.")},
    )


# ---- Joint reviews


class ReviewAddForm(ServiceErrorsMixin, forms.Form):
    planned_on = forms.DateField(
        label=_("Date du point supplémentaire"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date du point.")},
    )

    def clean_planned_on(self) -> Any:
        day = self.cleaned_data["planned_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Un point de suivi se prévoit aujourd'hui ou plus tard."))
        return day


class ReviewForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(
        label=_("Date du point"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date à laquelle le point a eu lieu.")},
    )
    attendees = _text(_("Présent·es"), _("Une personne par ligne."), rows=5)
    what_works = _text(_("Ce qui fonctionne"))
    what_does_not = _text(_("Ce qui fonctionne moins bien"))
    decisions = _text(_("Décisions"))
    next_on = forms.DateField(
        label=_("Prochain point"),
        required=False,
        widget=DateInput(),
        help_text=_("Un point de suivi sera prévu à cette date, s'il n'y en a pas déjà un ce jour-là."),
        error_messages=DATE_ERRORS,
    )

    HELP_PRIVACY = _("N'écrivez aucune information sur une personne accompagnée.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("what_works", "what_does_not", "decisions"):
            self.fields[name].help_text = self.HELP_PRIVACY

    def clean_held_on(self) -> Any:
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date du point ne peut pas être dans le futur."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held_on, next_on = data.get("held_on"), data.get("next_on")
        if held_on and next_on and next_on <= held_on:
            self.add_error("next_on", _("Le prochain point doit venir après la date de ce point."))
        return data

    def service_data(self) -> dict[str, Any]:
        names = ("held_on", "attendees", "what_works", "what_does_not", "decisions", "next_on")
        return {name: self.cleaned_data[name] for name in names}


# ---- The bilan


@dataclass(frozen=True)
class CriterionRow:
    """A criterion of the bilan form: ``key`` names its fields (see services.followup.CriterionInput)."""

    key: int
    label: str


@dataclass(frozen=True)
class CriterionFields:
    label: str
    score: forms.BoundField
    comment: forms.BoundField


NOT_SCORED = ""


class AssessmentForm(ServiceErrorsMixin, forms.Form):
    # The bilan the form was built for (empty for a new one): a screen that became stale is refused.
    assessment_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    held_on = forms.DateField(
        label=_("Date du bilan"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date du bilan.")},
    )
    summary = _text(_("Synthèse"), _("N'écrivez aucune information sur une personne accompagnée."), rows=6)
    outcome = forms.ChoiceField(
        label=_("Suite proposée"),
        choices=[(NOT_SCORED, _("Pas encore décidée")), *Outcome.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez une suite de la liste.")},
    )

    def __init__(self, *args: Any, criteria: Sequence[CriterionRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for row in self.criteria:
            self.fields[f"score_{row.key}"] = forms.ChoiceField(
                label=row.label,
                choices=[(NOT_SCORED, _("Pas encore apprécié")), *((str(v), lbl) for v, lbl in Score.choices)],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choisissez une appréciation de la liste.")},
            )
            self.fields[f"comment_{row.key}"] = _text(format_lazy("{} « {} »", _("Commentaire sur"), row.label), rows=2)

    def clean_held_on(self) -> Any:
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date du bilan ne peut pas être dans le futur."))
        return day

    def criterion_fields(self) -> list[CriterionFields]:
        return [
            CriterionFields(label=row.label, score=self[f"score_{row.key}"], comment=self[f"comment_{row.key}"])
            for row in self.criteria
        ]

    def scores(self) -> list[tuple[int, int | None, str]]:
        """(key, score or None, comment) of each criterion, once the form is valid."""
        data = self.cleaned_data
        return [
            (
                row.key,
                int(data[f"score_{row.key}"]) if data.get(f"score_{row.key}") else None,
                str(data.get(f"comment_{row.key}") or "").strip(),
            )
            for row in self.criteria
        ]

    def service_data(self) -> dict[str, Any]:
        return {
            "assessment_id": self.cleaned_data.get("assessment_id"),
            "held_on": self.cleaned_data["held_on"],
            "summary": str(self.cleaned_data.get("summary") or "").strip(),
            "outcome": self.cleaned_data.get("outcome") or "",
        }


# ---- The transition checklist


class TransitionTaskForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", _("Fait")), ("0", _("À faire"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Cette page est incomplète. Rechargez-la avant de recommencer.")},
    )


# ---- The platform's success criteria


class SuccessCriterionForm(ServiceErrorsMixin, forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(
        label=_("Critère de réussite"),
        max_length=200,
        error_messages={
            "required": _("Écrivez le critère en quelques mots."),
            "max_length": _("Un critère tient en 200 caractères au plus."),
        },
    )
    position = forms.IntegerField(
        label=_("Ordre"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Laissé vide : à la fin de la liste."),
        error_messages={
            "invalid": _("L'ordre est un nombre entier, par exemple 3."),
            "min_value": _("L'ordre doit être compris entre 1 et 999."),
            "max_value": _("L'ordre doit être compris entre 1 et 999."),
        },
    )


class SuccessCriterionDeleteForm(forms.Form):
    delete = forms.IntegerField(widget=forms.HiddenInput)
