"""Forms of the library: the search box with its filters, and a document (a file or a link)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Audience, Document, Topic, Visibility
from ..services.library import library_upload_check
from . import ServiceErrorsMixin

ACCEPT = ".pdf,.odt,.docx,.ods,.xlsx,.png,.jpg,.jpeg"


class LibrarySearchForm(forms.Form):
    """The words to look for, a topic, an audience (GET). A value that is not one of the choices is
    ignored, the others still apply."""

    q = forms.CharField(
        label=_("Rechercher"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    topic = forms.ChoiceField(label=_("Thème"), required=False, choices=[("", _("Tous les thèmes")), *Topic.choices])
    audience = forms.ChoiceField(
        label=_("Pour qui"), required=False, choices=[("", _("Tous les publics")), *Audience.choices]
    )

    def filters(self) -> dict[str, str]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: str(cleaned.get(name) or "").strip() for name in ("q", "topic", "audience")}

    def query_string(self) -> str:
        """The filters for the pagination links (without the page)."""
        return urlencode({name: value for name, value in self.filters().items() if value})


class DocumentForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        error_messages={
            "required": _("Indiquez le titre du document."),
            "max_length": _("Le titre tient en 200 caractères au plus."),
        },
    )
    summary = forms.CharField(
        label=_("Résumé"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques phrases : elles servent aussi à la recherche."),
        error_messages={"max_length": _("Le résumé tient en 2 000 caractères au plus.")},
    )
    topic = forms.ChoiceField(
        label=_("Thème"),
        choices=[("", _("— Choisir un thème —")), *Topic.choices],
        error_messages={"required": _("Choisissez un thème."), "invalid_choice": _("Choisissez un thème.")},
    )
    audience = forms.ChoiceField(
        label=_("Pour qui"),
        choices=[("", _("— Choisir —")), *Audience.choices],
        error_messages={
            "required": _("Choisissez pour qui est ce document."),
            "invalid_choice": _("Choisissez pour qui est ce document."),
        },
    )
    visibility = forms.ChoiceField(
        label=_("Qui peut le voir"),
        choices=[("", _("— Choisir —")), *Visibility.choices],
        help_text=_(
            "Public : tout le monde, sur la page publique. Partenaires : les partenaires, les pairs aidant·es "
            "et la coordination. Pairs aidant·es : les pairs aidant·es et la coordination. Équipe : la "
            "coordination seulement."
        ),
        error_messages={
            "required": _("Choisissez qui peut voir ce document."),
            "invalid_choice": _("Choisissez qui peut voir ce document."),
        },
    )
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, ODT, DOCX, ODS, XLSX, PNG ou JPEG, 10 Mo au plus. Ou bien un lien, ci-dessous."),
        error_messages={
            "empty": _("Ce fichier est vide. Choisissez à nouveau le fichier."),
            "invalid": _("Ce fichier n'a pas pu être lu. Choisissez à nouveau le fichier."),
        },
    )
    url = forms.URLField(
        label=_("Ou un lien vers une page web"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("L'adresse complète, par exemple https://exemple.org/guide."),
        error_messages={
            "invalid": _("Indiquez une adresse web complète, qui commence par https://"),
            "max_length": _("Le lien tient en 200 caractères au plus."),
        },
    )

    def __init__(self, *args: Any, document: Document | None = None, **kwargs: Any) -> None:
        if document is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": document.title,
                    "summary": document.summary,
                    "topic": document.topic,
                    "audience": document.audience,
                    "visibility": document.visibility,
                    "url": document.url,
                },
            )
        super().__init__(*args, **kwargs)
        if document is not None and document.file:
            self.fields["file"].help_text = _(
                "PDF, ODT, DOCX, ODS, XLSX, PNG ou JPEG, 10 Mo au plus. Un nouveau fichier remplace celui qui "
                "est enregistré ; laissez vide pour le garder."
            )
            self.fields["url"].help_text = _("Un lien indiqué ici remplace le fichier enregistré.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                library_upload_check(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from error
        return upload or None

    def file_to_choose_again(self) -> None:
        """After a refusal elsewhere in the form: the browser does not send a file twice."""
        if self.cleaned_data.get("file") and "file" not in self.errors:
            note = _("Le fichier n'a pas été enregistré : choisissez-le à nouveau avant d'envoyer le formulaire.")
            self.fields["file"].help_text = note
            self["file"].help_text = note  # the bound field copied the help text when the form was checked

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data.get("summary") or "",
            "topic": data["topic"],
            "audience": data["audience"],
            "visibility": data["visibility"],
            "upload": data.get("file"),
            "url": data.get("url") or "",
        }


class DocumentDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Oui, retirer ce document de la bibliothèque (son fichier est supprimé)"),
        error_messages={"required": _("Cochez la case pour confirmer le retrait du document.")},
    )
