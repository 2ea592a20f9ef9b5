"""Attendance on a phone: who may take it (the coordination, the event's trainers; anyone else 404,
a partner 403), ticking the list, walk-ins, not before the day, validation once (hours to the
trainers' activity log, certificate links e-mailed to the people present), a refused activity entry
saves nothing, and a page whose query count does not grow with the list."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.events.models import Event, EventStatus, Kind, Registration, RegistrationStatus
from pairs.events.selectors.attendance import duration_label
from pairs.events.services import attendance as writes
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import ActivityEntry, ActivityType, PeerProfile
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, commune
from tests.peers.factories import ActivityEntryFactory, PeerProfileFactory

CERTIFICATE_KIND = "events_certificate"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def peer(platform: Platform) -> PeerProfile:
    return PeerProfileFactory(membership__platform=platform)


def client_of(profile_or_role: PeerProfile | Role, platform: Platform | None = None) -> Client:
    if isinstance(profile_or_role, PeerProfile):
        return login_client(Client(), profile_or_role.membership)
    return login_client(Client(), MembershipFactory(platform=platform, role=profile_or_role))


def past_event(platform: Platform, *, trainers: Sequence[PeerProfile] = (), **kwargs: Any) -> Event:
    """An event that ended an hour ago (two hours long), in a commune of the territory."""
    start = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    defaults: dict[str, Any] = {
        "platform": platform,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "commune": commune(),
        "title": "Réunion d'information sur la pair-aidance",
    }
    event = EventFactory(**{**defaults, **kwargs})
    event.trainers.set(trainers)
    return event


def url(event: Event) -> str:
    return f"/evenements/{event.pk}/appel/"


def registrations(event: Event) -> tuple[Registration, Registration, Registration]:
    a = RegistrationFactory(event=event, name="Alice Martin", organisation="CMP Villeurbanne")
    b = RegistrationFactory(event=event, name="Bruno Petit", email="")
    c = RegistrationFactory(event=event, name="Chloé Durand", status=RegistrationStatus.OFFERED)
    return a, b, c


def roll(*present: Registration, action: str = "save") -> dict[str, Any]:
    return {"action": action, "roll": "1", "present": [r.pk for r in present]}


# ---- Taking attendance


def test_a_trainer_ticks_the_list_and_adds_a_walk_in(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer])
    a, b, c = registrations(event)
    RegistrationFactory(event=event, name="Denis Attente", status=RegistrationStatus.WAITING)
    RegistrationFactory(event=event, name="Emma Partie", status=RegistrationStatus.CANCELLED)
    client = client_of(trainer)

    page = text(client.get(url(event)))
    assert "Appel — Réunion d'information sur la pair-aidance" in page
    assert "Alice Martin — CMP Villeurbanne" in page and "Bruno Petit" in page and "Chloé Durand" in page
    assert "Denis Attente" not in page and "Emma Partie" not in page
    assert "sur 3 inscrit·es" in page

    response = client.post(url(event), roll(a, c))
    assert response.status_code == 302 and response["Location"] == url(event)
    page = text(client.get(url(event)))
    assert "Appel enregistré." in page and "2 présent·es sur 3 inscrit·es" in page
    assert [r.attended for r in Registration.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("name")] == [
        True,
        False,
        True,
    ]
    assert JournalEntry.objects.filter(action=Action.UPDATE, object_type="events.registration").count() == 3

    response = client.post(
        url(event),
        {"action": "walk_in", "sur_place-name": "Farid Sans-Inscription", "sur_place-organisation": "GEM Lyon"},
    )
    assert response.status_code == 302
    walk_in = Registration.objects.get(name="Farid Sans-Inscription")
    assert walk_in.walk_in and walk_in.attended is True and walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.email == "" and walk_in.platform_id == platform.pk and walk_in.token
    page = text(client.get(url(event)))
    assert "Farid Sans-Inscription est ajouté·e à la liste, présent·e." in page
    assert "3 présent·es sur 4 inscrit·es" in page
    assert "Farid Sans-Inscription — GEM Lyon (venu·e sans inscription)" in page

    # Unticking someone: saved as absent.
    client.post(url(event), roll(c))
    a.refresh_from_db()
    walk_in.refresh_from_db()
    assert a.attended is False and walk_in.attended is False


def test_a_walk_in_without_a_name_is_refused_and_what_was_typed_is_kept(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer])
    client = client_of(trainer)
    response = client.post(url(event), {"action": "walk_in", "sur_place-email": "venu@exemple.test"})
    page = text(response)
    assert response.status_code == 200
    assert "Indiquez le prénom et le nom de la personne." in page and 'value="venu@exemple.test"' in page
    bad = text(client.post(url(event), {"action": "walk_in", "sur_place-name": "Gil", "sur_place-email": "pas-une"}))
    assert "Cette adresse e-mail n'est pas valide" in bad and 'value="Gil"' in bad
    assert not Registration.objects.exists()


def test_a_walk_in_already_registered_is_sent_to_the_list_and_one_waiting_moves_in(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer])
    RegistrationFactory(event=event, name="Alice Martin", email="alice@exemple.test")
    waiting = RegistrationFactory(event=event, email="hugo@exemple.test", status=RegistrationStatus.WAITING)
    client = client_of(trainer)
    data = {"action": "walk_in", "sur_place-name": "Alice M.", "sur_place-email": "ALICE@exemple.test"}
    assert "cochez-la dans la liste" in text(client.post(url(event), data))
    assert Registration.objects.filter(event=event).count() == 2
    client.post(url(event), {"action": "walk_in", "sur_place-name": "Hugo", "sur_place-email": "hugo@exemple.test"})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED and waiting.attended is True
    assert Registration.objects.filter(event=event).count() == 2


def test_only_the_coordination_and_the_events_trainers(platform: Platform, other_platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer])
    a, _b, _c = registrations(event)
    assert client_of(trainer).get(url(event)).status_code == 200
    assert client_of(Role.COORDINATOR, platform).get(url(event)).status_code == 200
    another = client_of(peer(platform))
    assert another.get(url(event)).status_code == 404
    assert another.post(url(event), roll(a)).status_code == 404
    assert client_of(Role.PARTNER_CONTACT, platform).get(url(event)).status_code == 403
    assert client_of(Role.COORDINATOR, other_platform).get(url(event)).status_code == 404
    a.refresh_from_db()
    assert a.attended is None


def test_not_before_the_day_nor_for_a_cancelled_event(platform: Platform) -> None:
    trainer = peer(platform)
    upcoming = EventFactory(platform=platform)  # in a week
    upcoming.trainers.set([trainer])
    registration = RegistrationFactory(event=upcoming)
    client = client_of(trainer)
    page = text(client.get(url(upcoming)))
    assert "L'appel s'ouvre le jour de l'événement." in page and "Enregistrer l'appel" not in page
    response = client.post(url(upcoming), roll(registration))
    assert response.status_code == 302
    assert "L'appel s'ouvre le jour de l'événement." in text(client.get(url(upcoming)))
    registration.refresh_from_db()
    assert registration.attended is None

    cancelled = past_event(platform, trainers=[trainer], status=EventStatus.CANCELLED)
    assert "Cet événement est annulé" in text(client.get(url(cancelled)))
    client.post(url(cancelled), roll(action="close"))
    cancelled.refresh_from_db()
    assert cancelled.attendance_closed_at is None


# ---- Validating


def test_validating_logs_the_hours_and_sends_the_certificates_once(platform: Platform) -> None:
    first, second = peer(platform), peer(platform)
    event = past_event(platform, trainers=[first, second], kind=Kind.TRAINING)
    a, b, c = registrations(event)
    client = client_of(first)
    client.post(url(event), {"action": "walk_in", "sur_place-name": "Inès Sans-Mail"})

    response = client.post(url(event), roll(a, b, Registration.objects.get(walk_in=True), action="close"))
    assert response.status_code == 302
    page = text(client.get(url(event)))
    assert "Appel validé : 1 attestation envoyée." in page
    day = timezone.localdate()
    assert re.search(r"Appel validé le \d+ \w+ \d{4} : 1 attestation envoyée\.", page)
    assert "L'appel est validé : la liste ne peut plus être modifiée." in page
    assert "Enregistrer l'appel" not in page

    entries = ActivityEntry.objects.filter(platform=platform).order_by("profile_id")
    assert [(e.profile_id, e.duration_minutes, e.activity_type.code) for e in entries] == [
        (first.pk, 120, "training_given"),
        (second.pk, 120, "training_given"),
    ]
    assert all(e.day == timezone.localdate(event.starts_at) and e.commune == event.commune for e in entries)
    assert not any(e.remote for e in entries)

    # Only the people present with an e-mail (b and the walk-in have none; c was absent).
    mails = OutgoingEmail.objects.filter(kind=CERTIFICATE_KIND)
    assert [m.to for m in mails] == [a.email]
    a.refresh_from_db()
    assert f"/inscription/{a.token}/attestation.pdf" in mails[0].body and "Alice Martin" in mails[0].body
    assert a.certificate_sent_at is not None
    assert not Registration.objects.filter(event=event, certificate_sent_at__isnull=False).exclude(pk=a.pk).exists()
    event.refresh_from_db()
    assert event.attendance_closed_at is not None and timezone.localdate(event.attendance_closed_at) == day
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="events.event")
    assert entry.fields == ["attendance_closed_at"]

    # Twice: nothing more, and the list stays as it was.
    client.post(url(event), roll(c, action="close"))
    assert ActivityEntry.objects.filter(platform=platform).count() == 2
    assert OutgoingEmail.objects.filter(kind=CERTIFICATE_KIND).count() == 1
    c.refresh_from_db()
    assert c.attended is False
    assert writes.attendance_close(request=None, event=event).closed_now is False
    assert ActivityEntry.objects.filter(platform=platform).count() == 2


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (Kind.INFO_SESSION, "sensitisation"),
        (Kind.SENSITISATION, "sensitisation"),
        (Kind.INTERVISION, "supervision"),
        (Kind.DU_TEACHING, "training_given"),
        (Kind.PUBLIC_GROUP, "group"),
    ],
)
def test_the_activity_type_follows_the_kind_of_event(platform: Platform, kind: str, code: str) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer], kind=kind, place="", video_link="https://visio.exemple.test/a")
    assert not ActivityType.objects.filter(platform=platform, code=code).exists()  # added from the catalogue
    writes.attendance_close(request=None, event=event)
    entry = ActivityEntry.objects.get(profile=trainer)
    assert entry.activity_type.code == code and entry.remote and entry.commune is None
    assert entry.activity_type.label


def test_a_refused_activity_entry_saves_nothing(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer])
    a, _b, _c = registrations(event)
    ActivityEntryFactory(
        profile=trainer, day=timezone.localdate(event.starts_at), duration_minutes=23 * 60, commune=commune()
    )
    client = client_of(trainer)
    response = client.post(url(event), roll(a, action="close"))
    page = text(response)
    assert response.status_code == 200
    assert "ne peuvent pas être notées dans son activité" in page and "la journée dépasserait 24 heures" in page
    assert re.search(rf'value="{a.pk}"[^>]*checked', page) or re.search(rf'checked[^>]*value="{a.pk}"', page)
    event.refresh_from_db()
    a.refresh_from_db()
    assert event.attendance_closed_at is None and a.attended is None
    assert ActivityEntry.objects.filter(profile=trainer).count() == 1
    assert not OutgoingEmail.objects.filter(kind=CERTIFICATE_KIND).exists()


def test_an_event_without_a_commune_is_refused_before_logging_hours(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer], commune=None)
    RegistrationFactory(event=event, attended=True)
    with pytest.raises(ValidationError, match="Indiquez la commune de l'événement"):
        writes.attendance_close(request=None, event=event)
    event.refresh_from_db()
    assert event.attendance_closed_at is None and not ActivityEntry.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_page_query_count_does_not_grow_with_the_list(platform: Platform) -> None:
    trainer = peer(platform)
    small, large = past_event(platform, trainers=[trainer]), past_event(platform, trainers=[trainer])
    for event, count in ((small, 3), (large, 20)):
        for n in range(count):
            RegistrationFactory(event=event, attended=n % 2 == 0, walk_in=n == 1, organisation="GEM")
    client = client_of(trainer)
    counts = []
    for event in (small, large):
        client.get(url(event))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(event)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    writes.attendance_close(request=None, event=small)
    writes.attendance_close(request=None, event=large)
    closed = []
    for event in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert "ne peut plus être modifiée" in text(client.get(url(event)))
        closed.append(len(captured))
    assert closed[0] == closed[1]


def test_duration_label() -> None:
    assert duration_label(120) == "2 h"
    assert duration_label(150) == "2 h 30"
    assert duration_label(185) == "3 h 05"
    assert duration_label(45) == "45 min"
