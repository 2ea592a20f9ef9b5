"""The agenda's filters and the registration form without an account (with a honeypot)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import ServiceErrorsMixin
from pairs.territory.models import Commune

from ..models import Kind


class AgendaFilterForm(forms.Form):
    """Filters of an agenda, sent by GET: the type of event and the commune."""

    type = forms.ChoiceField(label=_("Type d'événement"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)

    def __init__(self, data: Any = None, *, communes: Sequence[Commune]) -> None:
        super().__init__(data)
        type_field: Any = self.fields["type"]
        type_field.choices = [("", _("Tous les types")), *Kind.choices]
        commune_field: Any = self.fields["commune"]
        commune_field.choices = [("", _("Toutes les communes")), *((c.insee_code, c.name) for c in communes)]

    def filters(self) -> dict[str, str]:
        """The valid choices (an unknown value is ignored, the other filter still applies)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"kind": cleaned.get("type", "") or "", "commune": cleaned.get("commune", "") or ""}


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Prénom et nom"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Indiquez votre prénom et votre nom."),
            "max_length": _("120 caractères au plus."),
        },
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("La confirmation et votre lien personnel (pour vous désinscrire) y sont envoyés."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez une adresse e-mail : la confirmation et votre lien personnel y sont envoyés."),
            "invalid": _("Cette adresse e-mail ne semble pas valide."),
            "max_length": _("254 caractères au plus."),
        },
    )
    organisation = forms.CharField(
        label=_("Structure ou organisation"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"max_length": _("150 caractères au plus.")},
    )
    # Left empty by people; robots fill it in.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "email", "organisation")}
