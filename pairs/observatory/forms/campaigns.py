"""Forms of the campaign pages: launching a campaign (its perspectives depend on the chosen
instrument) and the Observatoire's settings. The rules are checked again by the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pairs.partners.models import Team
from pairs.support.forms.common import DateInput, ServiceErrorsMixin

from ..models import Instrument, ObservatorySettings, Purpose
from ..selectors import is_usable

DATE_ERRORS = {"invalid": _("Indiquez une date valide, par exemple 15/04/2026.")}
WAVES = [(wave, f"T{wave}") for wave in range(10)]


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return str(obj)  # « Organisation – équipe »


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        label = f"{obj.name} ({obj.version})"
        if not is_usable(obj):
            label += " — " + str(_("autorisation des auteurs à noter"))
        return label


class CampaignForm(ServiceErrorsMixin, forms.Form):
    """``perspective_choices`` are the respondent versions of the instrument the page was built for;
    a partner contact (``can_train`` False) has no purpose to choose: a team's Observatoire."""

    purpose = forms.ChoiceField(
        label=_("Objet de la campagne"),
        choices=Purpose.choices,
        initial=Purpose.TEAM,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez l'objet de la campagne."),
            "invalid_choice": _("Choisissez l'objet de la campagne."),
        },
    )
    team = TeamChoiceField(
        label=_("Équipe partenaire"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— Choisissez une équipe —"),
        error_messages={"invalid_choice": _("Choisissez une équipe de la liste.")},
    )
    title = forms.CharField(
        label=_("Intitulé"),
        required=False,
        max_length=150,
        help_text=_("Laissez vide pour « Observatoire — équipe — T0 » (ou « … — Avant » pour une formation)."),
        error_messages={"max_length": _("L'intitulé tient en 150 caractères au plus.")},
    )
    instrument = InstrumentChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choisissez un instrument."),
            "invalid_choice": _("Choisissez un instrument de la liste."),
        },
    )
    perspectives = forms.MultipleChoiceField(
        label=_("Points de vue interrogés"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Un lien anonyme par point de vue. La version des professionnel·les peut être utilisée seule."),
        error_messages={
            "required": _("Choisissez au moins un point de vue."),
            "invalid_choice": _("Choisissez les points de vue parmi ceux de l'instrument choisi."),
        },
    )
    wave = forms.TypedChoiceField(
        label=_("Vague"),
        choices=WAVES,
        coerce=int,
        initial=0,
        help_text=_("T0 pour la première mesure, T1 pour la suivante… Pour une formation : T0 avant, T1 après."),
        error_messages={"invalid_choice": _("La vague va de T0 à T9.")},
    )
    opens_on = forms.DateField(
        label=_("Ouverture le"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date d'ouverture.")},
    )
    closes_on = forms.DateField(
        label=_("Clôture le"),
        widget=DateInput(),
        help_text=_("Les réponses sont reçues jusqu'à ce jour inclus."),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date de clôture.")},
    )
    previous = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[Team],
        instruments: QuerySet[Instrument],
        perspective_choices: list[tuple[str, str]],
        can_train: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.can_train = can_train
        team_field: Any = self.fields["team"]
        team_field.queryset = teams
        instrument_field: Any = self.fields["instrument"]
        instrument_field.queryset = instruments
        self.fields["instrument"].widget.attrs.update(
            {
                # With htmx, choosing an instrument swaps in its perspectives; without JavaScript the
                # « Choisir cet instrument » button does it.
                "hx-get": reverse("observatory:campaign_create"),
                "hx-trigger": "change",
                "hx-target": "#perspectives",
                "hx-select": "#perspectives",
                "hx-swap": "outerHTML",
            }
        )
        perspectives: Any = self.fields["perspectives"]
        perspectives.choices = perspective_choices
        if not can_train:
            del self.fields["purpose"]
            self.fields["team"].required = True
            self.fields["team"].error_messages["required"] = _("Choisissez l'équipe partenaire.")
        else:
            self.fields["team"].help_text = _("Facultative pour une formation.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.can_train:
            data["purpose"] = Purpose.TEAM
        purpose = data.get("purpose")
        if purpose == Purpose.TEAM and not data.get("team") and not self.has_error("team"):
            self.add_error("team", _("Choisissez l'équipe partenaire."))
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if isinstance(opens_on, date) and isinstance(closes_on, date) and closes_on < opens_on:
            self.add_error("closes_on", _("La clôture doit venir après l'ouverture."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "team": data.get("team"),
            "title": data.get("title") or "",
            "instrument": data["instrument"],
            "perspectives": list(data["perspectives"]),
            "wave": data["wave"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
        }


class SettingsForm(ServiceErrorsMixin, forms.Form):
    anonymity_threshold = forms.IntegerField(
        label=_("Seuil d'anonymat"),
        min_value=ObservatorySettings.MIN_THRESHOLD,
        max_value=30,
        help_text=_(
            "Aucun résultat n'est montré pour un point de vue qui a moins de réponses que ce seuil : avec trop "
            "peu de réponses, on pourrait reconnaître qui a répondu quoi. De 3 à 30 ; 5 par défaut."
        ),
        error_messages={
            "required": _("Indiquez le seuil d'anonymat."),
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _(
                "Le seuil d'anonymat ne peut pas être inférieur à 3 : en dessous, une réponse pourrait être reconnue."
            ),
            "max_value": _("Le seuil d'anonymat va de 3 à 30 réponses."),
        },
    )
    measure_interval_months = forms.IntegerField(
        label=_("Rythme des mesures d'impact (en mois)"),
        min_value=1,
        max_value=24,
        help_text=_("Tous les combien de mois une mesure d'impact est proposée à une personne accompagnée (1 à 24)."),
        error_messages={
            "required": _("Indiquez le rythme des mesures."),
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _("Le rythme des mesures va de 1 à 24 mois."),
            "max_value": _("Le rythme des mesures va de 1 à 24 mois."),
        },
    )

    def service_data(self) -> dict[str, int]:
        return {
            "anonymity_threshold": int(self.cleaned_data["anonymity_threshold"]),
            "measure_interval_months": int(self.cleaned_data["measure_interval_months"]),
        }
