"""Onboarding, training record, supervision and intervision, career reviews."""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.journal import services as journal
from pairs.journal.models import Action
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import Rule, permission

from .. import policies
from ..forms.career import (
    CareerReviewForm,
    OnboardingStartForm,
    StepToggleForm,
    SupervisionForm,
    TemplateStepDeleteForm,
    TemplateStepForm,
    TrainingForm,
)
from ..models import CareerReview, OnboardingStepTemplate, PeerProfile
from ..selectors import career as selectors
from ..selectors import objects
from ..services import career as services

PAGE_SIZE = 25


def _refuse(request: PlatformRequest, rule: Rule) -> NoReturn:
    journal.log_permission_denied(request=request, rule_name=rule.name)
    raise PermissionDenied


def _is_own(request: PlatformRequest, profile: PeerProfile) -> bool:
    return request.membership is not None and profile.membership_id == request.membership.pk


# ---- Onboarding


def _onboarding_start(request: PlatformRequest, form: OnboardingStartForm, profile: PeerProfile) -> HttpResponse | None:
    """Start the path from the coordinator's form; None when the form must be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        services.onboarding_start(request=request, profile=profile, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("Le parcours d'intégration a commencé."))
    return redirect("peers:onboarding", profile_id=profile.pk)


@permission(policies.ONBOARDING)
@require_http_methods(["GET", "POST"])
def onboarding_detail(request: PlatformRequest, profile_id: int) -> HttpResponse:
    profile = objects.get_profile_for(request, profile_id, include_tutees=True)
    onboarding = selectors.onboarding_of(profile)
    coordinator = selectors.is_coordinator(request)
    today = timezone.localdate()
    form = None
    if onboarding is None and coordinator:
        tutors = selectors.active_peer_profiles(request.platform, day=today, exclude=profile)
        form = OnboardingStartForm(request.POST or None, tutors=tutors)
        if response := _onboarding_start(request, form, profile):
            return response
    elif request.method == "POST":
        if not coordinator:
            _refuse(request, policies.ONBOARDING)
        messages.info(request, _("Le parcours d'intégration avait déjà commencé."))
        return redirect("peers:onboarding", profile_id=profile.pk)
    steps = selectors.onboarding_steps(onboarding, today=today) if onboarding else []
    tutor = None if coordinator else request.membership
    tutees_late = selectors.late_steps(request.platform, today=today, tutor_membership=tutor) if tutor else []
    context = {
        "profile": profile,
        "onboarding": onboarding,
        "steps": steps,
        "done_count": sum(1 for step in steps if step.done_on),
        "form": form,
        "coordinator": coordinator,
        "own": _is_own(request, profile),
        "tutees_late": tutees_late[: selectors.LATE_STEPS_LIMIT],
        "tutees_late_more": len(tutees_late) > selectors.LATE_STEPS_LIMIT,
    }
    return render(request, "peers/career/onboarding_detail.html", context)


@permission(policies.ONBOARDING)
def onboarding_step_toggle(request: PlatformRequest, step_id: int) -> HttpResponse:
    step = objects.get_step_for(request, step_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StepToggleForm(request.POST)
    if form.is_valid():
        done = form.cleaned_data["done"]
        services.onboarding_step_set_done(request=request, step=step, done=done)
        message = _("Étape « %(title)s » : faite.") if done else _("Étape « %(title)s » : rouverte.")
        messages.success(request, message % {"title": step.title})
    else:
        messages.error(request, _("Indiquez si l'étape est faite ou à rouvrir."))
    return redirect("peers:onboarding", profile_id=step.onboarding.profile_id)


def _template_initial(step: OnboardingStepTemplate | None, steps: list[OnboardingStepTemplate]) -> dict[str, Any]:
    if step is None:
        return {"position": (steps[-1].position + 1) if steps else 1}
    fields = ("position", "title", "kind", "due_after_days")
    return {"step_id": step.pk, **{name: getattr(step, name) for name in fields}}


def _template_delete(request: PlatformRequest) -> HttpResponse:
    form = TemplateStepDeleteForm(request.POST)
    if form.is_valid():
        step = selectors.get_template_step_for(request.platform, form.cleaned_data["delete"])
        services.onboarding_template_step_delete(request=request, platform=request.platform, step=step)
        messages.success(request, _("L'étape « %(title)s » est retirée du parcours type.") % {"title": step.title})
    return redirect("peers:onboarding_template")


@permission(policies.ONBOARDING_TEMPLATE)
@require_http_methods(["GET", "POST"])
def onboarding_template(request: PlatformRequest) -> HttpResponse:
    if request.method == "POST" and "delete" in request.POST:
        return _template_delete(request)
    reference = request.POST.get("step_id") or request.GET.get("etape")
    editing = selectors.get_template_step_for(request.platform, reference) if reference else None
    steps = list(selectors.template_steps(request.platform))
    form = TemplateStepForm(request.POST or None, initial=_template_initial(editing, steps))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("title", "kind", "due_after_days", "position")}
        try:
            services.onboarding_template_step_save(request=request, platform=request.platform, step=editing, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'étape est enregistrée dans le parcours type."))
            return redirect("peers:onboarding_template")
    late = selectors.late_steps(request.platform, today=timezone.localdate())
    context = {
        "steps": steps,
        "form": form,
        "editing": editing,
        "late": late[: selectors.LATE_STEPS_LIMIT],
        "late_more": len(late) > selectors.LATE_STEPS_LIMIT,
    }
    return render(request, "peers/career/onboarding_template.html", context)


# ---- Training record


@permission(policies.TRAINING)
@require_http_methods(["GET", "POST"])
def trainings(request: PlatformRequest, profile_id: int) -> HttpResponse:
    profile = objects.get_profile_for(request, profile_id)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_add(request=request, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La formation est ajoutée."))
            return redirect("peers:trainings", profile_id=profile.pk)
    context = {
        "profile": profile,
        "form": form,
        "own": _is_own(request, profile),
        "coordinator": selectors.is_coordinator(request),
        "page": Paginator(selectors.trainings_of(profile), PAGE_SIZE).get_page(request.GET.get("page")),
        "years": selectors.training_hours_by_year(profile),
    }
    return render(request, "peers/career/trainings.html", context)


@permission(policies.TRAINING)
def training_delete(request: PlatformRequest, training_id: int) -> HttpResponse:
    training = objects.get_training_for(request, training_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.training_delete(request=request, training=training)
    messages.success(request, _("La formation « %(title)s » est supprimée.") % {"title": training.title})
    return redirect("peers:trainings", profile_id=training.profile_id)


# ---- Supervision and intervision


@permission(policies.SUPERVISION)
@require_http_methods(["GET", "POST"])
def supervision_list(request: PlatformRequest) -> HttpResponse:
    people = selectors.attendance_choices(request.platform, day=timezone.localdate(), session=None)
    form = SupervisionForm(request.POST or None, people=people, initial=SupervisionForm.initial_for(None))
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_record(request=request, platform=request.platform, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La séance est enregistrée."))
            return redirect("peers:supervisions")
    page = Paginator(selectors.supervision_sessions(request.platform), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "peers/career/supervision_list.html", {"form": form, "page": page})


@permission(policies.SUPERVISION)
@require_http_methods(["GET", "POST"])
def supervision_detail(request: PlatformRequest, session_id: int) -> HttpResponse:
    session = objects.get_session_for(request, session_id)
    people = selectors.attendance_choices(request.platform, day=timezone.localdate(), session=session)
    form = SupervisionForm(request.POST or None, people=people, initial=SupervisionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.supervision_update(request=request, session=session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les changements sont enregistrés.") if changed else _("Rien n'a changé."))
            return redirect("peers:supervisions")
    return render(request, "peers/career/supervision_detail.html", {"session": session, "form": form})


# ---- Career reviews


def _review_initial(review: CareerReview) -> dict[str, Any]:
    fields = ("held_on", "wishes", "skills_to_develop", "planned_trainings", "desired_missions", "next_review_on")
    return {name: getattr(review, name) for name in fields}


@permission(policies.CAREER_REVIEW)
@require_http_methods(["GET", "POST"])
def career_reviews(request: PlatformRequest, profile_id: int) -> HttpResponse:
    profile = objects.get_profile_for(request, profile_id)  # never a tutor's or a colleague's
    coordinator = selectors.is_coordinator(request)
    if request.method == "POST" and not coordinator:
        _refuse(request, policies.CAREER_REVIEW)
    form = CareerReviewForm(request.POST or None, initial={"held_on": timezone.localdate()}) if coordinator else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.career_review_create(request=request, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'entretien professionnel est enregistré."))
            return redirect("peers:career_reviews", profile_id=profile.pk)
    page = Paginator(selectors.career_reviews_of(profile), PAGE_SIZE).get_page(request.GET.get("page"))
    journal.record(action=Action.VIEW, request=request, obj=profile, detail="career_reviews")
    context = {
        "profile": profile,
        "form": form,
        "page": page,
        "own": _is_own(request, profile),
        "coordinator": coordinator,
    }
    return render(request, "peers/career/career_reviews.html", context)


@permission(policies.CAREER_REVIEW)
@require_http_methods(["GET", "POST"])
def career_review_edit(request: PlatformRequest, review_id: int) -> HttpResponse:
    review = objects.get_review_for(request, review_id)
    coordinator = selectors.is_coordinator(request)
    if request.method == "POST" and not coordinator:
        _refuse(request, policies.CAREER_REVIEW)
    form = CareerReviewForm(request.POST or None, initial=_review_initial(review)) if coordinator else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            changed = services.career_review_update(request=request, review=review, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les changements sont enregistrés.") if changed else _("Rien n'a changé."))
            return redirect("peers:career_reviews", profile_id=review.profile_id)
    journal.log_view(request=request, obj=review)
    context = {"review": review, "profile": review.profile, "form": form, "own": _is_own(request, review.profile)}
    return render(request, "peers/career/career_review_edit.html", context)
