"""The peer worker's secret iCalendar address: created, replaced, removed; the feed says when and
where, never who; a revoked address answers 404. Constant query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pairs.core.ical import ical_fold
from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import CalendarFeed, MeetingMode, MeetingStatus
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PlaceFactory, person_of


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute)))


def me_as_worker(client_as: Any, platform: Platform) -> tuple[Client, Any]:
    client, membership = client_as(Role.PEER_WORKER, platform)
    return client, PeerProfileFactory(membership=membership)


def feed_url(peer: Any) -> str:
    return f"/agenda/{CalendarFeed.objects.get(peer=peer).token}.ics"


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_a_worker_creates_their_address_and_the_feed_names_nobody(platform: Platform, client_as: Any) -> None:
    client, me = me_as_worker(client_as, platform)
    page = client.get("/mes-rencontres/").content.decode()
    assert "Créer mon agenda" in page

    response = client.post("/mes-rencontres/agenda/", {"action": "create"}, follow=True)
    page = response.content.decode()
    url = feed_url(me)
    assert "Votre agenda est prêt" in page
    assert f"webcal://testserver{url}" in page or f"webcal://127.0.0.1:8000{url}" in page
    assert "Nouvelle adresse (l'ancienne ne marche plus)" in page and "Supprimer" in page
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="support.calendarfeed").exists()

    person = person_of(platform, peer=me, pseudonym="Zélie Confidentielle")
    place = PlaceFactory(
        platform=platform, name="Maison de la Métropole de Vénissieux", address="4 avenue Marcel Houël, bâtiment B"
    )
    held = MeetingFactory(
        person=person, peer=me, mode=MeetingMode.IN_PERSON, place=place, starts_at=at(-3, 10), status=MeetingStatus.HELD
    )
    planned = MeetingFactory(person=person, peer=me, mode=MeetingMode.VIDEO, starts_at=at(2, 14, 30))
    MeetingFactory(person=person, peer=me, starts_at=at(3, 9), status=MeetingStatus.CANCELLED)
    MeetingFactory(person=person, peer=me, starts_at=at(-45, 9), status=MeetingStatus.HELD)  # too old
    MeetingFactory(person=person, peer=me, starts_at=at(120, 9))  # too far
    MeetingFactory(person=person_of(platform, pseudonym="Autre"), starts_at=at(2, 14, 30))  # a colleague's

    response = Client().get(url)  # a calendar application: not signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    text = unfold(raw)
    assert text.count("BEGIN:VEVENT") == 2
    assert f"UID:meeting-{held.pk}@" in text and f"UID:meeting-{planned.pk}@" in text
    assert re.search(r"DTSTAMP:\d{8}T\d{6}Z", text)
    start = planned.starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in text
    assert f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%S}Z" in text
    assert text.count("SUMMARY:Rencontre\r\n") == 2
    assert "LOCATION:Maison de la Métropole de Vénissieux\\, 4 avenue Marcel Houël\\, bâtiment B\\," in text
    assert "LOCATION:Visio\r\n" in text
    assert "Zélie" not in raw and "Confidentielle" not in raw and "Autre" not in raw


def test_a_new_address_revokes_the_old_one_and_removal_revokes_all(platform: Platform, client_as: Any) -> None:
    client, me = me_as_worker(client_as, platform)
    client.post("/mes-rencontres/agenda/", {"action": "create"})
    old = feed_url(me)
    assert Client().get(old).status_code == 200

    response = client.post("/mes-rencontres/agenda/", {"action": "renew"}, follow=True)
    assert "Nouvelle adresse créée : l&#x27;ancienne ne marche plus." in response.content.decode()
    new = feed_url(me)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200

    response = client.post("/mes-rencontres/agenda/", {"action": "delete"}, follow=True)
    assert "L&#x27;adresse de votre agenda est supprimée" in response.content.decode()
    assert not CalendarFeed.objects.filter(peer=me).exists()
    assert Client().get(new).status_code == 404
    assert JournalEntry.objects.filter(action=Action.DELETE, object_type="support.calendarfeed").count() == 1
    assert client.get("/mes-rencontres/agenda/").status_code == 302


def test_unknown_addresses_answer_404(db: Any) -> None:
    assert Client().get("/agenda/inconnu.ics").status_code == 404
    assert Client().get(f"/agenda/{'x' * 80}.ics").status_code == 404
    assert Client().post("/agenda/inconnu.ics").status_code == 405


def test_the_feed_works_while_signed_in_on_another_platform(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, me = me_as_worker(client_as, platform)
    MeetingFactory(person=person_of(platform, peer=me), peer=me, starts_at=at(1, 10))
    client.post("/mes-rencontres/agenda/", {"action": "create"})
    elsewhere, _ = client_as(Role.COORDINATOR, other_platform)
    assert elsewhere.get(feed_url(me)).content.decode().count("BEGIN:VEVENT") == 1


def test_only_peer_workers_manage_an_address(platform: Platform, client_as: Any) -> None:
    for role in (Role.COORDINATOR, Role.PERSON, Role.PARTNER_CONTACT):
        client, _ = client_as(role, platform)
        assert client.post("/mes-rencontres/agenda/", {"action": "create"}).status_code == 403
    client, _ = client_as(Role.PEER_WORKER, platform)  # a role without a profile yet
    assert client.post("/mes-rencontres/agenda/", {"action": "create"}).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_long_lines_are_folded_without_splitting_a_character() -> None:
    line = "LOCATION:" + "é" * 100
    folded = ical_fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line
    assert ical_fold("SUMMARY:Rencontre") == "SUMMARY:Rencontre"


@pytest.mark.parametrize("rows", [1, 25])
def test_feed_and_my_meetings_query_counts_are_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, me = me_as_worker(client_as, platform)
    client.post("/mes-rencontres/agenda/", {"action": "create"})
    place = PlaceFactory(platform=platform)
    for index in range(rows):
        person = person_of(platform, peer=me)
        mode = MeetingMode.IN_PERSON if index % 2 else MeetingMode.PHONE
        place_or_none = place if index % 2 else None
        MeetingFactory(person=person, peer=me, mode=mode, place=place_or_none, starts_at=at(index, 9))
        MeetingFactory(person=person, peer=me, starts_at=at(-index - 1, 7))  # outcome to record
    url = feed_url(me)
    anonymous = Client()
    with django_assert_num_queries(5):
        assert anonymous.get(url).status_code == 200
    with django_assert_num_queries(13):
        assert client.get("/mes-rencontres/").status_code == 200


def test_a_token_serves_the_meetings_of_its_worker(platform: Platform) -> None:
    worker = PeerProfileFactory(membership=MembershipFactory(platform=platform, role=Role.PEER_WORKER))
    CalendarFeed.objects.create(peer=worker, token="secret-token-for-test")
    MeetingFactory(person=person_of(platform, peer=worker), peer=worker, starts_at=at(1, 10))
    assert Client().get("/agenda/secret-token-for-test.ics").content.decode().count("BEGIN:VEVENT") == 1
