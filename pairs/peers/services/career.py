"""Every write of onboarding, training, supervision and career reviews."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role

from ..models import (
    CareerReview,
    Onboarding,
    OnboardingStep,
    OnboardingStepTemplate,
    PeerProfile,
    SupervisionSession,
    TrainingRecord,
)

MAX_TRAINING_HOURS = Decimal("2000")
MAX_DUE_AFTER_DAYS = 730
MAX_POSITION = 999
MAX_TEMPLATE_STEPS = 100
MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 8 * 60
REMINDER_DAYS_AHEAD = 30

REVIEW_FIELDS = ("held_on", "wishes", "skills_to_develop", "planned_trainings", "desired_missions", "next_review_on")
SESSION_FIELDS = ("kind", "held_on", "facilitator", "duration_minutes")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _is_active_worker(profile: PeerProfile, day: date) -> bool:
    return profile.membership.is_active and profile.is_active_on(day)


def one_year_after(day: date) -> date:
    """The same day a year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# ---- Onboarding


@transaction.atomic
def onboarding_start(
    *, request: HttpRequest | None, profile: PeerProfile, tutor: PeerProfile, started_on: date
) -> Onboarding:
    """Start a worker's onboarding: the platform's template steps become their steps."""
    PeerProfile.objects.select_for_update().filter(pk=profile.pk).first()
    errors: dict[str, list[str]] = {}
    if Onboarding.objects.filter(profile=profile).exists():
        errors.setdefault("__all__", []).append(_("Le parcours d'intégration de cette personne a déjà commencé."))
    if tutor.pk == profile.pk:
        errors.setdefault("tutor", []).append(_("Le tuteur ou la tutrice doit être une autre personne du vivier."))
    elif tutor.platform_id != profile.platform_id or not _is_active_worker(tutor, timezone.localdate()):
        errors.setdefault("tutor", []).append(
            _("Choisissez un·e pair aidant·e en activité sur la plateforme comme tuteur ou tutrice.")
        )
    _raise(errors)
    onboarding = Onboarding.objects.create(profile=profile, tutor=tutor, started_on=started_on)
    templates = OnboardingStepTemplate.objects.filter(platform_id=profile.platform_id).order_by("position", "id")
    OnboardingStep.objects.bulk_create(
        OnboardingStep(
            onboarding=onboarding,
            position=template.position,
            title=template.title,
            kind=template.kind,
            due_on=started_on + timedelta(days=template.due_after_days),
        )
        for template in templates
    )
    journal.log_create(request=request, obj=onboarding, fields=["tutor", "started_on", "steps"])
    return onboarding


@transaction.atomic
def onboarding_step_set_done(
    *, request: HttpRequest | None, step: OnboardingStep, done: bool, today: date | None = None
) -> OnboardingStep:
    """Mark a step done today, or reopen it."""
    done_on = (today or timezone.localdate()) if done else None
    if (step.done_on is None) == (done_on is None):
        return step
    step.done_on = done_on
    step.save(update_fields=["done_on"])
    journal.log_update(request=request, obj=step, fields=["done_on"])
    return step


@transaction.atomic
def onboarding_template_step_save(
    *,
    request: HttpRequest | None,
    platform: Platform,
    step: OnboardingStepTemplate | None,
    title: str,
    kind: str,
    due_after_days: int,
    position: int,
) -> OnboardingStepTemplate:
    """Add a step to the platform's onboarding template, or change one (existing paths keep theirs)."""
    title = title.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors.setdefault("title", []).append(_("Donnez un intitulé à l'étape."))
    if kind not in OnboardingStepTemplate.Kind.values:
        errors.setdefault("kind", []).append(_("Choisissez un type d'étape de la liste."))
    if not 0 <= due_after_days <= MAX_DUE_AFTER_DAYS:
        errors.setdefault("due_after_days", []).append(
            _("Le délai doit être compris entre 0 et %(max)s jours.") % {"max": MAX_DUE_AFTER_DAYS}
        )
    if not 1 <= position <= MAX_POSITION:
        errors.setdefault("position", []).append(
            _("L'ordre doit être compris entre 1 et %(max)s.") % {"max": MAX_POSITION}
        )
    if step is not None and step.platform_id != platform.pk:
        errors.setdefault("__all__", []).append(_("Cette étape n'appartient pas au parcours de la plateforme."))
    if step is None and OnboardingStepTemplate.objects.filter(platform=platform).count() >= MAX_TEMPLATE_STEPS:
        errors.setdefault("__all__", []).append(
            _("Un parcours type compte au plus %(max)s étapes.") % {"max": MAX_TEMPLATE_STEPS}
        )
    _raise(errors)
    if step is None:
        step = OnboardingStepTemplate(platform=platform)
    step.title = title[:150]
    step.kind = kind
    step.due_after_days = due_after_days
    step.position = position
    step.save()
    return step


