from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.platforms.roles import Role

from .models import OBJECT_TYPE_LABELS, Action


class JournalFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("Toutes")), *Action.choices], required=False)
    role = forms.ChoiceField(label=_("Rôle de l'auteur"), choices=[("", _("Tous")), *Role.choices], required=False)
    object_type = forms.ChoiceField(label=_("Type d'objet"), required=False)
    actor = forms.CharField(label=_("Auteur (nom ou e-mail)"), required=False, max_length=80)
    since = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, object_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("Tous"))] + [(t, OBJECT_TYPE_LABELS.get(t, t)) for t in object_types]
        self.fields["object_type"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:  # type: ignore[operator]
            self.add_error("until", _("La date de fin doit suivre la date de début."))
        return data
