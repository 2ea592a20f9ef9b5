"""Forms of the deployment workflow. They parse input and give early French messages; the
business rules (dates, allowed moves, prerequisites, stale screens) live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pairs.partners.models import Organisation, Team

from .. import ranking, workflow
from ..models import Kind, State
from ..selectors import KIND_HELP


class DateInput(forms.DateInput):
    """A native date picker: its value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names (or on the whole form)."""

    def add_service_error(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)


# ---- Filing a request


class RequestForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Organisation.objects.none(),
        empty_label=_("— Choisir un partenaire —"),
        error_messages={
            "required": _("Choisissez le partenaire qui fait la demande."),
            "invalid_choice": _("Choisissez un partenaire de la liste."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Type de demande"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez le type de demande."),
            "invalid_choice": _("Choisissez un type de demande de la liste."),
        },
    )
    team = forms.ChoiceField(
        label=_("Service ou équipe concerné"),
        required=False,
        error_messages={"invalid_choice": _("Choisissez un service de la liste.")},
    )
    expected_hours = forms.DecimalField(
        label=_("Heures prévues par semaine"),
        min_value=Decimal("0"),
        max_value=Decimal("48"),
        max_digits=5,
        decimal_places=1,
        localize=True,
        initial=Decimal("0"),
        help_text=_("Une estimation suffit, entre 0 et 48. Mettez 0 si vous ne savez pas encore."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Indiquez un nombre d'heures, ou 0 si vous ne savez pas encore."),
            "invalid": _("Écrivez un nombre d'heures, par exemple 3 ou 3,5."),
            "min_value": _("Le nombre d'heures ne peut pas être négatif."),
            "max_value": _("Le nombre d'heures ne peut pas dépasser 48 par semaine."),
            "max_decimal_places": _("Indiquez au plus un chiffre après la virgule."),
            "max_digits": _("Le nombre d'heures ne peut pas dépasser 48 par semaine."),
            "max_whole_digits": _("Le nombre d'heures ne peut pas dépasser 48 par semaine."),
        },
    )
    rhythm = forms.CharField(
        label=_("Rythme souhaité"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : deux demi-journées par semaine, ou une fois par mois."),
    )
    start_date = forms.DateField(
        label=_("Début souhaité"),
        widget=DateInput(),
        error_messages={
            "required": _("Indiquez la date de début souhaitée."),
            "invalid": _("Indiquez une date valide."),
        },
    )
    end_date = forms.DateField(
        label=_("Fin prévue"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Indiquez une date valide.")},
    )
    requested_slots = forms.MultipleChoiceField(
        label=_("Demi-journées souhaitées"),
        choices=ranking.slot_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Facultatif. Cochez les moments où l'équipe souhaite accueillir le ou la pair aidant·e."),
        error_messages={"invalid_choice": _("Choisissez des demi-journées de la semaine.")},
    )
    needs = forms.CharField(
        label=_("Vos besoins, dans vos mots"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ce qui vous amène, ce que vous attendez, ce que l'équipe en pense. "
            "N'écrivez aucune information sur une personne accompagnée."
        ),
        error_messages={"required": _("Décrivez le besoin en quelques mots.")},
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        teams: QuerySet[Team],
        choose_organisation: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if choose_organisation:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        else:
            del self.fields["organisation"]
        self._teams = {str(team.pk): team for team in teams}
        team_field = cast(forms.ChoiceField, self.fields["team"])
        team_field.choices = self._team_choices(list(self._teams.values()), grouped=choose_organisation)

    @staticmethod
    def _team_choices(teams: list[Team], *, grouped: bool) -> list[Any]:
        choices: list[Any] = [("", _("— Toute la structure, ou je ne sais pas —"))]
        if not grouped:
            return [*choices, *((str(team.pk), team.name) for team in teams)]
        groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
        for team in teams:
            groups.setdefault(team.organisation_id, (team.organisation.name, []))[1].append((str(team.pk), team.name))
        return [*choices, *groups.values()]

    def kind_options(self) -> list[tuple[Any, Any]]:
        """Each radio button of the kind with its short explanation."""
        return [(radio, KIND_HELP.get(Kind(radio.data["value"]), "")) for radio in self["kind"]]

    def requested_slot_days(self) -> list[Any]:
        """The half-days as seven fieldsets of checkboxes (see deployments/_assign_slots.html)."""
        from .assignments import slot_days

        return slot_days(self["requested_slots"])

    def clean_team(self) -> Team | None:
        value = self.cleaned_data.get("team") or ""
        return self._teams.get(value) if value else None

    def clean_rhythm(self) -> str:
        return str(self.cleaned_data.get("rhythm") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        organisation, team = data.get("organisation"), data.get("team")
        if organisation is not None and team is not None and team.organisation_id != organisation.pk:
            self.add_error("team", _("Ce service n'appartient pas à ce partenaire."))
        return data

    def request_data(self) -> dict[str, Any]:
        names = ("team", "kind", "expected_hours", "rhythm", "start_date", "end_date", "needs", "requested_slots")
        return {name: self.cleaned_data[name] for name in names}


# ---- The coordinators' list


class DeploymentFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Étape"), choices=[("", _("Toutes les étapes")), *State.choices], required=False)
    kind = forms.ChoiceField(
        label=_("Type de demande"), choices=[("", _("Tous les types")), *Kind.choices], required=False
    )
    partner = forms.CharField(label=_("Partenaire"), max_length=80, required=False)


# ---- Moving a deployment on


class AdvanceForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Étape suivante"),
        choices=State.choices,  # any step parses; the service refuses the moves that are not allowed
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez l'étape suivante."),
            "invalid_choice": _("Cette étape n'existe pas."),
        },
    )
    reason = forms.CharField(
        label=_("Motif ou commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un abandon. Visible par le partenaire dans l'historique."),
    )
    target_date = forms.DateField(
        label=_("Date visée pour l'embauche directe"),
        required=False,
        widget=DateInput(),
        help_text=_("Seulement pour la transition vers l'embauche directe."),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )
    expected_state = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, state: str, **kwargs: Any) -> None:
        """``state`` is the step shown on the page: its allowed moves are offered, and it goes back with
        the form (``expected_state``) so that the service refuses a screen that has become stale."""
        kwargs.setdefault("initial", {"expected_state": state})
        super().__init__(*args, **kwargs)
        allowed = workflow.allowed_targets(State(state))
        cast(forms.RadioSelect, self.fields["target"].widget).choices = [(t.value, t.label) for t in allowed]
        if State.DIRECT_HIRE not in allowed:
            del self.fields["target_date"]

    @classmethod
    def refused(cls, data: Any, *, state: str, error: ValidationError) -> AdvanceForm:
        """The form shown again after the service refused the move: what was typed is kept, the page
        now shows the current step, and the service's French message comes first."""
        data = data.copy()
        data["expected_state"] = state
        form = cls(data, state=state)
        form.is_valid()
        form.add_error(None, error)
        return form

    def clean_reason(self) -> str:
        return str(self.cleaned_data.get("reason") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("expected_state"):  # a hidden field: its message goes on top of the form
            raise ValidationError(_("Cette page est incomplète. Rechargez-la avant de recommencer."))
        return data


class PrerequisiteForm(forms.Form):
    ACTIONS = [("tick", _("Cocher")), ("untick", _("Décocher")), ("override", _("Déroger"))]

    action = forms.ChoiceField(choices=ACTIONS)
    override_reason = forms.CharField(
        label=_("Motif de la dérogation"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = str(data.get("override_reason") or "").strip()
        if data.get("action") == "override" and not reason:
            self.add_error("override_reason", _("Écrivez le motif de la dérogation."))
        data["override_reason"] = reason if data.get("action") == "override" else ""
        return data

    def service_data(self) -> dict[str, Any]:
        return {"done": self.cleaned_data["action"] == "tick", "override_reason": self.cleaned_data["override_reason"]}


# ---- The platform's checklist


class PrerequisiteTemplateForm(ServiceErrorsMixin, forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(
        label=_("Prérequis"),
        max_length=200,
        error_messages={"required": _("Écrivez le prérequis en quelques mots.")},
    )
    required = forms.BooleanField(
        label=_("Obligatoire avant l'affectation d'un·e pair aidant·e"), required=False, initial=True
    )
    position = forms.IntegerField(
        label=_("Ordre"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Laissé vide : à la fin de la liste."),
        error_messages={
            "min_value": _("L'ordre doit être compris entre 1 et 999."),
            "max_value": _("L'ordre doit être compris entre 1 et 999."),
        },
    )


class PrerequisiteTemplateDeleteForm(forms.Form):
    delete = forms.IntegerField(widget=forms.HiddenInput)
