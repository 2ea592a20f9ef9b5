"""Forms of meetings and places. They parse input and give early French messages; the rules (no
double booking, dates to come, closed records) live in services/meetings.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pairs.peers.models import PeerProfile
from pairs.territory.models import Commune

from ..models import MeetingMode, MeetingStatus, Place
from .common import DateTimeInput, ServiceErrorsMixin


class PeerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return str(obj.membership.user.display_name)


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return f"{obj.name} ({obj.commune.name})"


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


class MeetingForm(ServiceErrorsMixin, forms.Form):
    peer = PeerChoiceField(
        label=_("Pair aidant·e"),
        queryset=PeerProfile.objects.none(),
        empty_label=_("— Choisir un·e pair aidant·e —"),
        error_messages={
            "required": _("Choisissez le ou la pair aidant·e."),
            "invalid_choice": _("Choisissez un·e pair aidant·e de la liste."),
        },
    )
    mode = forms.ChoiceField(
        label=_("Forme de la rencontre"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez comment se passe la rencontre."),
            "invalid_choice": _("Choisissez comment se passe la rencontre."),
        },
    )
    place = PlaceChoiceField(
        label=_("Lieu"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("— Choisir un lieu —"),
        help_text=_("Pour une rencontre en personne. Les lieux accessibles sont tenus par la coordination."),
        error_messages={"invalid_choice": _("Choisissez un lieu de la liste.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": _("Indiquez la date et l'heure de la rencontre."),
            "invalid": _("Indiquez une date et une heure valides."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=15,
        max_value=240,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 15}),
        error_messages={
            "required": _("Indiquez la durée de la rencontre."),
            "invalid": _("Indiquez une durée en minutes."),
            "min_value": _("Une rencontre dure au moins %(limit_value)s minutes."),
            "max_value": _("Une rencontre dure au plus %(limit_value)s minutes."),
        },
    )

    def __init__(
        self,
        data: Any = None,
        *,
        peers: QuerySet[PeerProfile],
        places: QuerySet[Place],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        peer_field: Any = self.fields["peer"]
        peer_field.queryset = peers
        place_field: Any = self.fields["place"]
        place_field.queryset = places

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") == MeetingMode.IN_PERSON and not cleaned.get("place") and "place" not in self.errors:
            self.add_error("place", _("Pour une rencontre en personne, choisissez le lieu."))
        return cleaned


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW)]
    )


class CalendarFeedForm(forms.Form):
    action = forms.ChoiceField(choices=[("create", "create"), ("renew", "renew"), ("delete", "delete")])


class PlaceForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Nom du lieu"),
        max_length=150,
        help_text=_("Par exemple « Maison de la Métropole de Villeurbanne » ou « Café des Pentes »."),
        error_messages={"required": _("Indiquez le nom du lieu.")},
    )
    kind = forms.ChoiceField(
        label=_("Type de lieu"),
        choices=[("", _("— Choisir un type —")), *Place.Kind.choices],
        error_messages={"required": _("Choisissez le type de lieu.")},
    )
    address = forms.CharField(
        label=_("Adresse"), max_length=200, error_messages={"required": _("Indiquez l'adresse du lieu.")}
    )
    commune = CommuneChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        empty_label=_("— Choisir une commune —"),
        error_messages={
            "required": _("Choisissez la commune."),
            "invalid_choice": _("Choisissez une commune du territoire de la plateforme."),
        },
    )
    accessibility = forms.CharField(
        label=_("Accessibilité"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Accès de plain-pied, ascenseur, transports, calme, toilettes accessibles…"),
    )
    opening_hours = forms.CharField(
        label=_("Horaires d'ouverture"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « du lundi au vendredi, 9 h – 17 h »."),
    )
    active = forms.BooleanField(label=_("Proposé pour les rencontres"), required=False, initial=True)

    def __init__(self, data: Any = None, *, communes: QuerySet[Commune], place: Place | None = None) -> None:
        initial: dict[str, Any] | None = None
        if place is not None:
            initial = {
                "name": place.name,
                "kind": place.kind,
                "address": place.address,
                "commune": place.commune_id,
                "accessibility": place.accessibility,
                "opening_hours": place.opening_hours,
                "active": place.active,
            }
        super().__init__(data, initial=initial)
        commune_field: Any = self.fields["commune"]
        commune_field.queryset = communes
