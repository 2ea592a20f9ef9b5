from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .services import recently_authenticated


def recent_authentication(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sensitive pages ask for the password again when the last sign-in is too old."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(reverse("accounts:reauthenticate") + "?" + query)
        return view(request, *args, **kwargs)

    return wrapped
