"""Forms of support groups: the group, registrations, sessions, attendance, the public registration."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pairs.peers.models import PeerProfile

from ..models import GroupRegistration, MeetingMode, Person, Place
from .common import DateTimeInput, ServiceErrorsMixin
from .persons import normalise_phone


class PeerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return obj.membership.user.display_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.pseudonym


class RegistrationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: GroupRegistration) -> str:
        return obj.person.pseudonym if obj.person is not None else obj.pseudonym


class GroupForm(ServiceErrorsMixin, forms.Form):
    theme = forms.CharField(
        label=_("Thème"), max_length=150, error_messages={"required": _("Indiquez le thème du groupe.")}
    )
    description = forms.CharField(
        label=_("Présentation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Elle apparaît sur la page d'inscription : pas d'information sur une personne."),
    )
    facilitators = PeerMultipleChoiceField(
        label=_("Animation (un·e ou deux pairs aidant·es)"),
        queryset=PeerProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Un groupe est animé par un·e ou deux pairs aidant·es : choisissez-en un ou deux."),
            "invalid_choice": _("Choisissez des pairs aidant·es de la plateforme."),
        },
    )
    mode = forms.ChoiceField(
        label=_("Forme"), choices=MeetingMode.choices, error_messages={"required": _("Choisissez la forme du groupe.")}
    )
    place = forms.ModelChoiceField(
        label=_("Lieu"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Choisir un lieu"),
        help_text=_("Obligatoire pour un groupe en personne."),
        error_messages={"invalid_choice": _("Choisissez un lieu de la liste.")},
    )
    schedule = forms.CharField(
        label=_("Rythme"),
        max_length=200,
        help_text=_("Par exemple « le 1er et le 3e jeudi du mois, 14 h »."),
        error_messages={"required": _("Indiquez le rythme du groupe.")},
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=2,
        max_value=60,
        initial=10,
        error_messages={
            "required": _("Indiquez le nombre de places."),
            "invalid": _("Écrivez un nombre de places, de 2 à 60."),
            "min_value": _("Le nombre de places va de 2 à 60."),
            "max_value": _("Le nombre de places va de 2 à 60."),
        },
    )
    active = forms.BooleanField(label=_("Inscriptions ouvertes"), required=False, initial=True)

    def __init__(
        self, data: Any = None, *, facilitators: QuerySet[PeerProfile], places: QuerySet[Place], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["facilitators"]).queryset = facilitators
        cast(forms.ModelChoiceField, self.fields["place"]).queryset = places

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["facilitators"] = list(data["facilitators"])
        return data


class RegisterPersonForm(ServiceErrorsMixin, forms.Form):
    person = PersonChoiceField(
        label=_("Personne à inscrire"),
        queryset=Person.objects.none(),
        empty_label=_("Choisir une personne"),
        error_messages={
            "required": _("Choisissez une personne."),
            "invalid_choice": _("Choisissez une personne de la liste."),
        },
    )

    def __init__(self, data: Any = None, *, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class UnregisterForm(forms.Form):
    registration = forms.IntegerField(min_value=1)


class SessionForm(ServiceErrorsMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Indiquez la date et l'heure."),
            "invalid": _("Indiquez une date et une heure valides."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=15,
        max_value=480,
        initial=90,
        error_messages={
            "required": _("Indiquez la durée."),
            "invalid": _("Écrivez une durée en minutes."),
            "min_value": _("La durée va de 15 à 480 minutes."),
            "max_value": _("La durée va de 15 à 480 minutes."),
        },
    )


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    attendees = RegistrationChoiceField(
        label=_("Présent·es"),
        queryset=GroupRegistration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez des personnes inscrites à ce groupe.")},
    )
    held = forms.BooleanField(
        label=_("La séance a eu lieu"),
        required=False,
        help_text=_("Cochée d'office dès qu'une personne est notée présente."),
    )

    def __init__(self, data: Any = None, *, registrations: QuerySet[GroupRegistration], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = registrations

    def service_data(self) -> dict[str, Any]:
        return {"attendees": list(self.cleaned_data["attendees"]), "held": self.cleaned_data["held"]}


# ---- The public registration


class PublicRegistrationForm(ServiceErrorsMixin, forms.Form):
    pseudonym = forms.CharField(
        label=_("Votre prénom ou un pseudonyme"),
        max_length=60,
        help_text=_("Pas besoin de votre nom de famille."),
        error_messages={
            "required": _("Indiquez un prénom ou un pseudonyme."),
            "max_length": _("60 caractères au plus."),
        },
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Cette adresse e-mail ne semble pas valide.")},
    )
    # Left empty by people; robots fill it in.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error(
                "phone", _("Indiquez un téléphone ou une adresse e-mail, pour que l'équipe puisse vous joindre.")
            )
        return cleaned

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("pseudonym", "phone", "email")}
