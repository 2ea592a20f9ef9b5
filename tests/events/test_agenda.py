"""The agendas: what each role sees listed (public, partners, peers; never invitation-only), the public
agenda of a platform and its iCalendar feed, the filters by type and commune, places left, months,
unknown platforms, and query counts that do not grow with the events."""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst

from pairs.core.ical import ical_fold
from pairs.events.models import Event, EventStatus, Kind, RegistrationStatus, Visibility
from pairs.events.selectors.agenda import visible_events
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import commune

AGENDA, VIDEO = "/evenements/agenda/", "https://visio.exemple.test/salle-secrete"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def public_url(platform: Platform) -> str:
    return f"/agenda-public/{platform.slug}/"


def feed_url(platform: Platform) -> str:
    return f"/agenda-public/{platform.slug}/agenda.ics"


def in_days(days: int, hours: int = 10) -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=days)).replace(hour=hours, minute=0, second=0, microsecond=0)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


def one_of_each(platform: Platform, other_platform: Platform) -> dict[str, Event]:
    events = {
        name: EventFactory(platform=platform, title=f"Événement {name}", visibility=visibility, **in_days(days))
        for days, (name, visibility) in enumerate(
            [
                ("public", Visibility.PUBLIC),
                ("partenaires", Visibility.PARTNERS),
                ("pairs", Visibility.PEERS),
                ("invitation", Visibility.INVITATION),
            ],
            start=3,
        )
    }
    events["annule"] = EventFactory(
        platform=platform, title="Événement annule", status=EventStatus.CANCELLED, **in_days(8)
    )
    events["passe"] = EventFactory(platform=platform, title="Événement passe", **in_days(-2))
    events["ailleurs"] = EventFactory(platform=other_platform, title="Événement ailleurs", **in_days(4))
    return events


