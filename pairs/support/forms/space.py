"""Forms of the person's own space."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .common import ServiceErrorsMixin


class ChangeRequestForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Un message pour l'équipe"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Vous n'avez pas à vous justifier. Ce message n'est lu que par l'équipe de coordination."),
        error_messages={"max_length": _("Le message est trop long (2000 caractères au plus).")},
    )
