"""Writes of the follow-up of a deployment: joint reviews and their reminders, success criteria and
the bilan, the transition to direct hiring."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.partners.models import Contact
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role

from .. import workflow
from ..models import (
    Assessment,
    AssessmentScore,
    Assignment,
    Deployment,
    Outcome,
    Review,
    Score,
    State,
    SuccessCriterionTemplate,
    TransitionPlan,
    TransitionTask,
    assessment_is_complete,
    current_assessment,
    has_current_assignment,
    settings_for,
)

DEFAULT_SUCCESS_CRITERIA = [
    gettext_lazy("Le ou la pair aidant·e a trouvé sa place dans l'équipe"),
    gettext_lazy("Les personnes accompagnées font appel au ou à la pair aidant·e"),
    gettext_lazy("L'équipe s'appuie sur le savoir expérientiel dans ses pratiques"),
    gettext_lazy("Les missions sont claires et reconnues par l'encadrement"),
    gettext_lazy("Le ou la pair aidant·e se sent bien dans son poste et soutenu·e"),
]

DEFAULT_TRANSITION_TASKS = [
    gettext_lazy("Fiche de poste rédigée avec le partenaire"),
    gettext_lazy("Financement du poste confirmé par le partenaire"),
    gettext_lazy("Entretien d'embauche organisé"),
    gettext_lazy("Contrat de travail signé avec le partenaire"),
    gettext_lazy("Relais pris par l'encadrement du partenaire (référent, supervision)"),
    gettext_lazy("Analyse de pratiques proposée au ou à la pair aidant·e embauché·e"),
    gettext_lazy("Fin de la convention de mise à disposition"),
]

__all__ = [
    "DEFAULT_SUCCESS_CRITERIA",
    "DEFAULT_TRANSITION_TASKS",
    "CriterionInput",
    "assessment_save",
    "has_complete_assessment",
    "has_current_assignment",
    "review_add",
    "review_record",
    "review_reminders_send",
    "reviews_schedule",
    "success_criteria_seed",
    "success_criterion_delete",
    "success_criterion_save",
    "transition_plan_create",
    "transition_task_set",
]

MAX_TEXT = 5000
MAX_CRITERIA = 30
MAX_POSITION = 999
# The longest reminder delay a platform may choose (DeploymentSettings.reminder_days).
MAX_REMINDER_DAYS = 60


def has_complete_assessment(deployment: Deployment) -> bool:
    return assessment_is_complete(current_assessment(deployment))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _lock_deployment(deployment_id: int) -> Deployment:
    return Deployment.objects.select_for_update().select_related("platform").get(pk=deployment_id)


# ---- Joint follow-up reviews


@transaction.atomic
def reviews_schedule(*, deployment: Deployment, start: date) -> list[Review]:
    """Plan the joint reviews at the platform's months after ``start`` (1, 3 and 6 by default).
    Reviews already planned on or after ``start`` are kept: a renewal does not duplicate them."""
    if Review.objects.filter(deployment=deployment, planned_on__gte=start).exists():
        return []
    months = sorted(set(settings_for(deployment.platform_id).review_months))
    return Review.objects.bulk_create(
        Review(platform_id=deployment.platform_id, deployment=deployment, planned_on=add_months(start, m))
        for m in months
        if m > 0
    )


@transaction.atomic
def review_add(*, request: HttpRequest | None, deployment: Deployment, planned_on: date) -> Review:
    """Plan one more joint review (coordinators), today or later."""
    locked = _lock_deployment(deployment.pk)
    if locked.state in workflow.FINAL:
        raise ValidationError(_("Ce déploiement est terminé : on n'y prévoit plus de point de suivi."))
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": [_("Un point de suivi se prévoit aujourd'hui ou plus tard.")]})
    if Review.objects.filter(deployment=locked, planned_on=planned_on, held_on__isnull=True).exists():
        raise ValidationError(
            {"planned_on": [_("Un point de suivi est déjà prévu le %(day)s.") % {"day": _day(planned_on)}]}
        )
    review = Review.objects.create(platform_id=locked.platform_id, deployment=locked, planned_on=planned_on)
    journal.log_create(request=request, obj=review, fields=["planned_on"], platform=locked.platform)
    return review


REVIEW_FIELDS = ("held_on", "attendees", "what_works", "what_does_not", "decisions", "next_on")


def _validate_review(*, held_on: date, next_on: date | None, texts: dict[str, str]) -> None:
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("La date du point ne peut pas être dans le futur.")]
    if next_on is not None and next_on <= held_on:
        errors["next_on"] = [_("Le prochain point doit venir après la date de ce point.")]
    for name, text in texts.items():
        if len(text) > MAX_TEXT:
            errors[name] = [_("Ce texte dépasse %(max)s caractères.") % {"max": MAX_TEXT}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_record(
    *,
    request: HttpRequest | None,
    review: Review,
    held_on: date,
    attendees: str,
    what_works: str,
    what_does_not: str,
    decisions: str,
    next_on: date | None,
) -> list[str]:
    """Note a joint review (or correct it). A next date plans the next review that day, unless one
    is already planned then; moving the next date moves the review it had planned. Returns the
    names of the fields that changed."""
    deployment = _lock_deployment(review.deployment_id)
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if deployment.state in workflow.FINAL:
        raise ValidationError(_("Ce déploiement est terminé : ses points de suivi ne changent plus."))
    texts = {
        "attendees": attendees.strip(),
        "what_works": what_works.strip(),
        "what_does_not": what_does_not.strip(),
        "decisions": decisions.strip(),
    }
    _validate_review(held_on=held_on, next_on=next_on, texts=texts)
    values: dict[str, object] = {"held_on": held_on, "next_on": next_on, **texts}
    previous_next = locked.next_on
    changed = [name for name in REVIEW_FIELDS if getattr(locked, name) != values[name]]
    if changed:
        for name in changed:
            setattr(locked, name, values[name])
        locked.save(update_fields=[*changed, "updated_at"])
        journal.log_update(request=request, obj=locked, fields=changed, platform=deployment.platform)
    for name in REVIEW_FIELDS:
        setattr(review, name, getattr(locked, name))
    if next_on is not None:
        _plan_next(request=request, deployment=deployment, review=locked, next_on=next_on, previous=previous_next)
    return changed


def _plan_next(
    *, request: HttpRequest | None, deployment: Deployment, review: Review, next_on: date, previous: date | None
) -> None:
    others = Review.objects.filter(deployment=deployment).exclude(pk=review.pk)
    if others.filter(planned_on=next_on).exists():
        return
    moved = None
    if previous is not None and previous != next_on:
        moved = others.filter(planned_on=previous, held_on__isnull=True).order_by("id").first()
    if moved is not None:
        moved.planned_on, moved.reminder_sent_on = next_on, None
        moved.save(update_fields=["planned_on", "reminder_sent_on", "updated_at"])
        journal.log_update(request=request, obj=moved, fields=["planned_on"], platform=deployment.platform)
    else:
        planned = Review.objects.create(platform_id=deployment.platform_id, deployment=deployment, planned_on=next_on)
        journal.log_create(request=request, obj=planned, fields=["planned_on"], platform=deployment.platform)


@transaction.atomic
def review_reminders_send(*, today: date) -> int:
    """E-mail the people of each joint review coming within the platform's reminder delay, once:
    the platform's active coordinators, the partner's contact accounts and the peer workers placed
    in the deployment. The e-mail holds the date, the partner and the kind of request, never what
    was said. Run by a job, outside any request scope. Returns the number of reviews reminded."""
    candidates = list(
        Review.objects.filter(
            held_on__isnull=True,
            reminder_sent_on__isnull=True,
            planned_on__gte=today,
            planned_on__lte=today + timedelta(days=MAX_REMINDER_DAYS),
            platform__is_active=True,
        )
        .exclude(deployment__state__in=workflow.FINAL)
        .select_related("deployment__organisation", "platform")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("planned_on", "pk")
    )
    delays = {pid: settings_for(pid).reminder_days for pid in {review.platform_id for review in candidates}}
    reviews = [r for r in candidates if r.planned_on <= today + timedelta(days=delays[r.platform_id])]
    if not reviews:
        return 0
    coordinators = _coordinators({review.platform_id for review in reviews})
    contacts = _partner_accounts({review.deployment.organisation_id for review in reviews})
    workers = _assigned_workers({review.deployment_id for review in reviews}, today)
    for review in reviews:
        deployment = review.deployment
        seen: set[str] = set()  # one e-mail per address, whatever the roles of the person
        _queue_review_reminder(review, workers.get(deployment.pk, []), seen, to_worker=True)
        _queue_review_reminder(review, coordinators.get(review.platform_id, []), seen, to_worker=False)
        _queue_review_reminder(review, contacts.get(deployment.organisation_id, []), seen, to_worker=False)
        review.reminder_sent_on = today
        review.save(update_fields=["reminder_sent_on"])
    return len(reviews)


def _coordinators(platform_ids: set[int]) -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    rows = (
        Membership.objects.filter(platform_id__in=platform_ids, role=Role.COORDINATOR)
        .active()
        .select_related("user")
        .order_by("pk")
    )
    for membership in rows:
        result.setdefault(membership.platform_id, []).append(membership.user)
    return result


def _partner_accounts(organisation_ids: set[int]) -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    rows = (
        Contact.objects.filter(
            organisation_id__in=organisation_ids,
            membership__role=Role.PARTNER_CONTACT,
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .select_related("membership__user")
        .order_by("pk")
    )
    for contact in rows:
        assert contact.membership is not None
        result.setdefault(contact.organisation_id, []).append(contact.membership.user)
    return result


def _assigned_workers(deployment_ids: set[int], today: date) -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    rows = (
        Assignment.objects.filter(
            deployment_id__in=deployment_ids,
            profile__membership__is_active=True,
            profile__membership__user__is_active=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("profile__membership__user")
        .order_by("pk")
    )
    for assignment in rows:
        result.setdefault(assignment.deployment_id, []).append(assignment.profile.membership.user)
    return result


def _queue_review_reminder(review: Review, users: list[User], seen: set[str], *, to_worker: bool) -> None:
    deployment = review.deployment
    page = "deployments:my_assignments" if to_worker else "deployments:detail"
    kwargs = {} if to_worker else {"deployment_id": deployment.pk}
    link = settings.SITE_URL.rstrip("/") + reverse(page, kwargs=kwargs)
    for user in users:
        address = user.email.strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        email_queue(
            to=user.email,
            kind="deployment_review_reminder",
            template="deployments/emails/review_reminder.txt",
            context={
                "name": user.first_name,
                "day": review.planned_on,
                "organisation": deployment.organisation.name,
                "kind": deployment.get_kind_display(),
                "link": link,
            },
            platform=review.platform,
        )


# ---- The platform's success criteria


@transaction.atomic
def success_criteria_seed(*, platform: Platform) -> None:
    if not SuccessCriterionTemplate.objects.filter(platform=platform).exists():
        SuccessCriterionTemplate.objects.bulk_create(
            SuccessCriterionTemplate(platform=platform, position=i, label=str(label))
            for i, label in enumerate(DEFAULT_SUCCESS_CRITERIA, start=1)
        )


@transaction.atomic
def success_criterion_save(
    *,
    request: HttpRequest | None,
    platform: Platform,
    item: SuccessCriterionTemplate | None,
    label: str,
    position: int | None = None,
) -> SuccessCriterionTemplate:
    """Add a criterion to the platform's list, or change one. Bilans already started keep their copy."""
    label = label.strip()
    errors: dict[str, list[str]] = {}
    if not label:
        errors.setdefault("label", []).append(_("Écrivez le critère en quelques mots."))
    elif len(label) > 200:
        errors.setdefault("label", []).append(_("Un critère tient en 200 caractères au plus."))
    if position is not None and not 1 <= position <= MAX_POSITION:
        errors.setdefault("position", []).append(
            _("L'ordre doit être compris entre 1 et %(max)s.") % {"max": MAX_POSITION}
        )
    if item is not None and item.platform_id != platform.pk:
        errors.setdefault("__all__", []).append(_("Ce critère n'appartient pas à la plateforme."))
    existing = SuccessCriterionTemplate.objects.filter(platform=platform)
    if item is None and existing.count() >= MAX_CRITERIA:
        errors.setdefault("__all__", []).append(_("La liste compte au plus %(max)s critères.") % {"max": MAX_CRITERIA})
    if errors:
        raise ValidationError(errors)
    if position is None:
        position = (existing.aggregate(last=Max("position"))["last"] or 0) + 1
    if item is None:
        item = SuccessCriterionTemplate.objects.create(platform=platform, label=label, position=position)
        journal.log_create(request=request, obj=item, fields=["label", "position"], platform=platform)
        return item
    before = {"label": item.label, "position": item.position}
    changed = journal.changed_fields(before, {"label": label, "position": position})
    if changed:
        item.label, item.position = label, position
        item.save(update_fields=changed)
        journal.log_update(request=request, obj=item, fields=changed, platform=platform)
    return item


