"""Forms of the pool's profiles and availability. Plain selects and checkboxes: they work
with a screen reader and on an old phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import AbsenceKind, DayPart, PeerProfile, PeerStatus, PoolSettings, Skill, Weekday
from ..selectors import profiles as selectors
from ..services.profiles import LANGUAGE_MAX_LENGTH, PHOTO_MAX_BYTES, SETTINGS_BOUNDS, clean_languages, photo_check


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


class CommuneMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


class ProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PeerProfile) -> str:
        return obj.membership.user.display_name


def contract_hours_field(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Heures par semaine au contrat"),
        min_value=0,
        max_value=48,
        max_digits=4,
        decimal_places=1,
        localize=True,
        help_text=_("Entre 0 et 48. 0 pour une personne bénévole ou sans contrat d'heures."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


def _communes_field(platform: Platform, **kwargs: Any) -> CommuneChoiceField:
    return CommuneChoiceField(
        label=_("Commune de résidence"),
        queryset=selectors.communes_of(platform),
        required=False,
        empty_label=_("— Choisir une commune —"),
        **kwargs,
    )


def _skills_field(platform: Platform, **kwargs: Any) -> forms.ModelMultipleChoiceField[Skill]:
    return forms.ModelMultipleChoiceField(
        label=_("Compétences"),
        queryset=selectors.skills_of(platform),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names (or on the whole form)."""

    def add_service_error(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)


# ---- The pool list and the search


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Commune de résidence"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous les statuts")), *PeerStatus.choices], required=False
    )
    skill = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Skill.objects.none(), required=False, empty_label=_("Toutes les compétences")
    )
    state = forms.ChoiceField(
        label=_("Activité"),
        choices=[
            ("", _("Tous")),
            (selectors.STATE_ACTIVE, _("En activité")),
            (selectors.STATE_LEFT, _("Sortis du vivier")),
        ],
        required=False,
    )

    def __init__(self, data: Any = None, *, platform: Platform) -> None:
        super().__init__(data)
        skill_field: Any = self.fields["skill"]
        skill_field.queryset = selectors.skills_of(platform)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status", ""),
            "skill": data.get("skill"),
            "commune_query": (data.get("q") or "").strip(),
            "state": data.get("state", ""),
        }


class FreeSearchForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=Weekday.choices, coerce=int)
    part = forms.ChoiceField(label=_("Moment de la journée"), choices=DayPart.choices)
    near = CommuneChoiceField(
        label=_("Près de la commune"), queryset=Commune.objects.none(), empty_label=_("— Choisir une commune —")
    )
    skill = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Skill.objects.none(), required=False, empty_label=_("Toutes les compétences")
    )
    language = forms.ChoiceField(label=_("Langue parlée"), required=False)

    def __init__(self, data: Any = None, *, platform: Platform) -> None:
        super().__init__(data)
        fields: Any = self.fields
        fields["near"].queryset = selectors.communes_of(platform)
        fields["skill"].queryset = selectors.skills_of(platform)
        fields["language"].choices = [
            ("", _("Toutes les langues")),
            *((lang, lang) for lang in selectors.languages_in_use(platform)),
        ]


# ---- Adding a peer worker, the contract


