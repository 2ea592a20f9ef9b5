"""The waiting list: a place set free is offered to the first person waiting, by e-mail, with a
deadline (48 hours at most, 2 hours before the start at the latest); accepting confirms, letting it go
or not answering in time passes it to the next; reminders 48 hours before, once; the jobs."""

from __future__ import annotations

import html
import re
from datetime import UTC, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from pairs.events.models import Event, EventStatus, Registration, RegistrationStatus
from pairs.events.services import registrations as writes
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from tests.events.factories import EventFactory, RegistrationFactory

CONFIRMED, WAITING, OFFERED, CANCELLED, EXPIRED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.EXPIRED,
)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def personal_url(registration: Registration) -> str:
    return f"/inscription/{registration.token}/"


def register(event: Event, name: str) -> Registration:
    slug = name.lower().replace(" ", "-").replace("é", "e")
    return writes.registration_add(request=None, event=event, name=name, email=f"{slug}@exemple.test", organisation="")


def full_event(platform: Platform, *, starts_in: timedelta = timedelta(days=7), **kwargs: Any) -> Event:
    """An event with one place, taken by Ana; Bao then Chloé wait."""
    start = timezone.now().replace(microsecond=0) + starts_in
    event = EventFactory(platform=platform, capacity=1, starts_at=start, ends_at=start + timedelta(hours=2), **kwargs)
    for name in ("Ana", "Bao", "Chloé"):
        register(event, name)
    return event


def by_name(event: Event) -> dict[str, Registration]:
    return {r.name: r for r in Registration.objects.filter(event=event)}


def statuses(event: Event) -> dict[str, str]:
    return {name: r.status for name, r in by_name(event).items()}


def test_cancelling_from_the_link_offers_the_place_to_the_first_waiting(platform: Platform) -> None:
    event = full_event(platform, title="Réunion d'information fictive")
    rows = by_name(event)
    assert statuses(event) == {"Ana": CONFIRMED, "Bao": WAITING, "Chloé": WAITING}
    visitor = Client()
    page = text(visitor.get(personal_url(rows["Ana"])))
    assert "Vous êtes inscrit·e." in page and "Me désinscrire" in page

    before = timezone.now()
    response = visitor.post(personal_url(rows["Ana"]), {"action": "cancel"})
    assert response.status_code == 303 and response["Location"] == personal_url(rows["Ana"])
    assert "Votre inscription est annulée." in text(visitor.get(response["Location"]))
    assert statuses(event) == {"Ana": CANCELLED, "Bao": OFFERED, "Chloé": WAITING}

    bao = by_name(event)["Bao"]
    assert bao.offered_until is not None
    assert before + timedelta(hours=48) <= bao.offered_until <= timezone.now() + timedelta(hours=48)
    email = OutgoingEmail.objects.get(to="bao@exemple.test", kind="events_registration_offered")
    assert email.subject == "Une place s'est libérée : Réunion d'information fictive"
    assert f"/inscription/{bao.token}/" in email.body and "Elle vous est réservée jusqu'au" in email.body
    assert not OutgoingEmail.objects.filter(to="chloe@exemple.test", kind="events_registration_offered").exists()
    assert JournalEntry.objects.filter(
        action=Action.UPDATE, object_type="events.registration", object_id=str(bao.pk)
    ).exists()

    page = text(Client().get(personal_url(bao)))
    assert "Une place s'est libérée pour vous." in page
    assert "J'accepte la place" in page and "Je laisse la place" in page
    chloe = text(Client().get(personal_url(by_name(event)["Chloé"])))
    assert "Vous êtes sur la liste d'attente, en position 1." in chloe


def test_accepting_the_place_confirms_it(platform: Platform) -> None:
    event = full_event(platform, title="Formation fictive")
    writes.registration_cancel(request=None, registration=by_name(event)["Ana"], by_staff=False)
    bao = by_name(event)["Bao"]
    visitor = Client()
    response = visitor.post(personal_url(bao), {"action": "accept"})
    assert response.status_code == 303
    page = text(visitor.get(personal_url(bao)))
    assert "C'est noté : la place est à vous." in page and "Vous êtes inscrit·e." in page
    assert statuses(event) == {"Ana": CANCELLED, "Bao": CONFIRMED, "Chloé": WAITING}
    assert OutgoingEmail.objects.filter(to="bao@exemple.test", subject="Place confirmée : Formation fictive").exists()
    # Accepting twice: a clear message, nothing changes.
    visitor.post(personal_url(bao), {"action": "accept"})
    assert "Aucune place ne vous est proposée en ce moment." in text(visitor.get(personal_url(bao)))


