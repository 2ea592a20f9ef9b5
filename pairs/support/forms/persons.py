"""Forms of person records: the list's filters, editing a record, a consent, the referent peer
worker, closure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pairs.core.text import french_phone
from pairs.peers.models import PeerProfile
from pairs.territory.models import Commune

from ..models import (
    ClosureReason,
    ConsentKind,
    ConsentMethod,
    GenderPreference,
    ModePreference,
    Person,
    PersonStatus,
    PlacePreference,
    Relation,
)
from ..services import intake
from .common import DateTimeInput, ServiceErrorsMixin

# ---- French phone numbers


def normalise_phone(value: str) -> str:
    """A French phone number written "06 12 34 56 78" (the public form's rule,
    pairs/support/services/intake.py); an empty value stays empty. Anything else: a French
    ValidationError."""
    if not (value or "").strip():
        return ""
    phone = french_phone(value)
    if phone is None:
        raise ValidationError(intake.PHONE_INVALID, code="phone")
    return phone


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.pseudonym


class ProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return obj.membership.user.display_name


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


# ---- The list's filters


class PersonFilterForm(forms.Form):
    STATUS_ALL = "all"

    q = forms.CharField(label=_("Prénom ou pseudonyme"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Accompagnements en cours")), ("closed", _("Accompagnements clos")), ("all", _("Tous"))],
    )
    peer = ProfileChoiceField(
        label=_("Pair aidant·e référent·e"),
        queryset=PeerProfile.objects.none(),
        required=False,
        empty_label=_("Tous et toutes"),
    )

    def __init__(self, *args: Any, profiles: QuerySet[PeerProfile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if profiles is None:
            del self.fields["peer"]
        else:
            fields: Any = self.fields
            fields["peer"].queryset = profiles

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or PersonStatus.OPEN
        return {
            "status": "" if status == self.STATUS_ALL else status,
            "peer": data.get("peer"),
            "q": data.get("q") or "",
        }


# ---- Editing a record


class PersonEditForm(ServiceErrorsMixin, forms.Form):
    pseudonym = forms.CharField(label=_("Prénom ou pseudonyme"), max_length=60)
    relation = forms.ChoiceField(label=_("Situation"), choices=Relation.choices, widget=forms.RadioSelect)
    relative_of = PersonChoiceField(
        label=_("Proche de"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Personne concernée non suivie ici —"),
        help_text=_("Pour un·e proche : la personne concernée, si elle a aussi un dossier. Sinon, laissez vide."),
    )
    commune = CommuneChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False, empty_label=_("— Choisir une commune —")
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        required=False,
        error_messages={"invalid": _("Cette adresse e-mail n'est pas valide, par exemple : prenom@exemple.fr.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_times = forms.CharField(label=_("Quand la joindre"), max_length=200, required=False)
    language = forms.CharField(label=_("Langue souhaitée"), max_length=40, required=False)
    gender_preference = forms.ChoiceField(
        label=_("Préférence pour le ou la pair aidant·e"), choices=GenderPreference.choices, required=False
    )
    place_preference = forms.ChoiceField(label=_("Lieu préféré"), choices=PlacePreference.choices, required=False)
    mode_preference = forms.ChoiceField(label=_("Rencontre"), choices=ModePreference.choices, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["relative_of"].queryset = people
        fields["commune"].queryset = communes

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "pseudonym": person.pseudonym,
            "relation": person.relation,
            "relative_of": person.relative_of_id,
            "commune": person.commune_id,
            "phone": person.phone,
            "email": person.email,
            "contact_times": person.contact_times,
            "language": person.language,
            "gender_preference": person.gender_preference,
            "place_preference": person.place_preference,
            "mode_preference": person.mode_preference,
        }

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("relation") == Relation.SELF and data.get("relative_of") is not None:
            self.add_error("relative_of", _("Seul le dossier d'un·e proche peut être relié à celui d'une personne."))
        return data

    def person_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pseudonym": data["pseudonym"],
            "relation": data["relation"],
            "relative_of": data.get("relative_of"),
            "commune": data.get("commune"),
            "phone": data.get("phone") or "",
            "email": data.get("email") or "",
            "contact_times": data.get("contact_times") or "",
            "language": data.get("language") or "",
            "gender_preference": data.get("gender_preference") or "",
            "place_preference": data.get("place_preference") or "",
            "mode_preference": data.get("mode_preference") or "",
        }


# ---- Consents


class ConsentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Consentement"), choices=ConsentKind.choices)
    professional = forms.CharField(
        label=_("Professionnel·le concerné·e"),
        max_length=150,
        required=False,
        help_text=_("Pour un partage seulement : le nom et la fonction, par exemple « Dr Martin, psychiatre du CMP »."),
    )
    method = forms.ChoiceField(label=_("Comment"), choices=ConsentMethod.choices)
    given_at = forms.DateTimeField(label=_("Donné le"), widget=DateTimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("given_at", timezone.localtime().replace(second=0, microsecond=0))
        kwargs["initial"].setdefault("method", ConsentMethod.ORAL)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ConsentKind.SHARE_PROFESSIONAL and not (data.get("professional") or "").strip():
            self.add_error(
                "professional", _("Pour un partage, indiquez le nom et la fonction du ou de la professionnel·le.")
            )
        return data


# ---- The referent peer worker


class PeerChoiceForm(ServiceErrorsMixin, forms.Form):
    peer = ProfileChoiceField(
        label=_("Pair aidant·e"), queryset=PeerProfile.objects.none(), empty_label=_("— Choisir —")
    )
    asked_by_person = forms.BooleanField(label=_("La personne a demandé ce changement"), required=False)
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Facultatif, sans jugement : par exemple « horaires plus compatibles »."),
    )

    def __init__(self, *args: Any, profiles: QuerySet[PeerProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["peer"].queryset = profiles


# ---- Closure


class ClosureForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Motif de clôture"), choices=ClosureReason.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    feedback_helpful = forms.TypedChoiceField(
        label=_("L'accompagnement vous a-t-il aidé·e ?"),
        choices=[("", _("Pas de réponse"))] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("De 1 (pas du tout) à 5 (beaucoup)."),
    )
    feedback_comment = forms.CharField(
        label=_("Un mot sur l'accompagnement"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