def listed(page: str, events: dict[str, Event]) -> set[str]:
    return {name for name, event in events.items() if event.title in page}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.COORDINATOR, {"public", "partenaires", "pairs", "annule"}),
        (Role.PEER_WORKER, {"public", "partenaires", "pairs", "annule"}),
        (Role.PARTNER_CONTACT, {"public", "partenaires", "annule"}),
        (Role.PERSON, {"public", "annule"}),
        (Role.FUNDER, {"public", "annule"}),
    ],
)
def test_each_role_sees_its_events(
    role: Role, expected: set[str], platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    events = one_of_each(platform, other_platform)
    client, _membership = client_as(role, platform)
    response = client.get(AGENDA)
    assert response.status_code == 200
    page = text(response)
    assert listed(page, events) == expected
    assert "Annulé" in page


def test_the_agenda_is_for_signed_in_roles(platform: Platform, client_as: Any) -> None:
    assert Client().get(AGENDA).status_code == 302
    client, _membership = client_as(Role.NETWORK_ADMIN, platform)
    assert client.get(AGENDA).status_code == 403


def test_visible_events_follow_the_platform_of_the_membership(
    platform: Platform, other_platform: Platform, client_as: Any, rf: Any
) -> None:
    events = one_of_each(platform, other_platform)
    assert {e.title for e in visible_events(None, platform)} == {
        events[name].title for name in ("public", "annule", "passe")
    }
    _client, membership = client_as(Role.COORDINATOR, other_platform)
    request = rf.get("/")
    request.user, request.membership = membership.user, membership
    assert {e.title for e in visible_events(request, platform)} == {
        events[name].title for name in ("public", "annule", "passe")
    }


def test_cards_show_date_place_and_places_left(platform: Platform, client_as: Any) -> None:
    place = commune()
    three_left = EventFactory(platform=platform, capacity=5, place="2 rue Fictive", commune=place, **in_days(5))
    RegistrationFactory(event=three_left, status=RegistrationStatus.CONFIRMED)
    RegistrationFactory(event=three_left, status=RegistrationStatus.OFFERED)
    RegistrationFactory(event=three_left, status=RegistrationStatus.CANCELLED)
    full = EventFactory(platform=platform, capacity=1, place="", video_link=VIDEO, **in_days(6))
    RegistrationFactory(event=full, status=RegistrationStatus.CONFIRMED)
    RegistrationFactory(event=full, status=RegistrationStatus.WAITING)
    client, _membership = client_as(Role.PERSON, platform)
    page = text(client.get(AGENDA))
    assert "3 places restantes" in page and "2 rue Fictive, Villefranche-sur-Saône" in page
    assert "Complet — liste d'attente" in page and "En visio" in page and VIDEO not in page
    start = timezone.localtime(three_left.starts_at)
    assert f"de {start.hour} h 00 à {start.hour + 2} h 00" in page
    assert f"/e/{three_left.token}/" in page and "2 événements à venir" in page


def test_events_are_grouped_by_month(platform: Platform) -> None:
    today = timezone.localdate()
    next_month = (today.replace(day=1) + timedelta(days=40)).replace(day=15)
    later = (next_month.replace(day=1) + timedelta(days=40)).replace(day=15)
    for day in (next_month, later):
        start = timezone.make_aware(datetime.combine(day, time(9)))
        EventFactory(platform=platform, starts_at=start, ends_at=start + timedelta(hours=2))
    page = text(Client().get(public_url(platform)))
    months = re.findall(r"<h2 id=\"mois-\d\">([^<]+)</h2>", page)
    with translation.override("fr"):
        assert months == [capfirst(date_format(day, "F Y")) for day in (next_month, later)]


def test_the_public_agenda_lists_public_events_only(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    events = one_of_each(platform, other_platform)
    response = Client().get(public_url(platform))
    assert response.status_code == 200
    page = text(response)
    assert listed(page, events) == {"public", "annule"}
    assert f"Agenda de {platform.name}" in page and feed_url(platform) in page and "pas besoin de compte" in page
    # A coordinator of the platform sees the same public agenda; one of another platform too.
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    assert listed(text(coordinator.get(public_url(platform))), events) == {"public", "annule"}
    elsewhere, _membership = client_as(Role.COORDINATOR, other_platform)
    assert listed(text(elsewhere.get(public_url(platform))), events) == {"public", "annule"}


def test_filters_by_type_and_commune_keep_the_choice(platform: Platform) -> None:
    villefranche = commune()
    lyon = commune("69123", "Lyon", 45.76, 4.83)
    EventFactory(platform=platform, title="Info Villefranche", commune=villefranche, **in_days(3))
    EventFactory(platform=platform, title="Info Lyon", commune=lyon, **in_days(4))
    EventFactory(platform=platform, title="Groupe Lyon", kind=Kind.PUBLIC_GROUP, commune=lyon, **in_days(5))
    visitor = Client()

    response = visitor.get(public_url(platform), {"type": Kind.INFO_SESSION, "commune": lyon.insee_code})
    page = response.content.decode()
    assert "Info Lyon" in page and "Info Villefranche" not in page and "Groupe Lyon" not in page
    assert re.search(r'<option value="info_session" selected>', page)
    assert re.search(r'<option value="69123" selected>Lyon</option>', page)
    assert "1 événement à venir" in text(response)

    page = text(visitor.get(public_url(platform), {"type": Kind.PUBLIC_GROUP}))
    assert "Groupe Lyon" in page and "Info Lyon" not in page
    page = text(visitor.get(public_url(platform), {"type": Kind.TRAINING}))
    assert "Aucun événement à venir ne correspond à ces critères." in page
    page = text(visitor.get(public_url(platform), {"type": "inconnu", "commune": villefranche.insee_code}))
    assert "Info Villefranche" in page and "Info Lyon" not in page


def test_unknown_platforms_answer_404(platform: Platform) -> None:
    assert Client().get("/agenda-public/inconnue/").status_code == 404
    assert Client().get("/agenda-public/inconnue/agenda.ics").status_code == 404
    platform.is_active = False
    platform.save()
    assert Client().get(public_url(platform)).status_code == 404


def test_the_feed_has_one_event_per_public_event(platform: Platform, other_platform: Platform) -> None:
    events = one_of_each(platform, other_platform)
    long_title = "Réunion d'information sur le métier de pair aidant·e, à Villefranche, avec des exemples; et plus"
    EventFactory(platform=platform, title=long_title, video_link=VIDEO, place="", **in_days(10))
    EventFactory(platform=platform, title="Dans plus d'un an", **in_days(400))
    response = Client().get(feed_url(platform))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert unfolded.startswith("BEGIN:VCALENDAR\r\n") and unfolded.endswith("END:VCALENDAR\r\n")
    assert unfolded.count("BEGIN:VEVENT") == 3
    assert f"UID:event-{events['public'].pk}@" in unfolded and f"UID:event-{events['annule'].pk}@" in unfolded
    assert "STATUS:CANCELLED" in unfolded and "Dans plus d'un an" not in unfolded
    assert "SUMMARY:" + long_title.replace(",", "\\,").replace(";", "\\;") in unfolded
    assert "LOCATION:En visio" in unfolded and VIDEO not in unfolded
    assert f"/e/{events['public'].token}/" in unfolded
    assert "Événement partenaires" not in unfolded and "Événement invitation" not in unfolded
    assert ical_fold("x" * 80).startswith("x" * 75 + "\r\n ")


# ---- Constant queries


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def add_events(platform: Platform, count: int, start_day: int) -> None:
    lyon = commune("69123", "Lyon", 45.76, 4.83)
    for offset in range(count):
        event = EventFactory(
            platform=platform, capacity=3, commune=lyon if offset % 2 else commune(), **in_days(start_day + offset * 9)
        )
        RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
        RegistrationFactory(event=event, status=RegistrationStatus.WAITING)


@pytest.mark.parametrize("page", ["agenda", "public", "feed"])
def test_query_counts_do_not_grow_with_events(page: str, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    url = {"agenda": AGENDA, "public": public_url(platform), "feed": feed_url(platform)}[page]
    visitor = client if page == "agenda" else Client()
    add_events(platform, 2, 2)
    small = count_queries(visitor, url)
    add_events(platform, 8, 30)
    assert count_queries(visitor, url) == small
    if page != "feed":
        assert "10 événements à venir" in text(visitor.get(url))
