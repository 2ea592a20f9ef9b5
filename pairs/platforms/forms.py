from django import forms
from django.utils.translation import gettext_lazy as _

from .roles import Role


class MemberInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom ou pseudonyme"), max_length=80)
    last_name = forms.CharField(label=_("Nom (facultatif)"), max_length=80, required=False)
    email = forms.EmailField(label=_("Adresse e-mail"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class MemberEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Compte actif sur la plateforme"), required=False)


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un nom ou une adresse"), required=False, max_length=80)
    role = forms.ChoiceField(label=_("Rôle"), choices=[("", _("Tous les rôles")), *Role.choices], required=False)
    active = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous")), ("yes", _("Actifs")), ("no", _("Désactivés"))],
        required=False,
    )
