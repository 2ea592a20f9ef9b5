"""Notes: written by peer workers only, encrypted at rest, read according to their confidentiality
level (every role × every level), every read journaled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Confidentiality, Note, Person, PersonStatus
from pairs.support.selectors.notes import readable_notes
from tests.conftest import login_client, platform_request
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PersonFactory, note, person_of

SECRET: dict[str, str] = {
    Confidentiality.PRIVATE: "Texte privé : inquiétude sur le sommeil, à reprendre.",
    Confidentiality.TEAM: "Texte équipe : envie de rejoindre un groupe de parole.",
    Confidentiality.PERSON: "Texte partagé : bravo pour la reprise de la marche.",
}


def body(response: Any) -> str:
    return response.content.decode()


def peer_client(platform: Platform, **kwargs: Any) -> tuple[Client, PeerProfile]:
    """A signed-in peer worker with their profile."""
    profile = PeerProfileFactory(membership__platform=platform, **kwargs)
    return login_client(Client(), profile.membership), profile


def person_client(platform: Platform, **kwargs: Any) -> tuple[Client, Person]:
    """A signed-in person (role "person") whose account is linked to their record."""
    membership = MembershipFactory(platform=platform, role=Role.PERSON)
    person = person_of(platform, membership=membership, **kwargs)
    return login_client(Client(), membership), person


def note_views(note_id: int) -> int:
    return JournalEntry.objects.filter(action=Action.VIEW, object_type="support.note", object_id=str(note_id)).count()


@dataclass
class Cast:
    """Everyone around one person's notes (written by the referent)."""

    person: Person
    referent: PeerProfile
    clients: dict[str, Client]
    notes: dict[str, Note]


@pytest.fixture
def cast(platform: Platform) -> Cast:
    referent_client, referent = peer_client(platform)
    membership = MembershipFactory(platform=platform, role=Role.PERSON)
    person = person_of(platform, peer=referent, membership=membership)
    meeting_client, meeting_peer = peer_client(platform)
    MeetingFactory(person=person, peer=meeting_peer)
    unrelated_client, _unrelated = peer_client(platform)
    other_client, _other = person_client(platform)
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    partner = MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT)
    notes = {level: note(person, author=referent, confidentiality=level, body=SECRET[level]) for level in SECRET}
    clients = {
        "coordinator": login_client(Client(), coordinator),
        "referent": referent_client,
        "meeting_peer": meeting_client,
        "unrelated_peer": unrelated_client,
        "person": login_client(Client(), membership),
        "other_person": other_client,
        "partner": login_client(Client(), partner),
    }
    return Cast(person=person, referent=referent, clients=clients, notes=notes)


# Who reads the note page: 200 (reads), 404 (not theirs to read), 403 (a role without notes at all).
P, T, S = Confidentiality.PRIVATE, Confidentiality.TEAM, Confidentiality.PERSON
NOTE_PAGE = [
    ("coordinator", {P: 404, T: 200, S: 200}),
    ("referent", {P: 200, T: 200, S: 200}),
    ("meeting_peer", {P: 404, T: 200, S: 200}),
    ("unrelated_peer", {P: 404, T: 404, S: 404}),
    ("person", {P: 403, T: 403, S: 403}),
    ("other_person", {P: 403, T: 403, S: 403}),
    ("partner", {P: 403, T: 403, S: 403}),
]


@pytest.mark.parametrize(("who", "expected"), NOTE_PAGE)
def test_the_note_page_follows_the_confidentiality_level(cast: Cast, who: str, expected: dict[str, int]) -> None:
    for level, status in expected.items():
        note_ = cast.notes[level]
        response = cast.clients[who].get(f"/accompagnement/notes/{note_.pk}/")
        assert response.status_code == status, f"{who} {level}"
        if status == 200:
            assert SECRET[level] in body(response)
            assert note_views(note_.pk) >= 1
        else:
            assert SECRET[level] not in body(response)


# Who reads which note in the person's space: only the person, only the notes shared with them.
SPACE = [
    ("person", {P: False, T: False, S: True}),
    ("other_person", {P: False, T: False, S: False}),
]


@pytest.mark.parametrize(("who", "expected"), SPACE)
def test_the_space_shows_only_the_notes_shared_with_the_person(cast: Cast, who: str, expected: dict[str, bool]) -> None:
    page = body(cast.clients[who].get("/mon-accompagnement/"))
    for level, shown in expected.items():
        assert (SECRET[level] in page) is shown, f"{who} {level}"


