"""The form of a job offer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.partners.models import Organisation
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import Contract, JobOffer
from ..selectors import jobs as reads
from . import DateInput, ServiceErrorsMixin

DATE_ERRORS = {"invalid": _("Indiquez une date valide.")}


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.department_code})"


class JobForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partenaire qui recrute"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Aucun : un autre employeur —"),
        error_messages={"invalid_choice": _("Choisissez un partenaire de la liste.")},
    )
    employer = forms.CharField(
        label=_("Employeur"),
        required=False,
        max_length=150,
        help_text=_("Laissez vide pour reprendre le nom du partenaire choisi."),
        error_messages={"max_length": _("Le nom de l'employeur tient en 150 caractères au plus.")},
    )
    title = forms.CharField(
        label=_("Intitulé du poste"),
        max_length=150,
        error_messages={
            "required": _("Indiquez l'intitulé du poste."),
            "max_length": _("L'intitulé tient en 150 caractères au plus."),
        },
    )
    description = forms.CharField(
        label=_("Description du poste"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Décrivez le poste."),
            "max_length": _("La description tient en 5 000 caractères au plus."),
        },
    )
    commune = CommuneChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— Choisir une commune —"),
        error_messages={"invalid_choice": _("Choisissez une commune de la liste.")},
    )
    contract = forms.ChoiceField(
        label=_("Contrat"),
        choices=[("", _("— Choisir —")), *Contract.choices],
        error_messages={
            "required": _("Choisissez le type de contrat."),
            "invalid_choice": _("Choisissez le type de contrat."),
        },
    )
    hours_per_week = forms.DecimalField(
        label=_("Heures par semaine"),
        required=False,
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Entre 0,5 et 48, par exemple 17,5."),
        error_messages={
            "invalid": _("Écrivez un nombre d'heures, par exemple 17,5."),
            "max_decimal_places": _("Indiquez au plus un chiffre après la virgule."),
            "max_digits": _("Indiquez entre 0,5 et 48 heures par semaine."),
            "max_whole_digits": _("Indiquez entre 0,5 et 48 heures par semaine."),
        },
    )
    starts_on = forms.DateField(
        label=_("Prise de poste"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    apply_by = forms.DateField(
        label=_("Candidater avant le"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Indiquez la date limite de candidature.")},
    )
    how_to_apply = forms.CharField(
        label=_("Comment candidater"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("À qui écrire, à quelle adresse, les pièces à joindre."),
        error_messages={
            "required": _("Expliquez comment candidater (adresse, personne à contacter…)."),
            "max_length": _("Ce texte tient en 2 000 caractères au plus."),
        },
    )
    published = forms.BooleanField(
        label=_("Publier l'offre sur la page publique des offres d'emploi"), required=False, initial=True
    )

    def __init__(self, *args: Any, platform: Platform, job: JobOffer | None = None, **kwargs: Any) -> None:
        if job is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organisation": job.organisation_id,
                    "employer": job.employer,
                    "title": job.title,
                    "description": job.description,
                    "commune": job.commune_id,
                    "contract": job.contract,
                    "hours_per_week": job.hours_per_week,
                    "starts_on": job.starts_on,
                    "apply_by": job.apply_by,
                    "how_to_apply": job.how_to_apply,
                    "published": job.published,
                },
            )
        super().__init__(*args, **kwargs)
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = reads.organisation_choices(platform)
        commune_field: Any = self.fields["commune"]
        commune_field.queryset = reads.commune_choices(platform)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation": data.get("organisation"),
            "employer": data.get("employer") or "",
            "title": data["title"],
            "description": data["description"],
            "commune": data.get("commune"),
            "contract": data["contract"],
            "hours_per_week": data.get("hours_per_week"),
            "starts_on": data.get("starts_on"),
            "apply_by": data["apply_by"],
            "how_to_apply": data["how_to_apply"],
            "published": bool(data.get("published")),
        }
