"""Forms of sharing: the share itself, and the one-time code the recipient types."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pairs.support.forms.common import DateInput, ServiceErrorsMixin

from ..models import PlanVersion, RecipientKind


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanVersion) -> str:
        if obj.finalised_at is None:
            return str(_("Version %(number)s") % {"number": obj.number})
        day = date_format(obj.finalised_at, "j F Y")
        return str(_("Version %(number)s du %(day)s") % {"number": obj.number, "day": day})


class ShareForm(ServiceErrorsMixin, forms.Form):
    version = VersionChoiceField(
        label=_("Version à partager"),
        queryset=PlanVersion.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choisissez une version finalisée de ce plan."),
            "invalid_choice": _("Choisissez une version finalisée de ce plan."),
        },
    )
    recipient_kind = forms.ChoiceField(
        label=_("Avec qui partagez-vous le plan ?"),
        choices=RecipientKind.choices,
        initial=RecipientKind.PROFESSIONAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez avec qui vous partagez le plan."),
            "invalid_choice": _("Choisissez avec qui vous partagez le plan."),
        },
    )
    name = forms.CharField(
        label=_("Son nom"),
        max_length=150,
        error_messages={
            "required": _("Indiquez le nom de la personne qui recevra le lien."),
            "max_length": _("150 caractères au plus."),
        },
    )
    role = forms.CharField(
        label=_("Sa fonction"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « infirmière », « psychiatre », « ma sœur »."),
        error_messages={"max_length": _("150 caractères au plus.")},
    )
    service = forms.CharField(
        label=_("Son service ou son lieu de travail"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « CMP de Villeurbanne »."),
        error_messages={"max_length": _("150 caractères au plus.")},
    )
    email = forms.EmailField(
        label=_("Son adresse e-mail"),
        max_length=254,
        help_text=_("Le lien est envoyé à cette adresse. Le message ne contient ni votre nom ni le contenu du plan."),
        error_messages={
            "required": _("Indiquez l'adresse e-mail à laquelle envoyer le lien."),
            "invalid": _("Indiquez une adresse e-mail valide, par exemple nom@exemple.fr."),
        },
    )
    expires_on = forms.DateField(
        label=_("Le lien fonctionne jusqu'au"),
        widget=DateInput(),
        help_text=_("Deux ans au plus. Vous pouvez retirer le partage à tout moment avant cette date."),
        error_messages={
            "required": _("Indiquez jusqu'à quand le lien fonctionne."),
            "invalid": _("Indiquez une date valide."),
        },
    )
    code_required = forms.BooleanField(
        label=_("Demander un code à usage unique, envoyé par e-mail au destinataire, avant d'ouvrir le plan"),
        required=False,
        initial=True,
        help_text=_("Recommandé : si quelqu'un d'autre obtient le lien, il ne pourra pas lire le plan."),
    )

    def __init__(self, data: Any = None, *, versions: QuerySet[PlanVersion], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelChoiceField, self.fields["version"]).queryset = versions


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par e-mail"),
        max_length=20,
        help_text=_("Six chiffres, valables 15 minutes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Tapez le code à six chiffres reçu par e-mail.")},
    )
