"""Assignment of peer workers with ranked suggestions, and the worker's own schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.peers.selectors import objects as peer_objects
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, ranking, selectors
from ..forms.assignments import AssignmentEditForm, AssignmentForm, DeploymentSkillsForm
from ..models import Deployment
from ..selectors import assignments as assignment_selectors
from ..services import assignments as assignment_services

# Suggestions shown with their "Affecter" form; the others on demand (?toutes=1).
SHOWN_SUGGESTIONS = 10


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _detail_url(deployment_id: int) -> str:
    return reverse("deployments:detail", kwargs={"deployment_id": deployment_id}) + "#affectations"


def detail_context(request: PlatformRequest, deployment: Deployment) -> dict[str, Any]:
    """What this part adds to the deployment page (templates/deployments/_assignments.html)."""
    today = timezone.localdate()
    assignments = assignment_selectors.deployment_assignments(deployment)
    return {
        "assigned": assignment_selectors.assigned_rows(assignments, today),
        "can_assign": assignment_services.can_assign(deployment),
        "requested_slots_label": ranking.slots_label(ranking.parse_slots(deployment.requested_slots)),
    }


# ---- The assignment screen


def _assign_page(
    request: PlatformRequest,
    deployment: Deployment,
    *,
    skills_form: DeploymentSkillsForm | None = None,
    bound: AssignmentForm | None = None,
    bound_origin: str = "",
    status: int = 200,
) -> HttpResponse:
    platform = request.platform
    today = timezone.localdate()
    assignments = assignment_selectors.deployment_assignments(deployment)
    start = assignment_selectors.reference_day(deployment, today)
    assigned = assignment_selectors.assigned_hours(assignments, start)
    wanted = assignment_selectors.wanted_skills(deployment)
    if skills_form is None:
        skills_form = DeploymentSkillsForm(skills=assignment_selectors.skills_of(platform), chosen=wanted)
    result = assignment_selectors.suggestions(
        deployment, platform=platform, today=today, skills=wanted, assigned_hours=assigned
    )
    need = result.need
    show_all = request.GET.get("toutes") == "1"
    shown = result.suggestions if show_all else result.suggestions[:SHOWN_SUGGESTIONS]
    everyone = assignment_selectors.platform_profiles(platform)
    bound_id = _int(bound.data.get("profile")) if bound is not None and bound_origin == "suggestion" else None
    cards = []
    for suggestion in shown:
        if bound is not None and suggestion.profile_id == bound_id:
            form, is_open = bound, True
        else:
            form = AssignmentForm(
                profiles=everyone,
                fixed_profile_id=suggestion.profile_id,
                hours=need.hours,
                start=need.start,
                slots=suggestion.free_slots,
                requested=need.slots,
                auto_id=f"id_s{suggestion.profile_id}_%s",
            )
            is_open = False
        cards.append({"suggestion": suggestion, "form": form, "open": is_open})
    # A refused suggestion whose worker is no longer among those shown: its messages go on top.
    placed = any(card["form"] is bound for card in cards)
    orphan = bound if bound is not None and bound_origin == "suggestion" and not placed else None
    if bound is not None and bound_origin != "suggestion":
        any_form = bound
    else:
        any_form = AssignmentForm(
            profiles=assignment_selectors.assignable_profiles(platform, start, deployment=deployment),
            hours=need.hours,
            start=need.start,
            slots=need.slots,
            requested=need.slots,
            auto_id="id_any_%s",
        )
    context = {
        "deployment": deployment,
        "need": need,
        "requested_label": ranking.slots_label(need.slots),
        "hours_label": ranking.hours_text(need.hours),
        "assigned": assignment_selectors.assigned_rows(assignments, today),
        "wanted": wanted,
        "skills_form": skills_form,
        "cards": cards,
        "pool_size": result.pool_size,
        "show_all": show_all,
        "hidden_count": result.pool_size - len(shown),
        "any_form": any_form,
        "bound_origin": bound_origin,
        "orphan": orphan,
    }
    return render(request, "deployments/assign.html", context, status=status)


def _post_skills(request: PlatformRequest, deployment: Deployment) -> HttpResponse:
    form = DeploymentSkillsForm(
        request.POST,
        skills=assignment_selectors.skills_of(request.platform),
        chosen=assignment_selectors.wanted_skills(deployment),
    )
    if form.is_valid():
        try:
            changed = assignment_services.deployment_skills_set(
                request=request, deployment=deployment, skills=form.cleaned_data["skills"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if changed:
                messages.success(
                    request, _("Les compétences recherchées sont enregistrées. Le classement en tient compte.")
                )
            else:
                messages.info(request, _("Aucun changement des compétences recherchées."))
            url = reverse("deployments:assign", kwargs={"deployment_id": deployment.pk})
            return redirect(f"{url}#suggestions")
    return _assign_page(request, deployment, skills_form=form)


def _post_assign(request: PlatformRequest, deployment: Deployment) -> HttpResponse:
    origin = "suggestion" if request.POST.get("origin") == "suggestion" else "select"
    today = timezone.localdate()
    start = assignment_selectors.reference_day(deployment, today)
    if origin == "suggestion":
        profiles = assignment_selectors.platform_profiles(request.platform)
        profile_id = _int(request.POST.get("profile"))
        auto_id = f"id_s{profile_id}_%s"
    else:
        profiles = assignment_selectors.assignable_profiles(request.platform, start, deployment=deployment)
        profile_id, auto_id = None, "id_any_%s"
    requested = ranking.parse_slots(deployment.requested_slots)
    form = AssignmentForm(
        request.POST,
        profiles=profiles,
        fixed_profile_id=profile_id,
        hours=deployment.expected_hours,
        start=start,
        requested=requested,
        auto_id=auto_id,
    )
    if form.is_valid():
        try:
            assignment = assignment_services.assignment_create(
                request=request, deployment=deployment, by=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            name = assignment.profile.membership.user.display_name
            messages.success(
                request,
                _("%(name)s est affecté·e à ce déploiement. Un e-mail l'en informe.") % {"name": name},
            )
            return redirect(_detail_url(deployment.pk))
    return _assign_page(request, deployment, bound=form, bound_origin=origin)


@permission(policies.ASSIGNMENT_MANAGE)
def assignment_screen(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not assignment_services.can_assign(deployment):
        context = {"deployment": deployment, "closed": assignment_services.closed_message(deployment)}
        return render(request, "deployments/assign.html", context, status=200 if request.method == "GET" else 409)
    if request.method == "POST":
        if request.POST.get("action") == "skills":
            return _post_skills(request, deployment)
        return _post_assign(request, deployment)
    return _assign_page(request, deployment)


# ---- One assignment: hours, half-days, end (or removal when nothing was logged for it)


@permission(policies.ASSIGNMENT_MANAGE)
def assignment_edit(request: PlatformRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_selectors.get_assignment_for(request, assignment_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    deployment = assignment.deployment
    name = assignment.profile.membership.user.display_name
    delete_error = ""
    if request.method == "POST" and "supprimer" in request.POST:
        try:
            assignment_services.assignment_delete(request=request, assignment=assignment)
        except ValidationError as error:
            delete_error = " ".join(error.messages)
        else:
            messages.success(request, _("L'affectation de %(name)s est supprimée.") % {"name": name})
            return redirect(_detail_url(deployment.pk))
    row = assignment_selectors.AssignedRow(assignment, timezone.localdate())
    data = request.POST if request.method == "POST" and not delete_error else None
    form = AssignmentEditForm(
        data,
        start=assignment.start_date,
        hours=assignment.weekly_hours,
        end=assignment.end_date,
        slots=row.slots,
        requested=ranking.parse_slots(deployment.requested_slots),
    )
    if data is not None and form.is_valid():
        try:
            changed = assignment_services.assignment_update(
                request=request, assignment=assignment, **form.service_data()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if changed:
                messages.success(request, _("L'affectation de %(name)s est modifiée.") % {"name": name})
            else:
                messages.info(request, _("Aucun changement : rien n'a été enregistré."))
            return redirect(_detail_url(deployment.pk))
    context = {
        "assignment": assignment,
        "deployment": deployment,
        "row": row,
        "name": name,
        "form": form,
        "delete_error": delete_error,
        "has_activity": assignment_selectors.has_activity(assignment),
    }
    return render(request, "deployments/assignment_edit.html", context)


# ---- The worker's own schedule


@permission(policies.MY_ASSIGNMENTS)
def my_assignments(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    profile = peer_objects.own_profile(request)
    schedule = assignment_selectors.my_schedule(profile, timezone.localdate())
    return render(request, "deployments/my_assignments.html", {"schedule": schedule})
