"""Forms of notes and mediation records."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pairs.peers.models import PeerProfile

from ..models import Confidentiality, Mediation, Meeting, MeetingStatus, Person
from .common import DateInput, ServiceErrorsMixin

# "14 h 30", as French typography writes hours.
TIME_FORMAT = "G \\h i"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        start = timezone.localtime(obj.starts_at)
        day, hour = date_format(start, "j F Y"), date_format(start, TIME_FORMAT)
        label = f"{day}, {hour} – {obj.get_mode_display()}"
        if obj.status != MeetingStatus.PLANNED:
            label += f" ({obj.get_status_display()})"
        return label


class PeerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return obj.membership.user.display_name


def plan_version_model() -> Any:
    """The crisis plans' version model, reached through the mediation's reference: direct support
    never imports the plans app, which sits above it."""
    return Mediation._meta.get_field("plan_version").related_model


def finalised_plan_versions(person: Person) -> QuerySet[Any]:
    """The frozen versions of the person's crisis plans, the most recent first."""
    return (
        plan_version_model()
        ._default_manager.filter(plan__person=person, number__isnull=False)
        .order_by("-finalised_at", "-number", "-pk")
    )


class PlanVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.finalised_at is None:
            return str(_("Version %(number)s") % {"number": obj.number})
        day = date_format(timezone.localtime(obj.finalised_at), "j F Y")
        return str(_("Version %(number)s du %(day)s") % {"number": obj.number, "day": day})


class NoteForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=True,
        error_messages={"required": _("Écrivez le texte de la note.")},
        help_text=_("Le texte est chiffré. Chaque lecture est notée dans le journal d'audit."),
    )
    confidentiality = forms.ChoiceField(
        label=_("Qui peut lire cette note ?"),
        choices=Confidentiality.choices,
        initial=Confidentiality.PRIVATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez qui peut lire la note."),
            "invalid_choice": _("Choisissez qui peut lire la note."),
        },
    )
    meeting = MeetingChoiceField(
        label=_("Après la rencontre du"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Aucune rencontre en particulier"),
        error_messages={"invalid_choice": _("Choisissez une rencontre avec cette personne.")},
    )

    def __init__(self, data: Any = None, *, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings


class MediationForm(ServiceErrorsMixin, forms.Form):
    peer = PeerChoiceField(
        label=_("Pair aidant·e qui a mené la médiation"),
        queryset=PeerProfile.objects.none(),
        error_messages={
            "required": _("Choisissez le ou la pair aidant·e qui a mené la médiation."),
            "invalid_choice": _("Choisissez un·e pair aidant·e de la plateforme."),
        },
    )
    held_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez la date."), "invalid": _("Indiquez une date valide.")},
    )
    professional = forms.CharField(
        label=_("Professionnel·le (nom et fonction)"),
        max_length=150,
        help_text=_("Par exemple « Dr Martin, psychiatre du CMP »."),
        error_messages={
            "required": _("Indiquez le nom et la fonction du ou de la professionnel·le."),
            "max_length": _("150 caractères au plus."),
        },
    )
    purpose = forms.CharField(
        label=_("Objet de la médiation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Indiquez l'objet de la médiation.")},
    )
    outcome = forms.CharField(label=_("Ce qui en est sorti"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    about_crisis_plan = forms.BooleanField(
        label=_("Autour du plan de crise ou des directives anticipées"), required=False
    )
    plan_version = PlanVersionChoiceField(
        label=_("Version du plan présentée"),
        queryset=Mediation.objects.none(),
        required=False,
        empty_label=_("Aucune version en particulier"),
        help_text=_("Si la personne a présenté son plan de crise pendant la médiation."),
        error_messages={"invalid_choice": _("Choisissez une version finalisée du plan de crise de cette personne.")},
    )

    def __init__(
        self, data: Any = None, *, peers: QuerySet[PeerProfile] | None, person: Person | None = None, **kwargs: Any
    ) -> None:
        """``peers`` is the choice a coordinator makes; a peer worker records their own (no field).
        ``person`` offers the finalised versions of their crisis plan (no field when there is none)."""
        super().__init__(data, **kwargs)
        if peers is None:
            del self.fields["peer"]
        else:
            cast(forms.ModelChoiceField, self.fields["peer"]).queryset = peers
        versions = finalised_plan_versions(person) if person is not None else None
        if versions is None or not versions.exists():
            del self.fields["plan_version"]
        else:
            cast(forms.ModelChoiceField, self.fields["plan_version"]).queryset = versions
