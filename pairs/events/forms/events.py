"""Forms of the coordination's events and programmes. They parse what was typed and give early French
messages; the rules (dates to come, a place or a link, capacity and places taken) live in
services/events.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pairs.deployments.models import Deployment
from pairs.observatory.models import Instrument
from pairs.partners.models import Organisation
from pairs.peers.models import PeerProfile
from pairs.support.forms.common import DateInput, DateTimeInput, ServiceErrorsMixin
from pairs.territory.models import Commune

from ..models import Event, Kind, Programme, Visibility
from ..services.events import MAX_CAPACITY, MAX_SESSIONS, MIN_SESSIONS, SessionSlot

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DEFAULT_SESSION_ROWS = 4


class TimeInput(forms.TimeInput):
    """A native time picker: its value is always « 14:30 », whatever the language."""

    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class PeerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return str(obj.membership.user.display_name)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


class DeploymentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deployment) -> str:
        team = f", {obj.team.name}" if obj.team is not None else ""
        return f"{obj.organisation.name}{team} — {obj.get_kind_display()} ({obj.get_state_display()})"


def _capacity_field() -> forms.IntegerField:
    message = _("Le nombre de places va de 1 à 1 000 : laissez vide pour ne pas limiter.")
    return forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Laissez vide pour ne pas limiter. Au-delà, les personnes passent sur la liste d'attente."),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _trainers_field() -> PeerMultipleChoiceField:
    return PeerMultipleChoiceField(
        label=_("Animation (pairs aidant·es)"),
        queryset=PeerProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez des pairs aidant·es de la liste.")},
    )


def _organisation_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Aucun partenaire —"),
        error_messages={"invalid_choice": _("Choisissez un partenaire de la liste.")},
    )


def _deployment_field() -> DeploymentChoiceField:
    return DeploymentChoiceField(
        label=_("Déploiement"),
        queryset=Deployment.objects.none(),
        required=False,
        empty_label=_("— Aucun déploiement —"),
        help_text=_("Par exemple la sensibilisation de l'équipe d'un déploiement. Il doit être celui du partenaire."),
        error_messages={"invalid_choice": _("Choisissez un déploiement de la liste.")},
    )


def _video_link_field() -> forms.URLField:
    return forms.URLField(
        label=_("Lien de visio"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Indiquez une adresse web complète, par exemple https://visio.exemple.fr/salle.")},
    )


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class EventForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("— Choisir un type —")), *Kind.choices],
        error_messages={
            "required": _("Choisissez le type d'événement."),
            "invalid_choice": _("Choisissez le type d'événement."),
        },
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=150,
        error_messages={
            "required": _("Indiquez le titre de l'événement."),
            "max_length": _("Le titre est trop long (150 caractères au plus)."),
        },
    )
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Elle apparaît sur la page de l'événement."),
    )
    audience = forms.CharField(
        label=_("Pour qui"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « équipes soignantes et cadres », « étudiant·es en soins infirmiers »."),
    )
    starts_at = forms.DateTimeField(
        label=_("Début"),
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Indiquez la date et l'heure de début."),
            "invalid": _("Indiquez une date et une heure de début valides."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("Fin"),
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Indiquez la date et l'heure de fin."),
            "invalid": _("Indiquez une date et une heure de fin valides."),
        },
    )
    place = forms.CharField(
        label=_("Lieu (adresse)"),
        required=False,
        max_length=200,
        help_text=_("Un lieu, une commune ou un lien de visio : au moins l'un des trois."),
    )
    commune = CommuneChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— Choisir une commune —"),
        error_messages={"invalid_choice": _("Choisissez une commune du territoire de la plateforme.")},
    )
    video_link = _video_link_field()
    capacity = _capacity_field()
    trainers = _trainers_field()
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        help_text=_("Un événement sur invitation n'apparaît dans aucun agenda : seul son lien l'ouvre."),
        error_messages={
            "required": _("Choisissez qui voit l'événement."),
            "invalid_choice": _("Choisissez qui voit l'événement."),
        },
    )
    organisation = _organisation_field()
    deployment = _deployment_field()
    programme = forms.ModelChoiceField(
        label=_("Programme de formation"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("— Aucun programme —"),
        error_messages={"invalid_choice": _("Choisissez un programme de la liste.")},
    )
    feedback_instrument = forms.ModelChoiceField(
        label=_("Questionnaire d'avis après l'événement"),
        queryset=Instrument.objects.none(),
        required=False,
        empty_label=_("— Pas de questionnaire —"),
        help_text=_("Envoyé aux personnes présentes une fois l'appel validé."),
        error_messages={"invalid_choice": _("Choisissez un questionnaire de la liste.")},
    )
    beliefs_instrument = forms.ModelChoiceField(
        label=_("Questionnaire avant / après (formations)"),
        queryset=Instrument.objects.none(),
        required=False,
        empty_label=_("— Pas de questionnaire —"),
        help_text=_("Pour une formation : les personnes inscrites y répondent avant, puis après."),
        error_messages={"invalid_choice": _("Choisissez un questionnaire de la liste.")},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        trainers: QuerySet[PeerProfile],
        communes: QuerySet[Commune],
        organisations: QuerySet[Organisation],
        deployments: QuerySet[Deployment],
        programmes: QuerySet[Programme],
        instruments: QuerySet[Instrument],
        event: Event | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        if event is not None:
            initial = {
                **{
                    name: getattr(event, name)
                    for name in ("kind", "title", "description", "audience", "place", "video_link", "visibility")
                },
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "capacity": event.capacity,
                "commune": event.commune_id,
                "organisation": event.organisation_id,
                "deployment": event.deployment_id,
                "programme": event.programme_id,
                "feedback_instrument": event.feedback_instrument_id,
                "beliefs_instrument": event.beliefs_instrument_id,
                "trainers": [peer.pk for peer in event.trainers.all()],
            }
        super().__init__(data, initial=initial)
        _set_queryset(self, "trainers", trainers)
        _set_queryset(self, "commune", communes)
        _set_queryset(self, "organisation", organisations)
        _set_queryset(self, "deployment", deployments)
        _set_queryset(self, "programme", programmes)
        _set_queryset(self, "feedback_instrument", instruments)
        _set_queryset(self, "beliefs_instrument", instruments)

    def clean(self) -> dict[str, Any]:
        """Early messages for what the service checks too, so that every mistake shows at once."""
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            self.add_error("ends_at", _("La fin doit être après le début."))
        where = [cleaned.get(name) for name in ("place", "commune", "video_link")]
        if not any(where) and not any(name in self.errors for name in ("place", "commune", "video_link")):
            self.add_error(
                "place",
                _(
                    "Indiquez où a lieu l'événement : une adresse ou une commune, ou un lien de visio s'il est à "
                    "distance."
                ),
            )
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["trainers"] = list(data["trainers"])
        return data


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Tous les types")), *Kind.choices], required=False)
    visibility = forms.ChoiceField(
        label=_("Visibilité"), choices=[("", _("Toutes")), *Visibility.choices], required=False
    )


class UnregisterForm(forms.Form):
    registration = forms.IntegerField(min_value=1)


class CancelForm(ServiceErrorsMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme l'annulation"),
        error_messages={"required": _("Cochez « Je confirme l'annulation » pour annuler l'événement.")},
    )


# ---- Programmes


class ProgrammeForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=150,
        error_messages={
            "required": _("Indiquez l'intitulé du programme."),
            "max_length": _("L'intitulé est trop long (150 caractères au plus)."),
        },
    )
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Elle apparaît sur la page de chaque séance."),
    )
    organisation = _organisation_field()
    deployment = _deployment_field()
    trainers = _trainers_field()
    capacity = _capacity_field()
    visibility = forms.ChoiceField(
        label=_("Visibilité des séances"),
        choices=Visibility.choices,
        initial=Visibility.INVITATION,
        help_text=_("Pour la formation d'une équipe, « sur invitation » : seuls les liens des séances les ouvrent."),
        error_messages={
            "required": _("Choisissez qui voit les séances."),
            "invalid_choice": _("Choisissez qui voit les séances."),
        },
    )
    video_link = _video_link_field()

    def __init__(
        self,
        data: Any = None,
        *,
        trainers: QuerySet[PeerProfile],
        organisations: QuerySet[Organisation],
        deployments: QuerySet[Deployment],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        _set_queryset(self, "trainers", trainers)
        _set_queryset(self, "organisation", organisations)
        _set_queryset(self, "deployment", deployments)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["trainers"] = list(data["trainers"])
        return data


class SessionRowForm(forms.Form):
    """One session of a new programme: a day, the start and end times, the place."""

    day = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Indiquez la date."), "invalid": _("Indiquez une date valide.")},
    )
    start = forms.TimeField(
        label=_("Début"),
        widget=TimeInput(),
        error_messages={"required": _("Indiquez l'heure de début."), "invalid": _("Indiquez une heure valide.")},
    )
    end = forms.TimeField(
        label=_("Fin"),
        widget=TimeInput(),
        error_messages={"required": _("Indiquez l'heure de fin."), "invalid": _("Indiquez une heure valide.")},
    )
    place = forms.CharField(
        label=_("Lieu"),
        required=False,
        max_length=200,
        help_text=_("Obligatoire, sauf si le programme a un lien de visio."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("La fin doit être après le début."))
        return cleaned

    def slot(self) -> SessionSlot:
        day = self.cleaned_data["day"]
        return SessionSlot(
            starts_at=timezone.make_aware(datetime.combine(day, self.cleaned_data["start"])),
            ends_at=timezone.make_aware(datetime.combine(day, self.cleaned_data["end"])),
            place=self.cleaned_data.get("place", ""),
        )


SESSION_PREFIX = "seances"


def session_rows(value: Any) -> int:
    """How many session rows to show (from ``?seances=``), between the minimum and the maximum."""
    try:
        rows = int(value)
    except (TypeError, ValueError):
        return DEFAULT_SESSION_ROWS
    return max(MIN_SESSIONS, min(MAX_SESSIONS, rows))


def session_formset(data: Any = None, *, rows: int = DEFAULT_SESSION_ROWS) -> forms.BaseFormSet:
    """The session rows of a new programme: at least two filled in, at most twelve; blank rows after the
    first two are left out."""
    formset_class = forms.formset_factory(
        SessionRowForm,
        extra=max(0, rows - MIN_SESSIONS),
        min_num=MIN_SESSIONS,
        max_num=MAX_SESSIONS,
        absolute_max=MAX_SESSIONS,
        validate_min=True,
        validate_max=True,
    )
    return formset_class(
        data,
        prefix=SESSION_PREFIX,
        error_messages={
            "too_few_forms": gettext("Un programme compte au moins %(min)s séances.") % {"min": MIN_SESSIONS},
            "too_many_forms": gettext("Un programme compte au plus %(max)s séances.") % {"max": MAX_SESSIONS},
            "missing_management_form": gettext("Cette page est incomplète. Rechargez-la avant de recommencer."),
        },
    )


def session_slots(formset: forms.BaseFormSet) -> list[SessionSlot]:
    """The filled-in rows of a valid formset, as sessions."""
    return [form.slot() for form in formset.forms if isinstance(form, SessionRowForm) and form.cleaned_data]


class ProgrammeRegisterForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Prénom et nom"),
        max_length=120,
        error_messages={"required": _("Indiquez le prénom et le nom."), "max_length": _("120 caractères au plus.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        error_messages={
            "required": _("Indiquez l'adresse e-mail."),
            "invalid": _("Cette adresse e-mail ne semble pas valide."),
        },
    )
    organisation = forms.CharField(label=_("Structure ou organisation"), required=False, max_length=150)
