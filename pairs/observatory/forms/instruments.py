"""Forms of the instrument pages: importing a definition (a file or pasted text), recording a licence
permission. The definition itself is checked by the engine, through the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import DateInput, ServiceErrorsMixin

from ..services.instruments import DEFINITION_MAX_BYTES, definition_text_from_upload

DATE_ERRORS = {"invalid": _("Indiquez une date valide.")}


class InstrumentImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier de définition"),
        required=False,
        help_text=_("Un fichier .yaml, .yml ou .json de 200 Ko au plus, enregistré en UTF-8."),
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )
    text = forms.CharField(
        label=_("Ou collez le contenu de la définition"),
        required=False,
        strip=False,
        max_length=DEFINITION_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "instrument-source"}),
        help_text=_("Utilisé seulement si aucun fichier n'est choisi."),
        error_messages={"max_length": _("La définition est trop longue : 200 Ko au plus.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            try:
                data["source"] = definition_text_from_upload(upload)
            except ValidationError as error:
                self.add_service_error(error)
        elif str(data.get("text") or "").strip():
            data["source"] = str(data["text"])
        elif not self.has_error("text"):
            raise ValidationError(_("Choisissez un fichier de définition ou collez son contenu."))
        return data


class PermissionForm(ServiceErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Référence de l'autorisation"),
        max_length=300,
        help_text=_("Par exemple « Accord écrit des auteurs, courriel du 12 mars 2026 »."),
        error_messages={
            "required": _("Indiquez la référence de l'autorisation."),
            "max_length": _("La référence tient en 300 caractères au plus."),
        },
    )
    granted_on = forms.DateField(
        label=_("Accordée le"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date de l'autorisation.")},
    )
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide si l'autorisation n'a pas de fin."),
        error_messages=DATE_ERRORS,
    )

    def clean_reference(self) -> str:
        return str(self.cleaned_data.get("reference") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        granted, until = data.get("granted_on"), data.get("valid_until")
        if granted and until and until < granted:
            self.add_error("valid_until", _("La fin de validité doit suivre la date de l'autorisation."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("reference", "granted_on", "valid_until")}
