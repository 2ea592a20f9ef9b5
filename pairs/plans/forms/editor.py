"""Forms of the writing side of crisis plans: one form per section (built from the sections as
data), finalising, confirming, sessions, crises, comparing, opening a plan and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pairs.deployments.models import Deployment
from pairs.peers.forms.profiles import CommuneChoiceField
from pairs.support.forms.common import DateInput, ServiceErrorsMixin
from pairs.territory.models import Commune

from .. import sections

# ---- One section of the plan


def _row_name(field_key: str, index: int, column: str) -> str:
    return f"{field_key}_{index}_{column}"


@dataclass(frozen=True)
class RowsLayout:
    """A small table of a section: its label, its columns and one list of inputs per row."""

    key: str
    label: str
    help: str
    columns: tuple[str, ...]
    rows: tuple[tuple[forms.BoundField, ...], ...]


@dataclass(frozen=True)
class Item:
    field: forms.BoundField | None = None
    table: RowsLayout | None = None


class SectionForm(forms.Form):
    """The fields of one section. Prefixed with the section's key, so that the thirteen forms of the
    editor page never share an input name or id. Nothing submitted is refused but over-long text."""

    def __init__(self, data: Any = None, *, section: sections.Section, content: dict[str, Any] | None = None) -> None:
        super().__init__(data, prefix=section.key, initial=self._initial(section, content or {}))
        self.section = section
        for item in section.fields:
            if item.kind == "rows":
                for index in range(item.max_rows):
                    for key, label in item.columns:
                        self.fields[_row_name(item.key, index, key)] = forms.CharField(
                            label=gettext("%(column)s, ligne %(n)s") % {"column": label, "n": index + 1},
                            required=False,
                            max_length=sections.LINE_MAX,
                        )
            elif item.kind == "line":
                self.fields[item.key] = forms.CharField(
                    label=str(item.label), help_text=str(item.help), required=False, max_length=sections.LINE_MAX
                )
            else:
                self.fields[item.key] = forms.CharField(
                    label=str(item.label),
                    help_text=str(item.help),
                    required=False,
                    max_length=sections.TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )

    @staticmethod
    def _initial(section: sections.Section, content: dict[str, Any]) -> dict[str, Any]:
        values = content.get(section.key) or {}
        initial: dict[str, Any] = {}
        for item in section.fields:
            value = values.get(item.key)
            if item.kind == "rows":
                for index, row in enumerate(value if isinstance(value, list) else []):
                    if index >= item.max_rows or not isinstance(row, dict):
                        break
                    for key, _label in item.columns:
                        initial[_row_name(item.key, index, key)] = row.get(key, "")
            elif value:
                initial[item.key] = value
        return initial

    def layout(self) -> list[Item]:
        """The fields in the section's order, the small tables grouped row by row."""
        items: list[Item] = []
        for item in self.section.fields:
            if item.kind == "rows":
                rows = tuple(
                    tuple(self[_row_name(item.key, index, key)] for key, _label in item.columns)
                    for index in range(item.max_rows)
                )
                columns = tuple(str(label) for _key, label in item.columns)
                items.append(Item(table=RowsLayout(item.key, str(item.label), str(item.help), columns, rows)))
            else:
                items.append(Item(field=self[item.key]))
        return items

    def section_data(self) -> dict[str, Any]:
        """The submitted values, shaped like the stored content (see ``sections.clean_section``)."""
        data: dict[str, Any] = {}
        for item in self.section.fields:
            if item.kind == "rows":
                data[item.key] = [
                    {key: self.cleaned_data.get(_row_name(item.key, index, key), "") for key, _label in item.columns}
                    for index in range(item.max_rows)
                ]
            else:
                data[item.key] = self.cleaned_data.get(item.key, "")
        return data


# ---- Finalising and confirming


class FinaliseForm(ServiceErrorsMixin, forms.Form):
    place = forms.CharField(
        label=_("Fait à"), max_length=100, help_text=_("La ville où vous êtes aujourd'hui, par exemple « Lyon ».")
    )
    confirm = forms.BooleanField(
        label=_("Je confirme que ce document dit ce que je souhaite"),
        error_messages={"required": _("Cochez la case pour confirmer le document.")},
    )


# ---- Sessions and crises


class SessionForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date de la séance"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=5, max_value=480, help_text=_("Entre 5 minutes et 8 heures.")
    )
    remote = forms.BooleanField(label=_("À distance (téléphone ou visio)"), required=False, initial=True)
    commune = CommuneChoiceField(
        label=_("Commune, si la séance a eu lieu sur place"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("— À distance —"),
    )

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate(), "remote": True})
        kwargs.setdefault("auto_id", "id_session_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("remote") and cleaned.get("commune") is None and "commune" not in self.errors:
            self.add_error("commune", _("Choisissez la commune, ou cochez « à distance »."))
        return cleaned

    def session_data(self) -> dict[str, Any]:
        remote = bool(self.cleaned_data["remote"])
        return {
            "held_on": self.cleaned_data["held_on"],
            "duration_minutes": self.cleaned_data["duration_minutes"],
            "remote": remote,
            "commune": None if remote else self.cleaned_data["commune"],
        }


class CrisisForm(ServiceErrorsMixin, forms.Form):
    occurred_on = forms.DateField(label=_("Date de la crise"), widget=DateInput())
    plan_used = forms.BooleanField(label=_("Le plan a servi pendant cette crise"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "id_crisis_%s")
        super().__init__(*args, **kwargs)


# ---- Comparing two versions


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Comparer la version"), coerce=int)
    b = forms.TypedChoiceField(label=_("avec la version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, gettext("Version %(n)s") % {"n": n}) for n in sorted(numbers)]
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices


# ---- Opening a plan


class DeploymentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deployment) -> str:
        team = f" ({obj.team.name})" if obj.team is not None else ""
        return f"{obj.organisation.name}{team} – {obj.get_kind_display()}"


class StartForm(ServiceErrorsMixin, forms.Form):
    deployment = DeploymentChoiceField(
        label=_("Suivi dans le cadre d'un déploiement"),
        queryset=Deployment.objects.none(),
        required=False,
        empty_label=_("— Non, accompagnement direct —"),
        help_text=_("Seulement si la personne est suivie par une équipe partenaire où intervient la plateforme."),
    )

    def __init__(self, *args: Any, deployments: QuerySet[Deployment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deployment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = deployments


# ---- Settings


class PlanSettingsForm(ServiceErrorsMixin, forms.Form):
    review_months = forms.IntegerField(
        label=_("Relecture proposée après (mois)"),
        min_value=1,
        max_value=36,
        help_text=_(
            "Entre 1 et 36 mois après la finalisation d'une version. Après une crise, la relecture est "
            "proposée tout de suite."
        ),
    )
    share_days = forms.IntegerField(
        label=_("Durée d'un lien de partage (jours)"),
        min_value=1,
        max_value=730,
        help_text=_("Entre 1 et 730 jours : la durée proposée par défaut pour un nouveau lien de partage."),
    )

    def settings_data(self) -> dict[str, int]:
        return {"review_months": self.cleaned_data["review_months"], "share_days": self.cleaned_data["share_days"]}
