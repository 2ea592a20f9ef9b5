"""Writes of shares: creating a link for a named recipient, the one-time code, the recipient's
accesses, withdrawing a share and revoking the whole plan.

A link is a random token; the one-time code is six digits sent by e-mail and stored only as a keyed
digest. E-mails carry no health information: no name of the person, no content, only the link, its
expiry or the code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.journal.models import Action
from pairs.notifications.services import email_queue

from ..models import AccessOutcome, CrisisPlan, PlanAccess, PlanShare, PlanStatus, PlanVersion, RecipientKind

__all__ = [
    "CODE_DIGITS",
    "CODE_MINUTES",
    "MAX_FAILED_CODES",
    "CodeResult",
    "access_refused",
    "code_check",
    "code_send",
    "document_opened",
    "plan_revoke",
    "share_create",
    "share_revoke",
]

MAX_SHARE_DAYS = 730
CODE_DIGITS = 6
CODE_MINUTES = 15
MAX_FAILED_CODES = 5
TOKEN_BYTES = 32
MAX_LINE = 150


def _is_open(share: PlanShare, plan: CrisisPlan, now: datetime) -> bool:
    return (
        share.revoked_at is None
        and share.locked_at is None
        and share.expires_at > now
        and plan.revoked_at is None
        and plan.status != PlanStatus.REVOKED
    )


def _end_of_day(day: date) -> datetime:
    """A link valid "until 3 March" works the whole of that day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _link(share: PlanShare) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("plans:share_open", kwargs={"share_token": share.token})


# ---- Creating a share


@transaction.atomic
def share_create(
    *,
    request: HttpRequest | None,
    plan: CrisisPlan,
    version: PlanVersion | None,
    recipient_kind: str,
    name: str,
    email: str,
    expires_on: date | None,
    code_required: bool = True,
    role: str = "",
    service: str = "",
    created_by: User,
) -> PlanShare:
    """A link to one finalised version for one named recipient, e-mailed to them. The plan becomes
    "shared"."""
    locked = CrisisPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.revoked_at is not None or locked.status == PlanStatus.REVOKED:
        raise ValidationError(_("Ce plan est révoqué : il ne peut plus être partagé."))
    errors: dict[str, list[str]] = {}
    if version is None or version.plan_id != locked.pk or version.number is None:
        errors["version"] = [_("Choisissez une version finalisée de ce plan.")]
    if recipient_kind not in RecipientKind.values:
        errors["recipient_kind"] = [_("Choisissez avec qui vous partagez le plan.")]
    name, role, service, email = name.strip(), role.strip(), service.strip(), email.strip()
    if not name:
        errors["name"] = [_("Indiquez le nom de la personne qui recevra le lien.")]
    if not email:
        errors["email"] = [_("Indiquez l'adresse e-mail à laquelle envoyer le lien.")]
    for field, value in (("name", name), ("role", role), ("service", service)):
        if len(value) > MAX_LINE:
            errors.setdefault(field, []).append(_("150 caractères au plus."))
    today = timezone.localdate()
    if expires_on is None:
        errors["expires_on"] = [_("Indiquez jusqu'à quand le lien fonctionne.")]
    elif expires_on < today:
        errors["expires_on"] = [_("La date de fin doit être aujourd'hui ou plus tard.")]
    elif expires_on > today + timedelta(days=MAX_SHARE_DAYS):
        errors["expires_on"] = [_("Un lien dure deux ans au plus : choisissez une date plus proche.")]
    if errors:
        raise ValidationError(errors)
    assert version is not None and expires_on is not None
    share = PlanShare.objects.create(
        plan=locked,
        version=version,
        recipient_kind=recipient_kind,
        name=name,
        role=role,
        service=service,
        email=email,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        expires_at=_end_of_day(expires_on),
        code_required=code_required,
        created_by=created_by,
    )
    if locked.status != PlanStatus.SHARED:
        locked.status = PlanStatus.SHARED
        locked.save(update_fields=["status", "updated_at"])
    fields = ["recipient_kind", "name", "email", "expires_at", "code_required", "version"]
    fields += [f for f, value in (("role", role), ("service", service)) if value]
    journal.log_create(request=request, obj=share, fields=fields, platform=locked.platform)
    email_queue(
        to=share.email,
        kind="plan_share_link",
        template="plans/emails/share_link.txt",
        context={
            "link": _link(share),
            "expires_on": expires_on,
            "code_required": code_required,
            "professional": recipient_kind in (RecipientKind.PROFESSIONAL, RecipientKind.PARTNER_TEAM),
        },
        platform=locked.platform,
    )
    return share


# ---- Withdrawing a share, revoking the plan


