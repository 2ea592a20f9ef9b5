"""Reads behind the printable PDF of a finalised version and the wallet card of a share.

The PDF is for whoever may read the plan's content (the person, the peer workers who write with
them, coordinators only when the person shared the plan with the team). The card is for the person
and the peer workers who write with them, for a share that is still active. The card never holds
health information: only the trusted person's contact and the link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.platforms.http import PlatformRequest

from ..models import PlanShare, PlanSignature, PlanVersion
from ..sections import ShownSection, decode, readable
from . import _int, can_read_content, can_write, get_plan_for, visible_plans


def get_finalised_version_for(request: PlatformRequest, plan_id: Any, version_id: Any) -> PlanVersion:
    """A numbered (frozen) version of a plan whose content the user may read; 404 otherwise."""
    plan = get_plan_for(request, plan_id)
    if not can_read_content(request, plan):
        raise Http404
    version = get_object_or_404(
        PlanVersion.objects.filter(plan=plan, number__isnull=False),
        pk=_int(version_id),
    )
    version.plan = plan
    return version


def is_active(share: PlanShare, now: datetime | None = None) -> bool:
    """Still usable by its recipient: neither withdrawn, locked nor expired, and the plan not revoked."""
    now = now or timezone.now()
    return (
        share.revoked_at is None
        and share.locked_at is None
        and share.expires_at > now
        and share.plan.revoked_at is None
    )


def get_active_share_for(request: PlatformRequest, share_id: Any) -> PlanShare:
    """An active share of a plan the user writes (the person, or a peer worker who follows them); 404
    otherwise, also for a share that was withdrawn, locked or has expired."""
    share = get_object_or_404(
        PlanShare.objects.filter(plan__in=visible_plans(request)).select_related("plan__person", "version"),
        pk=_int(share_id),
    )
    if not can_write(request, share.plan) or not is_active(share):
        raise Http404
    return share


# ---- What the documents show


@dataclass(frozen=True)
class Signature:
    name: str
    role: str
    confirmed_at: datetime


@dataclass(frozen=True)
class PrintedVersion:
    """Everything the printable PDF shows, already decrypted and in reading order."""

    number: int
    finalised_at: datetime | None
    name: str
    place: str
    sections: tuple[ShownSection, ...]
    signatures: tuple[Signature, ...]


def printed_version(version: PlanVersion) -> PrintedVersion:
    content = decode(version.content_encrypted)
    identity = content.get("identity") or {}
    chosen = str(identity.get("name") or "").strip()
    signatures = tuple(
        Signature(name=s.name, role=str(s.get_role_display()), confirmed_at=s.confirmed_at)
        for s in PlanSignature.objects.filter(version=version).order_by("confirmed_at", "id")
    )
    return PrintedVersion(
        number=version.number or 0,
        finalised_at=version.finalised_at,
        name=chosen or version.plan.person.pseudonym,
        place=version.place,
        sections=tuple(section for section in readable(content) if section.filled),
        signatures=signatures,
    )


@dataclass(frozen=True)
class CardContact:
    """The trusted person's contact as written in the shared version (empty strings when not given)."""

    name: str
    phone: str

    @property
    def given(self) -> bool:
        return bool(self.name or self.phone)


def card_contact(share: PlanShare) -> CardContact:
    trusted = decode(share.version.content_encrypted).get("trusted_person") or {}
    return CardContact(name=str(trusted.get("name") or "").strip(), phone=str(trusted.get("phone") or "").strip())
