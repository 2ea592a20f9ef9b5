"""Scoped reads of deployments: coordinators see the platform's, a partner only its organisation's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pairs.partners.models import Contact, Organisation, Team
from pairs.partners.selectors import own_contact, visible_organisations
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from .. import workflow
from ..models import (
    Assignment,
    Contract,
    Deployment,
    Kind,
    Prerequisite,
    PrerequisiteTemplate,
    Review,
    State,
    Transition,
    TransitionTask,
)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def deployment_exists_in(platform: Platform, value: Any) -> bool:
    return Deployment.objects.filter(platform=platform, pk=_int(value)).exists()


def prerequisite_exists_in(platform: Platform, value: Any) -> bool:
    return Prerequisite.objects.filter(deployment__platform=platform, pk=_int(value)).exists()


def visible_deployments(request: PlatformRequest) -> QuerySet[Deployment]:
    qs = Deployment.objects.filter(platform=request.platform).select_related("organisation", "team")
    membership = request.membership
    if membership is not None and membership.role == Role.COORDINATOR:
        return qs
    contact = own_contact(request)
    return qs.filter(organisation_id=contact.organisation_id) if contact else qs.none()


def get_deployment_for(request: PlatformRequest, deployment_id: int) -> Deployment:
    return get_object_or_404(visible_deployments(request), pk=deployment_id)


def get_prerequisite_for(request: PlatformRequest, prerequisite_id: int) -> Prerequisite:
    return get_object_or_404(
        Prerequisite.objects.filter(deployment__platform=request.platform).select_related("deployment"),
        pk=prerequisite_id,
    )


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


# ---- Filing a request


def partner_contact(request: PlatformRequest) -> Contact | None:
    """The contact record behind a partner account (None for a coordinator or an unlinked account)."""
    return own_contact(request)


def request_organisations(request: PlatformRequest) -> QuerySet[Organisation]:
    """The organisations a request may be filed for: all for a coordinator, their own for a partner."""
    return visible_organisations(request).order_by("name", "pk")


def request_teams(request: PlatformRequest) -> QuerySet[Team]:
    return (
        Team.objects.filter(platform=request.platform, organisation__in=request_organisations(request))
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id", "name", "pk")
    )


# ---- The coordinators' list


def deployment_list(platform: Platform, *, state: str = "", kind: str = "", partner: str = "") -> QuerySet[Deployment]:
    """New requests nobody has taken into account come first, then the most recent."""
    rows = Deployment.objects.filter(platform=platform).select_related("organisation", "team")
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    if partner.strip():
        rows = rows.filter(organisation__name__icontains=partner.strip())
    is_new = Case(
        When(Q(state=State.REQUEST, acknowledged_at__isnull=True), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return rows.annotate(is_new=is_new).order_by("-is_new", "-filed_at", "-id")


def age_in_days(filed_at: datetime, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return max((today - timezone.localtime(filed_at).date()).days, 0)


def with_age(deployments: Iterable[Deployment], today: date | None = None) -> list[Deployment]:
    """Attach ``age_days`` (days since the request was filed) to each deployment of a page."""
    rows = list(deployments)
    for deployment in rows:
        deployment.age_days = age_in_days(deployment.filed_at, today)  # type: ignore[attr-defined]
    return rows


# ---- One deployment


def deployment_transitions(deployment: Deployment) -> list[Transition]:
    return list(deployment.transitions.select_related("by").order_by("at", "id"))


def deployment_prerequisites(deployment: Deployment) -> list[Prerequisite]:
    return list(deployment.prerequisites.select_related("done_by").order_by("position", "id"))


@dataclass(frozen=True)
class TimelineStep:
    state: State
    status: str  # done, current, upcoming, possible, not_reached
    reached_at: datetime | None

    @property
    def label(self) -> str:
        return str(self.state.label)

    @property
    def status_label(self) -> str | Promise:
        return STATUS_LABELS[self.status]


STATUS_LABELS: dict[str, str | Promise] = {
    "done": _("Étape faite"),
    "current": _("Étape en cours"),
    "upcoming": _("À venir"),
    "possible": _("Issue possible"),
    "not_reached": _("Non atteinte"),
}

# After the main path: the outcomes of the assessment, then the abandon possible at any step.
OUTCOMES = [State.RENEWAL, State.DIRECT_HIRE, State.ENDED, State.ABANDONED]


def timeline(deployment: Deployment, transitions: list[Transition]) -> list[TimelineStep]:
    """Every step of the workflow in order, in words: done, current, to come, possible or not reached."""
    reached: dict[str, datetime | None] = {State.REQUEST: deployment.filed_at}
    for step in transitions:
        reached[step.to_state] = step.at  # the latest time each step was entered
    current = State(deployment.state)
    finished = current in workflow.FINAL
    main = workflow.MAIN_PATH
    # A step of the main path before the furthest one reached was necessarily gone through.
    beyond = current in OUTCOMES and current != State.ABANDONED
    furthest = len(main) - 1 if beyond else max(main.index(State(s)) for s in {*reached, current} if s in main)
    steps: list[TimelineStep] = []
    for state in [*main, *OUTCOMES]:
        if state == current:
            status = "current"
        elif state in reached or (state in main and main.index(state) < furthest):
            status = "done"
        elif finished:
            status = "not_reached"
        elif state in OUTCOMES:
            status = "possible"
        else:
            status = "upcoming"
        steps.append(TimelineStep(state=state, status=status, reached_at=reached.get(state)))
    return steps


# Each kind of request with a short plain-French explanation, shown on the request form.
KIND_HELP: dict[Kind, str | Promise] = {
    Kind.LONG_DEPLOYMENT: _(
        "Un·e pair aidant·e rejoint votre équipe quelques heures par semaine, pendant plusieurs mois."
    ),
    Kind.ONE_OFF: _("Une intervention courte pour démarrer : une rencontre, un atelier, quelques séances."),
    Kind.HOSTING_PROJECT: _("Vous préparez l'accueil d'un·e pair aidant·e : nous vous aidons à construire le projet."),
    Kind.TEAM_SENSITISATION: _(
        "Une sensibilisation ou une formation de l'équipe au rétablissement et à la pair-aidance."
    ),
    Kind.RECRUITMENT_HELP: _("Vous voulez recruter un·e pair aidant·e : fiche de poste, diffusion, entretiens."),
    Kind.INTEGRATION_SUPPORT: _("Un·e pair aidant·e vient d'arriver chez vous : nous accompagnons ses premiers mois."),
    Kind.PRACTICE_ANALYSIS: _("Des temps d'analyse de pratiques pour des pairs aidant·es qui travaillent seul·es."),
}


# ---- The platform's checklist


def prerequisite_template_list(platform: Platform) -> list[PrerequisiteTemplate]:
    return list(PrerequisiteTemplate.objects.filter(platform=platform).order_by("position", "id"))


def get_prerequisite_template_for(platform: Platform, item_id: Any) -> PrerequisiteTemplate:
    return get_object_or_404(PrerequisiteTemplate.objects.filter(platform=platform), pk=_int(item_id))


# ---- Objects named in URLs (assignments, reviews, transition tasks, contracts)


def assignment_exists_in(platform: Platform, value: Any) -> bool:
    return Assignment.objects.filter(platform=platform, pk=_int(value)).exists()


def review_exists_in(platform: Platform, value: Any) -> bool:
    return Review.objects.filter(platform=platform, pk=_int(value)).exists()


def transition_task_exists_in(platform: Platform, value: Any) -> bool:
    return TransitionTask.objects.filter(plan__deployment__platform=platform, pk=_int(value)).exists()


def contract_exists_in(platform: Platform, value: Any) -> bool:
    return Contract.objects.filter(platform=platform, pk=_int(value)).exists()
