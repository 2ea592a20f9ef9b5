"""Every write of the activity log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.territory.models import Commune

from ..models import ActivityEntry, ActivityType, PeerProfile


class EntryValues(TypedDict):
    """The values of one entry to log (the keyword arguments of ``activity_log``)."""

    day: date
    duration_minutes: int
    activity_type: ActivityType
    commune: Commune | None
    remote: bool
    workplace: str
    travel_minutes: int
    assignment_id: NotRequired[int | None]


ENTRY_FIELDS = (
    "day",
    "duration_minutes",
    "activity_type",
    "commune",
    "remote",
    "workplace",
    "travel_minutes",
    "assignment_id",
)


def _journal_name(field: str) -> str:
    return "assignment" if field == "assignment_id" else field


def _check_assignment(errors: dict[str, list[str]], profile: PeerProfile, day: date, assignment_id: int) -> None:
    """The deployment named by an entry is one of the worker's assignments, under way that day.
    Assignments are read through the profile's reverse relation: the pool never imports axis 1."""
    assignment = profile.assignments.filter(pk=assignment_id).first()
    if assignment is None:
        errors.setdefault("assignment", []).append(
            _("Choisissez un déploiement où ce ou cette pair aidant·e est affecté·e.")
        )
    elif not assignment.is_active_on(day):
        errors.setdefault("assignment", []).append(
            _("À cette date, l'affectation à ce déploiement n'était pas en cours.")
        )


def _validate(
    *,
    profile: PeerProfile,
    day: date,
    duration_minutes: int,
    activity_type: ActivityType,
    commune: Commune | None,
    remote: bool,
    travel_minutes: int,
    assignment_id: int | None = None,
    exclude_id: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if day > timezone.localdate():
        errors.setdefault("day", []).append(_("Cette date est dans le futur : on ne note que ce qui a eu lieu."))
    if duration_minutes <= 0:
        errors.setdefault("duration_minutes", []).append(_("Indiquez une durée."))
    elif duration_minutes > 24 * 60:
        errors.setdefault("duration_minutes", []).append(_("Une activité ne peut pas durer plus de 24 heures."))
    if travel_minutes < 0 or travel_minutes > 12 * 60:
        errors.setdefault("travel_minutes", []).append(_("Le temps de trajet doit être compris entre 0 et 12 heures."))
    if not remote and commune is None:
        errors.setdefault("commune", []).append(_("Indiquez la commune, ou cochez « à distance »."))
    if activity_type.platform_id != profile.platform_id:
        errors.setdefault("activity_type", []).append(_("Ce type d'activité n'existe pas sur la plateforme."))
    if not profile.is_active_on(day):
        errors.setdefault("day", []).append(
            _("À cette date, ce ou cette pair aidant·e n'était pas en activité sur la plateforme.")
        )
    if assignment_id is not None:
        _check_assignment(errors, profile, day, assignment_id)
    if not errors and duration_minutes:
        others = ActivityEntry.objects.filter(profile=profile, day=day)
        if exclude_id:
            others = others.exclude(pk=exclude_id)
        already = others.aggregate(total=Sum("duration_minutes"))["total"] or 0
        if already + duration_minutes > 24 * 60:
            errors.setdefault("duration_minutes", []).append(
                _("Avec cette activité, la journée dépasserait 24 heures.")
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_log(
    *,
    request: HttpRequest | None,
    profile: PeerProfile,
    day: date,
    duration_minutes: int,
    activity_type: ActivityType,
    commune: Commune | None = None,
    remote: bool = False,
    workplace: str = "",
    travel_minutes: int = 0,
    assignment_id: int | None = None,
) -> ActivityEntry:
    """Log one piece of work. The free text names a place or a team, never a person.
    ``assignment_id`` names the partner deployment the work was for (one of the worker's assignments)."""
    if remote:
        commune = None
    _validate(
        profile=profile,
        day=day,
        duration_minutes=duration_minutes,
        activity_type=activity_type,
        commune=commune,
        remote=remote,
        travel_minutes=travel_minutes,
        assignment_id=assignment_id,
    )
    return ActivityEntry.objects.create(
        platform=profile.platform,
        profile=profile,
        day=day,
        duration_minutes=duration_minutes,
        activity_type=activity_type,
        commune=commune,
        remote=remote,
        workplace=workplace.strip()[:120],
        travel_minutes=travel_minutes,
        assignment_id=assignment_id,
    )


@transaction.atomic
def activity_update(*, request: HttpRequest | None, entry: ActivityEntry, correction: bool, **values: Any) -> list[str]:
    """Change an entry. A coordinator's correction of someone else's entry is journaled."""
    if values.get("remote"):
        values["commune"] = None
    if "workplace" in values:
        values["workplace"] = values["workplace"].strip()[:120]
    merged = {name: values.get(name, getattr(entry, name)) for name in ENTRY_FIELDS}
    _validate(
        profile=entry.profile,
        day=merged["day"],
        duration_minutes=merged["duration_minutes"],
        activity_type=merged["activity_type"],
        commune=merged["commune"],
        remote=merged["remote"],
        travel_minutes=merged["travel_minutes"],
        assignment_id=merged["assignment_id"],
        exclude_id=entry.pk,
    )
    changed = [name for name in ENTRY_FIELDS if getattr(entry, name) != merged[name]]
    if not changed:
        return []
    for name in changed:
        setattr(entry, name, merged[name])
    entry.save(update_fields=[*changed, "updated_at"])
    if correction:
        journal.log_update(
            request=request, obj=entry, fields=[_journal_name(name) for name in changed], detail="correction"
        )
    return changed


@transaction.atomic
def activity_delete(*, request: HttpRequest | None, entry: ActivityEntry, correction: bool) -> None:
    if correction:
        journal.log_delete(request=request, obj=entry, detail="correction")
    entry.delete()


@transaction.atomic
def activity_prefill_apply(*, request: HttpRequest | None, profile: PeerProfile, entries: Sequence[EntryValues]) -> int:
    """Log a whole week at once from the worker's usual week: every line is valid, or nothing
    is saved. Refused when the week already holds entries (a second submission, for example)."""
    if not entries:
        raise ValidationError(_("Cochez au moins une activité à enregistrer."))
    first = min(item["day"] for item in entries)
    last = max(item["day"] for item in entries)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    if ActivityEntry.objects.filter(profile=profile, day__gte=start, day__lte=end).exists():
        raise ValidationError(
            _("Cette semaine contient déjà des activités : la semaine type ne s'applique qu'à une semaine vide.")
        )
    for item in sorted(entries, key=lambda item: item["day"]):
        try:
            activity_log(request=request, profile=profile, **item)
        except ValidationError as error:
            raise ValidationError(
                _("Activité du %(day)s : %(message)s")
                % {"day": formats.date_format(item["day"], "l j F"), "message": " ".join(error.messages)}
            ) from error
    return len(entries)
