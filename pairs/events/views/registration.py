"""An event's page behind its link and registration without an account (capacity, waiting list); the
registrant's personal link: cancel, accept a place offered."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.core import ratelimit
from pairs.core.middleware import mark_personal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies
from ..forms.registration import RegistrationForm
from ..models import Event, Registration, RegistrationStatus
from ..selectors import agenda as reads
from ..services import registrations as writes

RATE_LIMIT, RATE_WINDOW_SECONDS = 10, 3600


def _see_other(url: str) -> HttpResponseRedirect:
    """Post/redirect/get with 303: the browser follows with a GET."""
    return HttpResponseRedirect(url, status=303)


def _registration_url(registration: Registration) -> str:
    return reverse("events:registration", kwargs={"registration_token": registration.token})


def _event_url(event: Event) -> str:
    return reverse("events:event_page", kwargs={"event_token": event.token})


# ---- The event's page and its registration form


@permission(policies.PUBLIC_AGENDA)
def event_page(request: PlatformRequest, event_token: str) -> HttpResponse:
    """Anyone with the link sees the event (its visibility governs the agendas, not the link)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    with unscoped():  # the visitor may be signed in elsewhere: the link alone names the event
        event = reads.event_by_token(event_token)
    if event is None:
        raise Http404
    with platform_scope(event.platform_id):
        response = _event_page(request, event)
    if request.method == "POST":
        add_never_cache_headers(response)  # the page may repeat what was typed
    return response


def _event_page(request: PlatformRequest, event: Event) -> HttpResponse:
    now = timezone.now()
    open_ = not event.is_cancelled and event.starts_at > now
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and open_:
        ratelimit.check(request, "event-register", limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS)
        if form.is_robot:  # pretend it worked, save nothing
            messages.success(request, _("Votre demande d'inscription est bien reçue."))
            return _see_other(_event_url(event))
        if form.is_valid():
            try:
                registration = writes.registration_add(request=request, event=event, **form.service_data())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                _registered_message(request, registration)
                return _see_other(_registration_url(registration))
    places_left = reads.places_left(event)
    context = {
        "event": event,
        "form": form,
        "past": event.starts_at <= now,
        "open": open_,
        "places_left": places_left,
        "full": places_left == 0,
        "trainers": reads.trainer_first_names(event),
    }
    return render(request, "events/event_page.html", context)


def _registered_message(request: PlatformRequest, registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request, _("Vous êtes inscrit·e. Un e-mail de confirmation vous est envoyé avec ce lien personnel.")
        )
        return
    position = reads.waiting_position(registration)
    messages.success(
        request,
        ngettext(
            "L'événement est complet : vous êtes sur la liste d'attente, en position %(position)s. "
            "Vous recevrez un e-mail si une place se libère.",
            "L'événement est complet : vous êtes sur la liste d'attente, en position %(position)s. "
            "Vous recevrez un e-mail si une place se libère.",
            position,
        )
        % {"position": position},
    )


# ---- The registrant's personal link


ACTIONS = ("cancel", "accept", "decline")


@permission(policies.PUBLIC_AGENDA)
def registration_manage(request: PlatformRequest, registration_token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    with unscoped():  # the visitor may be signed in elsewhere: the link alone names the registration
        registration = reads.registration_by_token(registration_token)
    if registration is None:
        raise Http404
    with platform_scope(registration.platform_id):
        if request.method == "POST":
            return _act(request, registration)
        response = render(request, "events/registration_manage.html", _manage_context(registration))
    mark_personal(response)
    return response


def _manage_context(registration: Registration) -> dict[str, Any]:
    event = registration.event
    now = timezone.now()
    started = event.starts_at <= now
    offer_open = (
        registration.status == RegistrationStatus.OFFERED
        and registration.offered_until is not None
        and registration.offered_until > now
        and not started
        and not event.is_cancelled
    )
    # A place offered is let go with its own button (« Je laisse la place »).
    can_cancel = registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    return {
        "registration": registration,
        "event": event,
        "started": started,
        "offer_open": offer_open,
        "can_cancel": can_cancel and not started and not event.is_cancelled,
        "position": reads.waiting_position(registration),
        "certificate": registration.attended is True and event.attendance_closed_at is not None,
    }


def _act(request: PlatformRequest, registration: Registration) -> HttpResponse:
    action = request.POST.get("action", "")
    url = _registration_url(registration)
    if action not in ACTIONS:
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
        return _see_other(url)
    try:
        if action == "cancel":
            writes.registration_cancel(request=request, registration=registration, by_staff=False)
            text = _(
                "Votre inscription est annulée. Merci d'avoir prévenu : la place pourra servir à quelqu'un d'autre."
            )
        elif action == "accept":
            writes.registration_accept(request=request, registration=registration)
            text = _("C'est noté : la place est à vous. Un e-mail de confirmation vous est envoyé.")
        else:
            writes.registration_decline(request=request, registration=registration)
            text = _("C'est noté : la place est proposée à la personne suivante.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text)
    return _see_other(url)
