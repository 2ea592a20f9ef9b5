from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pairs.platforms.roles import Role


def shell(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "active_membership": membership,
        "active_role": membership.role if membership else "",
        "user_memberships": getattr(request, "memberships", []),
        "Role": Role,
    }
