"""Typed helpers that write the audit journal. Never pass values, only field names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from pairs.core.network import client_ip

from .models import Action, JournalEntry

if TYPE_CHECKING:
    from pairs.accounts.models import User
    from pairs.platforms.models import Platform


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_ip(request)


def _object_ref(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _context(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "platform": membership.platform if membership else None,
        "actor": user if user is not None and user.is_authenticated else None,
        "actor_role": membership.role if membership else "",
        "ip_address": _ip(request),
    }


def record(
    *,
    action: Action,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
    platform: Platform | None = None,
    actor: User | None = None,
    actor_role: str | None = None,
) -> JournalEntry:
    data = _context(request)
    if platform is not None:
        data["platform"] = platform
    if actor is not None:
        data["actor"] = actor
    if actor_role is not None:
        data["actor_role"] = actor_role
    object_type, object_id = _object_ref(obj) if obj is not None else ("", "")
    entry = JournalEntry(
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=sorted(set(fields)),
        detail=detail[:200],
        **data,
    )
    active = getattr(request, "platform", None) if request is not None else None
    if active is not None and entry.platform is not None and entry.platform.pk != active.pk:
        # Writing to another of the person's platforms: row-level security would hide the
        # new row from INSERT ... RETURNING, so write it outside the request's scope.
        from pairs.platforms.tenancy import unscoped

        with unscoped():
            entry.save()
    else:
        entry.save()
    return entry


def log_view(*, request: HttpRequest, obj: models.Model) -> JournalEntry:
    return record(action=Action.VIEW, request=request, obj=obj)


def log_export(*, request: HttpRequest, obj: models.Model, detail: str = "") -> JournalEntry:
    return record(action=Action.EXPORT, request=request, obj=obj, detail=detail)


def log_create(*, request: HttpRequest | None, obj: models.Model, fields: Iterable[str], **kw: Any) -> JournalEntry:
    return record(action=Action.CREATE, request=request, obj=obj, fields=fields, **kw)


def log_update(*, request: HttpRequest | None, obj: models.Model, fields: Iterable[str], **kw: Any) -> JournalEntry:
    return record(action=Action.UPDATE, request=request, obj=obj, fields=fields, **kw)


def log_delete(*, request: HttpRequest | None, obj: models.Model, **kw: Any) -> JournalEntry:
    return record(action=Action.DELETE, request=request, obj=obj, **kw)


def log_permission_denied(*, request: HttpRequest, rule_name: str) -> JournalEntry:
    return record(action=Action.PERMISSION_DENIED, request=request, detail=rule_name)


def log_account_event(
    *, action: Action, user: User | None, request: HttpRequest | None, detail: str = ""
) -> list[JournalEntry]:
    """Sign-in events: one entry per platform where the user holds an active role,
    so that each platform's coordinators see the events of their own members only."""
    from pairs.platforms.models import Membership
    from pairs.platforms.tenancy import unscoped

    platform_ids: list[int] = []
    if user is not None:
        with unscoped():
            platform_ids = sorted(
                set(Membership.objects.filter(user=user, is_active=True).values_list("platform_id", flat=True))
            )
    ip = _ip(request)
    rows = [
        JournalEntry(action=action, actor=user, platform_id=pid, detail=detail, ip_address=ip) for pid in platform_ids
    ]
    with unscoped():  # the entries go to each of the person's platforms
        if not rows:
            return [JournalEntry.objects.create(action=action, actor=user, detail=detail, ip_address=ip)]
        return JournalEntry.objects.bulk_create(rows)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after.get(name))
