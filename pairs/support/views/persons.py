"""Person records: list, page, edit, consents, the referent peer worker (suggestions), closure, the person's space."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import matching, policies, selectors
from ..forms.persons import ClosureForm, ConsentForm, PeerChoiceForm, PersonEditForm, PersonFilterForm
from ..models import Person
from ..selectors import persons as person_selectors
from ..services import persons as person_services
from . import groups, meetings, notes

PAGE_SIZE = 50
# Suggestions shown with their "Choisir" button; the others on demand (?toutes=1).
SHOWN_SUGGESTIONS = 10


def _person_url(person: Person, anchor: str = "") -> str:
    url = reverse("support:person", kwargs={"person_id": person.pk})
    return f"{url}#{anchor}" if anchor else url


def _require_editor(request: PlatformRequest, person: Person) -> None:
    """Coordinators and the referent peer worker; a worker who only meets the person may not."""
    if not person_selectors.can_edit(request, person):
        journal.log_permission_denied(request=request, rule_name="support.person_referent")
        raise PermissionDenied


def _refused_when_closed(request: PlatformRequest, person: Person) -> HttpResponse | None:
    if person.is_closed:
        messages.warning(request, person_services.closed_message())
        return redirect(_person_url(person))
    return None


def _service_messages(request: PlatformRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ---- The list


@permission(policies.PERSON_VIEW)
def person_list(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    coordinator = selectors.is_coordinator(request)
    profiles = person_selectors.platform_profiles(request.platform) if coordinator else None
    form = PersonFilterForm(request.GET or None, profiles=profiles)
    rows = person_selectors.person_list(request, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "coordinator": coordinator, "query": query.urlencode()}
    return render(request, "support/person_list.html", context)


# ---- One record


def _detail(request: PlatformRequest, person: Person, *, consent_form: ConsentForm | None = None) -> HttpResponse:
    coordinator = selectors.is_coordinator(request)
    editor = person_selectors.can_edit(request, person)
    journal.log_view(request=request, obj=person)
    if consent_form is None and editor and not person.is_closed:
        consent_form = ConsentForm(auto_id="id_consent_%s")
    context: dict[str, Any] = {
        "person": person,
        "coordinator": coordinator,
        "can_edit": editor and not person.is_closed,
        "can_withdraw": editor,
        "can_match": coordinator and not person.is_closed,
        "sees_contacts": editor,  # coordinators and the referent (see selectors.persons.sees_contacts)
        "relatives": person_selectors.relatives_of(request, person),
        "relative_of_visible": person_selectors.relative_of_visible(request, person),
        "changes": person_selectors.peer_changes(person),
        "change_requests": person_selectors.pending_change_requests(person) if coordinator else [],
        "consents": person_selectors.consents_of(person),
        "consent_form": consent_form if editor and not person.is_closed else None,
    }
    for part in (meetings, notes, groups):
        context.update(part.person_context(request, person))
    return render(request, "support/person_detail.html", context)


@permission(policies.PERSON_VIEW)
def person_detail(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _detail(request, person)


@permission(policies.PERSON_EDIT)
def person_edit(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    _require_editor(request, person)
    refused = _refused_when_closed(request, person)
    if refused is not None:
        return refused
    form = PersonEditForm(
        request.POST if request.method == "POST" else None,
        initial=PersonEditForm.initial_for(person),
        people=person_selectors.relative_choices(request.platform, person),
        communes=person_selectors.commune_choices(request.platform, person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = person_services.person_update(request=request, person=person, **form.person_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le dossier est enregistré.") if changed else _("Rien n'a changé."))
            return redirect(_person_url(person))
    return render(request, "support/person_edit.html", {"person": person, "form": form})


# ---- The referent peer worker


def _chosen_peer(request: PlatformRequest) -> str:
    """The worker chosen: a suggestion's button, or the list of every active worker."""
    if request.POST.get("use_other"):
        return request.POST.get("other", "")
    return request.POST.get("peer", "")


