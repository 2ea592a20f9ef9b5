"""Forms of intake: the public self-referral form, the triage actions and the settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from ..models import GenderPreference, ModePreference, Person, PlacePreference, Relation, Topic
from ..services.intake import (
    FIRST_CONTACT_DAYS_BOUNDS,
    LOOKING_FOR_MAX_LENGTH,
    LOOKING_FOR_REQUIRED,
    PHONE_INVALID,
    REACHABLE_REQUIRED,
    normalise_phone,
)
from .common import ServiceErrorsMixin

COMMUNES_LIST_ID = "communes-suggerees"
HONEYPOT = "site_web"

RELATION_CHOICES = [
    (Relation.SELF.value, _("La personne concernée : c'est pour moi")),
    (Relation.RELATIVE.value, _("Un·e proche : c'est pour quelqu'un de mon entourage")),
]


class RequestForm(ServiceErrorsMixin, forms.Form):
    """The public self-referral form: only what is needed to call back, in plain words."""

    pseudonym = forms.CharField(
        label=_("Votre prénom ou un pseudonyme"),
        max_length=60,
        help_text=_("Pas besoin de votre nom de famille."),
        error_messages={"required": _("Indiquez un prénom ou un pseudonyme : c'est ainsi que nous vous appellerons.")},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    relation = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=RELATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites-nous si la demande est pour vous ou pour un·e proche.")},
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        help_text=_("Par exemple 06 12 34 56 78."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Cette adresse e-mail ne semble pas valable. Exemple : prenom@exemple.fr")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_times = forms.CharField(
        label=_("Quand vous joindre ?"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : le matin, en semaine après 17 h, pas le mercredi."),
    )
    commune = forms.CharField(
        label=_("Votre commune"),
        max_length=100,
        help_text=_("Seulement la commune, pas votre adresse."),
        error_messages={"required": _("Indiquez votre commune, pour trouver un lieu de rencontre près de chez vous.")},
        widget=forms.TextInput(attrs={"list": COMMUNES_LIST_ID, "autocomplete": "address-level2"}),
    )
    topics = forms.MultipleChoiceField(
        label=_("Cochez ce qui vous parle"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    looking_for = forms.CharField(
        label=_("Dites-le avec vos mots"),
        required=False,
        max_length=LOOKING_FOR_MAX_LENGTH,
        help_text=_("Quelques mots suffisent. Vous n'avez pas à parler de diagnostic ni de traitement."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.CharField(
        label=_("Une langue pour se parler, si ce n'est pas le français"),
        required=False,
        max_length=40,
    )
    gender_preference = forms.ChoiceField(
        label=_("Vous préférez rencontrer"),
        choices=GenderPreference.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    place_preference = forms.ChoiceField(
        label=_("Où se rencontrer ?"), choices=PlacePreference.choices, required=False, widget=forms.RadioSelect
    )
    mode_preference = forms.ChoiceField(
        label=_("Comment se rencontrer ?"), choices=ModePreference.choices, required=False, widget=forms.RadioSelect
    )
    # A trap for robots: hidden from people and from assistive technologies, never filled by hand.
    site_web = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"gender_preference": "", "place_preference": "", "mode_preference": ""})
        super().__init__(*args, **kwargs)

    def is_spam(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def clean_phone(self) -> str:
        value = str(self.cleaned_data.get("phone") or "").strip()
        if not value:
            return ""
        normalised = normalise_phone(value)
        if normalised is None:
            raise forms.ValidationError(PHONE_INVALID)
        return normalised

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "phone" in data and "email" in data and not data["phone"] and not data["email"]:
            self.add_error("phone", REACHABLE_REQUIRED)
        if "looking_for" in data and not data.get("looking_for", "").strip() and not data.get("topics"):
            self.add_error("looking_for", LOOKING_FOR_REQUIRED)
        return data

    @property
    def preference_fields(self) -> list[BoundField]:
        return [self["gender_preference"], self["place_preference"], self["mode_preference"]]

    def request_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "pseudonym",
            "relation",
            "commune",
            "phone",
            "email",
            "contact_times",
            "looking_for",
            "topics",
            "language",
            "gender_preference",
            "place_preference",
            "mode_preference",
        )
        return {name: data[name] for name in names}


# ---- Triage


class RedirectForm(ServiceErrorsMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="redirect")
    where = forms.CharField(
        label=_("Orientée vers"),
        max_length=200,
        help_text=_("Par exemple « CMP de secteur », « GEM de Villeurbanne », « plateforme de l'Isère »."),
        error_messages={"required": _("Indiquez vers qui ou vers quel lieu la demande est orientée.")},
    )


NEW_PERSON = "new"


class AcceptForm(ServiceErrorsMixin, forms.Form):
    """Open a new record, or link the request to one of the open records that look like the same person."""

    action = forms.CharField(widget=forms.HiddenInput, initial="accept")
    existing_person = forms.ChoiceField(label=_("Dossier"), widget=forms.RadioSelect, initial=NEW_PERSON)

    def __init__(self, *args: Any, people: Sequence[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        choices: list[tuple[str, str]] = [(NEW_PERSON, str(_("Ouvrir un nouveau dossier à partir de la demande")))]
        choices += [
            (key, str(_("Rattacher au dossier de %(name)s") % {"name": person.pseudonym}))
            for key, person in self.people.items()
        ]
        cast(forms.ChoiceField, self.fields["existing_person"]).choices = choices

    def chosen_person(self) -> Person | None:
        return self.people.get(self.cleaned_data["existing_person"])


class SettingsForm(ServiceErrorsMixin, forms.Form):
    first_contact_days = forms.IntegerField(
        label=_("Délai visé pour le premier contact (jours ouvrés)"),
        min_value=FIRST_CONTACT_DAYS_BOUNDS[0],
        max_value=FIRST_CONTACT_DAYS_BOUNDS[1],
        help_text=_(
            "Entre 1 et 30 jours ouvrés. Ce délai est annoncé aux personnes qui font une demande, "
            "et la file des demandes signale celles qui l'ont dépassé."
        ),
    )
