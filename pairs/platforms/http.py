"""The request as our middleware leaves it, for type checking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from pairs.accounts.models import User

    from .models import Membership, Platform


class PlatformRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    membership: Membership | None
    platform: Platform
    memberships: list[Membership]
    csp_nonce: str
