"""The forms of the attendance page: the roll call (who came) and a walk-in added at the door."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import ServiceErrorsMixin

from ..models import Registration
from ..selectors.attendance import registration_label


class RollCallForm(ServiceErrorsMixin, forms.Form):
    """One checkbox per person on the list: ticked means present."""

    present = forms.TypedMultipleChoiceField(
        label=_("Présent·es"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cette liste a changé : rechargez la page avant de recommencer.")},
    )

    def __init__(self, data: Any = None, *, rows: Sequence[Registration], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.rows = {row.pk: row for row in rows}
        field = self.fields["present"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(row.pk, registration_label(row)) for row in rows]
        if data is None:
            self.initial = {"present": [row.pk for row in rows if row.attended]}

    def service_data(self) -> dict[str, Any]:
        return {"present": [self.rows[pk] for pk in self.cleaned_data["present"]]}


class WalkInForm(ServiceErrorsMixin, forms.Form):
    """Someone who came without registering (marked present)."""

    prefix = "sur_place"

    name = forms.CharField(
        label=_("Prénom et nom"),
        max_length=120,
        error_messages={
            "required": _("Indiquez le prénom et le nom de la personne."),
            "max_length": _("120 caractères au plus."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        required=False,
        help_text=_("Pour lui envoyer son attestation de présence."),
        error_messages={"invalid": _("Cette adresse e-mail n'est pas valide (exemple : prenom@exemple.fr).")},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    organisation = forms.CharField(
        label=_("Structure ou organisation"),
        max_length=150,
        required=False,
        error_messages={"max_length": _("150 caractères au plus.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def service_data(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "email": self.cleaned_data["email"],
            "organisation": self.cleaned_data["organisation"],
        }
