"""Forms of the assignment screen: the skills looked for, placing a worker, changing an assignment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pairs.peers.models import DayPart, PeerProfile, Skill, Weekday

from .. import ranking
from ..ranking import Slot
from . import DateInput, ServiceErrorsMixin


@dataclass
class SlotBox:
    value: str
    label: str
    checked: bool
    requested: bool
    id: str


@dataclass
class DayBoxes:
    label: str
    boxes: list[SlotBox]


def slot_days(field: forms.BoundField, requested: Iterable[Slot] = ()) -> list[DayBoxes]:
    """Seven fieldsets of three checkboxes (morning, afternoon, evening), the requested ones marked."""
    chosen = set(field.value() or [])
    wanted = set(requested)
    prefix = field.auto_id or f"id_{field.html_name}"
    return [
        DayBoxes(
            str(day.label),
            [
                SlotBox(
                    value=ranking.slot_value((day.value, part.value)),
                    label=str(part.label),
                    checked=ranking.slot_value((day.value, part.value)) in chosen,
                    requested=(day.value, part.value) in wanted,
                    id=f"{prefix}_{day.value}_{part.value}",
                )
                for part in DayPart
            ],
        )
        for day in Weekday
    ]


def slots_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=ranking.slot_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez des demi-journées de la semaine.")},
    )


def hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Heures par semaine"),
        min_value=Decimal("0.5"),
        max_value=Decimal("48"),
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
        error_messages={
            "required": _("Indiquez le nombre d'heures par semaine."),
            "invalid": _("Écrivez un nombre d'heures, par exemple 3 ou 3,5."),
            "min_value": _("Le nombre d'heures par semaine doit être compris entre 0,5 et 48."),
            "max_value": _("Le nombre d'heures par semaine doit être compris entre 0,5 et 48."),
            "max_digits": _("Le nombre d'heures par semaine doit être compris entre 0,5 et 48."),
            "max_whole_digits": _("Le nombre d'heures par semaine doit être compris entre 0,5 et 48."),
            "max_decimal_places": _("Indiquez au plus un chiffre après la virgule."),
        },
    )


def end_date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Fin"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide tant que l'affectation continue."),
        error_messages={"invalid": _("Indiquez une date valide.")},
    )


class ProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return obj.membership.user.display_name


class DeploymentSkillsForm(ServiceErrorsMixin, forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Compétences recherchées"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Elles comptent dans le classement des suggestions."),
        error_messages={"invalid_choice": _("Choisissez des compétences de la liste.")},
    )

    def __init__(self, data: Any = None, *, skills: QuerySet[Skill], chosen: list[Skill]) -> None:
        super().__init__(data, initial={"skills": [skill.pk for skill in chosen]})
        skills_field = cast(forms.ModelMultipleChoiceField, self.fields["skills"])
        skills_field.queryset = skills


class AssignmentForm(ServiceErrorsMixin, forms.Form):
    """Place a worker: from a suggestion (the worker is fixed) or from the list of every active worker."""

    profile = ProfileChoiceField(
        label=_("Pair aidant·e"),
        queryset=PeerProfile.objects.none(),
        empty_label=_("— Choisir un·e pair aidant·e —"),
        error_messages={
            "required": _("Choisissez un·e pair aidant·e."),
            "invalid_choice": _("Choisissez un·e pair aidant·e de la liste."),
        },
    )
    weekly_hours = hours_field()
    start_date = forms.DateField(
        label=_("Début"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez la date de début."), "invalid": _("Indiquez une date valide.")},
    )
    end_date = end_date_field()
    slots = slots_field(_("Demi-journées"))

    def __init__(
        self,
        data: Any = None,
        *,
        profiles: QuerySet[PeerProfile],
        fixed_profile_id: int | None = None,
        hours: Decimal,
        start: date,
        slots: Iterable[Slot] = (),
        requested: Iterable[Slot] = (),
        auto_id: str = "id_%s",
    ) -> None:
        initial = {
            "profile": fixed_profile_id,
            "weekly_hours": hours,
            "start_date": start,
            "slots": [ranking.slot_value(slot) for slot in slots],
        }
        super().__init__(data, initial=initial, auto_id=auto_id)
        self.fixed = fixed_profile_id is not None
        self.requested = list(requested)
        field: Any = self.fields["profile"]
        field.queryset = profiles
        if self.fixed:
            field.widget = forms.HiddenInput()

    def slot_days(self) -> list[DayBoxes]:
        return slot_days(self["slots"], self.requested)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "profile": data["profile"],
            "weekly_hours": data["weekly_hours"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "slots": ranking.parse_slots(data["slots"]),
        }


class AssignmentEditForm(ServiceErrorsMixin, forms.Form):
    weekly_hours = hours_field()
    end_date = end_date_field()
    slots = slots_field(_("Demi-journées"))

    def __init__(
        self,
        data: Any = None,
        *,
        start: date,
        hours: Decimal,
        end: date | None,
        slots: Iterable[Slot],
        requested: Iterable[Slot] = (),
    ) -> None:
        initial = {"weekly_hours": hours, "end_date": end, "slots": [ranking.slot_value(slot) for slot in slots]}
        super().__init__(data, initial=initial)
        self.start = start
        self.requested = list(requested)

    def slot_days(self) -> list[DayBoxes]:
        return slot_days(self["slots"], self.requested)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end_date")
        if end and end < self.start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weekly_hours": data["weekly_hours"],
            "end_date": data["end_date"],
            "slots": ranking.parse_slots(data["slots"]),
        }
