"""A peer worker is never booked twice at once: the database refuses it, also under 20 concurrent
bookings, and the form proposes the worker's next free slots instead."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.test import Client
from django.utils import timezone

from pairs.peers.models import AvailabilityException
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Meeting, MeetingMode, MeetingStatus
from pairs.support.selectors.meetings import next_free_slots
from tests.conftest import login_client
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, person_of

MESSAGE = "a déjà une rencontre à ce moment-là."


def monday_ahead(weeks: int = 2) -> date:
    """A Monday at least ``weeks`` weeks from today."""
    today = timezone.localdate()
    return today + timedelta(days=7 * weeks - today.weekday())


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def form_data(peer: Any, starts_at: datetime, duration: int = 60) -> dict[str, Any]:
    return {
        "peer": peer.pk,
        "mode": MeetingMode.PHONE,
        "place": "",
        "starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": duration,
    }


def test_an_overlapping_booking_is_refused_with_the_next_free_slots(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    monday = monday_ahead()
    worker = PeerProfileFactory(membership__platform=platform)
    first = person_of(platform, peer=worker)
    MeetingFactory(person=first, peer=worker, starts_at=local(monday, 14))  # 14:00-15:00
    MeetingFactory(person=first, peer=worker, starts_at=local(monday, 15, 30))  # 15:30-16:30
    other = person_of(platform, peer=worker)

    url = f"/accompagnement/personnes/{other.pk}/rencontres/"
    response = client.post(url, form_data(worker, local(monday, 14, 30)))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{worker.membership.user.display_name} {MESSAGE}".replace("'", "&#x27;") in page
    assert Meeting.objects.filter(person=other).count() == 0
    # 15:00 is too short (15:30 is taken), then 16:30, 17:00; the day ends at 18:00.
    free = response.context["free_slots"]
    assert [timezone.localtime(slot["start"]).time() for slot in free] == [time(16, 30), time(17, 0), time(9, 0)]
    assert timezone.localtime(free[2]["start"]).date() == monday + timedelta(days=1)
    assert "Prochains créneaux libres de" in page
    link = urlsplit(free[0]["url"])
    assert link.path == f"/accompagnement/personnes/{other.pk}/rencontres/"
    assert parse_qs(link.query) == {
        "pair": [str(worker.pk)],
        "forme": ["phone"],
        "debut": [f"{monday.isoformat()}T16:30"],
        "duree": ["60"],
    }

    # The link refills the form; confirming books the free slot.
    refilled = client.get(free[0]["url"]).content.decode()
    assert f'value="{monday.isoformat()}T16:30"' in refilled and re.search(r'value="phone"[^>]* checked', refilled)
    response = client.post(link.path, form_data(worker, local(monday, 16, 30)))
    assert response.status_code == 302
    assert Meeting.objects.filter(person=other, starts_at=local(monday, 16, 30)).exists()


def test_back_to_back_and_cancelled_meetings_do_not_block(platform: Platform) -> None:
    monday = monday_ahead()
    person = person_of(platform)
    MeetingFactory(person=person, starts_at=local(monday, 10))
    MeetingFactory(person=person, starts_at=local(monday, 11))  # starts when the first ends
    MeetingFactory(person=person, starts_at=local(monday, 12, 30), status=MeetingStatus.CANCELLED)
    MeetingFactory(person=person, starts_at=local(monday, 12, 30))
    assert Meeting.objects.filter(peer=person.peer).count() == 4


def test_the_database_refuses_two_meetings_of_a_worker_at_once(platform: Platform) -> None:
    monday = monday_ahead()
    person = person_of(platform)
    MeetingFactory(person=person, starts_at=local(monday, 10))
    held = MeetingFactory(person=person, starts_at=local(monday, 8), status=MeetingStatus.HELD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=held.pk).update(
            period=DateTimeTZRange(local(monday, 9, 30), local(monday, 10, 30), "[)")
        )
    MeetingFactory(person=person_of(platform), starts_at=local(monday, 10))  # another worker: fine


def test_free_slots_skip_weekends_absences_meetings_and_the_past(platform: Platform) -> None:
    monday = monday_ahead()
    friday = monday - timedelta(days=3)
    worker = PeerProfileFactory(membership__platform=platform)
    person = person_of(platform, peer=worker)
    MeetingFactory(person=person, peer=worker, starts_at=local(friday, 16), duration_minutes=120)
    AvailabilityException.objects.create(profile=worker, period=DateRange(monday, monday, "[]"), kind="leave")
    MeetingFactory(person=person, peer=worker, starts_at=local(monday + timedelta(days=1), 9), duration_minutes=90)

    slots = next_free_slots(
        worker, duration_minutes=90, after=local(friday, 15, 10), now=local(friday - timedelta(days=7), 9)
    )
    assert slots == [
        local(monday + timedelta(days=1), 10, 30),
        local(monday + timedelta(days=1), 11, 0),
        local(monday + timedelta(days=1), 11, 30),
    ]
    # Never before now.
    assert next_free_slots(worker, duration_minutes=60, after=local(friday, 9), now=local(friday, 12, 10))[0] == local(
        friday, 12, 30
    )


@pytest.mark.parametrize("attempts", [20])
def test_twenty_concurrent_bookings_of_one_slot_save_exactly_one(
    attempts: int, transactional_db: Any, platform: Platform
) -> None:
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    worker = PeerProfileFactory(membership__platform=platform)
    people = [person_of(platform, peer=worker) for _ in range(attempts)]
    starts = local(monday_ahead(), 10)
    clients = [login_client(Client(), coordinator) for _ in range(attempts)]
    barrier = threading.Barrier(attempts)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def book(client: Client, person: Any) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(f"/accompagnement/personnes/{person.pk}/rencontres/", form_data(worker, starts))
            with lock:
                results.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(c, p)) for c, p in zip(clients, people, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == attempts
    assert Meeting.objects.filter(peer=worker).count() == 1
    assert sorted(status for status, _body in results) == [200] * (attempts - 1) + [302]
    refused = [body for status, body in results if status == 200]
    assert all(MESSAGE.replace("'", "&#x27;") in body for body in refused)
    assert all("Prochains créneaux libres de" in body for body in refused)
