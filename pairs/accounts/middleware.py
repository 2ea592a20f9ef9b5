"""Staff confirm a second factor before using the platform (production settings)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .services import has_second_factor, second_factor_required

ALLOWED_PREFIXES = ("/static/", "/healthz/", "/i18n/")
ALLOWED_NAMES = ("accounts:second_factor_verify", "accounts:security", "accounts:logout", "accounts:reauthenticate")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(ALLOWED_PREFIXES)
            and request.path not in {reverse(name) for name in ALLOWED_NAMES}
            and second_factor_required(user)  # type: ignore[arg-type]
        ):
            target = "accounts:second_factor_verify" if has_second_factor(user) else "accounts:security"  # type: ignore[arg-type]
            return HttpResponseRedirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
