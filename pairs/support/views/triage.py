"""The coordinators' triage queue: new requests, first contact, redirection, acceptance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..forms.intake import AcceptForm, RedirectForm, SettingsForm
from ..models import PersonStatus, RequestStatus, SupportRequest
from ..selectors import intake as selectors
from ..services import intake as services

PAGE_SIZE = 25


@permission(policies.TRIAGE)
@require_http_methods(["GET"])
def queue(request: PlatformRequest) -> HttpResponse:
    tab = request.GET.get("etat") or "todo"
    if tab not in selectors.TABS_BY_KEY:
        tab = "todo"
    platform = request.platform
    today = timezone.localdate()
    days = selectors.first_contact_days(platform)
    rows = selectors.queue_rows(platform, tab=tab, today=today, days=days)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(platform)
    context = {
        "tab": selectors.TABS_BY_KEY[tab],
        "tabs": [(item, counts[item.key]) for item in selectors.TABS],
        "page": page,
        "rows": selectors.queue_page_rows(page.object_list, today=today, days=days),
        "days": days,
        "late_count": selectors.late_count(platform, today=today, days=days),
        "query": f"etat={tab}",
        "open_tab": tab in selectors.OPEN_TABS,
    }
    return render(request, "support/queue.html", context)


def _detail(
    request: PlatformRequest,
    support_request: SupportRequest,
    *,
    redirect_form: RedirectForm | None = None,
    accept_form: AcceptForm | None = None,
    open_people: list[Any] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    days = selectors.first_contact_days(request.platform)
    request_hints = selectors.duplicate_requests(support_request)
    people_hints = selectors.duplicate_people(support_request)
    if open_people is None:
        open_people = [hint.obj for hint in people_hints if hint.obj.status == PersonStatus.OPEN]
    journal.log_view(request=request, obj=support_request)
    handled = support_request.status in {RequestStatus.REDIRECTED, RequestStatus.ACCEPTED}
    context = {
        "support_request": support_request,
        "target": selectors.target_of(support_request, today=today, days=days),
        "days": days,
        "topics": selectors.topic_labels(support_request),
        "request_hints": request_hints,
        "people_hints": people_hints,
        "hint_total": len(request_hints) + len(people_hints),
        "handled": handled,
        "can_contact": support_request.status == RequestStatus.NEW,
        "redirect_form": redirect_form or RedirectForm(),
        "accept_form": accept_form or AcceptForm(people=open_people),
    }
    return render(request, "support/request_detail.html", context)


@permission(policies.TRIAGE)
def request_detail(request: PlatformRequest, support_request_id: int) -> HttpResponse:
    support_request = selectors.get_support_request_for(request, support_request_id)
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        return _detail(request, support_request)
    action = request.POST.get("action", "")
    try:
        if action == "contact":
            services.support_request_contact(request=request, support_request=support_request, by=request.user)
            messages.success(request, _("Premier contact noté."))
            return redirect("support:request", support_request_id=support_request.pk)
        if action == "redirect":
            redirect_form = RedirectForm(request.POST)
            if not redirect_form.is_valid():
                return _detail(request, support_request, redirect_form=redirect_form)
            services.support_request_redirect(
                request=request,
                support_request=support_request,
                by=request.user,
                where=redirect_form.cleaned_data["where"],
            )
            messages.success(request, _("Demande orientée ailleurs : c'est noté."))
            return redirect("support:request", support_request_id=support_request.pk)
        if action == "accept":
            open_people = [
                hint.obj for hint in selectors.duplicate_people(support_request) if hint.obj.status == PersonStatus.OPEN
            ]
            accept_form = AcceptForm(request.POST, people=open_people)
            if not accept_form.is_valid():
                return _detail(request, support_request, accept_form=accept_form, open_people=open_people)
            existing = accept_form.chosen_person()
            person = services.support_request_accept(
                request=request, support_request=support_request, by=request.user, existing_person=existing
            )
            if existing is None:
                text = _("Demande acceptée : le dossier de %(name)s est ouvert.")
            else:
                text = _("Demande acceptée et rattachée au dossier de %(name)s.")
            messages.success(request, text % {"name": person.pseudonym})
            return redirect("support:person", person_id=person.pk)
    except ValidationError as error:
        if hasattr(error, "error_dict") and action == "redirect":
            redirect_form = RedirectForm(request.POST)
            redirect_form.is_valid()
            redirect_form.add_service_error(error)
            return _detail(request, support_request, redirect_form=redirect_form)
        messages.error(request, " ".join(error.messages))
        return redirect("support:request", support_request_id=support_request.pk)
    messages.error(request, _("Cette action n'existe pas. Choisissez une des actions de la page."))
    return redirect("support:request", support_request_id=support_request.pk)


@permission(policies.SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_edit(request: PlatformRequest) -> HttpResponse:
    current = selectors.support_settings_of(request.platform)
    form = SettingsForm(request.POST or None, initial={"first_contact_days": current.first_contact_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.support_settings_save(
                request=request, platform=request.platform, first_contact_days=form.cleaned_data["first_contact_days"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Réglages de l'accompagnement enregistrés."))
            return redirect("support:queue")
    return render(request, "support/settings.html", {"form": form})
