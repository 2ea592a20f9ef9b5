"""Meeting reminders, 24 hours ahead, by SMS and e-mail, only as the person consented; a withdrawn
consent stops its channel at once. The demo outbox shows the SMS."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from pairs.notifications.models import OutgoingEmail, OutgoingSMS
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Consent, ConsentKind, Meeting, MeetingMode, MeetingStatus, PersonStatus
from pairs.support.services.meetings import meeting_reminders_send
from tests.factories import UserFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PlaceFactory, consent, note, person_of

# The job runs at 16:00 in Paris; a meeting tomorrow at 14:30 is within 24 hours.
NOW = timezone.make_aware(datetime(2027, 3, 9, 16, 0))


def local(days: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(NOW.date() + timedelta(days=days), time(hour, minute)))


def worker_named(platform: Platform, first_name: str) -> Any:
    return PeerProfileFactory(membership__platform=platform, membership__user=UserFactory(first_name=first_name))


def test_sms_and_email_go_as_consented_with_nothing_else(platform: Platform) -> None:
    worker = worker_named(platform, "Julie")
    person = person_of(platform, peer=worker, pseudonym="Morgan", phone="06 39 98 00 07", email="morgan@example.org")
    consent(person, ConsentKind.CONTACT_SMS)
    consent(person, ConsentKind.CONTACT_EMAIL)
    note(person, body="Texte confidentiel de la note")
    place = PlaceFactory(platform=platform, name="Café Le Passage")
    meeting = MeetingFactory(person=person, mode=MeetingMode.IN_PERSON, place=place, starts_at=local(1, 14, 30))

    assert meeting_reminders_send(now=NOW) == 1

    text = OutgoingSMS.objects.get()
    assert text.to == "+33639980007" and text.kind == "meeting_reminder" and text.platform == platform
    assert text.body == "Rappel : rencontre avec Julie demain à 14 h 30, Café Le Passage."
    email = OutgoingEmail.objects.get(kind="meeting_reminder")
    assert email.to == "morgan@example.org" and email.subject == "Rappel de rendez-vous"
    assert "Rappel : rencontre avec Julie demain à 14 h 30, Café Le Passage." in email.body
    for content in (text.body, email.subject, email.body):
        assert "Morgan" not in content and "confidentiel" not in content and "rue" not in content
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at == NOW

    assert meeting_reminders_send(now=NOW + timedelta(hours=1)) == 0  # once
    assert OutgoingSMS.objects.count() == 1


def test_phone_meetings_today_on_the_hour(platform: Platform) -> None:
    person = person_of(platform, peer=worker_named(platform, "Karim"))
    consent(person, ConsentKind.CONTACT_SMS)
    MeetingFactory(person=person, mode=MeetingMode.PHONE, starts_at=local(0, 18))
    assert meeting_reminders_send(now=NOW) == 1
    assert OutgoingSMS.objects.get().body == "Rappel : rencontre avec Karim aujourd'hui à 18 h, au téléphone."


def test_a_withdrawn_consent_stops_its_channel(platform: Platform) -> None:
    person = person_of(platform, peer=worker_named(platform, "Inès"), email="p@example.org")
    consent(person, ConsentKind.CONTACT_SMS, withdrawn_at=NOW - timedelta(minutes=5))
    consent(person, ConsentKind.CONTACT_EMAIL)
    MeetingFactory(person=person, mode=MeetingMode.VIDEO, starts_at=local(1, 9))
    assert meeting_reminders_send(now=NOW) == 1
    assert not OutgoingSMS.objects.exists()
    assert "Rappel : rencontre avec Inès demain à 9 h, en visio." in OutgoingEmail.objects.get().body


def test_without_consent_nothing_goes_until_a_consent_is_given(platform: Platform) -> None:
    person = person_of(platform)
    consent(person, ConsentKind.DATA_KEPT)
    consent(person, ConsentKind.CONTACT_SMS, withdrawn_at=NOW - timedelta(days=1))
    meeting = MeetingFactory(person=person, starts_at=local(1, 10))
    assert meeting_reminders_send(now=NOW) == 0
    assert not OutgoingSMS.objects.exists() and not OutgoingEmail.objects.filter(kind="meeting_reminder").exists()
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at is None

    given = consent(person, ConsentKind.CONTACT_SMS)
    Consent.objects.filter(pk=given.pk).update(given_at=NOW + timedelta(minutes=30))
    assert meeting_reminders_send(now=NOW + timedelta(hours=1)) == 1
    assert OutgoingSMS.objects.count() == 1


def test_no_channel_without_a_usable_number_or_address(platform: Platform) -> None:
    person = person_of(platform, phone="12", email="")
    consent(person, ConsentKind.CONTACT_SMS)
    consent(person, ConsentKind.CONTACT_EMAIL)
    MeetingFactory(person=person, starts_at=local(1, 10))
    assert meeting_reminders_send(now=NOW) == 0
    assert not OutgoingSMS.objects.exists()


def test_only_planned_meetings_within_24_hours_of_open_records(platform: Platform, other_platform: Platform) -> None:
    def consenting(target: Platform, **kwargs: Any) -> Any:
        person = person_of(target, **kwargs)
        consent(person, ConsentKind.CONTACT_SMS)
        return person

    MeetingFactory(person=consenting(platform), starts_at=local(1, 16, 30))  # 24 h 30 ahead: not yet
    MeetingFactory(person=consenting(platform), starts_at=local(0, 15))  # started
    MeetingFactory(person=consenting(platform), starts_at=local(1, 9), status=MeetingStatus.CANCELLED)
    MeetingFactory(person=consenting(platform, status=PersonStatus.CLOSED), starts_at=local(1, 9))
    MeetingFactory(person=consenting(platform), starts_at=local(1, 9), reminder_sent_at=NOW - timedelta(hours=3))
    MeetingFactory(person=consenting(other_platform), starts_at=local(1, 11))  # every platform is covered
    assert meeting_reminders_send(now=NOW) == 1
    assert OutgoingSMS.objects.get().platform == other_platform


def test_the_hourly_job_queues_the_sms_which_the_demo_outbox_shows(
    platform: Platform, run_jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from procrastinate.contrib.django import app

    from pairs.support.tasks import support_meeting_reminders

    assert "support_meeting_reminders" in app.tasks
    registry = app.periodic_registry.periodic_tasks.values()
    periodic = [p for p in registry if p.periodic_id == "support_meeting_reminders"]
    assert len(periodic) == 1 and periodic[0].cron == "0 * * * *"

    person = person_of(platform, peer=worker_named(platform, "Léa"))
    consent(person, ConsentKind.CONTACT_SMS)
    MeetingFactory(person=person, starts_at=local(1, 11))
    timestamp = int(NOW.astimezone(UTC).timestamp())

    with django_capture_on_commit_callbacks(execute=True):
        assert support_meeting_reminders(timestamp=timestamp) == 1
    assert support_meeting_reminders(timestamp=timestamp) == 0
    text = OutgoingSMS.objects.get()
    assert text.status == OutgoingSMS.Status.QUEUED

    assert run_jobs() == 1  # send_sms, through the configured provider (the outbox)
    text.refresh_from_db()
    assert text.status == OutgoingSMS.Status.SENT and text.sent_at is not None and text.attempts == 1

    page = Client().get("/demo/boite-d-envoi/").content.decode()
    assert "Rappel : rencontre avec Léa demain à 11 h, au téléphone." in page and "+33639980002" in page


def test_a_meeting_booked_less_than_24_hours_ahead_is_reminded_at_once(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = PeerProfileFactory(membership=membership)
    person = person_of(platform, peer=me, phone="07 11 22 33 44")
    consent(person, ConsentKind.CONTACT_SMS)
    place = PlaceFactory(platform=platform, name="Maison de la Métropole de Givors")
    soon = timezone.localtime() + timedelta(hours=3)
    later = soon + timedelta(days=3)
    for starts in (soon, later):
        response = client.post(
            f"/accompagnement/personnes/{person.pk}/rencontres/",
            {
                "peer": me.pk,
                "mode": MeetingMode.IN_PERSON,
                "place": place.pk,
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": 60,
            },
        )
        assert response.status_code == 302
    text = OutgoingSMS.objects.get()
    assert text.to == "+33711223344" and "Maison de la Métropole de Givors." in text.body
    assert Meeting.objects.filter(reminder_sent_at__isnull=False).count() == 1

    page = Client().get("/demo/boite-d-envoi/").content.decode()
    assert "Maison de la Métropole de Givors." in page
