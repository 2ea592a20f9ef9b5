"""Writes of the follow-up of a deployment: joint reviews, success criteria and the bilan, the
transition to direct hiring."""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy

from pairs.accounts.models import User
from pairs.platforms.models import Platform

from ..models import (
    Deployment,
    Review,
    SuccessCriterionTemplate,
    TransitionPlan,
    TransitionTask,
    assessment_is_complete,
    has_current_assignment,
    latest_assessment,
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
    "has_complete_assessment",
    "has_current_assignment",
    "reviews_schedule",
    "success_criteria_seed",
    "transition_plan_create",
]


def has_complete_assessment(deployment: Deployment) -> bool:
    return assessment_is_complete(latest_assessment(deployment))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
def success_criteria_seed(*, platform: Platform) -> None:
    if not SuccessCriterionTemplate.objects.filter(platform=platform).exists():
        SuccessCriterionTemplate.objects.bulk_create(
            SuccessCriterionTemplate(platform=platform, position=i, label=str(label))
            for i, label in enumerate(DEFAULT_SUCCESS_CRITERIA, start=1)
        )


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
