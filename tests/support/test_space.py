"""The person's own space: only their own data; consents they withdraw; a request to change peer
worker without a reason; the download of all their data; a closed record stays readable."""

from __future__ import annotations

import html
import json
from datetime import timedelta
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import (
    ChangeRequest,
    Confidentiality,
    ConsentKind,
    Mediation,
    MeetingMode,
    PersonStatus,
)
from pairs.support.services import groups as group_writes
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import (
    GroupFactory,
    MeetingFactory,
    PersonFactory,
    PlaceFactory,
    SupportRequestFactory,
    consent,
    note,
    person_of,
)
from tests.support.test_notes import body, person_client

SPACE = "/mon-accompagnement/"


def text(response: Any) -> str:
    return html.unescape(body(response))


def test_a_person_without_a_record_gets_a_kind_page(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PERSON, platform)
    for url in (SPACE, SPACE + "changer-de-pair-aidant/", SPACE + "mes-donnees/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Votre espace n'est pas encore relié à un accompagnement." in text(response)


def test_only_the_person_role(platform: Platform, client_as: Any) -> None:
    for role in (Role.COORDINATOR, Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.FUNDER):
        client, _membership = client_as(role, platform)
        assert client.get(SPACE).status_code == 403
    assert Client().get(SPACE).status_code == 302  # to the sign-in page


def test_the_space_shows_own_meetings_notes_consents_and_groups_only(platform: Platform) -> None:
    client, person = person_client(platform, pseudonym="Lila")
    worker = person.peer
    assert worker is not None
    worker.membership.user.first_name = "Soraya"
    worker.membership.user.save()
    place = PlaceFactory(
        platform=platform, name="Médiathèque du Parc", accessibility="Rampe d'accès, boucle magnétique."
    )
    MeetingFactory(person=person, mode=MeetingMode.IN_PERSON, place=place)
    MeetingFactory(person=person, starts_at=timezone.now() - timedelta(days=3))  # past: not listed
    note(person, confidentiality=Confidentiality.PERSON, body="Bravo pour ce premier pas.")
    note(person, confidentiality=Confidentiality.TEAM, body="Réflexion pour l'équipe seulement.")
    consent(person, ConsentKind.CONTACT_SMS)
    group = GroupFactory(platform=platform, theme="Groupe du mardi", capacity=2)
    group_writes.registration_add(request=None, group=group, person=person)
    other = person_of(platform, pseudonym="Bastien")
    MeetingFactory(person=other, peer=worker, starts_at=timezone.now() + timedelta(days=2))
    note(other, author=worker, confidentiality=Confidentiality.PERSON, body="Note pour Bastien.")
    consent(other, ConsentKind.SHARE_PROFESSIONAL, professional="Dr Autre")

    page = text(client.get(SPACE))
    assert "Avec Soraya" in page and "Médiathèque du Parc" in page and "Rampe d'accès" in page
    assert page.count("Avec Soraya") == 1
    assert "Bravo pour ce premier pas." in page and "Réflexion pour l'équipe" not in page
    assert "Être contacté·e par SMS" in page and "Retirer ce consentement" in page
    assert "Groupe du mardi" in page and "inscrit·e" in page
    assert "Bastien" not in page and "Dr Autre" not in page and "Note pour Bastien" not in page
    assert "3114" in page and "Besoin d'aide tout de suite ?" in page
    assert JournalEntry.objects.filter(action=Action.VIEW, object_type="support.person", object_id=str(person.pk))


def test_the_space_shows_the_waiting_position(platform: Platform) -> None:
    client, person = person_client(platform)
    group = GroupFactory(platform=platform, theme="Groupe complet", capacity=2)
    for other in (PersonFactory(platform=platform) for _ in range(3)):
        group_writes.registration_add(request=None, group=group, person=other)
    group_writes.registration_add(request=None, group=group, person=person)
    assert "sur liste d'attente, position 2" in text(client.get(SPACE))


# ---- Consents


def test_the_person_withdraws_a_consent(platform: Platform) -> None:
    client, person = person_client(platform)
    sms = consent(person, ConsentKind.CONTACT_SMS)
    response = client.post(f"{SPACE}consentements/{sms.pk}/retrait/")
    assert response.status_code == 302 and response["Location"] == SPACE
    sms.refresh_from_db()
    assert sms.withdrawn_at is not None and sms.withdrawn_by == person.membership.user  # type: ignore[union-attr]
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.consent")
    assert "withdrawn_at" in entry.fields and entry.actor_role == Role.PERSON
    page = text(client.get(SPACE))
    assert "Retiré le" in page and "Retirer ce consentement" not in page
    again = client.post(f"{SPACE}consentements/{sms.pk}/retrait/")
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == "Ce consentement est déjà retiré."


def test_another_persons_consent_answers_404(platform: Platform, other_platform: Platform) -> None:
    client, person = person_client(platform)
    theirs = consent(person_of(platform))
    elsewhere = consent(person_of(other_platform))
    for target in (theirs, elsewhere):
        assert client.post(f"{SPACE}consentements/{target.pk}/retrait/").status_code == 404
        target.refresh_from_db()
        assert target.withdrawn_at is None
    mine = consent(person)
    assert client.get(f"{SPACE}consentements/{mine.pk}/retrait/").status_code == 405


# ---- Change of peer worker


def test_asking_for_another_peer_worker_needs_no_reason(platform: Platform) -> None:
    client, person = person_client(platform)
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR, user__email="coord@example.org")
    page = text(client.get(SPACE + "changer-de-pair-aidant/"))
    assert "Vous n'avez pas à donner de raison" in page
    message = "Je préférerais parler avec une femme."
    response = client.post(SPACE + "changer-de-pair-aidant/", {"message": message})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.person == person and change.message == message and change.handled_at is None
    email = OutgoingEmail.objects.get(kind="support_change_request")
    assert email.to == coordinator.user.email
    assert "préférerais" not in email.body and person.pseudonym not in email.body
    assert f"/accompagnement/personnes/{person.pk}/" in email.body
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.changerequest")
    assert entry.fields == ["message"] and "préférerais" not in entry.detail
    assert "est transmise à l'équipe" in text(client.get(SPACE))
    client.post(SPACE + "changer-de-pair-aidant/", {"message": ""})
    assert ChangeRequest.objects.count() == 1