@transaction.atomic
def onboarding_template_step_delete(
    *, request: HttpRequest | None, platform: Platform, step: OnboardingStepTemplate
) -> None:
    """Remove a step from the template. Paths already started keep their copy of it."""
    if step.platform_id != platform.pk:
        raise ValidationError(_("Cette étape n'appartient pas au parcours de la plateforme."))
    step.delete()


# ---- Training record


def _validate_training(*, title: str, started_on: date, ended_on: date | None, hours: Decimal) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append(_("Indiquez l'intitulé de la formation."))
    if ended_on is not None and ended_on < started_on:
        errors.setdefault("ended_on", []).append(_("La fin ne peut pas précéder le début."))
    if hours < 0 or hours > MAX_TRAINING_HOURS:
        errors.setdefault("hours", []).append(
            _("Le nombre d'heures doit être compris entre 0 et %(max)s.") % {"max": MAX_TRAINING_HOURS}
        )
    _raise(errors)


@transaction.atomic
def training_add(
    *,
    request: HttpRequest | None,
    profile: PeerProfile,
    title: str,
    organisation: str,
    is_diploma: bool,
    started_on: date,
    ended_on: date | None,
    hours: Decimal,
) -> TrainingRecord:
    _validate_training(title=title, started_on=started_on, ended_on=ended_on, hours=hours)
    training = TrainingRecord.objects.create(
        profile=profile,
        title=title.strip()[:200],
        organisation=organisation.strip()[:150],
        is_diploma=is_diploma,
        started_on=started_on,
        ended_on=ended_on,
        hours=hours,
    )
    fields = ["title", "organisation", "is_diploma", "started_on", "ended_on", "hours"]
    journal.log_create(request=request, obj=training, fields=fields)
    return training


@transaction.atomic
def training_delete(*, request: HttpRequest | None, training: TrainingRecord) -> None:
    journal.log_delete(request=request, obj=training)
    training.delete()


# ---- Supervision and intervision