@transaction.atomic
def share_revoke(*, request: HttpRequest | None, share: PlanShare) -> PlanShare:
    """The link stops working at once. Withdrawing twice changes nothing."""
    locked = PlanShare.objects.select_for_update().get(pk=share.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        journal.log_update(request=request, obj=locked, fields=["revoked_at"], platform=share.plan.platform)
    return locked


@transaction.atomic
def plan_revoke(*, request: HttpRequest | None, plan: CrisisPlan) -> CrisisPlan:
    """Every link stops working, the platform team no longer reads it, nobody edits or shares it
    again. The person still reads and exports it."""
    locked = CrisisPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("Ce plan est déjà révoqué."))
    now = timezone.now()
    withdrawn = list(locked.shares.filter(revoked_at=None).values_list("pk", flat=True))
    PlanShare.objects.filter(pk__in=withdrawn).update(revoked_at=now)
    locked.status = PlanStatus.REVOKED
    locked.revoked_at = now
    locked.shared_with_team = False
    locked.save(update_fields=["status", "revoked_at", "shared_with_team", "updated_at"])
    journal.log_update(
        request=request, obj=locked, fields=["status", "revoked_at", "shared_with_team"], platform=locked.platform
    )
    for share in PlanShare.objects.filter(pk__in=withdrawn):
        journal.log_update(request=request, obj=share, fields=["revoked_at"], platform=locked.platform)
    return locked


# ---- The recipient's side


def _access(share: PlanShare, outcome: str) -> PlanAccess:
    return PlanAccess.objects.create(share=share, outcome=outcome)


def _digest(share: PlanShare, code: str) -> str:
    """A keyed digest of the code: the database alone does not let anyone find it back."""
    expires = share.code_expires_at.isoformat() if share.code_expires_at else ""
    return salted_hmac("pairs.plans.share_code", f"{share.pk}:{expires}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def access_refused(*, share: PlanShare) -> PlanAccess:
    """Someone used a link that no longer works."""
    return _access(share, AccessOutcome.REFUSED)


@transaction.atomic
def document_opened(*, request: HttpRequest, share: PlanShare) -> PlanAccess:
    """Each time the document is shown: an access the person sees, and a journal entry on the
    version, in the plan's platform (the reader has no account there)."""
    access = _access(share, AccessOutcome.OPENED)
    journal.record(
        action=Action.VIEW,
        request=request,
        obj=share.version,
        detail=f"share:{share.pk}",
        platform=share.plan.platform,
        actor_role="",
    )
    return access


@transaction.atomic
def code_send(*, share: PlanShare) -> bool:
    """A new six-digit code, valid 15 minutes, e-mailed to the recipient's address (never shown on
    the page). Any earlier code stops working. False if the link no longer works."""
    locked = PlanShare.objects.select_for_update().select_related("plan").get(pk=share.pk)
    now = timezone.now()
    if not _is_open(locked, locked.plan, now):
        return False
    code = "".join(secrets.choice("0123456789") for _i in range(CODE_DIGITS))
    locked.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
    locked.code_hash = _digest(locked, code)
    locked.save(update_fields=["code_hash", "code_expires_at"])
    _access(locked, AccessOutcome.CODE_SENT)
    email_queue(
        to=locked.email,
        kind="plan_share_code",
        template="plans/emails/share_code.txt",
        context={"code": code, "minutes": CODE_MINUTES},
        platform=locked.plan.platform,
    )
    return True


@dataclass(frozen=True)
class CodeResult:
    ok: bool = False
    locked: bool = False
    message: str = ""


@transaction.atomic
def code_check(*, request: HttpRequest, share: PlanShare, code: str) -> CodeResult:
    """Compare the typed code. A right code is used up; a wrong one counts, and the fifth wrong
    code locks the link for good."""
    locked = PlanShare.objects.select_for_update().select_related("plan").get(pk=share.pk)
    now = timezone.now()
    if not _is_open(locked, locked.plan, now):
        return CodeResult(locked=True)
    if not locked.code_hash or locked.code_expires_at is None:
        return CodeResult(message=_("Demandez d'abord un code : il est envoyé par e-mail au destinataire du lien."))
    if locked.code_expires_at <= now:
        return CodeResult(message=_("Ce code n'est plus valable. Demandez un nouveau code."))
    typed = "".join(code.split())
    if (
        typed.isdigit()
        and len(typed) == CODE_DIGITS
        and constant_time_compare(_digest(locked, typed), locked.code_hash)
    ):
        locked.code_hash = ""
        locked.code_expires_at = None
        locked.failed_codes = 0
        locked.save(update_fields=["code_hash", "code_expires_at", "failed_codes"])
        return CodeResult(ok=True)
    locked.failed_codes += 1
    _access(locked, AccessOutcome.CODE_FAILED)
    if locked.failed_codes >= MAX_FAILED_CODES:
        locked.locked_at = now
        locked.code_hash = ""
        locked.code_expires_at = None
        locked.save(update_fields=["failed_codes", "locked_at", "code_hash", "code_expires_at"])
        _access(locked, AccessOutcome.LOCKED)
        journal.record(
            action=Action.UPDATE,
            request=request,
            obj=locked,
            fields=["failed_codes", "locked_at"],
            platform=locked.plan.platform,
            actor_role="",
        )
        return CodeResult(locked=True)
    locked.save(update_fields=["failed_codes"])
    left = MAX_FAILED_CODES - locked.failed_codes
    message = ngettext(
        "Code incorrect. Il vous reste %(left)s essai.", "Code incorrect. Il vous reste %(left)s essais.", left
    ) % {"left": left}
    return CodeResult(message=message)