@pytest.mark.parametrize(
    ("who", "levels"),
    [
        ("coordinator", {T, S}),
        ("referent", {P, T, S}),
        ("meeting_peer", {T, S}),
        ("unrelated_peer", set()),
        ("person", {S}),
        ("other_person", set()),
        ("partner", set()),
    ],
)
def test_one_selector_decides_for_every_role(cast: Cast, who: str, levels: set[str]) -> None:
    request = platform_request(cast.clients[who].get("/").wsgi_request)
    readable = {n.confidentiality for n in readable_notes(request, cast.person)}
    assert readable == levels


def test_a_private_note_is_read_by_its_author_only(platform: Platform) -> None:
    referent_client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    author_client, author = peer_client(platform)
    MeetingFactory(person=person, peer=author)
    private = note(person, author=author, confidentiality=P, body="Mon brouillon personnel.")
    assert author_client.get(f"/accompagnement/notes/{private.pk}/").status_code == 200
    assert referent_client.get(f"/accompagnement/notes/{private.pk}/").status_code == 404


def test_every_read_of_the_note_page_is_journaled(cast: Cast) -> None:
    shared = cast.notes[T]
    for _ in range(3):
        cast.clients["coordinator"].get(f"/accompagnement/notes/{shared.pk}/")
    assert note_views(shared.pk) == 3
    entry = JournalEntry.objects.filter(object_type="support.note").latest("id")
    assert entry.actor_role == Role.COORDINATOR and entry.platform_id == cast.person.platform_id


def test_every_note_shown_in_the_space_is_journaled(cast: Cast) -> None:
    cast.clients["person"].get("/mon-accompagnement/")
    cast.clients["person"].get("/mon-accompagnement/")
    assert note_views(cast.notes[S].pk) == 2
    assert note_views(cast.notes[T].pk) == 0 and note_views(cast.notes[P].pk) == 0


# ---- Writing


