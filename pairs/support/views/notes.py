"""Notes with confidentiality levels (encrypted, every read journaled) and mediation records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.notes import MediationForm, NoteForm
from ..models import Person
from ..selectors import notes as reads
from ..services import notes as writes


def _person_url(person: Person, anchor: str) -> str:
    return reverse("support:person", kwargs={"person_id": person.pk}) + f"#{anchor}"


def person_context(request: PlatformRequest, person: Person) -> dict[str, Any]:
    """What this part adds to the person page (templates/support/_notes.html)."""
    return {
        "note_rows": reads.note_rows(request, person),
        "note_can_write": reads.can_write_notes(request, person),
        "mediations": list(reads.mediations_of(person)),
        "mediation_can_add": not person.is_closed,
    }


# ---- Notes


@permission(policies.NOTES)
def note_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    """Only peer workers write notes; coordinators read the shared ones."""
    person = selectors.get_person_for(request, person_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    author = selectors.own_peer_profile(request)
    if author is None:
        raise PermissionDenied
    if person.is_closed:
        messages.error(request, _("Cet accompagnement est clos : on n'y ajoute plus de note."))
        return redirect(_person_url(person, "notes"))
    meetings = reads.note_meetings(person)
    initial: dict[str, Any] = {}
    wanted = reads.meeting_among(meetings, request.GET.get("rencontre", ""))
    if wanted is not None:
        initial["meeting"] = wanted
    form = NoteForm(request.POST if request.method == "POST" else None, meetings=meetings, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            note = writes.note_add(request=request, person=person, author=author, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La note est enregistrée."))
            return redirect("support:note", note_id=note.pk)
    return render(request, "support/note_form.html", {"person": person, "form": form})


@permission(policies.NOTES)
def note_detail(request: PlatformRequest, note_id: int) -> HttpResponse:
    """Reading a note: every view is journaled."""
    note = reads.get_note_for(request, note_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    journal.log_view(request=request, obj=note)
    person = note.person
    context = {
        "note": note,
        "person": person,
        "text": reads.note_text(note),
        "author": reads.author_name(note.author),
        "can_open_person": selectors.can_see_person(request, person),
    }
    return render(request, "support/note_detail.html", context)


# ---- Mediation


@permission(policies.NOTES)
def mediation_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if person.is_closed:
        messages.error(request, _("Cet accompagnement est clos : on n'y ajoute plus de médiation."))
        return redirect(_person_url(person, "mediations"))
    today = timezone.localdate()
    own = selectors.own_peer_profile(request)
    peers = None if own is not None else reads.mediation_peers(request, person, today)
    initial: dict[str, Any] = {"held_on": today}
    if peers is not None and person.peer_id is not None:
        initial["peer"] = person.peer_id
    form = MediationForm(
        request.POST if request.method == "POST" else None, peers=peers, person=person, initial=initial
    )
    consented = reads.has_share_consent(person)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        peer = data.pop("peer", None) or own
        try:
            if peer is None:
                raise ValidationError({"peer": [_("Choisissez le ou la pair aidant·e qui a mené la médiation.")]})
            writes.mediation_add(request=request, person=person, peer=peer, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La médiation est enregistrée."))
            return redirect(_person_url(person, "mediations"))
    context = {"person": person, "form": form, "consented": consented}
    return render(request, "support/mediation_form.html", context)