def test_letting_the_place_go_offers_it_to_the_next(platform: Platform) -> None:
    event = full_event(platform)
    writes.registration_cancel(request=None, registration=by_name(event)["Ana"], by_staff=False)
    visitor = Client()
    visitor.post(personal_url(by_name(event)["Bao"]), {"action": "decline"})
    assert "la place est proposée à la personne suivante" in text(visitor.get(personal_url(by_name(event)["Bao"])))
    assert statuses(event) == {"Ana": CANCELLED, "Bao": CANCELLED, "Chloé": OFFERED}
    assert OutgoingEmail.objects.filter(to="chloe@exemple.test", kind="events_registration_offered").exists()


def test_leaving_the_waiting_list_offers_nothing(platform: Platform) -> None:
    event = full_event(platform)
    writes.registration_cancel(request=None, registration=by_name(event)["Bao"], by_staff=False)
    assert statuses(event) == {"Ana": CONFIRMED, "Bao": CANCELLED, "Chloé": WAITING}
    with pytest.raises(ValidationError) as error:
        writes.registration_cancel(request=None, registration=by_name(event)["Bao"], by_staff=False)
    assert error.value.messages == ["Cette inscription est déjà annulée."]


def test_the_coordination_unregisters_someone_who_is_told(platform: Platform) -> None:
    event = full_event(platform, title="Sensibilisation fictive")
    writes.registration_cancel(request=None, registration=by_name(event)["Ana"], by_staff=True)
    assert statuses(event) == {"Ana": CANCELLED, "Bao": OFFERED, "Chloé": WAITING}
    email = OutgoingEmail.objects.get(to="ana@exemple.test", kind="events_registration_cancelled")
    assert email.subject == "Votre inscription est annulée : Sensibilisation fictive"


def test_an_offer_ends_two_hours_before_the_start_and_none_is_made_too_late(platform: Platform) -> None:
    soon = full_event(platform, starts_in=timedelta(hours=5))
    writes.registration_cancel(request=None, registration=by_name(soon)["Ana"], by_staff=False)
    assert by_name(soon)["Bao"].offered_until == soon.starts_at - timedelta(hours=2)

    too_late = full_event(platform, starts_in=timedelta(minutes=90))
    writes.registration_cancel(request=None, registration=by_name(too_late)["Ana"], by_staff=False)
    assert statuses(too_late) == {"Ana": CANCELLED, "Bao": WAITING, "Chloé": WAITING}


def test_an_offer_not_accepted_in_time_goes_to_the_next(platform: Platform) -> None:
    event = full_event(platform, title="Intervision fictive")
    writes.registration_cancel(request=None, registration=by_name(event)["Ana"], by_staff=False)
    bao = by_name(event)["Bao"]
    assert bao.offered_until is not None
    assert writes.offers_expire(now=bao.offered_until - timedelta(minutes=1)) == 0

    later = bao.offered_until + timedelta(minutes=1)
    assert writes.offers_expire(now=later) == 1
    assert statuses(event) == {"Ana": CANCELLED, "Bao": EXPIRED, "Chloé": OFFERED}
    expired = OutgoingEmail.objects.get(to="bao@exemple.test", kind="events_registration_expired")
    assert "la place est passée à la personne suivante" in expired.body and f"/e/{event.token}/" in expired.body
    chloe = by_name(event)["Chloé"]
    assert chloe.offered_until == min(later + timedelta(hours=48), event.starts_at - timedelta(hours=2))
    assert OutgoingEmail.objects.filter(to="chloe@exemple.test", kind="events_registration_offered").exists()
    assert writes.offers_expire(now=later) == 0

    page = text(Client().get(personal_url(bao)))
    assert "elle a été proposée à la personne suivante" in page and "J'accepte la place" not in page


