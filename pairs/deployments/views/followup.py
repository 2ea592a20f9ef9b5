"""Joint follow-up reviews, success criteria and the bilan, the transition to direct hiring."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.permissions import permission

from .. import policies, selectors, workflow
from ..forms.followup import (
    AssessmentForm,
    CriterionRow,
    ReviewAddForm,
    ReviewForm,
    SuccessCriterionDeleteForm,
    SuccessCriterionForm,
    TransitionTaskForm,
)
from ..models import Assessment, Deployment, State, SuccessCriterionTemplate
from ..selectors import followup as reads
from ..services import followup as writes


def _date(value: date) -> str:
    return date_format(value, "j F Y")


def _detail_url(deployment_id: int, anchor: str) -> str:
    return reverse("deployments:detail", kwargs={"deployment_id": deployment_id}) + f"#{anchor}"


# The small form on the deployment page: its fields are named apart from the page's other forms.
REVIEW_ADD_PREFIX = "suivi"


def detail_context(request: PlatformRequest, deployment: Deployment) -> dict[str, Any]:
    """What this part adds to the deployment page (templates/deployments/_followup.html)."""
    coordinator = selectors.is_coordinator(request)
    can_record = coordinator and deployment.state not in workflow.FINAL
    return {
        "followup": reads.followup_of(deployment, timezone.localdate()),
        "followup_can_record": can_record,
        "followup_bilan_editable": deployment.state == State.ASSESSMENT,
        "review_add_form": ReviewAddForm(prefix=REVIEW_ADD_PREFIX) if can_record else None,
    }


# ---- Joint reviews


@permission(policies.FOLLOWUP_RECORD)
def review_add(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    """Plan one more review. The deployment page posts here; a refused date is shown on this page."""
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReviewAddForm(request.POST or None, prefix=REVIEW_ADD_PREFIX)
    if request.method == "POST" and form.is_valid():
        try:
            review = writes.review_add(
                request=request, deployment=deployment, planned_on=form.cleaned_data["planned_on"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Un point de suivi est prévu le %(day)s.") % {"day": _date(review.planned_on)},
            )
            return redirect(_detail_url(deployment.pk, "suivi-conjoint"))
    return render(request, "deployments/review_add.html", {"deployment": deployment, "form": form})


@permission(policies.FOLLOWUP_RECORD)
def review_edit(request: PlatformRequest, joint_review_id: int) -> HttpResponse:
    review = reads.get_review_for(request, joint_review_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    deployment = review.deployment
    editable = deployment.state not in workflow.FINAL
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "held_on": review.held_on or today,
        "attendees": review.attendees,
        "what_works": review.what_works,
        "what_does_not": review.what_does_not,
        "decisions": review.decisions,
        "next_on": review.next_on,
    }
    if review.held_on is None and not review.attendees:
        initial["attendees"] = reads.attendee_suggestions(deployment, request.user, today)
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Ce déploiement est terminé : ses points de suivi ne changent plus."))
            return redirect(_detail_url(deployment.pk, "suivi-conjoint"))
        if form.is_valid():
            try:
                writes.review_record(request=request, review=review, **form.service_data())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Le point de suivi est enregistré."))
                return redirect(_detail_url(deployment.pk, "suivi-conjoint"))
    context = {"review": review, "deployment": deployment, "form": form if editable else None}
    return render(request, "deployments/review_edit.html", context)


# ---- The bilan


def _criterion_rows(platform: Platform, assessment: Assessment | None) -> list[CriterionRow]:
    """The bilan's own copy of the criteria once saved; before, the platform's current list."""
    if assessment is not None:
        return [CriterionRow(key=s.pk, label=s.label) for s in assessment.scores.order_by("position", "id")]
    writes.success_criteria_seed(platform=platform)
    return [CriterionRow(key=t.pk, label=t.label) for t in reads.success_criteria_list(platform)]


def _assessment_initial(assessment: Assessment | None) -> dict[str, Any]:
    if assessment is None:
        return {"held_on": timezone.localdate()}
    initial: dict[str, Any] = {
        "assessment_id": assessment.pk,
        "held_on": assessment.held_on,
        "summary": assessment.summary,
        "outcome": assessment.outcome,
    }
    for score in assessment.scores.all():
        initial[f"score_{score.pk}"] = "" if score.score is None else str(score.score)
        initial[f"comment_{score.pk}"] = score.comment
    return initial


@permission(policies.FOLLOWUP_RECORD)
def assessment_edit(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    """The bilan: written at the "Bilan" step, read-only afterwards."""
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    editable = deployment.state == State.ASSESSMENT
    assessment = reads.shown_assessment(deployment)
    if request.method == "POST" and not editable:
        messages.error(request, _("Le bilan se remplit à l'étape « Bilan » : il ne change plus."))
        return redirect("deployments:assessment", deployment_id=deployment.pk)
    form = None
    if editable:
        form = AssessmentForm(
            request.POST if request.method == "POST" else None,
            criteria=_criterion_rows(request.platform, assessment),
            initial=_assessment_initial(assessment),
        )
        if request.method == "POST" and form.is_valid():
            criteria = [writes.CriterionInput(key=k, score=s, comment=c) for k, s, c in form.scores()]
            try:
                saved = writes.assessment_save(
                    request=request, deployment=deployment, by=request.user, criteria=criteria, **form.service_data()
                )
            except ValidationError as error:
                if (
                    getattr(error, "code", None) == writes.STALE
                ):  # the form no longer matches the bilan: show the bilan as saved
                    messages.error(request, " ".join(error.messages))
                    return redirect("deployments:assessment", deployment_id=deployment.pk)
                form.add_service_error(error)
            else:
                _saved_message(request, reads.bilan_summary(saved))
                return redirect("deployments:assessment", deployment_id=deployment.pk)
    context = {
        "deployment": deployment,
        "form": form,
        "bilan": reads.bilan_summary(assessment),
    }
    return render(request, "deployments/assessment_edit.html", context)


def _saved_message(request: PlatformRequest, bilan: reads.BilanSummary) -> None:
    if bilan.complete:
        messages.success(request, _("Le bilan est enregistré. Bilan complet : chaque critère est apprécié."))
    else:
        messages.warning(
            request,
            _("Le bilan est enregistré comme brouillon. Critères restant à apprécier : %(items)s.")
            % {"items": " ; ".join(bilan.unscored)},
        )


# ---- The transition to direct hiring


@permission(policies.FOLLOWUP_RECORD)
def transition_task_toggle(request: PlatformRequest, transition_task_id: int) -> HttpResponse:
    task = reads.get_transition_task_for(request, transition_task_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = TransitionTaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
    else:
        done = form.cleaned_data["done"]
        try:
            writes.transition_task_set(request=request, task=task, by=request.user, done=done)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = _("« %(label)s » : fait.") if done else _("« %(label)s » : à faire.")
            messages.success(request, text % {"label": task.label})
    return redirect(_detail_url(task.plan.deployment_id, "transition"))


# ---- The platform's success criteria


def _criterion_initial(item: SuccessCriterionTemplate | None) -> dict[str, Any]:
    if item is None:
        return {}
    return {"item_id": item.pk, "label": item.label, "position": item.position}


def _criterion_delete(request: PlatformRequest) -> HttpResponse:
    form = SuccessCriterionDeleteForm(request.POST)
    if form.is_valid():
        item = reads.get_success_criterion_for(request.platform, form.cleaned_data["delete"])
        try:
            writes.success_criterion_delete(request=request, platform=request.platform, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le critère « %(label)s » est retiré de la liste.") % {"label": item.label})
    return redirect("deployments:success_criteria")


@permission(policies.SUCCESS_CRITERIA)
@require_http_methods(["GET", "POST"])
def success_criteria(request: PlatformRequest) -> HttpResponse:
    if request.method == "POST" and "delete" in request.POST:
        return _criterion_delete(request)
    writes.success_criteria_seed(platform=request.platform)
    reference = request.POST.get("item_id") or request.GET.get("critere")
    editing = reads.get_success_criterion_for(request.platform, reference) if reference else None
    form = SuccessCriterionForm(request.POST or None, initial=_criterion_initial(editing))
    if request.method == "POST" and form.is_valid():
        try:
            writes.success_criterion_save(
                request=request,
                platform=request.platform,
                item=editing,
                label=form.cleaned_data["label"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La liste des critères de réussite est enregistrée."))
            return redirect("deployments:success_criteria")
    context = {"items": reads.success_criteria_list(request.platform), "form": form, "editing": editing}
    return render(request, "deployments/success_criteria.html", context)
