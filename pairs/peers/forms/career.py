"""Forms of onboarding, training, supervision and career reviews. Business rules live in the
services; these forms parse input and give early, field-level French messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import OnboardingStepTemplate, PeerProfile, SupervisionSession


class DateInput(forms.DateInput):
    """A native date picker: its value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return str(obj.membership.user.display_name)


class ProfileMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return str(obj.membership.user.display_name)


# ---- Onboarding


class OnboardingStartForm(forms.Form):
    tutor = ProfileChoiceField(
        label=_("Tuteur ou tutrice"),
        queryset=PeerProfile.objects.none(),
        empty_label=_("Choisir un·e pair aidant·e"),
        error_messages={"invalid_choice": _("Choisissez un·e pair aidant·e de la liste.")},
    )
    started_on = forms.DateField(label=_("Début du parcours"), widget=DateInput())

    def __init__(self, *args: Any, tutors: QuerySet[PeerProfile], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["tutor"]).queryset = tutors


class StepToggleForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", _("Faite")), ("0", _("À faire"))], coerce=lambda value: value == "1", empty_value=None
    )


class TemplateStepForm(forms.Form):
    step_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(label=_("Ordre"), min_value=1, max_value=999, initial=1)
    title = forms.CharField(label=_("Étape"), max_length=150)
    kind = forms.ChoiceField(label=_("Type"), choices=OnboardingStepTemplate.Kind.choices)
    due_after_days = forms.IntegerField(
        label=_("À faire sous (jours après le début)"), min_value=0, max_value=730, initial=30
    )


class TemplateStepDeleteForm(forms.Form):
    delete = forms.IntegerField(widget=forms.HiddenInput)


# ---- Training record


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    organisation = forms.CharField(label=_("Organisme"), max_length=150, required=False)
    is_diploma = forms.BooleanField(label=_("Formation diplômante"), required=False)
    started_on = forms.DateField(label=_("Début"), widget=DateInput())
    ended_on = forms.DateField(label=_("Fin"), required=False, widget=DateInput())
    hours = forms.DecimalField(
        label=_("Nombre d'heures"),
        min_value=Decimal("0"),
        max_value=Decimal("2000"),
        max_digits=6,
        decimal_places=1,
        initial=Decimal("0"),
        error_messages={
            "min_value": _("Le nombre d'heures doit être compris entre 0 et 2000."),
            "max_value": _("Le nombre d'heures doit être compris entre 0 et 2000."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("La fin ne peut pas précéder le début."))
        return data


# ---- Supervision


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de séance"), choices=SupervisionSession.Kind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    facilitator = forms.CharField(
        label=_("Animation"), max_length=150, help_text=_("La personne ou l'organisme qui a animé la séance.")
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480, initial=120)
    attendees = ProfileMultipleChoiceField(
        label=_("Présent·es"),
        queryset=PeerProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Seul·es les pairs aidant·es de la plateforme peuvent être présent·es.")},
    )

    def __init__(self, *args: Any, people: QuerySet[PeerProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = people

    @classmethod
    def initial_for(cls, session: SupervisionSession | None) -> dict[str, Any]:
        if session is None:
            return {"held_on": timezone.localdate(), "kind": SupervisionSession.Kind.SUPERVISION}
        return {
            "kind": session.kind,
            "held_on": session.held_on,
            "facilitator": session.facilitator,
            "duration_minutes": session.duration_minutes,
            "attendees": [profile.pk for profile in session.attendees.all()],
        }


# ---- Career reviews


class CareerReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Date de l'entretien"), widget=DateInput())
    wishes = forms.CharField(label=_("Souhaits d'évolution"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    skills_to_develop = forms.CharField(
        label=_("Compétences à développer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_trainings = forms.CharField(
        label=_("Formations prévues"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    desired_missions = forms.CharField(
        label=_("Missions souhaitées"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_review_on = forms.DateField(
        label=_("Prochain entretien"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissé vide : un an après cet entretien."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held, following = data.get("held_on"), data.get("next_review_on")
        if held and following and following <= held:
            self.add_error("next_review_on", _("Le prochain entretien doit être prévu après la date de celui-ci."))
        return data
