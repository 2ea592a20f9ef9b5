"""Contracts (conventions), hours delivered against contracted, capacity for one-off work, settings,
the partner's follow-up page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.contracts import ContractForm, DeploymentSettingsForm
from ..models import Contract, Deployment, State, settings_for
from ..selectors import contracts as reads
from ..services import contracts as writes


def detail_context(request: PlatformRequest, deployment: Deployment) -> dict[str, Any]:
    """What this part adds to the deployment page (templates/deployments/_contracts.html)."""
    today = timezone.localdate()
    contracts = reads.deployment_contracts(deployment)
    rows = reads.deployment_hours(deployment, contracts, today)
    return {
        "contract_list": contracts,
        "contract_hours": rows,
        "contract_hours_total": reads.finished_total(rows),
        "contract_tolerance": reads.TOLERANCE_PERCENT,
        "contract_can_add": selectors.is_coordinator(request) and deployment.state != State.ABANDONED,
    }


# ---- Recording a contract


def _contract_form_page(request: PlatformRequest, deployment: Deployment, contract: Contract | None) -> HttpResponse:
    if deployment.state == State.ABANDONED:
        messages.error(request, _("Ce déploiement est abandonné : ses conventions ne changent plus."))
        return redirect("deployments:detail", deployment_id=deployment.pk)
    form = ContractForm(request.POST or None, request.FILES or None, contract=contract)
    if request.method == "POST":
        if form.is_valid():
            try:
                writes.contract_save(
                    request=request,
                    deployment=deployment,
                    contract=contract,
                    by=request.user,
                    **form.contract_data(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("La convention est enregistrée."))
                return redirect(f"{deployment_url(deployment)}#conventions")
        form.note_file_not_kept()
    context = {"form": form, "deployment": deployment, "contract": contract}
    return render(request, "deployments/contract_form.html", context)


def deployment_url(deployment: Deployment) -> str:
    return reverse("deployments:detail", kwargs={"deployment_id": deployment.pk})


@permission(policies.CONTRACT_MANAGE)
def contract_new(request: PlatformRequest, deployment_id: int) -> HttpResponse:
    deployment = selectors.get_deployment_for(request, deployment_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return _contract_form_page(request, deployment, None)


@permission(policies.CONTRACT_MANAGE)
def contract_edit(request: PlatformRequest, contract_id: int) -> HttpResponse:
    contract = reads.get_contract_for(request, contract_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return _contract_form_page(request, contract.deployment, contract)


@permission(policies.CONTRACT_DOCUMENT)
def contract_document(request: PlatformRequest, contract_id: int) -> HttpResponseBase:
    """The signed PDF, as a download, only for the coordination and the partner it was signed with."""
    contract = reads.get_contract_for(request, contract_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not contract.signed_document:
        raise Http404
    try:
        handle = contract.signed_document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    journal.log_view(request=request, obj=contract)
    name = slugify(contract.reference) or str(contract.pk)
    response = FileResponse(handle, as_attachment=True, filename=f"convention-{name}.pdf")
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- Capacity for one-off work


@permission(policies.CAPACITY_VIEW)
@require_http_methods(["GET"])
def capacity(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    kept = settings_for(request.platform.pk).one_off_hours_per_month
    waiting = reads.waiting_one_off_requests(request.platform)
    rows = selectors.with_age(waiting[: reads.WAITING_SHOWN], today)
    context = {
        "capacity": reads.capacity(request.platform, kept, today),
        "kept": kept,
        "waiting": rows,
        "waiting_count": len(rows) if len(rows) < reads.WAITING_SHOWN else waiting.count(),
        "waiting_limit": reads.WAITING_SHOWN,
    }
    return render(request, "deployments/capacity.html", context)


# ---- Settings


@permission(policies.SETTINGS_EDIT)
@require_http_methods(["GET", "POST"])
def deployment_settings(request: PlatformRequest) -> HttpResponse:
    current = settings_for(request.platform.pk)
    form = DeploymentSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            writes.deployment_settings_save(request=request, platform=request.platform, **form.settings_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Les réglages des déploiements sont enregistrés."))
            return redirect("deployments:settings")
    return render(request, "deployments/settings.html", {"form": form, "current": current})


# ---- The partner's follow-up


@permission(policies.PARTNER_FOLLOWUP)
@require_http_methods(["GET"])
def partner_followup(request: PlatformRequest) -> HttpResponse:
    contact = selectors.partner_contact(request)
    if contact is None:
        return render(request, "deployments/partner_followup.html", {"organisation": None}, status=404)
    today = timezone.localdate()
    organisation_id = contact.organisation_id
    context = {
        "organisation": contact.organisation,
        "reviews": reads.partner_upcoming_reviews(request.platform, organisation_id, today),
        "reviews_limit": reads.PARTNER_REVIEWS_SHOWN,
        "hours": reads.partner_hours(request.platform, organisation_id, today),
        "tolerance": reads.TOLERANCE_PERCENT,
        "this_month": reads.month_start(today),
        "last_month": reads.previous_month(today),
    }
    return render(request, "deployments/partner_followup.html", context)
