"""Meetings (no double booking), accessible places, the peer worker's agenda and calendar feed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.core.ical import ical_fold, ical_text, ical_time
from pairs.core.middleware import mark_personal
from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.meetings import CalendarFeedForm, MeetingForm, MeetingStatusForm, PlaceForm
from ..models import CalendarFeed, Meeting, MeetingMode, MeetingStatus, ModePreference, Person, Place
from ..selectors import meetings as reads
from ..services import meetings as writes


def person_context(request: PlatformRequest, person: Person) -> dict[str, Any]:
    """What this part adds to the person page (templates/support/_meetings.html)."""
    return {
        "meetings_person": person,
        "meetings": reads.person_meetings(person, timezone.now()),
        "meetings_can_book": not person.is_closed,
    }


def _when(moment: datetime) -> str:
    return _("%(day)s à %(hour)s") % {
        "day": date_format(timezone.localtime(moment), "l j F Y"),
        "hour": writes.hour_text(moment),
    }


# ---- Booking a meeting


# A proposed free slot links back to the form with these (French) address parameters.
REFILL_PARAMETERS = (
    ("pair", "peer"),
    ("forme", "mode"),
    ("lieu", "place"),
    ("debut", "starts_at"),
    ("duree", "duration_minutes"),
)


def _initial(request: PlatformRequest, person: Person, peer_ids: set[int]) -> dict[str, Any]:
    """The form's starting values: the person's referent (a peer worker booking: themselves), the
    person's preferred form of meeting, one hour; a proposed free slot refills the form from the
    address."""
    own = selectors.own_peer_profile(request)
    peer_id = own.pk if own is not None else person.peer_id
    initial: dict[str, Any] = {
        "peer": peer_id if peer_id in peer_ids else None,
        "mode": MeetingMode.PHONE if person.mode_preference == ModePreference.REMOTE else MeetingMode.IN_PERSON,
        "duration_minutes": 60,
    }
    for key, name in REFILL_PARAMETERS:
        value = request.GET.get(key, "").strip()[:40]
        if value:
            initial[name] = value
    return initial


def _slot_links(person: Person, data: dict[str, Any], slots: list[datetime]) -> list[dict[str, Any]]:
    base = reverse("support:meeting_new", kwargs={"person_id": person.pk})
    links = []
    for start in slots:
        params = {
            "pair": data["peer"].pk,
            "forme": data["mode"],
            "lieu": data["place"].pk if data.get("place") is not None else "",
            "debut": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
            "duree": data["duration_minutes"],
        }
        links.append({"start": start, "label": _when(start), "url": f"{base}?{urlencode(params)}"})
    return links


@permission(policies.MEETINGS)
def meeting_new(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request, person_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context: dict[str, Any] = {
        "person": person,
        "form": None,
        "free_slots": [],
        "busy_name": "",
        "manages_places": selectors.is_coordinator(request),
    }
    if person.is_closed:
        if request.method == "POST":
            messages.error(request, _("Cet accompagnement est clos : on n'y prévoit plus de rencontre."))
        return render(request, "support/meeting_form.html", context)
    peers = reads.bookable_peers(request.platform, timezone.localdate())
    peer_ids = set(peers.values_list("pk", flat=True))
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        peers=peers,
        places=reads.active_places(request.platform),
        initial=_initial(request, person, peer_ids),
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = writes.meeting_create(
                request=request,
                person=person,
                peer=data["peer"],
                mode=data["mode"],
                place=data.get("place"),
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
            )
        except writes.DoubleBooked as error:
            form.add_service_error(error)
            slots = reads.next_free_slots(
                error.peer, duration_minutes=error.duration_minutes, after=error.starts_at, now=timezone.now()
            )
            context["free_slots"] = _slot_links(person, data, slots)
            context["busy_name"] = error.peer.membership.user.display_name
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("La rencontre est prévue le %(when)s.") % {"when": _when(meeting.starts_at)},
            )
            return redirect("support:meeting", meeting_id=meeting.pk)
    return render(request, "support/meeting_form.html", context)


# ---- One meeting: details and outcome


STATUS_DONE = {
    MeetingStatus.HELD: gettext_lazy("La rencontre est notée comme tenue."),
    MeetingStatus.CANCELLED: gettext_lazy("La rencontre est annulée."),
    MeetingStatus.NO_SHOW: gettext_lazy("La rencontre est notée : la personne n'est pas venue."),
}


@permission(policies.MEETINGS)
def meeting_detail(request: PlatformRequest, meeting_id: int) -> HttpResponse:
    meeting = reads.get_meeting_for(request, meeting_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        form = MeetingStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choisissez l'issue de la rencontre."))
        else:
            status = form.cleaned_data["status"]
            try:
                writes.meeting_set_status(request=request, meeting=meeting, status=status)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, str(STATUS_DONE[MeetingStatus(status)]))
        return redirect("support:meeting", meeting_id=meeting.pk)
    journal.log_view(request=request, obj=meeting)
    now = timezone.now()
    open_record = not meeting.person.is_closed
    planned = meeting.status == MeetingStatus.PLANNED and open_record
    context = {
        "meeting": meeting,
        "person": meeting.person,
        "ends_at": reads.meeting_end(meeting),
        "hour": writes.hour_text(meeting.starts_at),
        "can_cancel": planned,
        "can_close": planned and meeting.starts_at <= now,
        "to_record": planned and reads.meeting_end(meeting) <= now,
        "can_write_note": meeting.status == MeetingStatus.HELD and selectors.own_peer_profile(request) is not None,
    }
    return render(request, "support/meeting_detail.html", context)


# ---- The peer worker's meetings and calendar address


def _feed_urls(feed: CalendarFeed | None) -> dict[str, str]:
    if feed is None:
        return {}
    https = settings.SITE_URL + reverse("support:calendar_feed", kwargs={"feed_token": feed.token})
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[-1]}


@permission(policies.MY_MEETINGS)
def my_meetings(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    peer = selectors.own_peer_profile(request)
    agenda = reads.my_agenda(peer, timezone.localdate(), timezone.now()) if peer is not None else None
    feed = reads.feed_of(peer) if peer is not None else None
    context = {"peer": peer, "agenda": agenda, "feed": feed, "feed_urls": _feed_urls(feed)}
    return render(request, "support/my_meetings.html", context)


FEED_DONE = {
    "create": gettext_lazy("Votre agenda est prêt : ajoutez son adresse à l'application d'agenda de votre téléphone."),
    "renew": gettext_lazy(
        "Nouvelle adresse créée : l'ancienne ne marche plus. Mettez à jour l'abonnement sur votre téléphone."
    ),
    "delete": gettext_lazy("L'adresse de votre agenda est supprimée : elle ne marche plus."),
}


@permission(policies.MY_MEETINGS)
def calendar_settings(request: PlatformRequest) -> HttpResponse:
    """Create, replace or remove the secret calendar address (the page is "Mes rencontres")."""
    peer = selectors.own_peer_profile(request)
    if peer is None:
        raise Http404
    if request.method == "GET":
        return redirect(reverse("support:my_meetings") + "#agenda")
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = CalendarFeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
    else:
        action = form.cleaned_data["action"]
        if action == "delete":
            writes.feed_delete(request=request, peer=peer)
        else:
            writes.feed_renew(request=request, peer=peer)
        messages.success(request, str(FEED_DONE[action]))
    return redirect(reverse("support:my_meetings") + "#agenda")


# ---- The iCalendar feed (RFC 5545), written by hand


def _ical_location(meeting: Meeting) -> str:
    if meeting.mode == MeetingMode.PHONE:
        return _("Téléphone")
    if meeting.mode == MeetingMode.VIDEO:
        return _("Visio")
    place: Place | None = meeting.place
    if place is None:
        return ""
    return ", ".join(part for part in (place.name, place.address, place.commune.name) if part)


def ical_calendar(meetings: list[Meeting], now: datetime) -> str:
    """A calendar of the meetings: when and where, never who."""
    host = urlsplit(settings.SITE_URL).hostname or "pairs-ressources"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pairs Ressources//Rencontres//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ical_text(_("Mes rencontres (Pairs Ressources)")),
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    stamp = ical_time(now)
    for meeting in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{ical_time(meeting.updated_at)}",
            f"DTSTART:{ical_time(meeting.starts_at)}",
            f"DTEND:{ical_time(meeting.starts_at + timedelta(minutes=meeting.duration_minutes))}",
            "SUMMARY:" + ical_text(_("Rencontre")),
        ]
        location = _ical_location(meeting)
        if location:
            lines.append("LOCATION:" + ical_text(location))
        lines += [
            "STATUS:CONFIRMED",
            "URL:" + settings.SITE_URL + reverse("support:meeting", kwargs={"meeting_id": meeting.pk}),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)


@permission(policies.CALENDAR_FEED)
def calendar_feed(request: PlatformRequest, feed_token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    now = timezone.now()
    meetings = reads.feed_meetings(feed_token, now)
    response = HttpResponse(ical_calendar(meetings, now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rencontres.ics"'
    mark_personal(response)
    return response


# ---- Accessible places


@permission(policies.PLACES)
def place_list(request: PlatformRequest) -> HttpResponse:
    """The platform's places, and a form to add one."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = PlaceForm(request.POST if request.method == "POST" else None, communes=reads.communes_of(request.platform))
    if request.method == "POST" and form.is_valid():
        try:
            place = writes.place_save(request=request, platform=request.platform, place=None, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le lieu « %(name)s » est ajouté.") % {"name": place.name})
            return redirect("support:places")
    context = {"places": list(reads.places_of(request.platform)), "form": form}
    return render(request, "support/place_list.html", context)


@permission(policies.PLACES)
def place_edit(request: PlatformRequest, place_id: int) -> HttpResponse:
    place = reads.get_place_for(request, place_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = PlaceForm(
        request.POST if request.method == "POST" else None,
        communes=reads.communes_of(request.platform),
        place=place,
    )
    if request.method == "POST" and form.is_valid():
        try:
            writes.place_save(request=request, platform=request.platform, place=place, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le lieu « %(name)s » est enregistré.") % {"name": place.name})
            return redirect("support:places")
    return render(request, "support/place_form.html", {"place": place, "form": form})
