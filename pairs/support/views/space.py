"""The person's own space: next meetings, shared notes, consents, groups, change of peer worker, their data."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.space import ChangeRequestForm
from ..selectors import space as reads
from ..services import space as writes


def _not_linked(request: PlatformRequest) -> HttpResponse:
    return render(request, "support/my_support.html", {"person": None})


@permission(policies.MY_SPACE)
def my_support(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    person = selectors.own_person(request)
    if person is None:
        return _not_linked(request)
    journal.log_view(request=request, obj=person)
    notes = reads.shared_notes(request, person)
    for shown in notes:  # every note read is journaled
        journal.log_view(request=request, obj=shown.note)
    context = {
        "person": person,
        "meetings": reads.next_meetings(person),
        "notes": notes,
        "consents": list(reads.own_consents(person)),
        "registrations": reads.groups_of(person),
        "pending_change": reads.pending_change_request(person),
        "read_only": person.is_closed,
    }
    return render(request, "support/my_support.html", context)


@permission(policies.MY_SPACE)
def my_consent_withdraw(request: PlatformRequest, consent_id: int) -> HttpResponse:
    consent = reads.get_own_consent(request, consent_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        writes.my_consent_withdraw(request=request, consent=consent, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Consentement retiré : « %(kind)s ». L'équipe en tient compte dès maintenant.")
            % {"kind": consent.get_kind_display()},
        )
    return redirect("support:my_support")


@permission(policies.MY_SPACE)
def my_change_request(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    person = selectors.own_person(request)
    if person is None:
        return _not_linked(request)
    form = ChangeRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            writes.change_request_create(request=request, person=person, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _(
                    "Votre demande est transmise à l'équipe. "
                    "Elle vous proposera quelqu'un d'autre, sans vous demander pourquoi."
                ),
            )
            return redirect("support:my_support")
    context = {
        "person": person,
        "form": form,
        "pending_change": reads.pending_change_request(person),
        "read_only": person.is_closed,
    }
    return render(request, "support/my_change_request.html", context)


@permission(policies.MY_SPACE)
def my_data(request: PlatformRequest) -> HttpResponse:
    """Everything about the person, as a JSON file (also once the record is closed)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    person = selectors.own_person(request)
    if person is None:
        return _not_linked(request)
    data, notes = reads.my_data(request, person)
    journal.log_view(request=request, obj=person)
    for note in notes:
        journal.log_view(request=request, obj=note)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