def test_a_peer_worker_writes_an_encrypted_note(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    text = "Rencontre au parc : projet de reprendre la guitare."
    response = client.post(f"/accompagnement/personnes/{person.pk}/notes/", {"body": text, "confidentiality": S})
    saved = Note.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accompagnement/notes/{saved.pk}/"
    assert saved.author == referent and saved.confidentiality == S and saved.person == person
    assert text.encode() not in bytes(saved.body_encrypted)
    with connection.cursor() as cursor:
        cursor.execute("SELECT encode(body_encrypted, 'escape') FROM support_note WHERE id = %s", [saved.pk])
        (raw,) = cursor.fetchone()
    assert "guitare" not in raw
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.note")
    assert entry.fields == ["body", "confidentiality"]
    assert "guitare" not in entry.detail
    assert "guitare" in body(client.get(response["Location"]))


def test_the_note_form_preselects_the_meeting_of_that_person_only(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    meeting = MeetingFactory.create(person=person)
    elsewhere = MeetingFactory(
        person=person_of(platform, peer=referent), starts_at=meeting.starts_at + timedelta(hours=2)
    )
    page = body(client.get(f"/accompagnement/personnes/{person.pk}/notes/?rencontre={meeting.pk}"))
    assert f'<option value="{meeting.pk}" selected>' in page
    page = body(client.get(f"/accompagnement/personnes/{person.pk}/notes/?rencontre={elsewhere.pk}"))
    assert f'value="{elsewhere.pk}"' not in page
    response = client.post(
        f"/accompagnement/personnes/{person.pk}/notes/",
        {"body": "Après la rencontre.", "confidentiality": T, "meeting": elsewhere.pk},
    )
    assert response.status_code == 200 and "Choisissez une rencontre avec cette personne." in body(response)
    assert not Note.objects.exists()
    client.post(
        f"/accompagnement/personnes/{person.pk}/notes/",
        {"body": "Après la rencontre.", "confidentiality": T, "meeting": meeting.pk},
    )
    assert Note.objects.get().meeting == meeting


def test_bad_input_keeps_what_was_typed(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    response = client.post(
        f"/accompagnement/personnes/{person.pk}/notes/", {"body": "Un texte à garder.", "confidentiality": "public"}
    )
    assert "Choisissez qui peut lire la note." in body(response) and "Un texte à garder." in body(response)
    response = client.post(f"/accompagnement/personnes/{person.pk}/notes/", {"body": "  ", "confidentiality": T})
    assert "Écrivez le texte de la note." in body(response)
    assert not Note.objects.exists()


def test_coordinators_read_notes_but_do_not_write_them(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    person = person_of(platform)
    url = f"/accompagnement/personnes/{person.pk}/notes/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "x", "confidentiality": T}).status_code == 403
    assert not Note.objects.exists()


def test_only_the_people_a_worker_follows(platform: Platform, other_platform: Platform) -> None:
    client, _peer = peer_client(platform)
    stranger = person_of(platform)
    assert client.get(f"/accompagnement/personnes/{stranger.pk}/notes/").status_code == 404
    elsewhere = person_of(other_platform)
    assert client.get(f"/accompagnement/personnes/{elsewhere.pk}/notes/").status_code == 404
    for role in (Role.PERSON, Role.PARTNER_CONTACT, Role.FUNDER):
        other = login_client(Client(), MembershipFactory(platform=platform, role=role))
        assert other.get(f"/accompagnement/personnes/{stranger.pk}/notes/").status_code == 403


def test_a_closed_record_takes_no_new_note(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent, status=PersonStatus.CLOSED)
    url = f"/accompagnement/personnes/{person.pk}/notes/"
    response = client.post(url, {"body": "Après la clôture.", "confidentiality": T})
    assert response.status_code == 302 and not Note.objects.exists()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Cet accompagnement est clos : on n'y ajoute plus de note."]


def test_the_person_page_part_lists_notes_without_their_text(cast: Cast) -> None:
    from pairs.support.views.notes import person_context

    request = platform_request(cast.clients["coordinator"].get("/").wsgi_request)
    context = person_context(request, cast.person)
    assert {row.note.confidentiality for row in context["note_rows"]} == {T, S}
    assert context["note_can_write"] is False
    from django.template.loader import render_to_string

    html = render_to_string("support/_notes.html", {**context, "person": cast.person})
    assert '<h2 id="notes">Notes</h2>' in html and "Lire" in html
    assert all(text not in html for text in SECRET.values())
    request = platform_request(cast.clients["referent"].get("/").wsgi_request)
    assert person_context(request, cast.person)["note_can_write"] is True


def test_the_person_page_part_does_not_grow_in_queries(platform: Platform, django_assert_max_num_queries: Any) -> None:
    from pairs.support.views.notes import person_context

    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    request = platform_request(client.get("/").wsgi_request)

    def add(count: int) -> None:
        for _ in range(count):
            note(person, author=referent, confidentiality=T)
            note(person, author=PeerProfileFactory(membership__platform=platform), confidentiality=S)

    add(1)
    with django_assert_max_num_queries(50) as small:
        person_context(request, person)
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        context = person_context(request, person)
    assert len(context["note_rows"]) == 22


def test_another_platform_never_reads_a_note(platform: Platform, other_platform: Platform) -> None:
    foreign = note(person_of(other_platform), confidentiality=T)
    coordinator = login_client(Client(), MembershipFactory(platform=platform, role=Role.COORDINATOR))
    assert coordinator.get(f"/accompagnement/notes/{foreign.pk}/").status_code == 404
    assert note_views(foreign.pk) == 0


def test_coordinators_read_the_shared_notes_of_a_person_without_referent(platform: Platform) -> None:
    person = PersonFactory(platform=platform)
    shared = note(person, author=PeerProfileFactory(membership__platform=platform), confidentiality=T)
    coordinator = login_client(Client(), MembershipFactory(platform=platform, role=Role.COORDINATOR))
    assert coordinator.get(f"/accompagnement/notes/{shared.pk}/").status_code == 200


def test_the_person_page_shows_notes_mediations_and_groups(cast: Cast) -> None:
    from pairs.support.models import ConsentKind, Mediation
    from pairs.support.services import groups as group_writes
    from tests.support.factories import GroupFactory, consent

    consent(cast.person, ConsentKind.SHARE_PROFESSIONAL)
    Mediation.objects.create(
        person=cast.person, peer=cast.referent, held_on=date(2026, 3, 2), professional="Dr Roux", purpose="Préparer."
    )
    group_writes.registration_add(
        request=None, group=GroupFactory(platform=cast.person.platform, theme="Groupe du lundi"), person=cast.person
    )
    page = body(cast.clients["coordinator"].get(f"/accompagnement/personnes/{cast.person.pk}/"))
    assert '<h2 id="notes">Notes</h2>' in page and '<h2 id="mediations">Médiations</h2>' in page
    assert '<h2 id="groupes">Groupes</h2>' in page and "Groupe du lundi" in page and "Dr Roux" in page
    assert all(text not in page for text in SECRET.values())
    assert "Écrire une note" not in page  # coordinators read, peer workers write
    page = body(cast.clients["referent"].get(f"/accompagnement/personnes/{cast.person.pk}/"))
    assert "Écrire une note" in page
