"""Forms of the activity log. Built for a phone: a few large selects, sensible defaults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import ActivityEntry, ActivityType, PeerProfile
from ..selectors.activity import (
    Proposal,
    activity_types,
    assignment_choices,
    assignment_label,
    communes_for,
    format_minutes,
)
from ..selectors.workload import week_start
from ..services.activity import EntryValues

DURATION_STEPS = list(range(30, 8 * 60 + 1, 30))

# The service names fields after the model; the form after what the person sees.
SERVICE_FIELDS = {"duration_minutes": "duration"}


def duration_choices(extra: int | None = None, *, blank: bool = True) -> list[tuple[str, str]]:
    values = sorted({*DURATION_STEPS, extra}) if extra else DURATION_STEPS
    choices = [(str(value), format_minutes(value)) for value in values]
    return [("", _("— Choisir une durée —")), *choices] if blank else choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class WeekForm(forms.Form):
    """``?semaine=``: any day of the week; never after the current week."""

    semaine = forms.DateField(label=gettext_lazy("Semaine du"), required=False, widget=DateInput())

    def start(self, today: date) -> date:
        chosen = self.cleaned_data.get("semaine") if self.is_valid() else None
        return min(week_start(chosen or today), week_start(today))


class DayForm(forms.Form):
    jour = forms.DateField(required=False)

    def day(self, today: date) -> date:
        chosen = self.cleaned_data.get("jour") if self.is_valid() else None
        return chosen or today


class MonthForm(forms.Form):
    mois = forms.DateField(
        label=gettext_lazy("Mois"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def first(self, today: date) -> date:
        chosen = self.cleaned_data.get("mois") if self.is_valid() else None
        return (chosen or today).replace(day=1)


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return assignment_label(obj)


class EntryForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    activity_type = forms.ModelChoiceField(
        label=gettext_lazy("Type d'activité"), queryset=ActivityType.objects.none(), empty_label=None
    )
    assignment = AssignmentChoiceField(
        label=gettext_lazy("Déploiement"),
        queryset=ActivityEntry.objects.none(),  # placeholder: the worker's assignments, set in __init__
        required=False,
        empty_label=gettext_lazy("— Aucun —"),
        help_text=gettext_lazy("L'équipe partenaire où vous êtes affecté·e, si l'activité a eu lieu pour elle."),
        error_messages={"invalid_choice": gettext_lazy("Choisissez un déploiement de la liste.")},
    )
    duration = forms.TypedChoiceField(
        label=gettext_lazy("Durée de l'activité"), coerce=int, empty_value=None, required=False
    )
    duration_other = forms.IntegerField(
        label=gettext_lazy("Ou durée exacte, en minutes"),
        help_text=gettext_lazy("Remplace la durée choisie dans la liste."),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    remote = forms.BooleanField(label=gettext_lazy("À distance (téléphone, visio)"), required=False)
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Choisir une commune —"),
        help_text=gettext_lazy("Inutile si l'activité a eu lieu à distance."),
    )
    workplace = forms.CharField(
        label=gettext_lazy("Lieu de travail"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Le lieu ou l'équipe, jamais le nom d'une personne."),
        widget=forms.TextInput(attrs={"list": "lieux-recents", "autocomplete": "off"}),
    )
    travel_minutes = forms.IntegerField(
        label=gettext_lazy("Temps de trajet, en minutes"),
        required=False,
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        platform: Platform,
        profile: PeerProfile,
        entry: ActivityEntry | None = None,
        day: date | None = None,
    ) -> None:
        initial: dict[str, Any] = {"day": day, "commune": profile.home_commune_id, "travel_minutes": 0}
        extra = None
        if entry is not None:
            extra = entry.duration_minutes
            initial = {name: getattr(entry, name) for name in ("day", "remote", "workplace", "travel_minutes")}
            initial |= {"activity_type": entry.activity_type_id, "commune": entry.commune_id, "duration": extra}
            initial["assignment"] = entry.assignment_id
        super().__init__(data, initial=initial)
        fields: Any = self.fields
        fields["activity_type"].queryset = activity_types(platform)
        fields["commune"].queryset = communes_for(platform, profile)
        fields["duration"].choices = duration_choices(extra)
        around = self._submitted_day() or (entry.day if entry is not None else day) or timezone.localdate()
        keep = entry.assignment_id if entry is not None else None
        assignments = assignment_choices(profile, around, keep=keep)
        if assignments.exists():
            fields["assignment"].queryset = assignments
        else:  # no deployment to name: the select is left out
            del fields["assignment"]

    def _submitted_day(self) -> date | None:
        if not self.is_bound:
            return None
        try:
            value = self.fields["day"].clean(self.data.get("day"))
        except ValidationError:
            return None
        return value if isinstance(value, date) else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        minutes = data.get("duration_other") or data.get("duration")
        if not minutes and "duration_other" not in self.errors:
            self.add_error("duration", _("Indiquez une durée : choisissez-la dans la liste ou tapez-la en minutes."))
        data["duration_minutes"] = minutes
        return data

    def entry_values(self) -> EntryValues:
        data = self.cleaned_data
        return EntryValues(
            day=data["day"],
            duration_minutes=data["duration_minutes"],
            activity_type=data["activity_type"],
            commune=None if data["remote"] else data["commune"],
            remote=data["remote"],
            workplace=data["workplace"],
            travel_minutes=data["travel_minutes"] or 0,
            assignment_id=data["assignment"].pk if data.get("assignment") is not None else None,
        )

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal on the fields it names, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = SERVICE_FIELDS.get(name, name)
            if field == "duration" and self.cleaned_data.get("duration_other"):
                field = "duration_other"
            self.add_error(field if field in self.fields else None, errors)


class PrefillForm(forms.Form):
    """One line per proposed entry: a box to keep it (ticked) and its duration."""

    def __init__(self, data: Any = None, *, proposals: list[Proposal]) -> None:
        super().__init__(data)
        self.proposals = proposals
        for i, proposal in enumerate(proposals):
            when = formats.date_format(proposal.day, "l j F")
            self.fields[f"keep_{i}"] = forms.BooleanField(
                label=_("Garder l'activité %(number)s : %(day)s, %(type)s")
                % {"number": i + 1, "day": when, "type": proposal.activity_type.label},
                required=False,
                initial=True,
            )
            self.fields[f"duration_{i}"] = forms.TypedChoiceField(
                label=_("Durée de l'activité %(number)s (%(day)s)") % {"number": i + 1, "day": when},
                coerce=int,
                empty_value=None,
                required=False,
                choices=duration_choices(proposal.duration_minutes, blank=False),
                initial=proposal.duration_minutes,
            )

    def lines(self) -> Iterator[tuple[Proposal, forms.BoundField, forms.BoundField]]:
        for i, proposal in enumerate(self.proposals):
            yield proposal, self[f"keep_{i}"], self[f"duration_{i}"]

    def chosen(self) -> list[EntryValues]:
        data = self.cleaned_data
        return [
            EntryValues(
                day=proposal.day,
                duration_minutes=data.get(f"duration_{i}") or proposal.duration_minutes,
                activity_type=proposal.activity_type,
                commune=proposal.commune,
                remote=proposal.remote,
                workplace=proposal.workplace,
                travel_minutes=proposal.travel_minutes,
                assignment_id=proposal.assignment_id,
            )
            for i, proposal in enumerate(self.proposals)
            if data.get(f"keep_{i}")
        ]