def test_an_expired_offer_cannot_be_accepted_before_the_job_runs(platform: Platform) -> None:
    event = full_event(platform)
    writes.registration_cancel(request=None, registration=by_name(event)["Ana"], by_staff=False)
    Registration.objects.filter(name="Bao").update(offered_until=timezone.now() - timedelta(minutes=5))
    visitor = Client()
    bao = by_name(event)["Bao"]
    assert "J'accepte la place" not in text(visitor.get(personal_url(bao)))
    visitor.post(personal_url(bao), {"action": "accept"})
    assert "Le délai pour accepter cette place est passé." in text(visitor.get(personal_url(bao)))
    assert by_name(event)["Bao"].status == OFFERED


def test_an_unknown_action_changes_nothing(platform: Platform) -> None:
    event = full_event(platform)
    visitor = Client()
    visitor.post(personal_url(by_name(event)["Ana"]), {"action": "supprimer"})
    assert "Cette page est incomplète." in text(visitor.get(personal_url(by_name(event)["Ana"])))
    assert statuses(event)["Ana"] == CONFIRMED


def test_reminders_go_once_to_confirmed_people_with_an_email(platform: Platform, other_platform: Platform) -> None:
    now = timezone.now().replace(microsecond=0)
    soon = EventFactory(platform=platform, starts_at=now + timedelta(hours=30), ends_at=now + timedelta(hours=32))
    reminded = RegistrationFactory(event=soon, status=CONFIRMED, email="rappel@exemple.test")
    RegistrationFactory(event=soon, status=WAITING)
    RegistrationFactory(event=soon, status=CANCELLED)
    RegistrationFactory(event=soon, status=CONFIRMED, email="", walk_in=True)
    later = EventFactory(platform=platform, starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=2))
    RegistrationFactory(event=later, status=CONFIRMED)
    cancelled = EventFactory(
        platform=platform,
        starts_at=now + timedelta(hours=20),
        ends_at=now + timedelta(hours=22),
        status=EventStatus.CANCELLED,
    )
    RegistrationFactory(event=cancelled, status=CONFIRMED)
    elsewhere = EventFactory(
        platform=other_platform, starts_at=now + timedelta(hours=10), ends_at=now + timedelta(hours=12)
    )
    RegistrationFactory(event=elsewhere, status=CONFIRMED, email="ailleurs@exemple.test")

    assert writes.reminders_send(now=now) == 2
    assert writes.reminders_send(now=now) == 0
    emails = OutgoingEmail.objects.filter(kind="events_registration_reminder")
    assert sorted(emails.values_list("to", flat=True)) == ["ailleurs@exemple.test", "rappel@exemple.test"]
    email = emails.get(to="rappel@exemple.test")
    assert email.subject.startswith(f"Rappel : {soon.title}, le ")
    assert f"/inscription/{reminded.token}/" in email.body
    reminded.refresh_from_db()
    assert reminded.reminder_sent_at == now


def test_the_jobs_are_periodic_and_run_the_services(platform: Platform) -> None:
    from procrastinate.contrib.django import app

    from pairs.events.tasks import events_offers_expire, events_reminders

    registry = {p.periodic_id: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert registry["events_offers_expire"] == "*/15 * * * *"
    assert registry["events_reminders"].endswith("* * * *") and registry["events_reminders"].startswith("5 ")

    event = full_event(platform)
    writes.registration_cancel(request=None, registration=by_name(event)["Ana"], by_staff=False)
    deadline = by_name(event)["Bao"].offered_until
    assert deadline is not None
    timestamp = int((deadline + timedelta(minutes=1)).astimezone(UTC).timestamp())
    assert events_offers_expire(timestamp=timestamp) == 1
    assert statuses(event) == {"Ana": CANCELLED, "Bao": EXPIRED, "Chloé": OFFERED}

    now = timezone.now().replace(microsecond=0)
    soon = EventFactory(platform=platform, starts_at=now + timedelta(hours=24), ends_at=now + timedelta(hours=26))
    RegistrationFactory(event=soon, status=CONFIRMED)
    timestamp = int(now.astimezone(UTC).timestamp())
    assert events_reminders(timestamp=timestamp) == 1
    assert events_reminders(timestamp=timestamp) == 0
