"""The coordination's events and training programmes: list, create, edit, cancel (everyone registered
is told), registrations and waiting list; a programme's sessions and each participant's completion;
the peer worker's own events as a trainer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.events import (
    SESSION_PREFIX,
    CancelForm,
    EventFilterForm,
    EventForm,
    ProgrammeForm,
    ProgrammeRegisterForm,
    UnregisterForm,
    session_formset,
    session_rows,
    session_slots,
)
from ..models import Event, Kind, Programme
from ..selectors import manage as reads
from ..services import circle as circle_writes
from ..services import events as writes
from ..services import feedback as feedback_writes
from ..services import registrations as registration_writes

PAGE_SIZE = 30


def _detail_url(event: Event, anchor: str = "") -> str:
    url = reverse("events:detail", kwargs={"event_id": event.pk})
    return f"{url}#{anchor}" if anchor else url


def _programme_url(programme: Programme, anchor: str = "") -> str:
    url = reverse("events:programme", kwargs={"programme_id": programme.pk})
    return f"{url}#{anchor}" if anchor else url


def event_link(event: Event) -> str:
    """The event's own page, absolute: the address to share (or the invitation link)."""
    return settings.SITE_URL.rstrip("/") + reverse("events:event_page", kwargs={"event_token": event.token})


def _tomorrow_start() -> datetime:
    """Attendance opens on the event's day: an event starting before tomorrow may take it."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def _not_allowed(request: PlatformRequest, *methods: str) -> HttpResponse | None:
    return None if request.method in methods else HttpResponseNotAllowed(list(methods))


# ---- The list


@permission(policies.EVENTS_MANAGE)
def event_list(request: PlatformRequest) -> HttpResponse:
    """Upcoming events (or past ones with ``?periode=passes``), by type and visibility."""
    refused = _not_allowed(request, "GET", "HEAD")
    if refused:
        return refused
    past = request.GET.get("periode") == reads.PERIOD_PAST
    filters = EventFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = reads.event_rows(
        request.platform,
        now=timezone.now(),
        period=reads.PERIOD_PAST if past else "",
        kind=chosen.get("kind", ""),
        visibility=chosen.get("visibility", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "events": list(page.object_list),
        "past": past,
        "query": query.urlencode(),
        "periode_past": reads.PERIOD_PAST,
        "public_agenda_url": reverse("events:public_agenda", kwargs={"platform_slug": request.platform.slug}),
    }
    return render(request, "events/event_list.html", context)


# ---- Creating and changing an event


def _event_form(request: PlatformRequest, event: Event | None, initial: dict[str, Any] | None = None) -> EventForm:
    platform = request.platform
    return EventForm(
        request.POST if request.method == "POST" else None,
        trainers=reads.trainer_choices(platform, day=timezone.localdate(), event=event),
        communes=reads.commune_choices(platform, event),
        organisations=reads.organisation_choices(platform),
        deployments=reads.deployment_choices(platform),
        programmes=reads.programme_choices(platform),
        instruments=reads.instrument_choices(platform, event),
        event=event,
        initial=initial,
    )


def _create_initial(request: PlatformRequest) -> dict[str, Any]:
    """A new event prefilled from the deployment (``?deploiement=``) or programme (``?programme=``) it
    comes from."""
    initial: dict[str, Any] = {}
    deployment = reads.get_deployment_in(request.platform, request.GET.get("deploiement"))
    if deployment is not None:
        initial.update(deployment=deployment.pk, organisation=deployment.organisation_id, kind=Kind.SENSITISATION)
    programme = reads.find_programme_in(request.platform, request.GET.get("programme"))
    if programme is not None:
        initial.update(programme=programme.pk, kind=Kind.TRAINING, title=programme.title)
        initial.update(organisation=programme.organisation_id, deployment=programme.deployment_id)
    return initial


@permission(policies.EVENTS_MANAGE)
def event_create(request: PlatformRequest) -> HttpResponse:
    refused = _not_allowed(request, "GET", "POST")
    if refused:
        return refused
    form = _event_form(request, None, None if request.method == "POST" else _create_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = writes.event_create(
                request=request, platform=request.platform, by=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'événement « %(title)s » est créé.") % {"title": event.title})
            return redirect(_detail_url(event))
    return render(request, "events/event_form.html", {"form": form, "event": None})


@permission(policies.EVENTS_MANAGE)
def event_edit(request: PlatformRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event_for(request, event_id)
    refused = _not_allowed(request, "GET", "POST")
    if refused:
        return refused
    refusal = writes.event_edit_refusal(event)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(event))
    form = _event_form(request, event)
    if request.method == "POST" and form.is_valid():
        try:
            writes.event_update(request=request, event=event, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'événement est enregistré."))
            return redirect(_detail_url(event))
    return render(request, "events/event_form.html", {"form": form, "event": event})


# ---- One event


def _event_page(request: PlatformRequest, event: Event, *, cancel_form: CancelForm | None = None) -> HttpResponse:
    journal.log_view(request=request, obj=event)
    now = timezone.now()
    counts = reads.counts_of(event)
    cancelled = event.is_cancelled
    places_left = None
    if event.capacity is not None:
        places_left = max(0, event.capacity - counts["confirmed"] - counts["offered"])
    context = {
        "event": event,
        "trainers": reads.event_trainers(event),
        "registrations": reads.registrations_of(event),
        "counts": counts,
        "places_left": places_left,
        "event_link": event_link(event),
        "cancel_form": cancel_form or CancelForm(),
        "can_edit": not writes.event_edit_refusal(event, now=now),
        "can_cancel": not cancelled and event.ends_at > now,
        "can_take_attendance": not cancelled and event.starts_at < _tomorrow_start(),
        "can_invite_circle": event.kind == Kind.INTERVISION and not cancelled and event.starts_at > now,
        "can_open_beliefs": (
            event.kind == Kind.TRAINING
            and event.beliefs_instrument_id is not None
            and event.beliefs_before_id is None
            and not cancelled
            and timezone.localdate(event.starts_at) >= timezone.localdate()
        ),
        "now": now,
    }
    return render(request, "events/event_detail.html", context)


@permission(policies.EVENTS_MANAGE)
def event_detail(request: PlatformRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event_for(request, event_id)
    refused = _not_allowed(request, "GET", "HEAD", "POST")
    if refused:
        return refused
    if request.method != "POST":
        return _event_page(request, event)
    action = request.POST.get("action", "")
    if action == "unregister":
        return _unregister(request, event)
    if action == "cancel":
        return _cancel(request, event)
    if action == "invite_circle":
        return _invite_circle(request, event)
    if action == "beliefs_before":
        return _beliefs_before(request, event)
    messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
    return redirect(_detail_url(event))


def _unregister(request: PlatformRequest, event: Event) -> HttpResponse:
    form = UnregisterForm(request.POST)
    if not form.is_valid():
        raise Http404
    registration = reads.get_registration_of(event, form.cleaned_data["registration"])
    try:
        registration_writes.registration_cancel(request=request, registration=registration, by_staff=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s n'est plus inscrit·e.") % {"name": registration.name})
    return redirect(_detail_url(event, "inscriptions"))


def _cancel(request: PlatformRequest, event: Event) -> HttpResponse:
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _event_page(request, event, cancel_form=form)
    try:
        count = writes.event_cancel(request=request, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(event))
    if count:
        text = ngettext(
            "L'événement est annulé : %(count)s personne inscrite est prévenue par e-mail.",
            "L'événement est annulé : %(count)s personnes inscrites sont prévenues par e-mail.",
            count,
        ) % {"count": count}
    else:
        text = _("L'événement est annulé. Personne n'était inscrit·e avec une adresse e-mail.")
    messages.success(request, text)
    return redirect(_detail_url(event))


def _invite_circle(request: PlatformRequest, event: Event) -> HttpResponse:
    try:
        count = circle_writes.circle_invite(request=request, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            text = ngettext("%(count)s invitation envoyée.", "%(count)s invitations envoyées.", count) % {
                "count": count
            }
        else:
            text = _("Le cercle d'intervision n'a aucun membre actif : aucune invitation n'est partie.")
        messages.success(request, text)
    return redirect(_detail_url(event))


def _beliefs_before(request: PlatformRequest, event: Event) -> HttpResponse:
    try:
        feedback_writes.beliefs_before_open(request=request, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Le questionnaire « avant » est ouvert : son lien est envoyé aux personnes inscrites.")
        )
    return redirect(_detail_url(event))


# ---- Programmes


@permission(policies.EVENTS_MANAGE)
def programme_list(request: PlatformRequest) -> HttpResponse:
    refused = _not_allowed(request, "GET", "HEAD")
    if refused:
        return refused
    programmes = list(reads.programme_rows(request.platform, now=timezone.now()))
    return render(request, "events/programme_list.html", {"programmes": programmes})


def _programme_form(request: PlatformRequest, initial: dict[str, Any] | None = None) -> ProgrammeForm:
    platform = request.platform
    return ProgrammeForm(
        request.POST if request.method == "POST" else None,
        trainers=reads.trainer_choices(platform, day=timezone.localdate()),
        organisations=reads.organisation_choices(platform),
        deployments=reads.deployment_choices(platform),
        initial=initial,
    )


@permission(policies.EVENTS_MANAGE)
def programme_create(request: PlatformRequest) -> HttpResponse:
    """A programme and its sessions (``?seances=N`` rows, from 2 to 12)."""
    refused = _not_allowed(request, "GET", "POST")
    if refused:
        return refused
    if request.method == "POST":
        rows = session_rows(request.POST.get(f"{SESSION_PREFIX}-TOTAL_FORMS"))
        form = _programme_form(request)
        sessions = session_formset(request.POST, rows=rows)
        forms_valid = form.is_valid()
        if sessions.is_valid() and forms_valid:
            try:
                programme = writes.programme_create(
                    request=request,
                    platform=request.platform,
                    by=request.user,
                    sessions=session_slots(sessions),
                    **form.service_data(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Le programme « %(title)s » est créé avec ses séances.") % {"title": programme.title},
                )
                return redirect(_programme_url(programme))
    else:
        rows = session_rows(request.GET.get("seances"))
        initial: dict[str, Any] = {}
        deployment = reads.get_deployment_in(request.platform, request.GET.get("deploiement"))
        if deployment is not None:
            initial = {"deployment": deployment.pk, "organisation": deployment.organisation_id}
        form = _programme_form(request, initial)
        sessions = session_formset(rows=rows)
    context = {
        "form": form,
        "sessions": sessions,
        "rows": rows,
        "row_choices": range(writes.MIN_SESSIONS, writes.MAX_SESSIONS + 1),
    }
    return render(request, "events/programme_form.html", context)


def _programme_page(
    request: PlatformRequest, programme: Programme, *, register_form: ProgrammeRegisterForm | None = None
) -> HttpResponse:
    journal.log_view(request=request, obj=programme)
    now = timezone.now()
    sessions = reads.programme_sessions(programme)
    context = {
        "programme": programme,
        "sessions": sessions,
        "completion": reads.programme_completion(programme),
        "register_form": register_form or ProgrammeRegisterForm(),
        "has_future_sessions": any(not s.is_cancelled and s.starts_at > now for s in sessions),
        "now": now,
    }
    return render(request, "events/programme_detail.html", context)


@permission(policies.EVENTS_MANAGE)
def programme_detail(request: PlatformRequest, programme_id: int) -> HttpResponse:
    programme = selectors.get_programme_for(request, programme_id)
    refused = _not_allowed(request, "GET", "HEAD", "POST")
    if refused:
        return refused
    if request.method != "POST":
        return _programme_page(request, programme)
    if request.POST.get("action") != "register":
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
        return redirect(_programme_url(programme))
    form = ProgrammeRegisterForm(request.POST)
    if form.is_valid():
        try:
            created = writes.programme_register(request=request, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(name)s est inscrit·e à %(count)s séance.",
                    "%(name)s est inscrit·e à %(count)s séances.",
                    count,
                )
                % {"name": form.cleaned_data["name"].strip(), "count": count},
            )
            return redirect(_programme_url(programme, "participants"))
    return _programme_page(request, programme, register_form=form)


# ---- The peer worker's own events


@permission(policies.MY_EVENTS)
def my_events(request: PlatformRequest) -> HttpResponse:
    refused = _not_allowed(request, "GET", "HEAD")
    if refused:
        return refused
    mine = reads.events_led(reads.own_peer_profile(request), now=timezone.now())
    context = {"upcoming": mine.upcoming, "recent": mine.recent, "tomorrow_start": _tomorrow_start()}
    return render(request, "events/my_events.html", context)
