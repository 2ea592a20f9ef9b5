from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from sesame.utils import get_user as sesame_get_user

from pairs.core import ratelimit
from pairs.platforms.http import PlatformRequest
from pairs.platforms.middleware import SESSION_KEY
from pairs.platforms.permissions import permission

from . import policies, services
from .decorators import recent_authentication
from .forms import EmailForm, LoginForm, NewPasswordForm, PasswordConfirmForm, ProfileForm, TokenForm
from .models import User


def _next_url(request: PlatformRequest, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return str(redirect(default).url)


@permission(policies.SIGN_IN)
@require_http_methods(["GET", "POST"])
def login_view(request: PlatformRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratelimit.check(request, "login", limit=30, window_seconds=900)
        outcome = services.password_sign_in(
            request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if outcome == services.SignIn.OK:
            return HttpResponseRedirect(_next_url(request))
        if outcome == services.SignIn.LOCKED:
            message = _(
                "Trop de tentatives : ce compte est verrouillé pendant %(minutes)s minutes. "
                "Vous pouvez aussi choisir un nouveau mot de passe."
            ) % {"minutes": settings.LOGIN_LOCK_MINUTES}
            form.add_error(None, message)
        else:
            form.add_error(None, _("Adresse e-mail ou mot de passe incorrect."))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@permission(policies.OWN_ACCOUNT)
@require_POST
def logout_view(request: PlatformRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Vous êtes déconnecté·e. À bientôt."))
    return redirect("core:home")


@permission(policies.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: PlatformRequest) -> HttpResponse:
    if not services.has_second_factor(request.user):
        return redirect("accounts:security")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratelimit.check(request, "otp", limit=10, window_seconds=900, extra=str(request.user.pk))
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("Ce code n'est pas valable. Vérifiez l'heure de votre téléphone et réessayez."))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@permission(policies.SIGN_IN)
@require_http_methods(["GET", "POST"])
def magic_link_request(request: PlatformRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratelimit.check(request, "magic-ip", limit=20, window_seconds=3600)
        ratelimit.check(request, "magic-email", limit=3, window_seconds=900, extra=form.cleaned_data["email"])
        services.magic_link_send(email=form.cleaned_data["email"], request=request)
        return render(request, "accounts/magic_link_sent.html", {"minutes": settings.SESAME_MAX_AGE // 60})
    return render(request, "accounts/magic_link_request.html", {"form": form})


@permission(policies.SIGN_IN)
@require_http_methods(["GET", "POST"])
def magic_link_open(request: PlatformRequest) -> HttpResponse:
    token = request.POST.get(settings.SESAME_TOKEN_NAME) or request.GET.get(settings.SESAME_TOKEN_NAME, "")
    if request.method == "POST":
        ratelimit.check(request, "magic-open", limit=30, window_seconds=900)
        user = sesame_get_user(token)
        if user is not None and services.may_use_magic_link(user):
            login(request, user, backend="sesame.backends.ModelBackend")
            services.mark_authenticated_now(request)
            return redirect("core:home")
        return render(request, "accounts/magic_link_invalid.html", status=400)
    return render(request, "accounts/magic_link_open.html", {"token": token})


@permission(policies.SIGN_IN)
@require_http_methods(["GET", "POST"])
def password_forgotten(request: PlatformRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratelimit.check(request, "reset-ip", limit=20, window_seconds=3600)
        ratelimit.check(request, "reset-email", limit=3, window_seconds=900, extra=form.cleaned_data["email"])
        services.password_reset_send(email=form.cleaned_data["email"])
        return render(request, "accounts/password_reset_sent.html")
    return render(request, "accounts/password_forgotten.html", {"form": form})


@permission(policies.SIGN_IN)
@require_http_methods(["GET", "POST"])
def password_set(request: PlatformRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_link_invalid.html", status=400)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(user=user, password=form.cleaned_data["new_password1"], request=request)
        messages.success(request, _("Votre mot de passe est enregistré. Vous pouvez vous connecter."))
        return redirect("accounts:login")
    return render(request, "accounts/password_set.html", {"form": form, "account": user})


@permission(policies.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def account(request: PlatformRequest) -> HttpResponse:
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.account_update(request=request, user=request.user, **form.cleaned_data)
        messages.success(request, _("Vos informations sont enregistrées."))
        return redirect("accounts:account")
    context = {"form": form, "has_second_factor": services.has_second_factor(request.user)}
    return render(request, "accounts/account.html", context)


@permission(policies.OWN_ACCOUNT)
@recent_authentication
@require_http_methods(["GET", "POST"])
def password_change(request: PlatformRequest) -> HttpResponse:
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(user=request.user, password=form.cleaned_data["new_password1"], request=request)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Votre nouveau mot de passe est enregistré."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@permission(policies.OWN_ACCOUNT)
@recent_authentication
@require_http_methods(["GET", "POST"])
def security(request: PlatformRequest) -> HttpResponse:
    user: User = request.user
    form = TokenForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "disable":
        if services.second_factor_disable(user=user, request=request):
            messages.success(request, _("La double authentification est désactivée."))
        else:
            messages.error(
                request, _("Votre rôle exige la double authentification : elle ne peut pas être désactivée.")
            )
        return redirect("accounts:security")
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, token=form.cleaned_data["token"], request=request)
        if codes is not None:
            otp_login(request, user.totpdevice_set.get(confirmed=True))  # type: ignore[attr-defined]
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("Ce code n'est pas valable. Vérifiez l'heure de votre téléphone et réessayez."))
    context = {
        "form": form,
        "enabled": services.has_second_factor(user),
        "required": services.second_factor_mandatory(user),
    }
    if not context["enabled"]:
        device = services.totp_device_pending(user=user)
        context["device"] = device
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _secret_b32(device)
    return render(request, "accounts/security.html", context)


def _qr_svg(data: str) -> str:
    import segno

    return str(segno.make(data, error="m").svg_inline(scale=5, title=_("QR code à scanner avec votre application")))


def _secret_b32(device: Any) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@permission(policies.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def reauthenticate(request: PlatformRequest) -> HttpResponse:
    user: User = request.user
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and user.has_usable_password() and form.is_valid():
        ratelimit.check(request, "reauth", limit=10, window_seconds=900, extra=str(user.pk))
        if user.check_password(form.cleaned_data["password"]):
            services.mark_authenticated_now(request)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("password", _("Mot de passe incorrect."))
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": request.GET.get("next", "")})


@permission(policies.OWN_ACCOUNT)
@require_POST
def switch_space(request: PlatformRequest) -> HttpResponse:
    wanted = request.POST.get("membership", "")
    chosen = next((m for m in request.memberships if str(m.pk) == wanted), None)
    if chosen is None:
        messages.error(request, _("Cet espace n'est pas disponible."))
    else:
        request.session[SESSION_KEY] = chosen.pk
        messages.success(request, _("Vous êtes maintenant dans l'espace %(space)s.") % {"space": str(chosen)})
    return redirect("core:home")
