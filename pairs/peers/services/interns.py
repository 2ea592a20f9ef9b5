"""Every write of the DU intern records: a new intern with their default milestones, the coordination's
changes (dates, tutor, goals), milestones added and marked done with their evaluation."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.models import Platform

from ..models import InternMilestone, InternRecord, PeerProfile

__all__ = ["intern_create", "intern_update", "midpoint", "milestone_add", "milestone_done"]

RECORD_FIELDS = ("profile", "university", "diploma", "starts_on", "ends_on", "tutor", "learning_goals")
EDIT_FIELDS = ("university", "diploma", "starts_on", "ends_on", "tutor", "learning_goals")
MAX_GOALS = 5000
MAX_EVALUATION = 5000
MAX_TITLE = 150
MAX_INTERNSHIP_DAYS = 3 * 366


def midpoint(starts_on: date, ends_on: date) -> date:
    """The middle day of the internship (the mid-term review)."""
    return starts_on + (ends_on - starts_on) / 2


def _clean_record(
    *,
    platform: Platform,
    intern: PeerProfile,
    university: str,
    starts_on: date,
    ends_on: date,
    tutor: PeerProfile,
    learning_goals: str,
    current_tutor_id: int | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not university.strip():
        errors["university"] = [_("Indiquez l'université qui délivre le DU.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("La fin du stage ne peut pas précéder son début.")]
    elif (ends_on - starts_on).days > MAX_INTERNSHIP_DAYS:
        errors["ends_on"] = [_("Un stage de DU dure au plus trois ans : vérifiez les dates.")]
    if tutor.pk == intern.pk:
        errors["tutor"] = [_("Le tuteur ou la tutrice doit être une autre personne que le ou la stagiaire.")]
    else:
        in_activity = tutor.membership.is_active and tutor.is_active_on(timezone.localdate())
        if tutor.platform_id != platform.pk or (tutor.pk != current_tutor_id and not in_activity):
            errors["tutor"] = [
                _("Choisissez un·e pair aidant·e en activité sur la plateforme comme tuteur ou tutrice.")
            ]
    if len(learning_goals) > MAX_GOALS:
        errors["learning_goals"] = [
            _("Les objectifs sont trop longs (%(max)s caractères au plus).") % {"max": MAX_GOALS}
        ]
    return errors


@transaction.atomic
def intern_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    profile: PeerProfile,
    university: str,
    diploma: str = "",
    starts_on: date,
    ends_on: date,
    tutor: PeerProfile,
    learning_goals: str = "",
) -> InternRecord:
    """A DU intern hosted by the platform, with two milestones: the mid-term review at the middle of the
    internship and the final evaluation on its last day."""
    PeerProfile.objects.select_for_update().filter(pk=profile.pk).first()
    errors = _clean_record(
        platform=platform,
        intern=profile,
        university=university,
        starts_on=starts_on,
        ends_on=ends_on,
        tutor=tutor,
        learning_goals=learning_goals,
        current_tutor_id=None,
    )
    if profile.platform_id != platform.pk:
        errors["profile"] = [_("Choisissez une personne du vivier de la plateforme.")]
    elif InternRecord.objects.filter(profile=profile).exists():
        errors["profile"] = [_("Cette personne a déjà une fiche de stagiaire.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            record = InternRecord.objects.create(
                platform=platform,
                profile=profile,
                university=university.strip(),
                diploma=diploma.strip(),
                starts_on=starts_on,
                ends_on=ends_on,
                tutor=tutor,
                learning_goals=learning_goals.strip(),
            )
    except IntegrityError as error:  # the same person recorded twice at once
        raise ValidationError({"profile": [_("Cette personne a déjà une fiche de stagiaire.")]}) from error
    InternMilestone.objects.bulk_create(
        [
            InternMilestone(
                platform=platform,
                record=record,
                title=_("Point d'étape à mi-parcours"),
                due_on=midpoint(starts_on, ends_on),
            ),
            InternMilestone(platform=platform, record=record, title=_("Évaluation finale"), due_on=ends_on),
        ]
    )
    journal.log_create(request=request, obj=record, fields=[*RECORD_FIELDS, "milestones"], platform=platform)
    return record


@transaction.atomic
def intern_update(
    *,
    request: HttpRequest | None,
    record: InternRecord,
    university: str,
    diploma: str = "",
    starts_on: date,
    ends_on: date,
    tutor: PeerProfile,
    learning_goals: str = "",
) -> InternRecord:
    """The coordination changes the dates, the tutor or the goals. Milestones keep their dates: move them
    one by one if needed."""
    locked = InternRecord.objects.select_for_update().select_related("platform", "profile").get(pk=record.pk)
    errors = _clean_record(
        platform=locked.platform,
        intern=locked.profile,
        university=university,
        starts_on=starts_on,
        ends_on=ends_on,
        tutor=tutor,
        learning_goals=learning_goals,
        current_tutor_id=locked.tutor_id,
    )
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(locked, name) for name in EDIT_FIELDS}
    locked.university, locked.diploma = university.strip(), diploma.strip()
    locked.starts_on, locked.ends_on = starts_on, ends_on
    locked.tutor, locked.learning_goals = tutor, learning_goals.strip()
    locked.save()
    fields = journal.changed_fields(before, {name: getattr(locked, name) for name in EDIT_FIELDS})
    if fields:
        journal.log_update(request=request, obj=locked, fields=fields, platform=locked.platform)
    return locked


@transaction.atomic
def milestone_add(*, request: HttpRequest | None, record: InternRecord, title: str, due_on: date) -> InternMilestone:
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Indiquez l'intitulé de l'étape.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("L'intitulé est trop long (%(max)s caractères au plus).") % {"max": MAX_TITLE}]
    if errors:
        raise ValidationError(errors)
    milestone = InternMilestone.objects.create(
        platform_id=record.platform_id, record=record, title=title, due_on=due_on
    )
    journal.log_create(request=request, obj=milestone, fields=["title", "due_on"], platform=record.platform)
    return milestone


@transaction.atomic
def milestone_done(
    *, request: HttpRequest | None, milestone: InternMilestone, done_on: date, evaluation: str
) -> InternMilestone:
    """Mark a milestone done on a day (never in the future) with its evaluation."""
    locked = InternMilestone.objects.select_for_update().get(pk=milestone.pk)
    errors: dict[str, list[str]] = {}
    if done_on > timezone.localdate():
        errors["done_on"] = [_("La date ne peut pas être dans le futur.")]
    if len(evaluation) > MAX_EVALUATION:
        errors["evaluation"] = [_("Le bilan est trop long (%(max)s caractères au plus).") % {"max": MAX_EVALUATION}]
    if errors:
        raise ValidationError(errors)
    before = {"done_on": locked.done_on, "evaluation": locked.evaluation}
    locked.done_on, locked.evaluation = done_on, evaluation.strip()
    locked.save(update_fields=["done_on", "evaluation"])
    fields = journal.changed_fields(before, {"done_on": locked.done_on, "evaluation": locked.evaluation})
    if fields:
        journal.log_update(request=request, obj=locked, fields=fields)
    return locked
