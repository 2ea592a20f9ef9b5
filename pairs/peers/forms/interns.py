"""Forms of the DU interns: a new intern, the coordination's changes, a milestone added or marked done.
Business rules live in the services; these forms parse input and give early, field-level French messages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import PeerProfile, PeerStatus
from .career import DateInput, ProfileChoiceField
from .profiles import ServiceErrorsMixin

DATES_ORDER = _("La fin du stage ne peut pas précéder son début.")


class InternChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        name = str(obj.membership.user.display_name)
        if obj.status == PeerStatus.DU_INTERN:
            return str(_("%(name)s (stagiaire DU)")) % {"name": name}
        return name


class _RecordFields(ServiceErrorsMixin, forms.Form):
    university = forms.CharField(
        label=_("Université"),
        max_length=150,
        error_messages={"required": _("Indiquez l'université qui délivre le DU.")},
    )
    diploma = forms.CharField(
        label=_("Diplôme préparé"),
        max_length=150,
        required=False,
        help_text=_("Par exemple : DU pair-aidance en santé mentale."),
    )
    starts_on = forms.DateField(
        label=_("Début du stage"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez le début du stage."), "invalid": _("Indiquez une date valable.")},
    )
    ends_on = forms.DateField(
        label=_("Fin du stage"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez la fin du stage."), "invalid": _("Indiquez une date valable.")},
    )
    tutor = ProfileChoiceField(
        label=_("Tuteur ou tutrice"),
        queryset=PeerProfile.objects.none(),
        empty_label=_("Choisir un·e pair aidant·e"),
        help_text=_(
            "Un·e pair aidant·e expérimenté·e de la plateforme : il ou elle verra la fiche du ou de la stagiaire."
        ),
        error_messages={
            "required": _("Choisissez le tuteur ou la tutrice."),
            "invalid_choice": _("Choisissez un·e pair aidant·e de la liste."),
        },
    )
    learning_goals = forms.CharField(
        label=_("Objectifs d'apprentissage"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", DATES_ORDER)
        return data

    def record_data(self) -> dict[str, Any]:
        names = ("university", "diploma", "starts_on", "ends_on", "tutor", "learning_goals")
        return {name: self.cleaned_data[name] for name in names}


class InternCreateForm(_RecordFields):
    profile = InternChoiceField(
        label=_("Stagiaire"),
        queryset=PeerProfile.objects.none(),
        empty_label=_("Choisir une personne du vivier"),
        help_text=_("Les personnes au statut « Stagiaire DU » sont proposées en premier."),
        error_messages={
            "required": _("Choisissez le ou la stagiaire."),
            "invalid_choice": _("Choisissez une personne de la liste, sans fiche de stagiaire."),
        },
    )

    field_order = ["profile", "university", "diploma", "starts_on", "ends_on", "tutor", "learning_goals"]

    def __init__(
        self, *args: Any, candidates: QuerySet[PeerProfile], tutors: QuerySet[PeerProfile], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["profile"]).queryset = candidates
        cast(forms.ModelChoiceField, self.fields["tutor"]).queryset = tutors

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        profile, tutor = data.get("profile"), data.get("tutor")
        if profile is not None and tutor is not None and profile.pk == tutor.pk:
            self.add_error("tutor", _("Le tuteur ou la tutrice doit être une autre personne que le ou la stagiaire."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {"profile": self.cleaned_data["profile"], **self.record_data()}


class InternEditForm(_RecordFields):
    def __init__(self, *args: Any, tutors: QuerySet[PeerProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["tutor"]).queryset = tutors


class MilestoneAddForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Intitulé de l'étape"),
        max_length=150,
        error_messages={"required": _("Indiquez l'intitulé de l'étape.")},
    )
    due_on = forms.DateField(
        label=_("Prévue le"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez la date prévue."), "invalid": _("Indiquez une date valable.")},
    )


class MilestoneDoneForm(ServiceErrorsMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Faite le"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez la date de l'étape."), "invalid": _("Indiquez une date valable.")},
    )
    evaluation = forms.CharField(
        label=_("Bilan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui a été acquis, ce qui reste à travailler."),
        error_messages={"required": _("Écrivez le bilan de l'étape.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
