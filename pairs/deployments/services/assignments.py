"""Writes of assignments: the skills a deployment looks for, placing a peer worker in a
deployment (with their half-days), changing or ending an assignment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.peers.models import PeerProfile, Skill

from .. import ranking
from ..models import Assignment, AssignmentSlot, Deployment, State
from ..ranking import Slot

# The steps at which peer workers may be placed in a deployment.
ASSIGNABLE_STATES = frozenset({State.ASSIGNMENT, State.INTEGRATION, State.ASSESSMENT, State.RENEWAL})
MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("48")


def can_assign(deployment: Deployment) -> bool:
    return deployment.state in ASSIGNABLE_STATES


def closed_message(deployment: Deployment) -> str:
    return _(
        "On affecte des pairs aidant·es aux étapes « Affectation », « Intégration », « Bilan » et "
        "« Renouvellement ». Ce déploiement est à l'étape « %(state)s »."
    ) % {"state": State(deployment.state).label}


@transaction.atomic
def deployment_skills_set(*, request: HttpRequest | None, deployment: Deployment, skills: Iterable[Skill]) -> bool:
    """The skills the coordinator looks for in the workers of this deployment. True when changed."""
    chosen = list(skills)
    if any(skill.platform_id != deployment.platform_id for skill in chosen):
        raise ValidationError({"skills": [_("Choisissez des compétences du catalogue de la plateforme.")]})
    before = set(deployment.skills.values_list("pk", flat=True))
    if before == {skill.pk for skill in chosen}:
        return False
    deployment.skills.set(chosen)
    journal.log_update(request=request, obj=deployment, fields=["skills"], platform=deployment.platform)
    return True


def _check_values(
    errors: dict[str, list[str]], *, weekly_hours: Decimal | None, start_date: date, end_date: date | None
) -> None:
    if weekly_hours is None or not MIN_HOURS <= weekly_hours <= MAX_HOURS:
        errors.setdefault("weekly_hours", []).append(
            _("Le nombre d'heures par semaine doit être compris entre 0,5 et 48.")
        )
    elif weekly_hours != weekly_hours.quantize(Decimal("0.1")):
        errors.setdefault("weekly_hours", []).append(_("Indiquez au plus un chiffre après la virgule."))
    if end_date is not None and end_date < start_date:
        errors.setdefault("end_date", []).append(_("La date de fin doit suivre la date de début."))


def _valid_slots(errors: dict[str, list[str]], slots: Sequence[Slot]) -> list[Slot]:
    valid = ranking.sort_slots(slot for slot in slots if ranking.parse_slot(ranking.slot_value(slot)) is not None)
    if len(valid) != len(set(slots)):
        errors.setdefault("slots", []).append(_("Choisissez des demi-journées de la semaine."))
    return valid


@transaction.atomic
def assignment_create(
    *,
    request: HttpRequest | None,
    deployment: Deployment,
    profile: PeerProfile,
    weekly_hours: Decimal,
    start_date: date,
    end_date: date | None = None,
    slots: Sequence[Slot] = (),
    by: User,
) -> Assignment:
    """Place a peer worker in a deployment, with weekly hours and half-days, and tell them by e-mail."""
    locked = (
        Deployment.objects.select_for_update(of=("self",))
        .select_related("organisation", "team", "platform")
        .get(pk=deployment.pk)
    )
    errors: dict[str, list[str]] = {}
    if not can_assign(locked):
        errors.setdefault("__all__", []).append(closed_message(locked))
    if profile.platform_id != locked.platform_id:
        errors.setdefault("profile", []).append(_("Ce ou cette pair aidant·e n'existe pas sur la plateforme."))
    elif not (profile.membership.is_active and profile.membership.user.is_active):
        errors.setdefault("profile", []).append(_("Le compte de ce ou cette pair aidant·e est désactivé."))
    elif not profile.is_active_on(start_date):
        errors.setdefault("profile", []).append(
            _("À cette date de début, ce ou cette pair aidant·e n'est pas en activité sur la plateforme.")
        )
    elif Assignment.objects.filter(deployment=locked, profile=profile).exists():
        errors.setdefault("profile", []).append(_("Ce ou cette pair aidant·e est déjà affecté·e à ce déploiement."))
    _check_values(errors, weekly_hours=weekly_hours, start_date=start_date, end_date=end_date)
    chosen = _valid_slots(errors, slots)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                platform=locked.platform,
                deployment=locked,
                profile=profile,
                weekly_hours=weekly_hours,
                start_date=start_date,
                end_date=end_date,
                created_by=by,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"profile": [_("Ce ou cette pair aidant·e est déjà affecté·e à ce déploiement.")]}
        ) from exc
    AssignmentSlot.objects.bulk_create(
        AssignmentSlot(assignment=assignment, weekday=weekday, part=part) for weekday, part in chosen
    )
    journal.log_create(
        request=request,
        obj=assignment,
        fields=["profile", "weekly_hours", "start_date", "end_date", "slots"],
        platform=locked.platform,
    )
    _notify_worker(assignment, locked, chosen)
    return assignment


def _notify_worker(assignment: Assignment, deployment: Deployment, slots: list[Slot]) -> None:
    """Tell the worker where and when they start (names of the partner and team, no free text)."""
    user = assignment.profile.membership.user
    if not user.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("deployments:my_assignments")
    email_queue(
        to=user.email,
        kind="assignment_created",
        template="deployments/emails/assignment_created.txt",
        context={
            "name": user.first_name,
            "organisation": deployment.organisation.name,
            "team": deployment.team.name if deployment.team else "",
            "slots": ranking.slots_label(slots),
            "hours": ranking.hours_text(assignment.weekly_hours),
            "start": formats.date_format(assignment.start_date, "j F Y"),
            "link": link,
        },
        platform=deployment.platform,
    )


@transaction.atomic
def assignment_update(
    *,
    request: HttpRequest | None,
    assignment: Assignment,
    weekly_hours: Decimal,
    end_date: date | None,
    slots: Sequence[Slot],
) -> list[str]:
    """Change the weekly hours, the half-days or the end date (ending an assignment = an end date).
    Returns the names of the fields changed."""
    locked = (
        Assignment.objects.select_for_update(of=("self",)).select_related("deployment__platform").get(pk=assignment.pk)
    )
    errors: dict[str, list[str]] = {}
    _check_values(errors, weekly_hours=weekly_hours, start_date=locked.start_date, end_date=end_date)
    chosen = _valid_slots(errors, slots)
    if end_date is not None and "end_date" not in errors:
        later = locked.activities.filter(day__gt=end_date).order_by("-day").values_list("day", flat=True).first()
        if later is not None:
            errors.setdefault("end_date", []).append(
                _("Des activités sont notées pour cette affectation jusqu'au %(day)s : la fin ne peut pas être avant.")
                % {"day": formats.date_format(later, "j F Y")}
            )
    if errors:
        raise ValidationError(errors)
    before_slots = ranking.sort_slots((s.weekday, s.part) for s in locked.slots.all())
    changed = []
    if locked.weekly_hours != weekly_hours:
        changed.append("weekly_hours")
    if locked.end_date != end_date:
        changed.append("end_date")
    if before_slots != chosen:
        changed.append("slots")
    if not changed:
        return []
    locked.weekly_hours, locked.end_date = weekly_hours, end_date
    locked.save(update_fields=["weekly_hours", "end_date"])
    if "slots" in changed:
        locked.slots.all().delete()
        AssignmentSlot.objects.bulk_create(
            AssignmentSlot(assignment=locked, weekday=weekday, part=part) for weekday, part in chosen
        )
    assignment.weekly_hours, assignment.end_date = weekly_hours, end_date
    journal.log_update(request=request, obj=locked, fields=changed, platform=locked.deployment.platform)
    return changed


@transaction.atomic
def assignment_delete(*, request: HttpRequest | None, assignment: Assignment) -> None:
    """Remove an assignment made by mistake. Once work is logged for it, it can only end."""
    locked = (
        Assignment.objects.select_for_update(of=("self",)).select_related("deployment__platform").get(pk=assignment.pk)
    )
    if locked.activities.exists():
        raise ValidationError(
            _(
                "Des activités sont notées pour cette affectation : elle ne peut pas être supprimée. "
                "Indiquez plutôt une date de fin."
            )
        )
    journal.log_delete(request=request, obj=locked, platform=locked.deployment.platform)
    locked.delete()
