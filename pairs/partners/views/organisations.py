"""Partner organisations: the coordinators' directory, a partner's page, teams and contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors, services
from ..forms import ContactForm, OrganisationFilterForm, OrganisationForm, TeamForm
from ..models import Organisation


@permission(policies.ORGANISATION_LIST)
def organisation_list(request: PlatformRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.organisation_list(request.platform, sector=data.get("sector", ""), query=data.get("q", ""))
    page = Paginator(rows, selectors.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "partners/organisation_list.html", context)


@permission(policies.ORGANISATION_EDIT)
@require_http_methods(["GET", "POST"])
def organisation_create(request: PlatformRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, platform=request.platform)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(request=request, platform=request.platform, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le partenaire « %(name)s » est ajouté.") % {"name": organisation.name})
            return redirect("partners:detail", organisation_id=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": None})


@permission(policies.ORGANISATION_EDIT)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: PlatformRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.get_organisation_for(request, organisation_id)
    form = OrganisationForm(request.POST or None, platform=request.platform, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.organisation_update(request=request, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Les changements sont enregistrés.") if changed else _("Rien n'a changé."))
            return redirect("partners:detail", organisation_id=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": organisation})


def _detail(request: PlatformRequest, organisation: Organisation, team_form: TeamForm | None = None) -> HttpResponse:
    coordinator = selectors.is_coordinator(request)
    if coordinator and team_form is None:
        team_form = TeamForm(platform=request.platform)
    context: dict[str, Any] = {
        "organisation": organisation,
        "coordinator": coordinator,
        "teams": selectors.teams_of(organisation),
        "contacts": selectors.contacts_of(organisation),
        "deployments": selectors.deployments_of(organisation),
        "deployments_limit": selectors.DEPLOYMENTS_SHOWN,
        "team_form": team_form,
    }
    return render(request, "partners/organisation_detail.html", context)


@permission(policies.ORGANISATION_VIEW)
def organisation_detail(request: PlatformRequest, organisation_id: int) -> HttpResponse:
    return _detail(request, selectors.get_organisation_for(request, organisation_id))


@permission(policies.ORGANISATION_EDIT)
def team_add(request: PlatformRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.get_organisation_for(request, organisation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = TeamForm(request.POST, platform=request.platform)
    if form.is_valid():
        try:
            team = services.team_add(request=request, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le service « %(name)s » est ajouté.") % {"name": team.name})
            return redirect("partners:detail", organisation_id=organisation.pk)
    return _detail(request, organisation, team_form=form)


@permission(policies.ORGANISATION_EDIT)
@require_http_methods(["GET", "POST"])
def contact_add(request: PlatformRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.get_organisation_for(request, organisation_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_add(request=request, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le contact %(name)s est ajouté.") % {"name": contact})
            return redirect("partners:detail", organisation_id=organisation.pk)
    return render(request, "partners/contact_form.html", {"form": form, "organisation": organisation})


@permission(policies.ORGANISATION_EDIT)
def contact_invite(request: PlatformRequest, contact_id: int) -> HttpResponse:
    contact = selectors.get_contact_for(request, contact_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        invited = services.contact_invite(request=request, contact=contact)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if invited:
            message = _("%(name)s a maintenant un compte partenaire : l'invitation est envoyée à %(email)s.")
        else:
            message = _("%(name)s avait déjà un compte partenaire sur la plateforme : il est relié à ce contact.")
        messages.success(request, message % {"name": contact, "email": contact.email})
    return redirect("partners:detail", organisation_id=contact.organisation_id)


@permission(policies.MY_ORGANISATION)
def my_organisation(request: PlatformRequest) -> HttpResponse:
    contact = selectors.own_contact(request)
    if contact is None:
        return render(request, "partners/my_organisation.html", {"organisation": None, "platform": request.platform})
    organisation = contact.organisation
    context = {
        "organisation": organisation,
        "platform": request.platform,
        "teams": selectors.teams_of(organisation),
        "rows": selectors.partner_deployment_rows(organisation),
        "deployments_limit": selectors.DEPLOYMENTS_SHOWN,
    }
    return render(request, "partners/my_organisation.html", context)
