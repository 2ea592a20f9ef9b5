"""The agendas: for a signed-in user, the platform's events their role may see; the public agenda of a
platform filtered by type and commune, and its iCalendar feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

# The hand-written iCalendar helpers of the peer worker's feed (RFC 5545 escaping, folding, UTC times).
from pairs.core.ical import ical_fold, ical_text, ical_time
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope

from .. import policies
from ..forms.registration import AgendaFilterForm
from ..models import Event
from ..selectors import agenda as reads


def _agenda_context(request: PlatformRequest, platform: Platform, viewer: PlatformRequest | None) -> dict[str, Any]:
    """The upcoming events ``viewer`` may see (None: the public), filtered by the GET choices."""
    now = timezone.now()
    form = AgendaFilterForm(request.GET or None, communes=reads.agenda_communes(viewer, platform, now=now))
    filters = form.filters() if request.GET else {"kind": "", "commune": ""}
    events = reads.agenda_events(viewer, platform, now=now, **filters)
    return {
        "platform": platform,
        "filters": form,
        "filtered": any(filters.values()),
        "months": reads.by_month(events),
        "count": len(events),
    }


@permission(policies.EVENTS_BROWSE)
def agenda(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = _agenda_context(request, request.platform, request)
    context["public_url"] = reverse("events:public_agenda", kwargs={"platform_slug": request.platform.slug})
    return render(request, "events/agenda.html", context)


@permission(policies.PUBLIC_AGENDA)
def public_agenda(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    platform = reads.get_public_platform(platform_slug)
    # A visitor may be signed in to another platform: read in the chosen platform's scope.
    with platform_scope(platform.pk):
        context = _agenda_context(request, platform, None)
        feed_path = reverse("events:public_feed", kwargs={"platform_slug": platform.slug})
        context["feed_url"] = settings.SITE_URL.rstrip("/") + feed_path
        context["feed_path"] = feed_path
        return render(request, "events/public_agenda.html", context)


# ---- The iCalendar feed of the public events


def _location(event: Event) -> str:
    parts = [event.place.strip()] if event.place.strip() else []
    if event.commune is not None:
        parts.append(event.commune.name)
    if not parts and event.video_link:
        return _("En visio")
    return ", ".join(parts)


def ical_agenda(platform: Platform, events: list[Event], now: datetime) -> str:
    """The platform's public events: title, type, when, where (never the video link)."""
    host = urlsplit(settings.SITE_URL).hostname or "pairs-ressources"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pairs Ressources//Agenda public//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ical_text(_("Agenda de %(platform)s") % {"platform": platform.name}),
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    stamp = ical_time(now)
    for event in events:
        url = settings.SITE_URL.rstrip("/") + reverse("events:event_page", kwargs={"event_token": event.token})
        description = f"{event.get_kind_display()}\n{event.description}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{ical_time(event.starts_at)}",
            f"DTEND:{ical_time(event.ends_at)}",
            "SUMMARY:" + ical_text(event.title),
            "DESCRIPTION:" + ical_text(description),
        ]
        location = _location(event)
        if location:
            lines.append("LOCATION:" + ical_text(location))
        lines += [
            "STATUS:" + ("CANCELLED" if event.is_cancelled else "CONFIRMED"),
            "URL:" + url,
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)


@permission(policies.PUBLIC_AGENDA)
def public_feed(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    platform = reads.get_public_platform(platform_slug)
    now = timezone.now()
    with platform_scope(platform.pk):
        events = reads.feed_events(platform, now=now)
    response = HttpResponse(ical_agenda(platform, events, now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response
