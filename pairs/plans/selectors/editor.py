"""Reads of the writing side of crisis plans: the draft and the frozen versions, their content,
the comparison of two versions, the facilitation sessions and crises of a plan, the list and
the platform's settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from pairs.core.crypto import UnreadableText
from pairs.deployments.models import Deployment, State
from pairs.peers.selectors.profiles import communes_of
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.support.models import Person
from pairs.territory.models import Commune

from .. import sections
from ..models import CrisisEvent, CrisisPlan, FacilitationSession, PlanSettings, PlanSignature, PlanStatus, PlanVersion
from . import _int, visible_plans

# ---- Settings


def plan_settings_for(platform_id: int) -> PlanSettings:
    """The platform's settings of crisis plans, or an unsaved row with the defaults."""
    found = PlanSettings.objects.filter(platform_id=platform_id).first()
    return found or PlanSettings(platform_id=platform_id)


# ---- Versions and their content


def draft_of(plan: CrisisPlan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan, number__isnull=True).first()


def finalised_versions(plan: CrisisPlan) -> list[PlanVersion]:
    """The frozen versions, the latest first, with who confirmed them."""
    return list(
        PlanVersion.objects.filter(plan=plan, number__isnull=False)
        .select_related("finalised_by")
        .prefetch_related("signatures")
        .order_by("-number")
    )


def latest_finalised(plan: CrisisPlan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan, number__isnull=False).order_by("-number").first()


def get_version_for(plan: CrisisPlan, version_id: Any) -> PlanVersion:
    """A finalised version of this plan (a draft or another plan's version: 404)."""
    version = (
        PlanVersion.objects.filter(plan=plan, number__isnull=False, pk=_int(version_id))
        .select_related("finalised_by")
        .first()
    )
    if version is None:
        raise Http404
    return version


def version_numbers(plan: CrisisPlan) -> list[int]:
    numbers = PlanVersion.objects.filter(plan=plan, number__isnull=False).values_list("number", flat=True)
    return [n for n in numbers if n]


def version_by_number(plan: CrisisPlan, number: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan, number=number).first()


def signatures_of(version: PlanVersion) -> list[PlanSignature]:
    return list(PlanSignature.objects.filter(version=version).order_by("confirmed_at", "pk"))


def content_of(version: PlanVersion | None) -> dict[str, Any] | None:
    """The decrypted sections of a version (empty without a version), or None when the stored
    content cannot be decrypted with the configured keys."""
    if version is None:
        return {}
    try:
        return sections.decode(version.content_encrypted)
    except UnreadableText:
        return None


def filled_count(content: dict[str, Any]) -> int:
    return sum(1 for section in sections.SECTIONS if sections.is_filled(content, section))


def shown_sections(content: dict[str, Any]) -> list[sections.ShownSection]:
    """The filled sections only, for reading."""
    return [shown for shown in sections.readable(content) if shown.filled]


# ---- Comparing two versions


@dataclass(frozen=True)
class ComparedField:
    label: str
    before: tuple[str, ...]  # lines: a text, or one line per row of a small table
    after: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class ComparedSection:
    key: str
    title: str
    fields: tuple[ComparedField, ...]

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields)


def _lines(shown: sections.ShownField) -> tuple[str, ...]:
    if shown.columns:
        return tuple(" · ".join(value for value in row if value) for row in shown.rows)
    return (shown.text,) if shown.text else ()


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[ComparedSection]:
    """Every section filled in either version, field by field, with what changed."""
    compared = []
    for old, new in zip(sections.readable(before), sections.readable(after), strict=True):
        if not (old.filled or new.filled):
            continue
        fields = tuple(
            ComparedField(a.label, _lines(a), _lines(b))
            for a, b in zip(old.fields, new.fields, strict=True)
            if _lines(a) or _lines(b)
        )
        compared.append(ComparedSection(old.key, old.title, fields))
    return compared


# ---- Sessions and crises


def duration_text(minutes: int) -> str:
    """4 h 30, 2 h, or 45 min."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


@dataclass(frozen=True)
class SessionSummary:
    sessions: list[FacilitationSession]
    total_minutes: int

    @property
    def count(self) -> int:
        return len(self.sessions)

    @property
    def total_text(self) -> str:
        return duration_text(self.total_minutes)


def sessions_of(plan: CrisisPlan) -> SessionSummary:
    sessions = list(FacilitationSession.objects.filter(plan=plan).select_related("peer__membership__user"))
    return SessionSummary(sessions, sum(s.duration_minutes for s in sessions))


def crises_of(plan: CrisisPlan) -> list[CrisisEvent]:
    return list(CrisisEvent.objects.filter(plan=plan))


# ---- The list


def plan_list(request: PlatformRequest, *, status: str = "") -> QuerySet[CrisisPlan]:
    """The plans the signed-in user may see, with their latest finalised version's number and date
    (never their content). A constant number of queries whatever the number of plans."""
    latest = PlanVersion.objects.filter(plan_id=OuterRef("pk"), number__isnull=False).order_by("-number")
    qs = visible_plans(request).annotate(
        last_number=Subquery(latest.values("number")[:1]),
        last_finalised_at=Subquery(latest.values("finalised_at")[:1]),
    )
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("person__pseudonym", "pk")


# ---- Choices


def deployment_choices(platform: Platform) -> QuerySet[Deployment]:
    """The platform's deployments a person may be followed through (not abandoned requests)."""
    return (
        Deployment.objects.filter(platform=platform)
        .exclude(state__in=[State.REQUEST, State.ABANDONED])
        .select_related("organisation", "team")
        .order_by("organisation__name", "pk")
    )


def commune_choices(platform: Platform) -> QuerySet[Commune]:
    return communes_of(platform)


def local_time(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def current_plan_of(person: Person) -> CrisisPlan | None:
    """The person's plan that is not revoked (a person has one at a time)."""
    return CrisisPlan.objects.filter(person=person, revoked_at__isnull=True).exclude(status=PlanStatus.REVOKED).first()


def own_plan(request: PlatformRequest) -> CrisisPlan | None:
    """The signed-in person's plan: the one not revoked first, else the most recent."""
    return visible_plans(request).order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-pk").first()
