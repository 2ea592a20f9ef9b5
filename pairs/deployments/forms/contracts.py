"""Forms of contracts (conventions) and of the platform's deployment settings. The checks of the
terms are the services' own (one list of French messages); the forms only parse and report early."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Contract, DeploymentSettings, HoursBasis, Pricing
from ..services.contracts import (
    ONE_OFF_HOURS_MAX,
    REMINDER_DAYS_MAX,
    contract_errors,
    document_check,
    settings_errors,
)
from . import DateInput, ServiceErrorsMixin

DATE_ERRORS = {"invalid": _("Indiquez une date valide.")}


def _decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal"})


class ContractForm(ServiceErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Référence"),
        max_length=60,
        required=False,
        help_text=_("Par exemple le numéro de la convention chez le partenaire."),
        error_messages={"max_length": _("La référence tient en 60 caractères au plus.")},
    )
    start_date = forms.DateField(
        label=_("Début"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date de début.")},
    )
    end_date = forms.DateField(
        label=_("Fin"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date de fin.")},
    )
    hours_basis = forms.ChoiceField(
        label=_("Heures prévues"),
        choices=HoursBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez des heures par semaine ou au total."),
            "invalid_choice": _("Choisissez des heures par semaine ou au total."),
        },
    )
    hours = forms.DecimalField(
        label=_("Nombre d'heures"),
        max_digits=7,
        decimal_places=1,
        localize=True,
        widget=_decimal_input(),
        help_text=_("Par semaine ou au total selon le choix ci-dessus, par exemple 7 ou 3,5."),
        error_messages={
            "required": _("Indiquez le nombre d'heures."),
            "invalid": _("Écrivez un nombre d'heures, par exemple 7 ou 3,5."),
            "max_decimal_places": _("Indiquez au plus un chiffre après la virgule."),
            "max_digits": _("Le nombre d'heures est trop grand."),
            "max_whole_digits": _("Le nombre d'heures est trop grand."),
        },
    )
    pricing = forms.ChoiceField(
        label=_("Tarif"),
        choices=Pricing.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un prix à l'heure ou un forfait."),
            "invalid_choice": _("Choisissez un prix à l'heure ou un forfait."),
        },
    )
    hourly_price = forms.DecimalField(
        label=_("Prix de l'heure (€)"),
        required=False,
        max_digits=7,
        decimal_places=2,
        localize=True,
        widget=_decimal_input(),
        help_text=_("Seulement pour un prix à l'heure, par exemple 45 ou 45,50."),
        error_messages={
            "invalid": _("Écrivez un montant, par exemple 45 ou 45,50."),
            "max_decimal_places": _("Indiquez au plus deux chiffres après la virgule."),
            "max_digits": _("Le montant est trop grand."),
            "max_whole_digits": _("Le montant est trop grand."),
        },
    )
    flat_fee = forms.DecimalField(
        label=_("Forfait (€)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=_decimal_input(),
        help_text=_("Seulement pour un forfait : le montant total de la convention."),
        error_messages={
            "invalid": _("Écrivez un montant, par exemple 1500 ou 1500,50."),
            "max_decimal_places": _("Indiquez au plus deux chiffres après la virgule."),
            "max_digits": _("Le montant est trop grand."),
            "max_whole_digits": _("Le montant est trop grand."),
        },
    )
    signed_on = forms.DateField(label=_("Signée le"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)
    signed_document = forms.FileField(
        label=_("Convention signée (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Fichier PDF, 5 Mo au plus."),
        error_messages={"empty": _("Ce fichier est vide. Choisissez à nouveau le fichier.")},
    )

    def __init__(self, *args: Any, contract: Contract | None = None, **kwargs: Any) -> None:
        if contract is not None:
            kwargs.setdefault(
                "initial",
                {
                    "reference": contract.reference,
                    "start_date": contract.start_date,
                    "end_date": contract.end_date,
                    "hours_basis": contract.hours_basis,
                    "hours": contract.hours,
                    "pricing": contract.pricing,
                    "hourly_price": contract.hourly_price,
                    "flat_fee": contract.flat_fee,
                    "signed_on": contract.signed_on,
                },
            )
        super().__init__(*args, **kwargs)
        if contract is not None and contract.signed_document:
            self.fields["signed_document"].help_text = _(
                "Fichier PDF, 5 Mo au plus. Un nouveau fichier remplace la convention déjà enregistrée."
            )

    def clean_reference(self) -> str:
        return str(self.cleaned_data.get("reference") or "").strip()

    def clean_signed_document(self) -> Any:
        document = self.cleaned_data.get("signed_document")
        if document:
            try:
                document_check(document)
            except ValidationError as error:
                raise ValidationError(error.message_dict["signed_document"]) from error
        return document or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = contract_errors(
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            hours_basis=data.get("hours_basis"),
            hours=data.get("hours"),
            pricing=data.get("pricing"),
            hourly_price=data.get("hourly_price"),
            flat_fee=data.get("flat_fee"),
            signed_on=data.get("signed_on"),
            today=timezone.localdate(),
        )
        pricing = data.get("pricing")
        for name, kind in (("hourly_price", Pricing.HOURLY), ("flat_fee", Pricing.FLAT)):
            if pricing in Pricing.values and pricing != kind:
                # The other price is ignored: what could not be read there does not matter.
                self.errors.pop(name, None)
                data[name] = None
        for name, messages in errors.items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        return data

    def note_file_not_kept(self) -> None:
        """A browser never fills a file input again: when the form comes back with errors, say that a
        file chosen (and acceptable) was not kept and must be chosen again."""
        if self.errors and self.files.get("signed_document") and "signed_document" not in self.errors:
            self.add_error(
                "signed_document",
                _("Le fichier choisi n'a pas été enregistré à cause des erreurs ci-dessus : choisissez-le à nouveau."),
            )

    def contract_data(self) -> dict[str, Any]:
        names = (
            "reference",
            "start_date",
            "end_date",
            "hours_basis",
            "hours",
            "pricing",
            "hourly_price",
            "flat_fee",
            "signed_on",
        )
        data = {name: self.cleaned_data.get(name) for name in names}
        data["document"] = self.cleaned_data.get("signed_document")
        return data


# ---- The platform's settings


MONTHS_SEPARATOR = re.compile(r"[\s,;]+")


class DeploymentSettingsForm(ServiceErrorsMixin, forms.Form):
    review_months = forms.CharField(
        label=_("Points de suivi conjoint (en mois après le début de l'intégration)"),
        max_length=200,
        help_text=_("Des nombres entiers entre 1 et 36, séparés par des virgules, par exemple : 1, 3, 6."),
        error_messages={"required": _("Indiquez au moins un mois, par exemple 1, 3, 6.")},
    )
    reminder_days = forms.IntegerField(
        label=_("Rappel par e-mail (jours avant le point de suivi)"),
        min_value=1,
        max_value=REMINDER_DAYS_MAX,
        help_text=_("Entre 1 et 60 jours."),
        error_messages={
            "required": _("Indiquez un nombre de jours entre 1 et 60."),
            "invalid": _("Écrivez un nombre entier de jours, par exemple 7."),
            "min_value": _("Le rappel part entre 1 et 60 jours avant le point de suivi."),
            "max_value": _("Le rappel part entre 1 et 60 jours avant le point de suivi."),
        },
    )
    one_off_hours_per_month = forms.DecimalField(
        label=_("Heures gardées chaque mois pour les interventions ponctuelles"),
        min_value=Decimal("0"),
        max_value=ONE_OFF_HOURS_MAX,
        max_digits=6,
        decimal_places=1,
        localize=True,
        widget=_decimal_input(),
        help_text=_("Les heures non réservées que la plateforme garde pour les demandes « pied à l'étrier »."),
        error_messages={
            "required": _("Indiquez un nombre d'heures entre 0 et 5000."),
            "invalid": _("Écrivez un nombre d'heures, par exemple 20 ou 12,5."),
            "min_value": _("Indiquez un nombre d'heures entre 0 et 5000."),
            "max_value": _("Indiquez un nombre d'heures entre 0 et 5000."),
            "max_decimal_places": _("Indiquez au plus un chiffre après la virgule."),
            "max_digits": _("Indiquez un nombre d'heures entre 0 et 5000."),
            "max_whole_digits": _("Indiquez un nombre d'heures entre 0 et 5000."),
        },
    )

    def __init__(self, *args: Any, current: DeploymentSettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "review_months": ", ".join(str(month) for month in current.review_months),
                "reminder_days": current.reminder_days,
                "one_off_hours_per_month": current.one_off_hours_per_month,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_review_months(self) -> list[int]:
        text = str(self.cleaned_data.get("review_months") or "")
        tokens = [token for token in MONTHS_SEPARATOR.split(text) if token]
        months: list[int] = []
        for token in tokens:
            if not token.isdigit():
                raise ValidationError(
                    _("« %(value)s » n'est pas un nombre entier de mois. Écrivez par exemple : 1, 3, 6."),
                    params={"value": token[:20]},
                )
            months.append(int(token))
        errors = settings_errors(review_months=months, reminder_days=1, one_off_hours_per_month=Decimal("0"))
        if "review_months" in errors:
            raise ValidationError(errors["review_months"])
        return sorted(set(months))

    def settings_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("review_months", "reminder_days", "one_off_hours_per_month")}
