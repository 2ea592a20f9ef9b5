"""Scoped reads of partners: coordinators see the platform's, a partner contact only their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

from .models import Contact, Organisation, Team


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def organisation_exists_in(platform: Platform, value: Any) -> bool:
    return Organisation.objects.filter(platform=platform, pk=_int(value)).exists()


def contact_exists_in(platform: Platform, value: Any) -> bool:
    return Contact.objects.filter(platform=platform, pk=_int(value)).exists()


def own_contact(request: PlatformRequest) -> Contact | None:
    """The partner contact record behind the signed-in partner account, if any."""
    membership = request.membership
    if membership is None or membership.role != Role.PARTNER_CONTACT:
        return None
    return (
        Contact.objects.filter(platform=request.platform, membership=membership).select_related("organisation").first()
    )


def visible_organisations(request: PlatformRequest) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(platform=request.platform).select_related("commune")
    membership = request.membership
    if membership is not None and membership.role == Role.COORDINATOR:
        return qs
    contact = own_contact(request)
    return qs.filter(pk=contact.organisation_id) if contact else qs.none()


def get_organisation_for(request: PlatformRequest, organisation_id: int) -> Organisation:
    return get_object_or_404(visible_organisations(request), pk=organisation_id)


def get_contact_for(request: PlatformRequest, contact_id: int) -> Contact:
    """Contacts are managed by coordinators only."""
    return get_object_or_404(
        Contact.objects.filter(platform=request.platform).select_related("organisation", "membership"), pk=contact_id
    )


# ---- Lists and pages (the partners directory never imports the deployment app: the
# deployments are reached through the ``deployments`` related name, states as plain values)

LIST_PAGE_SIZE = 50
DEPLOYMENTS_SHOWN = 50
CLOSED_STATES = ("ended", "abandoned")


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


def organisation_list(platform: Platform, *, sector: str = "", query: str = "") -> QuerySet[Organisation]:
    """The platform's partners with their number of teams, contacts and open deployments."""
    qs = Organisation.objects.filter(platform=platform).select_related("commune")
    if sector:
        qs = qs.filter(sector=sector)
    for word in query.split():
        qs = qs.filter(name__icontains=word)
    return qs.annotate(
        team_count=Count("teams", distinct=True),
        contact_count=Count("contacts", distinct=True),
        open_deployment_count=Count("deployments", filter=~Q(deployments__state__in=CLOSED_STATES), distinct=True),
    ).order_by("name", "pk")


def communes_of(platform: Platform) -> QuerySet[Commune]:
    """The communes of the platform's departments, by name."""
    return Commune.objects.filter(department_code__in=platform.department_codes).order_by("name", "insee_code")


def teams_of(organisation: Organisation) -> list[Team]:
    return list(Team.objects.filter(organisation=organisation).select_related("commune").order_by("name", "pk"))


def contacts_of(organisation: Organisation) -> list[Contact]:
    return list(
        Contact.objects.filter(organisation=organisation)
        .select_related("membership")
        .order_by("last_name", "first_name", "pk")
    )


def deployments_of(organisation: Organisation) -> list[Any]:
    """The organisation's requests and deployments, the most recent first (bounded)."""
    rows = organisation.deployments.select_related("team").annotate(
        # The last step taken, the acknowledgement or the filing, whichever is latest
        # (PostgreSQL's GREATEST skips the NULLs).
        changed_at=Greatest(Max("transitions__at"), "acknowledged_at", "filed_at")
    )
    return list(rows.order_by("-filed_at", "-id")[:DEPLOYMENTS_SHOWN])


# What each step means for a partner, in plain words (keyed by the deployment states).
PLAIN_STEPS = {
    "request": _("Votre demande est envoyée. L'équipe de coordination va la lire."),
    "analysis": _("L'équipe de coordination étudie votre demande avec vous."),
    "prerequisites": _("Nous vérifions ensemble que tout est prêt pour accueillir un·e pair aidant·e."),
    "sensitisation": _("Votre équipe est sensibilisée à la pair-aidance."),
    "assignment": _("Nous choisissons la ou le pair aidant·e qui viendra chez vous."),
    "integration": _("La ou le pair aidant·e travaille avec votre équipe."),
    "assessment": _("Nous faisons le bilan ensemble."),
    "renewal": _("Le déploiement est renouvelé."),
    "direct_hire": _("Vous préparez l'embauche directe de la ou du pair aidant·e."),
    "ended": _("Le déploiement est terminé."),
    "abandoned": _("La demande n'a pas eu de suite."),
}
ACKNOWLEDGED_REQUEST = _("Votre demande est bien reçue : l'équipe de coordination l'a prise en compte.")


@dataclass(frozen=True)
class PartnerDeploymentRow:
    deployment: Any
    step: str
    explanation: str
    changed_at: datetime


def partner_deployment_rows(organisation: Organisation) -> list[PartnerDeploymentRow]:
    """The organisation's requests with their current step in plain words, for its partner contacts."""
    rows = []
    for deployment in deployments_of(organisation):
        explanation = PLAIN_STEPS.get(deployment.state, "")
        if deployment.state == "request" and deployment.acknowledged_at is not None:
            explanation = ACKNOWLEDGED_REQUEST
        rows.append(
            PartnerDeploymentRow(
                deployment=deployment,
                step=deployment.get_state_display(),
                explanation=str(explanation),
                changed_at=deployment.changed_at,
            )
        )
    return rows
