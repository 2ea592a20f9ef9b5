"""Reads of shares: the recipient's link (loaded by its token alone), the shares of a plan with their
accesses, the versions one may share, and the state of a link in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import CrisisPlan, PlanAccess, PlanSettings, PlanShare, PlanStatus, PlanVersion
from ..sections import ShownSection, decode, readable
from . import _int, _role, can_read_content, visible_plans

DEFAULT_SHARE_DAYS = 90
MAX_SHARE_DAYS = 730
# The accesses listed under each share on the plan page, most recent first.
ACCESSES_SHOWN = 20


# ---- The recipient's link


def share_by_token(token: str) -> PlanShare | None:
    """The share a link names, whatever the platform. Call it outside the request's platform scope:
    the visitor is usually not signed in, or signed in elsewhere."""
    if not token or len(token) > 64:
        return None
    return PlanShare.objects.select_related("plan", "version").filter(token=token).first()


def share_is_open(share: PlanShare, now: datetime | None = None) -> bool:
    """A link works while it is neither expired, withdrawn, locked nor its plan revoked."""
    now = now or timezone.now()
    plan = share.plan
    return (
        share.revoked_at is None
        and share.locked_at is None
        and share.expires_at > now
        and plan.revoked_at is None
        and plan.status != PlanStatus.REVOKED
    )


def code_pending(share: PlanShare, now: datetime | None = None) -> bool:
    """A code was sent and can still be typed."""
    now = now or timezone.now()
    return bool(share.code_hash) and share.code_expires_at is not None and share.code_expires_at > now


def last_day(share: PlanShare) -> date:
    """The last day the link works ("jusqu'au 3 mars"): it stops at the start of the next day."""
    return timezone.localtime(share.expires_at - timedelta(microseconds=1)).date()


def session_key(share: PlanShare) -> str:
    return f"plan_share_{share.pk}"


def session_verified(request: PlatformRequest, share: PlanShare, now: datetime | None = None) -> bool:
    """This browser typed the right code for this link, and the link has not expired since."""
    now = now or timezone.now()
    until = request.session.get(session_key(share))
    return isinstance(until, (int, float)) and until > now.timestamp()


def shared_sections(share: PlanShare) -> list[ShownSection]:
    return readable(decode(share.version.content_encrypted))


# ---- Sharing from the plan page


def get_share_for(request: PlatformRequest, share_id: Any) -> PlanShare:
    """A share of a plan the user sees (404 otherwise)."""
    shares = PlanShare.objects.select_related("plan", "plan__person", "version")
    return get_object_or_404(shares.filter(plan__in=visible_plans(request)), pk=_int(share_id))


def finalised_versions(plan: CrisisPlan) -> QuerySet[PlanVersion]:
    """The frozen versions, the most recent first."""
    return plan.versions.exclude(number=None).order_by("-number")


def share_days(platform: Platform) -> int:
    days = PlanSettings.objects.filter(platform=platform).values_list("share_days", flat=True).first()
    return int(days or DEFAULT_SHARE_DAYS)


def default_expiry(platform: Platform) -> Any:
    return timezone.localdate() + timedelta(days=share_days(platform))


def max_expiry() -> Any:
    return timezone.localdate() + timedelta(days=MAX_SHARE_DAYS)


@dataclass(frozen=True)
class ShareState:
    key: str  # active, expired, revoked, locked, plan_revoked
    label: str
    at: datetime | date | None  # since when, or for an active link its last day
    open: bool


def share_state(share: PlanShare, plan: CrisisPlan, now: datetime) -> ShareState:
    if plan.revoked_at is not None or plan.status == PlanStatus.REVOKED:
        return ShareState("plan_revoked", str(_("Plan révoqué le")), plan.revoked_at, False)
    if share.revoked_at is not None:
        return ShareState("revoked", str(_("Retiré le")), share.revoked_at, False)
    if share.locked_at is not None:
        return ShareState("locked", str(_("Bloqué après trop de codes erronés le")), share.locked_at, False)
    if share.expires_at <= now:
        return ShareState("expired", str(_("Expiré le")), share.expires_at, False)
    return ShareState("active", str(_("Actif jusqu'au")), last_day(share), True)


@dataclass(frozen=True)
class ShareRow:
    share: PlanShare
    state: ShareState
    accesses: list[PlanAccess]
    access_count: int


def share_rows(plan: CrisisPlan, *, with_accesses: bool) -> list[ShareRow]:
    """The plan's shares, the most recent first, with their latest accesses (a constant number of
    queries whatever the number of shares and accesses)."""
    shares = plan.shares.select_related("version").order_by("-created_at", "-id")
    if with_accesses:
        shares = shares.prefetch_related(Prefetch("accesses", queryset=PlanAccess.objects.order_by("-at", "-id")))
    now = timezone.now()
    rows = []
    for share in shares:
        accesses = list(share.accesses.all()) if with_accesses else []
        rows.append(ShareRow(share, share_state(share, plan, now), accesses[:ACCESSES_SHOWN], len(accesses)))
    return rows


def can_manage_shares(request: PlatformRequest, plan: CrisisPlan) -> bool:
    """The person and the peer workers writing with them withdraw shares (the plan was loaded through
    visible_plans, so a peer worker here is one of them)."""
    return _role(request) in (Role.PERSON, Role.PEER_WORKER)


def can_see_accesses(request: PlatformRequest, plan: CrisisPlan) -> bool:
    """Who opened the document is part of the person's record: coordinators see it only when the
    person shared the plan with the platform team."""
    return can_read_content(request, plan)
