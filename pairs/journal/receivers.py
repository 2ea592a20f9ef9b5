"""Sign-ins, sign-outs and failed sign-ins go to the journal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .models import Action
from .services import log_account_event


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    method = getattr(user, "backend", "") or ""
    detail = "magic_link" if "sesame" in method else "password"
    log_account_event(action=Action.LOGIN, user=user, request=request, detail=detail)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log_account_event(action=Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    user = get_user_model().objects.filter(email=email).first() if email else None
    log_account_event(action=Action.LOGIN_FAILED, user=user, request=request, detail="" if user else "unknown_account")
