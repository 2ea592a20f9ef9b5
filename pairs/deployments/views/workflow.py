"""Requests from partners and the deployment workflow: filing, the coordinators' list, one
deployment's page with its steps, moving it on, the prerequisites and their checklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors, services
from ..forms import (
    AdvanceForm,
    DeploymentFilterForm,
    PrerequisiteForm,
    PrerequisiteTemplateDeleteForm,
    PrerequisiteTemplateForm,
    RequestForm,
)
from ..models import Deployment, PrerequisiteTemplate, State
from . import assignments, contracts, followup

PAGE_SIZE = 50


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---- Filing a request


@permission(policies.REQUEST_FILE)
@require_http_methods(["GET", "POST"])
def request_new(request: PlatformRequest) -> HttpResponse:
    coordinator = selectors.is_coordinator(request)
    contact = None if coordinator else selectors.partner_contact(request)
    if not coordinator and contact is None:
        return render(request, "deployments/request_no_contact.html", status=404)
    initial = {"organisation": _int(request.GET.get("partenaire")), "start_date": timezone.localdate()}
    form = RequestForm(
        request.POST or None,
        organisations=selectors.request_organisations(request),
        teams=selectors.request_teams(request),
        choose_organisation=coordinator,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"] if contact is None else contact.organisation
        try:
            deployment = services.request_file(
                request=request,
                platform=request.platform,
                filed_by=request.user,
                organisation=organisation,
                **form.request_data(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Votre demande est enregistrée. La coordination vous répondra."))
            return redirect("deployments:detail", deployment_id=deployment.pk)
    context = {"form": form, "coordinator": coordinator, "contact": contact}
    return render(request, "deployments/request_new.html", context)


# ---- The coordinators' list


@permission(policies.DEPLOYMENT_LIST)
@require_http_methods(["GET"])
def deployment_list(request: PlatformRequest) -> HttpResponse:
    form = DeploymentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.deployment_list(request.platform, **{k: v for k, v in filters.items() if v})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": selectors.with_age(page.object_list), "query": query.urlencode()}
    return render(request, "deployments/deployment_list.html", context)


# ---- One deployment


def _detail(request: PlatformRequest, deployment: Deployment, form: AdvanceForm | None = None) -> HttpResponse:
    coordinator = selectors.is_coordinator(request)
    transitions = selectors.deployment_transitions(deployment)
    if coordinator and form is None:
        form = AdvanceForm(state=deployment.state)
    journal.log_view(request=request, obj=deployment)
    context = {
        "deployment": deployment,
        "coordinator": coordinator,
        "timeline": selectors.timeline(deployment, transitions),
        "transitions": transitions,
        "prerequisites": selectors.deployment_prerequisites(deployment),
        "form": form,
        "can_move": coordinator and deployment.state not in {State.ENDED, State.ABANDONED},
        "age_days": selectors.age_in_days(deployment.filed_at),
    }
    for part in (assignments, followup, contracts):
        context.update(part.detail_context(request, deployment))
    return render(request, "deployments/deployment_detail.html", context)


# The views that name an object load it before checking the method: another platform's object
# answers 404 whatever the method.


@permission(policies.DEPLOYMENT_VIEW)
def deployment_detail(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _detail(request, deployment)


@permission(policies.DEPLOYMENT_STEER)
def deployment_advance(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AdvanceForm(request.POST, state=deployment.state)
    if form.is_valid():
        try:
            services.deployment_advance(request=request, deployment=deployment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            deployment.refresh_from_db(fields=["state"])
            form = AdvanceForm.refused(request.POST, state=deployment.state, error=error)
        else:
            label = State(deployment.state).label
            messages.success(request, _("Le déploiement est passé à l'étape « %(state)s ».") % {"state": label})
            return redirect("deployments:detail", deployment_id=deployment.pk)
    return _detail(request, deployment, form)


@permission(policies.DEPLOYMENT_STEER)
def request_acknowledge(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.request_acknowledge(request=request, deployment=deployment, by=request.user)
    messages.success(request, _("La demande est prise en compte."))
    return redirect("deployments:detail", deployment_id=deployment.pk)


@permission(policies.DEPLOYMENT_STEER)
def prerequisite_update(request: PlatformRequest, prerequisite_id: int) -> HttpResponse:
    prerequisite = selectors.get_prerequisite_for(request, prerequisite_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PrerequisiteForm(request.POST)
    if form.is_valid():
        try:
            services.prerequisite_set(
                request=request, prerequisite=prerequisite, by=request.user, **form.service_data()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Prérequis « %(label)s » : enregistré.") % {"label": prerequisite.label})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    url = reverse("deployments:detail", kwargs={"deployment_id": prerequisite.deployment_id})
    return redirect(f"{url}#prerequis")


# ---- The platform's checklist


def _template_initial(item: PrerequisiteTemplate | None) -> dict[str, Any]:
    if item is None:
        return {"required": True}
    return {"item_id": item.pk, "label": item.label, "required": item.required, "position": item.position}


def _template_delete(request: PlatformRequest) -> HttpResponse:
    form = PrerequisiteTemplateDeleteForm(request.POST)
    if form.is_valid():
        item = selectors.get_prerequisite_template_for(request.platform, form.cleaned_data["delete"])
        try:
            services.prerequisite_template_delete(request=request, platform=request.platform, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le prérequis « %(label)s » est retiré de la liste.") % {"label": item.label})
    return redirect("deployments:prerequisite_templates")


@permission(policies.PREREQUISITE_TEMPLATES)
@require_http_methods(["GET", "POST"])
def prerequisite_templates(request: PlatformRequest) -> HttpResponse:
    if request.method == "POST" and "delete" in request.POST:
        return _template_delete(request)
    services.prerequisite_templates_seed(platform=request.platform)
    reference = request.POST.get("item_id") or request.GET.get("prerequis")
    editing = selectors.get_prerequisite_template_for(request.platform, reference) if reference else None
    form = PrerequisiteTemplateForm(request.POST or None, initial=_template_initial(editing))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("label", "required", "position")}
        try:
            services.prerequisite_template_save(request=request, platform=request.platform, item=editing, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La liste des prérequis est enregistrée."))
            return redirect("deployments:prerequisite_templates")
    context = {"items": selectors.prerequisite_template_list(request.platform), "form": form, "editing": editing}
    return render(request, "deployments/prerequisite_templates.html", context)