# ---- Download of all their data


def test_the_download_holds_own_data_and_nothing_about_anyone_else(platform: Platform) -> None:
    client, person = person_client(platform, pseudonym="Lila", phone="06 11 22 33 44")
    relative = PersonFactory.create(platform=platform, pseudonym="Proche-Jules", relative_of=person)
    SupportRequestFactory(platform=platform, person=person, looking_for="Envie de parler à quelqu'un.")
    MeetingFactory(person=person)
    note(person, confidentiality=Confidentiality.PERSON, body="Texte partagé avec Lila.")
    note(person, confidentiality=Confidentiality.TEAM, body="Texte pour l'équipe.")
    note(person, confidentiality=Confidentiality.PRIVATE, body="Texte privé.")
    consent(person, ConsentKind.DATA_KEPT)
    group_writes.registration_add(request=None, group=GroupFactory(platform=platform, theme="Groupe A"), person=person)
    ChangeRequest.objects.create(person=person, message="Un autre jour.")
    Mediation.objects.create(
        person=person,
        peer=person.peer,
        held_on=timezone.localdate(),
        professional="Dr Roux",
        purpose="Présenter le plan.",
    )
    stranger = person_of(platform, pseudonym="Bastien")
    Mediation.objects.create(
        person=stranger, peer=stranger.peer, held_on=timezone.localdate(), professional="Dr Bastide", purpose="Autre."
    )
    note(stranger, confidentiality=Confidentiality.PERSON, body="Note de Bastien.")
    group_writes.registration_add(
        request=None, group=GroupFactory(platform=platform, theme="Groupe B"), person=stranger
    )

    response = client.get(SPACE + "mes-donnees/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["dossier"]["prenom_ou_pseudonyme"] == "Lila" and data["dossier"]["telephone"] == "06 11 22 33 44"
    assert [n["texte"] for n in data["notes_partagees_avec_moi"]] == ["Texte partagé avec Lila."]
    assert len(data["rencontres"]) == 1 and len(data["consentements"]) == 1
    assert [g["groupe"] for g in data["groupes"]] == ["Groupe A"]
    assert data["demandes_d_accompagnement"][0]["ce_que_je_cherche"] == "Envie de parler à quelqu'un."
    assert data["demandes_de_changement_de_pair_aidant"][0]["message"] == "Un autre jour."
    assert [m["professionnel"] for m in data["mediations"]] == ["Dr Roux"]
    for foreign in ("Bastien", "Groupe B", "Texte pour l'équipe", "Texte privé", "Dr Bastide", relative.pseudonym):
        assert foreign not in raw
    views = JournalEntry.objects.filter(action=Action.VIEW)
    assert views.filter(object_type="support.person", object_id=str(person.pk)).exists()
    assert views.filter(object_type="support.note").count() == 1


def test_a_closed_record_is_read_only_and_still_downloadable(platform: Platform) -> None:
    client, _person = person_client(platform, status=PersonStatus.CLOSED, closed_on=timezone.localdate())
    page = text(client.get(SPACE))
    assert "Votre accompagnement est clos" in page
    assert "Demander un·e autre pair aidant·e" not in page and "Télécharger mes données" in page
    client.post(SPACE + "changer-de-pair-aidant/", {"message": ""})
    assert not ChangeRequest.objects.exists()
    assert json.loads(client.get(SPACE + "mes-donnees/").content)["dossier"]["etat"] == "Accompagnement clos"


def test_a_consent_can_still_be_withdrawn_once_the_record_is_closed(platform: Platform) -> None:
    """Withdrawing a consent is always the person's right (the same rule as on the team's side)."""
    client, person = person_client(platform, status=PersonStatus.CLOSED, closed_on=timezone.localdate())
    sms = consent(person, ConsentKind.CONTACT_SMS)
    assert "Retirer ce consentement" in text(client.get(SPACE))
    client.post(f"{SPACE}consentements/{sms.pk}/retrait/")
    sms.refresh_from_db()
    assert sms.withdrawn_at is not None


def test_the_person_home_links_to_the_space(platform: Platform) -> None:
    client, _person = person_client(platform)
    assert 'href="/mon-accompagnement/"' in body(client.get("/"))


def test_the_space_does_not_grow_in_queries(platform: Platform, django_assert_max_num_queries: Any) -> None:
    client, person = person_client(platform)
    note(person, confidentiality=Confidentiality.PERSON)  # each note shown costs its journal entry

    def add(count: int) -> None:
        for i in range(count):
            peer = PeerProfileFactory(membership__platform=platform)
            place = PlaceFactory(platform=platform)
            start = timezone.now() + timedelta(days=i + 1, hours=len(person.meetings.all()))
            MeetingFactory(person=person, peer=peer, mode=MeetingMode.IN_PERSON, place=place, starts_at=start)
            consent(person, ConsentKind.CONTACT_EMAIL)
            group_writes.registration_add(
                request=None, group=GroupFactory(platform=platform, capacity=2), person=person
            )

    add(1)
    with django_assert_max_num_queries(60) as small:
        assert client.get(SPACE).status_code == 200
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(SPACE).status_code == 200
