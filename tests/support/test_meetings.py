"""Booking a meeting at an accessible place, by phone or video; its page and outcome; the person
page's meetings; who may see what."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Meeting, MeetingMode, MeetingStatus, PersonStatus
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PlaceFactory, person_of


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A local time, ``days`` from today."""
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute)))


def local_input(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def booking(peer: Any, starts_at: datetime, *, place: Any = None, mode: str = "", duration: int = 60) -> dict[str, Any]:
    return {
        "peer": peer.pk,
        "mode": mode or (MeetingMode.IN_PERSON if place is not None else MeetingMode.PHONE),
        "place": place.pk if place is not None else "",
        "starts_at": local_input(starts_at),
        "duration_minutes": duration,
    }


def url_new(person: Any) -> str:
    return f"/accompagnement/personnes/{person.pk}/rencontres/"


# ---- Booking


def test_a_coordinator_books_an_in_person_meeting_and_the_worker_is_told(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    person = person_of(platform, pseudonym="Sacha")
    place = PlaceFactory(platform=platform, name="Café des Pentes", address="3 montée de la Grande-Côte")
    starts = at(3, 14, 30)

    response = client.post(url_new(person), booking(person.peer, starts, place=place, duration=45))

    meeting = Meeting.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/accompagnement/rencontres/{meeting.pk}/"
    assert meeting.peer == person.peer and meeting.place == place and meeting.status == MeetingStatus.PLANNED
    assert meeting.starts_at == starts and meeting.duration_minutes == 45
    assert meeting.period.lower == starts and meeting.period.upper == starts + timedelta(minutes=45)
    assert meeting.created_by == coordinator.user
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.meeting")
    assert entry.object_id == str(meeting.pk) and "starts_at" in entry.fields and entry.platform == platform
    email = OutgoingEmail.objects.get(kind="meeting_booked")
    assert email.to == person.peer.membership.user.email
    assert "14 h 30" in email.body and "Café des Pentes" in email.body and "3 montée de la Grande-Côte" in email.body
    assert f"/accompagnement/rencontres/{meeting.pk}/" in email.body
    assert "Sacha" not in email.body and "Sacha" not in email.subject  # nothing about the person

    page = client.get(response["Location"]).content.decode()
    assert "La rencontre est prévue le" in page and "Café des Pentes" in page and "Sacha" in page
    assert JournalEntry.objects.filter(action=Action.VIEW, object_type="support.meeting").count() == 1


def test_a_peer_worker_books_a_phone_meeting_for_themselves_without_an_email(
    platform: Platform, client_as: Any
) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = PeerProfileFactory(membership=membership)
    person = person_of(platform, peer=me)

    form = client.get(url_new(person)).content.decode()
    assert f'<option value="{me.pk}" selected>' in form

    response = client.post(url_new(person), booking(me, at(2, 10), mode=MeetingMode.PHONE))
    assert response.status_code == 302
    meeting = Meeting.objects.get(person=person)
    assert meeting.mode == MeetingMode.PHONE and meeting.place is None and meeting.peer == me
    assert not OutgoingEmail.objects.filter(kind="meeting_booked").exists()


def test_the_form_offers_the_referent_and_the_active_places_of_the_platform(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    referent = PeerProfileFactory(membership__platform=platform)
    person = person_of(platform, peer=referent)
    PlaceFactory(platform=platform, name="Maison de la Métropole Gerland")
    PlaceFactory(platform=platform, name="Ancienne salle fermée", active=False)
    PlaceFactory(platform=other_platform, name="Lieu de l'Isère")
    gone = PeerProfileFactory(membership__platform=platform, membership__is_active=False)
    page = client.get(url_new(person)).content.decode()
    assert f'<option value="{referent.pk}" selected>' in page
    assert "Maison de la Métropole Gerland" in page
    assert "Ancienne salle fermée" not in page and "Lieu de l'Isère" not in page
    assert gone.membership.user.display_name not in page


def test_in_person_needs_a_place_and_the_form_keeps_what_was_typed(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    person = person_of(platform)
    starts = at(4, 16, 15)
    response = client.post(url_new(person), booking(person.peer, starts, mode=MeetingMode.IN_PERSON, duration=90))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pour une rencontre en personne, choisissez le lieu." in page
    assert f'value="{local_input(starts)}"' in page and 'value="90"' in page
    assert not Meeting.objects.exists()


def test_a_start_in_the_past_or_a_wrong_duration_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    person = person_of(platform)
    page = client.post(url_new(person), booking(person.peer, at(-1, 10))).content.decode()
    assert "Cette date est passée : choisissez une date et une heure à venir." in page
    page = client.post(url_new(person), booking(person.peer, at(2, 10), duration=300)).content.decode()
    assert "Une rencontre dure au plus 240 minutes." in page
    page = client.post(url_new(person), {**booking(person.peer, at(2, 10)), "starts_at": "demain"}).content.decode()
    assert "Indiquez une date et une heure valides." in page
    assert not Meeting.objects.exists()


def test_a_closed_record_gets_no_new_meeting(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    person = person_of(platform, status=PersonStatus.CLOSED, closed_on=date(2026, 1, 5))
    page = client.get(url_new(person)).content.decode()
    assert "Cet accompagnement est clos" in page and "Prévoir la rencontre" not in page
    response = client.post(url_new(person), booking(person.peer, at(2, 10)), follow=True)
    assert "Cet accompagnement est clos : on n&#x27;y prévoit plus de rencontre." in response.content.decode()
    assert not Meeting.objects.exists()


# ---- The meeting page and its outcome


def test_a_past_meeting_is_marked_held_then_a_note_can_be_written(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = PeerProfileFactory(membership=membership)
    person = person_of(platform, peer=me)
    meeting = MeetingFactory(person=person, peer=me, starts_at=at(-1, 10))
    url = f"/accompagnement/rencontres/{meeting.pk}/"

    page = client.get(url).content.decode()
    assert "Cette rencontre est passée : notez son issue ci-dessous." in page
    assert "Marquer comme tenue" in page and "Écrire une note" not in page

    response = client.post(url, {"status": MeetingStatus.HELD}, follow=True)
    page = response.content.decode()
    assert "La rencontre est notée comme tenue." in page
    assert f"/accompagnement/personnes/{person.pk}/notes/?rencontre={meeting.pk}" in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.meeting")
    assert entry.fields == ["status"] and entry.object_id == str(meeting.pk)

    page = client.post(url, {"status": MeetingStatus.NO_SHOW}, follow=True).content.decode()
    assert "L&#x27;issue de cette rencontre est déjà notée : Tenue." in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_a_meeting_to_come_can_be_cancelled_not_marked_held(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    meeting = MeetingFactory(person=person_of(platform), starts_at=at(2, 10))
    url = f"/accompagnement/rencontres/{meeting.pk}/"
    page = client.get(url).content.decode()
    assert "Annuler la rencontre" in page and "Marquer comme tenue" not in page

    page = client.post(url, {"status": MeetingStatus.HELD}, follow=True).content.decode()
    assert "Cette rencontre n&#x27;a pas encore commencé" in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED

    page = client.post(url, {"status": MeetingStatus.CANCELLED}, follow=True).content.decode()
    assert "La rencontre est annulée." in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED

    page = client.post(url, {"status": "planned"}, follow=True).content.decode()
    assert "Choisissez l&#x27;issue de la rencontre." in page


def test_meetings_of_a_closed_record_no_longer_change(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    person = person_of(platform)
    meeting = MeetingFactory(person=person, starts_at=at(-2, 10))
    person.status = PersonStatus.CLOSED
    person.closed_on = timezone.localdate()
    person.save()
    url = f"/accompagnement/rencontres/{meeting.pk}/"
    assert "Marquer comme tenue" not in client.get(url).content.decode()
    page = client.post(url, {"status": MeetingStatus.HELD}, follow=True).content.decode()
    assert "Cet accompagnement est clos : ses rencontres ne changent plus." in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


# ---- Who may see what


def test_a_peer_worker_reaches_only_the_meetings_of_people_they_follow(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = PeerProfileFactory(membership=membership)
    mine = MeetingFactory(person=person_of(platform, peer=me))
    colleague = MeetingFactory(person=person_of(platform))
    assert client.get(f"/accompagnement/rencontres/{mine.pk}/").status_code == 200
    assert client.get(f"/accompagnement/rencontres/{colleague.pk}/").status_code == 404
    assert client.post(f"/accompagnement/rencontres/{colleague.pk}/", {"status": "cancelled"}).status_code == 404
    assert client.get(url_new(colleague.person)).status_code == 404
    colleague.refresh_from_db()
    assert colleague.status == MeetingStatus.PLANNED


def test_other_roles_are_refused(platform: Platform, client_as: Any) -> None:
    meeting = MeetingFactory(person=person_of(platform))
    for role in (Role.PARTNER_CONTACT, Role.PERSON, Role.FUNDER):
        client, _ = client_as(role, platform)
        assert client.get(f"/accompagnement/rencontres/{meeting.pk}/").status_code == 403
        assert client.get(url_new(meeting.person)).status_code == 403
        assert client.get("/mes-rencontres/").status_code == 403
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get("/mes-rencontres/").status_code == 403


def test_another_platforms_meeting_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    theirs = MeetingFactory(person=person_of(other_platform))
    assert client.get(f"/accompagnement/rencontres/{theirs.pk}/").status_code == 404
    assert client.post(url_new(theirs.person), booking(theirs.peer, at(2, 10))).status_code == 404


# ---- The person page


def test_the_person_page_shows_next_and_past_meetings(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    person = person_of(platform)
    place = PlaceFactory(platform=platform, name="Médiathèque du Bachut")
    MeetingFactory(person=person, starts_at=at(5, 11), mode=MeetingMode.IN_PERSON, place=place)
    MeetingFactory(person=person, starts_at=at(-7, 11), status=MeetingStatus.HELD)
    MeetingFactory(person=person, starts_at=at(-3, 11))  # passed, outcome not recorded
    page = client.get(f"/accompagnement/personnes/{person.pk}/").content.decode()
    assert '<h2 id="rencontres-titre">Rencontres</h2>' in page
    assert "Prévoir une rencontre" in page and "Médiathèque du Bachut" in page
    assert "1 issue à noter" in page and "Tenue" in page


def test_my_meetings_shows_this_week_and_next_week(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = PeerProfileFactory(membership=membership)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    next_week = timezone.make_aware(datetime.combine(monday + timedelta(days=8), time(15, 0)))
    later = timezone.make_aware(datetime.combine(monday + timedelta(days=15), time(15, 0)))
    place = PlaceFactory(platform=platform, name="Maison des Familles")
    MeetingFactory(
        person=person_of(platform, peer=me, pseudonym="Noor"),
        starts_at=next_week,
        mode=MeetingMode.IN_PERSON,
        place=place,
    )
    MeetingFactory(person=person_of(platform, peer=me, pseudonym="Lointain"), starts_at=later)
    MeetingFactory(person=person_of(platform, pseudonym="Collègue"), starts_at=next_week)
    page = client.get("/mes-rencontres/").content.decode()
    assert "Cette semaine" in page and "La semaine prochaine" in page
    assert "Noor" in page and "Maison des Familles" in page and "15:00" in page
    assert "Lointain" not in page and "Collègue" not in page