@permission(policies.MATCH)
def person_match(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    refused = _refused_when_closed(request, person)
    if refused is not None:
        return refused
    today = timezone.localdate()
    profiles = person_selectors.matchable_profiles(request.platform, today, excluding=person.peer_id)
    change_requests = person_selectors.pending_change_requests(person)
    form: PeerChoiceForm
    if request.method == "POST":
        data = {
            "peer": _chosen_peer(request),
            "asked_by_person": request.POST.get("asked_by_person", ""),
            "reason": request.POST.get("reason", ""),
        }
        form = PeerChoiceForm(data, profiles=profiles)
        if form.is_valid():
            peer = form.cleaned_data["peer"]
            try:
                person_services.person_peer_set(
                    request=request,
                    person=person,
                    peer=peer,
                    by=request.user,
                    asked_by_person=form.cleaned_data["asked_by_person"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("%(peer)s est maintenant pair aidant·e référent·e de %(person)s.")
                    % {"peer": peer.membership.user.display_name, "person": person.pseudonym},
                )
                return redirect(_person_url(person, "referent"))
    else:
        form = PeerChoiceForm(initial={"asked_by_person": bool(change_requests)}, profiles=profiles)
    journal.log_view(request=request, obj=person)
    ranking = person_selectors.peer_suggestions(person, platform=request.platform, today=today)
    show_all = request.GET.get("toutes") == "1"
    shown = ranking.suggestions if show_all else ranking.suggestions[:SHOWN_SUGGESTIONS]
    context = {
        "person": person,
        "form": form,
        "need": ranking.need,
        "suggestions": shown,
        "pool_size": ranking.pool_size,
        "hidden_count": ranking.pool_size - len(shown),
        "show_all": show_all,
        "change_requests": change_requests,
        "others": list(profiles),
        "weights": {
            "availability": matching.WEIGHT_AVAILABILITY,
            "distance": matching.WEIGHT_DISTANCE,
            "mode": matching.WEIGHT_MODE,
            "language": matching.WEIGHT_LANGUAGE,
            "gender": matching.WEIGHT_GENDER,
            "workload": matching.WEIGHT_ALERTS + matching.WEIGHT_PEOPLE,
            "alerts": matching.WEIGHT_ALERTS,
            "people": matching.WEIGHT_PEOPLE,
        },
    }
    return render(request, "support/person_match.html", context)


# ---- Consents


@permission(policies.PERSON_EDIT)
def consent_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_editor(request, person)
    refused = _refused_when_closed(request, person)
    if refused is not None:
        return refused
    form = ConsentForm(request.POST, auto_id="id_consent_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            person_services.consent_add(
                request=request,
                person=person,
                kind=data["kind"],
                method=data["method"],
                given_at=data["given_at"],
                professional=data.get("professional") or "",
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le consentement est noté."))
            return redirect(_person_url(person, "consentements"))
    return _detail(request, person, consent_form=form)


@permission(policies.PERSON_EDIT)
def consent_withdraw(request: PlatformRequest, consent_id: int) -> HttpResponse:
    consent = person_selectors.get_consent_for(request, consent_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = consent.person
    _require_editor(request, person)
    try:
        person_services.consent_withdraw(request=request, consent=consent, by=request.user)
    except ValidationError as error:
        _service_messages(request, error)
    else:
        messages.success(
            request,
            _("Le consentement « %(kind)s » est retiré. Ce qu'il permettait s'arrête dès maintenant.")
            % {"kind": consent.get_kind_display()},
        )
    return redirect(_person_url(person, "consentements"))


# ---- Closure


@permission(policies.CLOSE)
def person_close(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    _require_editor(request, person)
    refused = _refused_when_closed(request, person)
    if refused is not None:
        return refused
    form = ClosureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person_services.person_close(
                request=request,
                person=person,
                reason=data["reason"],
                comment=data.get("comment") or "",
                feedback_helpful=data.get("feedback_helpful"),
                feedback_comment=data.get("feedback_comment") or "",
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'accompagnement est clos. Le dossier reste consultable, sans modification."))
            return redirect(_person_url(person))
    return render(request, "support/person_close.html", {"person": person, "form": form})


# ---- The person's own space


@permission(policies.PERSON_EDIT)
def person_invite(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_editor(request, person)
    refused = _refused_when_closed(request, person)
    if refused is not None:
        return refused
    try:
        person_services.person_invite(request=request, person=person)
    except ValidationError as error:
        _service_messages(request, error)
    else:
        messages.success(
            request,
            _("Un lien de connexion à son espace personnel est envoyé à %(email)s.") % {"email": person.email},
        )
    return redirect(_person_url(person, "espace"))