class PeerCreateForm(ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(label=_("Prénom ou pseudonyme"), max_length=80)
    last_name = forms.CharField(label=_("Nom"), max_length=80, required=False)
    email = forms.EmailField(
        label=_("Adresse e-mail"), help_text=_("La personne y reçoit l'invitation à activer son compte.")
    )
    status = forms.ChoiceField(label=_("Statut"), choices=PeerStatus.choices, initial=PeerStatus.SALARIED)
    status_start = forms.DateField(label=_("Début du statut"), widget=DateInput())
    tutor = ProfileChoiceField(
        label=_("Tuteur ou tutrice"),
        queryset=PeerProfile.objects.none(),
        required=False,
        empty_label=_("— Pas de tuteur ou tutrice —"),
        help_text=_("Un·e pair aidant·e expérimenté·e qui accompagne les débuts."),
    )
    start_onboarding = forms.BooleanField(
        label=_("Démarrer le parcours d'intégration avec ce tuteur ou cette tutrice"),
        required=False,
        help_text=_("Les étapes du parcours type sont créées, avec leurs échéances."),
    )

    def __init__(self, data: Any = None, *, platform: Platform, today: date) -> None:
        super().__init__(data, initial={"status_start": today})
        self.fields["contract_hours"] = contract_hours_field(initial=0)
        self.fields["home_commune"] = _communes_field(platform)
        tutor: Any = self.fields["tutor"]
        tutor.queryset = selectors.tutor_candidates(platform, today)
        # Keep the order people read: identity, status, contract, commune, tutor.
        order = ["first_name", "last_name", "email", "status", "status_start", "contract_hours", "home_commune"]
        self.order_fields([*order, "tutor", "start_onboarding"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_onboarding") and not data.get("tutor"):
            self.add_error(
                "tutor", _("Choisissez un tuteur ou une tutrice, ou décochez « Démarrer le parcours d'intégration ».")
            )
        elif data.get("tutor") and not data.get("start_onboarding"):
            # The tutor is recorded with the onboarding path only: never drop the choice silently.
            self.add_error(
                "start_onboarding",
                _(
                    "Le tuteur ou la tutrice accompagne le parcours d'intégration : "
                    "cochez cette case, ou retirez le choix."
                ),
            )
        return data


class ContractForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=PeerStatus.choices)
    status_start = forms.DateField(label=_("Début du statut"), widget=DateInput())
    status_end = forms.DateField(
        label=_("Fin du statut"),
        required=False,
        widget=DateInput(),
        help_text=_("À la sortie du vivier : l'historique (activité, formations, entretiens) est conservé."),
    )
    presentation_published = forms.BooleanField(label=_("Publier la présentation"), required=False)

    def __init__(self, data: Any = None, *, profile: PeerProfile) -> None:
        platform = profile.platform
        initial = {
            "status": profile.status,
            "status_start": profile.status_start,
            "status_end": profile.status_end,
            "contract_hours": profile.contract_hours,
            "home_commune": profile.home_commune_id,
            "zones": [commune.pk for commune in profile.zones.all()],
            "skills": [skill.pk for skill in profile.skills.all()],
            "presentation_published": profile.presentation_published,
        }
        super().__init__(data, initial=initial)
        self.fields["contract_hours"] = contract_hours_field()
        self.fields["home_commune"] = _communes_field(platform)
        self.fields["zones"] = CommuneMultipleChoiceField(
            label=_("Communes couvertes"),
            queryset=selectors.communes_of(platform),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_(
                "Pour en choisir plusieurs : maintenez la touche Ctrl (Cmd sur Mac) en cliquant. "
                "Sur un téléphone, la liste s'ouvre et chaque commune se coche."
            ),
        )
        self.fields["skills"] = _skills_field(platform)
        order = ["status", "status_start", "status_end", "contract_hours", "home_commune", "zones", "skills"]
        self.order_fields([*order, "presentation_published"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("status_start"), data.get("status_end")
        if start and end and end < start:
            self.add_error("status_end", _("La date de fin doit être le même jour que le début, ou après."))
        return data


# ---- The worker's own profile


class OwnProfileForm(ServiceErrorsMixin, forms.Form):
    presentation = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Quelques phrases pour les personnes et les équipes. Après chaque modification, la coordination "
            "la relit et la publie à nouveau."
        ),
    )
    languages = forms.CharField(
        label=_("Langues parlées"),
        required=False,
        max_length=400,
        help_text=_("Séparées par des virgules, par exemple : français, arabe, langue des signes française."),
    )
    background = forms.CharField(
        label=_("Parcours professionnel"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    experiential_themes = forms.CharField(
        label=_("Thèmes d'expérience que je choisis de partager"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Facultatif. Seulement ce que vous choisissez de dire, avec vos mots : ce n'est pas un diagnostic "
            "et aucun diagnostic n'est demandé."
        ),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
        help_text=_("Facultatif. Fichier JPEG ou PNG, 2 Mo au plus."),
    )
    remove_photo = forms.BooleanField(label=_("Supprimer ma photo"), required=False)

    def __init__(self, data: Any = None, files: Any = None, *, profile: PeerProfile) -> None:
        initial = {
            "presentation": profile.presentation,
            "languages": ", ".join(profile.languages),
            "background": profile.background,
            "experiential_themes": profile.experiential_themes,
            "skills": [skill.pk for skill in profile.skills.all()],
        }
        super().__init__(data, files, initial=initial)
        self.fields["skills"] = _skills_field(profile.platform)
        self.order_fields(["presentation", "languages", "background", "experiential_themes", "skills", "photo"])
        if not profile.photo:
            del self.fields["remove_photo"]

    def clean_languages(self) -> list[str]:
        values = clean_languages((self.cleaned_data.get("languages") or "").split(","))
        if any(len(value) > LANGUAGE_MAX_LENGTH for value in values):
            raise ValidationError(_("Chaque langue tient en 40 caractères au plus."))
        return values

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            if photo.size > PHOTO_MAX_BYTES:
                raise ValidationError(_("La photo est trop lourde : 2 Mo au plus."))
            try:
                photo_check(photo)
            except ValidationError as error:
                raise ValidationError(error.message_dict["photo"]) from error
        return photo or None


# ---- Availability


@dataclass
class SlotBox:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class DayBoxes:
    label: str
    boxes: list[SlotBox]


SLOT_CHOICES = [(f"{day.value}-{part.value}", f"{day.label} {part.label}") for day in Weekday for part in DayPart]


class AvailabilityForm(forms.Form):
    slots = forms.MultipleChoiceField(choices=SLOT_CHOICES, required=False)

    def __init__(self, data: Any = None, *, current: list[tuple[int, str]]) -> None:
        super().__init__(data, initial={"slots": [f"{day}-{part}" for day, part in current]})

    def days(self) -> list[DayBoxes]:
        """Seven fieldsets of three checkboxes, as the template draws them."""
        chosen = set(self["slots"].value() or [])
        return [
            DayBoxes(
                str(day.label),
                [
                    SlotBox(
                        f"{day.value}-{part.value}",
                        str(part.label),
                        f"{day.value}-{part.value}" in chosen,
                        f"slot-{day.value}-{part.value}",
                    )
                    for part in DayPart
                ],
            )
            for day in Weekday
        ]

    def slot_values(self) -> list[tuple[int, str]]:
        result = []
        for value in self.cleaned_data["slots"]:
            day, part = value.split("-", 1)
            result.append((int(day), part))
        return result


class AbsenceForm(ServiceErrorsMixin, forms.Form):
    start = forms.DateField(label=_("Premier jour"), widget=DateInput())
    end = forms.DateField(label=_("Dernier jour (inclus)"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Motif"), choices=AbsenceKind.choices, initial=AbsenceKind.LEAVE)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, prefix="absence", **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin doit être le même jour que le début, ou après."))
        return data


# ---- The pool's settings


SETTINGS_LABELS = {
    "max_workplaces_per_week": _("Lieux de travail distincts par semaine, au plus"),
    "max_hours_ratio_percent": _("Heures de la semaine, en % du contrat, au plus"),
    "max_weeks_without_supervision": _("Semaines sans supervision ni intervision, au plus"),
}


class PoolSettingsForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, data: Any = None, *, current: PoolSettings) -> None:
        super().__init__(data, prefix="seuils")
        for name, label in SETTINGS_LABELS.items():
            low, high = SETTINGS_BOUNDS[name]
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=low,
                max_value=high,
                initial=getattr(current, name),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.fields["max_hours_ratio_percent"].help_text = _(
            "Une alerte apparaît quand les heures de la semaine dépassent ce pourcentage du contrat."
        )


class SkillForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nouvelle compétence"), max_length=80)

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="competence")
