"""Forms of the partners directory. Plain fields and selects: they work with a screen reader
and on an old phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from . import selectors
from .models import Organisation, Sector


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names (or on the whole form)."""

    def add_service_error(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un nom"), required=False, max_length=80)
    sector = forms.ChoiceField(
        label=_("Secteur"), choices=[("", _("Tous les secteurs")), *Sector.choices], required=False
    )


class OrganisationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nom du partenaire"), max_length=150)
    sector = forms.ChoiceField(label=_("Secteur"), choices=[("", _("— Choisir un secteur —")), *Sector.choices])
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    commune = CommuneChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), empty_label=_("— Choisir une commune —")
    )

    def __init__(self, data: Any = None, *, platform: Platform, organisation: Organisation | None = None) -> None:
        initial = None
        if organisation is not None:
            initial = {
                "name": organisation.name,
                "sector": organisation.sector,
                "address": organisation.address,
                "commune": organisation.commune_id,
            }
        super().__init__(data, initial=initial)
        commune_field: Any = self.fields["commune"]
        commune_field.queryset = selectors.communes_of(platform)


class TeamForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom du service ou de l'équipe"),
        max_length=150,
        help_text=_("Par exemple : unité d'hospitalisation, CMP, hôpital de jour."),
    )
    commune = CommuneChoiceField(
        label=_("Commune, si elle diffère de celle du partenaire"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— La même que le partenaire —"),
    )

    def __init__(self, data: Any = None, *, platform: Platform) -> None:
        super().__init__(data)
        commune_field: Any = self.fields["commune"]
        commune_field.queryset = selectors.communes_of(platform)


class ContactForm(ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=80)
    last_name = forms.CharField(label=_("Nom"), max_length=80)
    job_title = forms.CharField(label=_("Fonction"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        required=False,
        help_text=_("Nécessaire pour lui donner un compte partenaire."),
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
