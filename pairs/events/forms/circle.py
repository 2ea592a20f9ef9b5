"""Forms of the intervision circle: the public join form (with consent and a trap for robots), the
coordination's filter and invitation buttons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.core.text import french_phone
from pairs.support.forms.common import ServiceErrorsMixin

from ..models import CircleStatus
from ..selectors.circle import ACTIVE, LEFT
from ..services.circle import CONSENT_REQUIRED, PHONE_INVALID

HONEYPOT = "site_web"
CONSENT_TEXT = _(
    "J'accepte que la plateforme garde ces informations pour m'inviter aux temps d'intervision et de partage "
    "de pratiques. Je peux quitter le cercle à tout moment avec le lien reçu par courriel."
)


class JoinForm(ServiceErrorsMixin, forms.Form):
    """What the circle needs to invite someone, nothing more."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=80,
        error_messages={"required": _("Indiquez votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=80,
        error_messages={"required": _("Indiquez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Les invitations arrivent à cette adresse."),
        error_messages={
            "required": _("Indiquez votre adresse e-mail : les invitations arrivent par courriel."),
            "invalid": _("Indiquez une adresse e-mail valable, par exemple prenom.nom@exemple.fr."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    status = forms.ChoiceField(
        label=_("Votre situation de pair aidant·e"),
        choices=[("", _("Choisir…")), *CircleStatus.choices],
        error_messages={
            "required": _("Choisissez votre situation dans la liste."),
            "invalid_choice": _("Choisissez votre situation dans la liste."),
        },
    )
    employer = forms.CharField(
        label=_("Employeur ou structure"),
        max_length=150,
        required=False,
        help_text=_("Si vous êtes salarié·e ailleurs, par exemple. Vous pouvez laisser vide."),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": CONSENT_REQUIRED},
    )
    # A trap for robots: hidden from people and from assistive technologies, never filled by hand.
    site_web = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def clean_phone(self) -> str:
        value = str(self.cleaned_data.get("phone") or "").strip()
        if not value:
            return ""
        normalised = french_phone(value)
        if normalised is None:
            raise forms.ValidationError(PHONE_INVALID)
        return normalised

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "phone": data.get("phone") or "",
            "status": data["status"],
            "employer": data.get("employer") or "",
            "consent": bool(data.get("consent")),
        }


class MemberFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label=_("Membres"),
        choices=[(ACTIVE, _("Membres actifs")), (LEFT, _("Membres ayant quitté le cercle"))],
        required=False,
    )

    def state(self) -> str:
        if self.is_valid() and self.cleaned_data.get("etat") == LEFT:
            return LEFT
        return ACTIVE


class InviteForm(forms.Form):
    event = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
