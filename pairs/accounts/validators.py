"""Password rules following the CNIL's 2022 recommendation (about 80 bits of entropy)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _classes(password: str) -> int:
    return sum(
        bool(re.search(pattern, password)) for pattern in (r"[a-zà-ÿ]", r"[A-ZÀ-Ý]", r"[0-9]", r"[^a-zA-Z0-9à-ÿÀ-Ý]")
    )


def is_strong(password: str) -> bool:
    """12+ characters of four kinds, 14+ of three kinds, or a passphrase of 7+ words (20+ characters)."""
    kinds = _classes(password)
    words = [w for w in re.split(r"[\s\-_.]+", password) if w]
    return (
        (len(password) >= 12 and kinds >= 4)
        or (len(password) >= 14 and kinds >= 3)
        or (len(words) >= 7 and len(password) >= 20)
    )


class CnilPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not is_strong(password):
            raise ValidationError(self.get_help_text(), code="password_too_weak")

    def get_help_text(self) -> str:
        return _(
            "Choisissez au moins 12 caractères mêlant minuscules, majuscules, chiffres et "
            "caractères spéciaux, ou au moins 14 caractères avec minuscules, majuscules et "
            "chiffres, ou une phrase de passe d'au moins 7 mots."
        )