def _validate_session(
    *,
    platform: Platform,
    kind: str,
    held_on: date,
    facilitator: str,
    duration_minutes: int,
    attendees: Iterable[PeerProfile],
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in SupervisionSession.Kind.values:
        errors.setdefault("kind", []).append(_("Choisissez supervision ou intervision."))
    if held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(
            _("Cette date est dans le futur : on n'enregistre qu'une séance qui a eu lieu.")
        )
    if not facilitator.strip():
        errors.setdefault("facilitator", []).append(_("Indiquez qui a animé la séance."))
    if not MIN_SESSION_MINUTES <= duration_minutes <= MAX_SESSION_MINUTES:
        errors.setdefault("duration_minutes", []).append(
            _("La durée doit être comprise entre %(min)s et %(max)s minutes.")
            % {"min": MIN_SESSION_MINUTES, "max": MAX_SESSION_MINUTES}
        )
    if any(profile.platform_id != platform.pk for profile in attendees):
        errors.setdefault("attendees", []).append(
            _("Seul·es les pairs aidant·es de la plateforme peuvent être présent·es.")
        )
    _raise(errors)


@transaction.atomic
def supervision_record(
    *,
    request: HttpRequest | None,
    platform: Platform,
    kind: str,
    held_on: date,
    facilitator: str,
    duration_minutes: int,
    attendees: Iterable[PeerProfile],
) -> SupervisionSession:
    """Record a session and who was present. No content notes: confidentiality is the rule."""
    attendees = list(attendees)
    _validate_session(
        platform=platform,
        kind=kind,
        held_on=held_on,
        facilitator=facilitator,
        duration_minutes=duration_minutes,
        attendees=attendees,
    )
    session = SupervisionSession.objects.create(
        platform=platform,
        kind=kind,
        held_on=held_on,
        facilitator=facilitator.strip()[:150],
        duration_minutes=duration_minutes,
    )
    session.attendees.set(attendees)
    journal.log_create(request=request, obj=session, fields=[*SESSION_FIELDS, "attendees"])
    return session


@transaction.atomic
def supervision_update(
    *,
    request: HttpRequest | None,
    session: SupervisionSession,
    kind: str,
    held_on: date,
    facilitator: str,
    duration_minutes: int,
    attendees: Iterable[PeerProfile],
) -> list[str]:
    """Change a session or its attendance. Returns the names of the changed fields."""
    attendees = list(attendees)
    _validate_session(
        platform=session.platform,
        kind=kind,
        held_on=held_on,
        facilitator=facilitator,
        duration_minutes=duration_minutes,
        attendees=attendees,
    )
    values = {
        "kind": kind,
        "held_on": held_on,
        "facilitator": facilitator.strip()[:150],
        "duration_minutes": duration_minutes,
    }
    changed = [name for name in SESSION_FIELDS if getattr(session, name) != values[name]]
    for name in changed:
        setattr(session, name, values[name])
    if changed:
        session.save(update_fields=changed)
    before = set(session.attendees.values_list("pk", flat=True))
    if before != {profile.pk for profile in attendees}:
        session.attendees.set(attendees)
        changed.append("attendees")
    if changed:
        journal.log_update(request=request, obj=session, fields=changed)
    return changed


# ---- Career reviews


def _validate_review(*, held_on: date, next_review_on: date) -> None:
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(
            _("Cette date est dans le futur : on enregistre un entretien qui a eu lieu.")
        )
    if next_review_on <= held_on:
        errors.setdefault("next_review_on", []).append(
            _("Le prochain entretien doit être prévu après la date de celui-ci.")
        )
    _raise(errors)


@transaction.atomic
def career_review_create(
    *,
    request: HttpRequest | None,
    profile: PeerProfile,
    held_on: date,
    wishes: str = "",
    skills_to_develop: str = "",
    planned_trainings: str = "",
    desired_missions: str = "",
    next_review_on: date | None = None,
) -> CareerReview:
    """Record a career review. The next one defaults to a year later."""
    if next_review_on is None:
        next_review_on = one_year_after(held_on)
    _validate_review(held_on=held_on, next_review_on=next_review_on)
    review = CareerReview.objects.create(
        profile=profile,
        held_on=held_on,
        wishes=wishes.strip(),
        skills_to_develop=skills_to_develop.strip(),
        planned_trainings=planned_trainings.strip(),
        desired_missions=desired_missions.strip(),
        next_review_on=next_review_on,
    )
    filled = [name for name in REVIEW_FIELDS if getattr(review, name)]
    journal.log_create(request=request, obj=review, fields=filled)
    return review


@transaction.atomic
def career_review_update(
    *,
    request: HttpRequest | None,
    review: CareerReview,
    held_on: date,
    wishes: str,
    skills_to_develop: str,
    planned_trainings: str,
    desired_missions: str,
    next_review_on: date | None = None,
) -> list[str]:
    """Change a review. A new date for the next review makes a new reminder possible."""
    if next_review_on is None:
        next_review_on = one_year_after(held_on)
    _validate_review(held_on=held_on, next_review_on=next_review_on)
    values = {
        "held_on": held_on,
        "wishes": wishes.strip(),
        "skills_to_develop": skills_to_develop.strip(),
        "planned_trainings": planned_trainings.strip(),
        "desired_missions": desired_missions.strip(),
        "next_review_on": next_review_on,
    }
    changed = [name for name in REVIEW_FIELDS if getattr(review, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(review, name, values[name])
    update_fields = list(changed)
    if "next_review_on" in changed:
        review.reminder_sent_on = None
        update_fields.append("reminder_sent_on")
    review.save(update_fields=update_fields)
    journal.log_update(request=request, obj=review, fields=changed)
    return changed


@transaction.atomic
def career_review_reminders_send(*, today: date) -> int:
    """Remind the worker and the coordinators when the next review is within 30 days.

    Only the latest review of each worker counts, once; the e-mail never holds its content.
    Run by a job, outside any request scope. Returns the number of reviews reminded.
    """
    later = CareerReview.objects.filter(profile=OuterRef("profile")).filter(
        Q(held_on__gt=OuterRef("held_on")) | Q(held_on=OuterRef("held_on"), pk__gt=OuterRef("pk"))
    )
    due = (
        CareerReview.objects.filter(
            next_review_on__gte=today,
            next_review_on__lte=today + timedelta(days=REMINDER_DAYS_AHEAD),
            reminder_sent_on__isnull=True,
            profile__membership__is_active=True,
            profile__membership__user__is_active=True,
        )
        .filter(Q(profile__status_end__isnull=True) | Q(profile__status_end__gte=today))
        .exclude(Exists(later))
        .select_related("profile__membership__user", "profile__platform")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )
    reviews = list(due)
    coordinators = _active_coordinators({review.profile.platform_id for review in reviews})
    for review in reviews:
        _queue_reminders(review, coordinators.get(review.profile.platform_id, []))
        review.reminder_sent_on = today
        review.save(update_fields=["reminder_sent_on"])
    return len(reviews)


def _active_coordinators(platform_ids: set[int]) -> dict[int, list[Membership]]:
    result: dict[int, list[Membership]] = {}
    rows = (
        Membership.objects.filter(platform_id__in=platform_ids, role=Role.COORDINATOR)
        .active()
        .select_related("user")
        .order_by("pk")
    )
    for membership in rows:
        result.setdefault(membership.platform_id, []).append(membership)
    return result


def _queue_reminders(review: CareerReview, coordinators: list[Membership]) -> None:
    profile = review.profile
    worker = profile.membership.user
    link = settings.SITE_URL.rstrip("/") + reverse("peers:career_reviews", kwargs={"profile_id": profile.pk})
    context = {"review_date": review.next_review_on, "worker_name": worker.display_name, "link": link}
    template = "peers/emails/career_review_reminder.txt"
    email_queue(
        to=worker.email,
        kind="career_review_reminder",
        template=template,
        context={**context, "name": worker.first_name, "to_worker": True},
        platform=profile.platform,
    )
    for membership in coordinators:
        if membership.user_id == worker.pk:
            continue
        email_queue(
            to=membership.user.email,
            kind="career_review_reminder",
            template=template,
            context={**context, "name": membership.user.first_name, "to_worker": False},
            platform=profile.platform,
        )