@transaction.atomic
def success_criterion_delete(
    *, request: HttpRequest | None, platform: Platform, item: SuccessCriterionTemplate
) -> None:
    """Remove a criterion (bilans already started keep their copy). The list never becomes empty."""
    if item.platform_id != platform.pk:
        raise ValidationError(_("Ce critère n'appartient pas à la plateforme."))
    if not SuccessCriterionTemplate.objects.filter(platform=platform).exclude(pk=item.pk).exists():
        raise ValidationError(
            _("La liste doit garder au moins un critère de réussite. Modifiez-le plutôt que de le supprimer.")
        )
    journal.log_delete(request=request, obj=item, platform=platform)
    item.delete()


# ---- The bilan


@dataclass(frozen=True)
class CriterionInput:
    """One criterion as typed in the bilan form. ``key`` is the AssessmentScore of a saved bilan, or
    the platform's SuccessCriterionTemplate for a bilan saved for the first time."""

    key: int
    score: int | None
    comment: str


STALE = "stale"


def _validate_assessment(*, held_on: date, summary: str, outcome: str, criteria: Sequence[CriterionInput]) -> None:
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("La date du bilan ne peut pas être dans le futur.")]
    if outcome and outcome not in Outcome.values:
        errors["outcome"] = [_("Choisissez une suite de la liste.")]
    if len(summary) > MAX_TEXT:
        errors["summary"] = [_("Ce texte dépasse %(max)s caractères.") % {"max": MAX_TEXT}]
    if any(c.score is not None and c.score not in Score.values for c in criteria):
        errors["__all__"] = [_("Choisissez chaque appréciation dans la liste.")]
    elif any(len(c.comment) > MAX_TEXT for c in criteria):
        errors["__all__"] = [_("Un commentaire dépasse %(max)s caractères.") % {"max": MAX_TEXT}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_save(
    *,
    request: HttpRequest | None,
    deployment: Deployment,
    by: User,
    assessment_id: int | None,
    held_on: date,
    summary: str,
    outcome: str,
    criteria: Sequence[CriterionInput],
) -> Assessment:
    """Save the bilan of a deployment at the "Bilan" step, scored in full or in part (a draft).

    The first save creates it with one score per platform criterion, all at once: nobody ever sees
    a bilan half-created. ``assessment_id`` is the bilan the form was built for (None: a new one);
    a screen that became stale is refused."""
    locked = _lock_deployment(deployment.pk)
    if locked.state != State.ASSESSMENT:
        raise ValidationError(
            _("Le bilan se remplit à l'étape « Bilan » ; ce déploiement est à l'étape « %(state)s ».")
            % {"state": State(locked.state).label}
        )
    summary = summary.strip()
    criteria = [CriterionInput(key=c.key, score=c.score, comment=c.comment.strip()) for c in criteria]
    _validate_assessment(held_on=held_on, summary=summary, outcome=outcome, criteria=criteria)
    current = current_assessment(locked)
    if (current.pk if current else None) != assessment_id:
        raise ValidationError(
            _("Le bilan a été enregistré entre-temps par quelqu'un d'autre. Relisez-le avant de le modifier."),
            code=STALE,
        )
    given = {c.key: c for c in criteria}
    if current is None:
        success_criteria_seed(platform=locked.platform)
        assessment = Assessment.objects.create(
            deployment=locked, held_on=held_on, summary=summary, outcome=outcome, by=by
        )
        templates = SuccessCriterionTemplate.objects.filter(platform_id=locked.platform_id).order_by("position", "id")
        AssessmentScore.objects.bulk_create(
            AssessmentScore(
                assessment=assessment,
                position=template.position,
                label=template.label,
                score=given[template.pk].score if template.pk in given else None,
                comment=given[template.pk].comment if template.pk in given else "",
            )
            for template in templates
        )
        journal.log_create(
            request=request,
            obj=assessment,
            fields=["held_on", "summary", "outcome", "scores"],
            platform=locked.platform,
        )
        return assessment
    before = {"held_on": current.held_on, "summary": current.summary, "outcome": current.outcome}
    changed = journal.changed_fields(before, {"held_on": held_on, "summary": summary, "outcome": outcome})
    if changed:
        current.held_on, current.summary, current.outcome = held_on, summary, outcome
        current.save(update_fields=[*changed, "updated_at"])
    scores_changed = False
    for row in AssessmentScore.objects.select_for_update().filter(assessment=current):
        typed = given.get(row.pk)
        if typed is not None and (row.score, row.comment) != (typed.score, typed.comment):
            row.score, row.comment = typed.score, typed.comment
            row.save(update_fields=["score", "comment"])
            scores_changed = True
    if scores_changed:
        changed.append("scores")
        if "held_on" not in changed:
            current.save(update_fields=["updated_at"])
    if changed:
        journal.log_update(request=request, obj=current, fields=changed, platform=locked.platform)
    return current


# ---- The transition to direct hiring


@transaction.atomic
def transition_plan_create(*, deployment: Deployment, target_date: date, by: User) -> TransitionPlan:
    """The plan of the direct hiring, with its checklist. A second move keeps the first plan's
    ticks and only updates the target date."""
    plan, created = TransitionPlan.objects.get_or_create(
        deployment=deployment, defaults={"target_date": target_date, "created_by": by}
    )
    if created:
        TransitionTask.objects.bulk_create(
            TransitionTask(plan=plan, position=i, label=str(label))
            for i, label in enumerate(DEFAULT_TRANSITION_TASKS, start=1)
        )
    elif plan.target_date != target_date:
        plan.target_date = target_date
        plan.save(update_fields=["target_date"])
    return plan


@transaction.atomic
def transition_task_set(*, request: HttpRequest | None, task: TransitionTask, by: User, done: bool) -> bool:
    """Tick or untick a step of the transition (coordinators). Returns whether anything changed."""
    deployment = _lock_deployment(task.plan.deployment_id)
    locked = TransitionTask.objects.select_for_update().get(pk=task.pk)
    if deployment.state in workflow.FINAL:
        raise ValidationError(_("Ce déploiement est terminé : sa transition ne change plus."))
    if done == (locked.done_at is not None):
        return False
    locked.done_at, locked.done_by = (timezone.now(), by) if done else (None, None)
    locked.save(update_fields=["done_at", "done_by"])
    task.done_at, task.done_by = locked.done_at, locked.done_by
    journal.log_update(request=request, obj=locked, fields=["done_at"], platform=deployment.platform)
    return True
