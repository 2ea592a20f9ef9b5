"""Every write about accounts: sign-in bookkeeping, magic links, second factor, passwords."""

from __future__ import annotations

import enum
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.utils import get_query_string

from pairs.journal import services as journal
from pairs.journal.models import Action
from pairs.notifications.services import email_queue
from pairs.platforms.roles import STAFF_ROLES, Role
from pairs.platforms.tenancy import unscoped

from .models import User

REAUTH_SESSION_KEY = "pairs_auth_at"
RECOVERY_CODE_COUNT = 10


def mark_authenticated_now(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = timezone.now().timestamp()


def recently_authenticated(request: HttpRequest) -> bool:
    stamp = request.session.get(REAUTH_SESSION_KEY)
    if stamp is None:
        return False
    return bool(timezone.now().timestamp() - float(stamp) <= settings.REAUTH_MAX_AGE.total_seconds())


class SignIn(enum.Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


def password_sign_in(*, request: HttpRequest, email: str, password: str) -> SignIn:
    """Check the password, count failures, lock after too many, and open the session."""
    email = email.strip().lower()
    account = User.objects.filter(email=email).first()
    if account is not None and account.is_locked():
        journal.log_account_event(action=Action.LOCKED_OUT, user=account, request=request, detail="attempt")
        return SignIn.LOCKED
    user = authenticate(request, username=email, password=password)
    if isinstance(user, User):
        login_success_record(user=user)
        login(request, user)
        mark_authenticated_now(request)
        return SignIn.OK
    if account is not None and login_failure_record(user=account, request=request):
        return SignIn.LOCKED
    return SignIn.INVALID


@transaction.atomic
def login_failure_record(*, user: User, request: HttpRequest) -> bool:
    """Count a failed sign-in; lock the account for a while after too many. True if now locked."""
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        journal.log_account_event(action=Action.LOCKED_OUT, user=user, request=request)
        return True
    return False


def login_success_record(*, user: User) -> None:
    if user.failed_login_count or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)


def has_staff_role(user: User) -> bool:
    """Across all the person's platforms, whatever space is active."""
    with unscoped():
        return user.memberships.filter(is_active=True, role__in=[r.value for r in STAFF_ROLES]).exists()


def may_use_magic_link(user: User) -> bool:
    """Magic links are for people in recovery and relatives, never for staff accounts."""
    if not user.is_active or has_staff_role(user):
        return False
    with unscoped():
        return user.memberships.filter(is_active=True, role=Role.PERSON).exists()


def magic_link_url(user: User) -> str:
    return settings.SITE_URL + reverse("accounts:magic_link_open") + get_query_string(user)


@transaction.atomic
def magic_link_send(*, email: str, request: HttpRequest) -> None:
    """Queue a sign-in link if the address belongs to a person's account; silent otherwise."""
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None or not may_use_magic_link(user):
        return
    email_queue(
        to=user.email,
        kind="magic_link",
        template="accounts/emails/magic_link.txt",
        context={"user": user, "link": magic_link_url(user), "minutes": settings.SESAME_MAX_AGE // 60},
    )
    journal.log_account_event(action=Action.MAGIC_LINK_SENT, user=user, request=request)


def password_link_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_set", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def password_reset_send(*, email: str) -> None:
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return
    email_queue(
        to=user.email,
        kind="password_reset",
        template="accounts/emails/password_reset.txt",
        context={"user": user, "link": password_link_url(user)},
    )


@transaction.atomic
def password_set(*, user: User, password: str, request: HttpRequest | None) -> None:
    user.set_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["password", "failed_login_count", "locked_until"])
    journal.log_account_event(action=Action.UPDATE, user=user, request=request, detail="password_changed")


@transaction.atomic
def account_update(*, request: HttpRequest, user: User, first_name: str, last_name: str, phone: str) -> list[str]:
    """A person edits their own details; the journal records which fields changed."""
    before = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
    after = {"first_name": first_name, "last_name": last_name, "phone": phone}
    changed = journal.changed_fields(before, after)
    if changed:
        for name in changed:
            setattr(user, name, after[name])
        user.save(update_fields=changed)
        membership = getattr(request, "membership", None)
        platforms = [m.platform for m in getattr(request, "memberships", [])] or [None]
        for platform in {p.pk if p else None: p for p in platforms}.values():
            journal.log_update(
                request=request,
                obj=user,
                fields=changed,
                platform=platform,
                actor_role=membership.role if membership and membership.platform == platform else "",
            )
    return changed


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, token: str, request: HttpRequest) -> list[str] | None:
    """Confirm the pending authenticator with a code; returns fresh recovery codes, or None."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user)
    journal.log_account_event(action=Action.SECOND_FACTOR, user=user, request=request, detail="enabled")
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        token = StaticToken.random_token()
        device.token_set.create(token=token)
        codes.append(token)
    return codes


@transaction.atomic
def second_factor_disable(*, user: User, request: HttpRequest) -> bool:
    """Remove the authenticator and recovery codes, unless the role makes them mandatory."""
    if second_factor_mandatory(user):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    journal.log_account_event(action=Action.SECOND_FACTOR, user=user, request=request, detail="disabled")
    return True


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_mandatory(user: User) -> bool:
    """The role requires a second factor (staff, under production settings)."""
    return bool(settings.REQUIRE_STAFF_2FA) and has_staff_role(user)


def second_factor_required(user: User) -> bool:
    """A second factor must be confirmed at sign-in: mandatory, or chosen by the user."""
    return has_second_factor(user) or second_factor_mandatory(user)
