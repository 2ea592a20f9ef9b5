"""DU interns: the coordination's list and records (university, dates, tutor, learning goals,
evaluation milestones), and the tutor's view of their own interns."""

from __future__ import annotations

from typing import NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import Rule, permission

from .. import policies
from ..forms.interns import InternCreateForm, InternEditForm, MilestoneAddForm, MilestoneDoneForm
from ..models import InternMilestone, InternRecord
from ..selectors import interns as selectors
from ..services import interns as services

ADD_PREFIX = "nouvelle-etape"


def _refuse(request: PlatformRequest, rule: Rule) -> NoReturn:
    journal.log_permission_denied(request=request, rule_name=rule.name)
    raise PermissionDenied


def _done_prefix(milestone: InternMilestone) -> str:
    return f"etape-{milestone.pk}"


# ---- The coordination's list, a new intern


@permission(policies.INTERNS)
@require_GET
def intern_list(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    current, past = selectors.intern_rows(request.platform, today=today)
    sections = [
        {
            "id": "en-cours",
            "title": _("Stages en cours ou à venir"),
            "caption": _("Stagiaires en cours ou à venir, la fin de stage la plus proche d'abord"),
            "rows": current,
            "empty": _("Aucun stage en cours ni à venir."),
        },
        {
            "id": "termines",
            "title": _("Stages terminés"),
            "caption": _("Stagiaires passé·es, les plus récent·es d'abord"),
            "rows": past,
            "empty": _("Aucun stage terminé."),
        },
    ]
    return render(request, "peers/intern_list.html", {"sections": sections, "today": today})


@permission(policies.INTERNS)
@require_http_methods(["GET", "POST"])
def intern_create(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    form = InternCreateForm(
        request.POST or None,
        candidates=selectors.intern_candidates(request.platform),
        tutors=selectors.tutor_choices(request.platform, day=today),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.intern_create(request=request, platform=request.platform, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("La fiche de stagiaire de %(name)s est créée, avec ses deux étapes d'évaluation.")
                % {"name": record.profile.membership.user.display_name},
            )
            return redirect("peers:intern", intern_id=record.pk)
    return render(request, "peers/intern_form.html", {"form": form, "record": None})


# ---- One intern


def _detail_page(
    request: PlatformRequest,
    record: InternRecord,
    *,
    done_form: tuple[int, MilestoneDoneForm] | None = None,
    add_form: MilestoneAddForm | None = None,
) -> HttpResponse:
    milestones = selectors.milestones_of(record)
    today = timezone.localdate()
    rows = []
    for milestone in milestones:
        form = None
        if milestone.done_on is None:
            if done_form is not None and done_form[0] == milestone.pk:
                form = done_form[1]
            else:
                form = MilestoneDoneForm(prefix=_done_prefix(milestone))
        rows.append(
            {"milestone": milestone, "late": milestone.done_on is None and milestone.due_on < today, "form": form}
        )
    context = {
        "record": record,
        "name": record.profile.membership.user.display_name,
        "rows": rows,
        "add_form": add_form or MilestoneAddForm(prefix=ADD_PREFIX),
        "coordinator": selectors.is_coordinator(request),
        "done_count": sum(1 for milestone in milestones if milestone.done_on),
    }
    return render(request, "peers/intern_detail.html", context)


@permission(policies.INTERNS_VIEW)
@require_http_methods(["GET", "POST"])
def intern_detail(request: PlatformRequest, intern_id: int) -> HttpResponse:
    """Coordinators and the intern's tutor: the record and its milestones; both mark a milestone done or
    add one; the coordination edits the record (?modifier=1)."""
    record = selectors.get_intern_for(request, intern_id)
    coordinator = selectors.is_coordinator(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "edit" or (request.method == "GET" and "modifier" in request.GET):
        if not coordinator:
            _refuse(request, policies.INTERNS)
        return _edit(request, record)
    if action == "milestone":
        return _milestone_done(request, record)
    if action == "add":
        return _milestone_add(request, record)
    if request.method == "POST":
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
        return redirect("peers:intern", intern_id=record.pk)
    journal.log_view(request=request, obj=record)
    return _detail_page(request, record)


def _edit(request: PlatformRequest, record: InternRecord) -> HttpResponse:
    initial = {
        "university": record.university,
        "diploma": record.diploma,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "tutor": record.tutor_id,
        "learning_goals": record.learning_goals,
    }
    tutors = selectors.tutor_choices(request.platform, day=timezone.localdate(), record=record)
    form = InternEditForm(request.POST if request.method == "POST" else None, tutors=tutors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.intern_update(request=request, record=record, **form.record_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La fiche de stagiaire est enregistrée."))
            return redirect("peers:intern", intern_id=record.pk)
    return render(request, "peers/intern_form.html", {"form": form, "record": record})


def _milestone_done(request: PlatformRequest, record: InternRecord) -> HttpResponse:
    milestone = selectors.get_milestone_for(record, request.POST.get("milestone"))
    form = MilestoneDoneForm(request.POST, prefix=_done_prefix(milestone))
    if form.is_valid():
        try:
            services.milestone_done(request=request, milestone=milestone, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Étape « %(title)s » : faite.") % {"title": milestone.title})
            return redirect("peers:intern", intern_id=record.pk)
    return _detail_page(request, record, done_form=(milestone.pk, form))


def _milestone_add(request: PlatformRequest, record: InternRecord) -> HttpResponse:
    form = MilestoneAddForm(request.POST, prefix=ADD_PREFIX)
    if form.is_valid():
        try:
            milestone = services.milestone_add(request=request, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'étape « %(title)s » est ajoutée.") % {"title": milestone.title})
            return redirect("peers:intern", intern_id=record.pk)
    return _detail_page(request, record, add_form=form)


# ---- The tutor's interns


@permission(policies.MY_INTERNS)
@require_GET
def my_interns(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.tutored_rows(request, today=today)
    return render(request, "peers/my_interns.html", {"rows": rows, "today": today})
