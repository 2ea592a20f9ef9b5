"""Person records: the list, the page, editing, closure and the invitation to the person's space,
for every role (coordinator: all; referent peer worker: theirs; another worker: 404; a person:
403; another platform: 404). A closed record is read-only."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from pairs.accounts.models import User
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.support.forms.persons import normalise_phone
from pairs.support.models import ConsentKind, Meeting, MeetingStatus, Person, PersonStatus, Relation
from pairs.support.services import persons as services
from tests.factories import MembershipFactory, commune
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PersonFactory, consent, person_of

PEOPLE = "/accompagnement/personnes/"


def page(person: Person, suffix: str = "") -> str:
    return f"{PEOPLE}{person.pk}/{suffix}"


def body(response: Any) -> str:
    return response.content.decode()


def worker_client(client_as: Any, platform: Platform) -> tuple[Client, PeerProfile]:
    client, membership = client_as(Role.PEER_WORKER, platform)
    return client, PeerProfileFactory(membership=membership)


def views_of(person: Person) -> int:
    return JournalEntry.objects.filter(
        action=Action.VIEW, object_type="support.person", object_id=str(person.pk)
    ).count()


# ---- The list


def test_coordinator_lists_every_record_with_next_meeting_and_relative_link(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    lyon = commune("69123", "Lyon", 45.758, 4.835)
    sam = person_of(platform, pseudonym="Sam", commune=lyon)
    person_of(platform, pseudonym="Noa", relation=Relation.RELATIVE, relative_of=sam)
    when = (timezone.localtime() + timedelta(days=3)).replace(hour=14, minute=30, second=0, microsecond=0)
    MeetingFactory(person=sam, starts_at=when)
    MeetingFactory(person=sam, starts_at=when - timedelta(days=10), status=MeetingStatus.HELD)
    PersonFactory(platform=platform, pseudonym="Lou", status=PersonStatus.CLOSED)
    response = client.get(PEOPLE)
    text = body(response)
    assert response.status_code == 200
    assert "Sam" in text and "Noa" in text and "Lyon" in text
    assert "Lou" not in text  # closed records are under their own filter
    assert f'proche de <a href="{page(sam)}">Sam</a>' in text
    assert "14:30" in text
    assert "Lou" in body(client.get(PEOPLE, {"status": "closed"}))
    assert "Noa" not in body(client.get(PEOPLE, {"q": "sa"}))
    assert "Sam" in body(client.get(PEOPLE, {"q": "sa"}))


def test_referent_filter(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    first = person_of(platform, pseudonym="Sam")
    person_of(platform, pseudonym="Noa")
    text = body(client.get(PEOPLE, {"peer": first.peer_id}))
    assert "Sam" in text and "Noa" not in text


def test_peer_worker_lists_only_the_people_they_follow_or_meet(platform: Platform, client_as: Any) -> None:
    client, me = worker_client(client_as, platform)
    person_of(platform, pseudonym="Mine", peer=me)
    met = person_of(platform, pseudonym="Met")
    MeetingFactory(person=met, peer=me)
    person_of(platform, pseudonym="Other")
    text = body(client.get(PEOPLE))
    assert "Mine" in text and "Met" in text and "Other" not in text


def test_person_and_partner_roles_are_refused(platform: Platform, client_as: Any) -> None:
    for role in (Role.PERSON, Role.PARTNER_CONTACT):
        client, _ = client_as(role, platform)
        assert client.get(PEOPLE).status_code == 403


@pytest.mark.parametrize("rows", [2, 25])
def test_list_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    lyon = commune("69123", "Lyon", 45.758, 4.835)
    for i in range(rows):
        person = person_of(platform, pseudonym=f"P{i}", commune=lyon)
        MeetingFactory(person=person)
        person_of(platform, pseudonym=f"R{i}", relation=Relation.RELATIVE, relative_of=person)
    # session, user, membership, second factor, scope set, count, page, referent filter's
    # choices, scope clear, session save (3).
    with django_assert_num_queries(12):
        response = client.get(PEOPLE)
    assert response.status_code == 200


# ---- The page


def test_coordinator_reads_the_record_and_the_read_is_journaled(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform, pseudonym="Sam", phone="06 11 22 33 44", language="arabe")
    noa = person_of(platform, pseudonym="Noa", relation=Relation.RELATIVE, relative_of=sam)
    response = client.get(page(sam))
    text = body(response)
    assert response.status_code == 200
    assert "06 11 22 33 44" in text and "arabe" in text
    assert f'<a href="{page(noa)}">Noa</a>' in text
    assert sam.peer is not None and sam.peer.membership.user.display_name in text
    assert views_of(sam) == 1
    assert "proche de" in body(client.get(page(noa)))


def test_referent_sees_contacts_a_worker_who_only_meets_does_not(platform: Platform, client_as: Any) -> None:
    referent_client, referent = worker_client(client_as, platform)
    other_client, other = worker_client(client_as, platform)
    sam = person_of(platform, pseudonym="Sam", peer=referent, phone="06 11 22 33 44", email="sam@example.org")
    MeetingFactory(person=sam, peer=other)
    mine = body(referent_client.get(page(sam)))
    assert "06 11 22 33 44" in mine and "sam@example.org" in mine
    response = other_client.get(page(sam))
    assert response.status_code == 200
    theirs = body(response)
    assert "06 11 22 33 44" not in theirs and "sam@example.org" not in theirs
    assert "Visibles par la coordination" in theirs
    assert "Modifier le dossier" not in theirs
    # Meeting the person does not allow editing the record.
    assert other_client.get(page(sam, "modifier/")).status_code == 403


def test_unrelated_worker_and_other_platform_get_404(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = worker_client(client_as, platform)
    sam = person_of(platform)
    assert client.get(page(sam)).status_code == 404
    assert client.get(page(sam, "modifier/")).status_code == 404
    coordinator, _ = client_as(Role.COORDINATOR, other_platform)
    assert coordinator.get(page(sam)).status_code == 404
    person_client, _ = client_as(Role.PERSON, platform)
    assert person_client.get(page(sam)).status_code == 403


# ---- Editing


def test_phone_numbers_are_normalised_the_french_way() -> None:
    assert normalise_phone("0612345678") == "06 12 34 56 78"
    assert normalise_phone("06.12.34.56.78") == "06 12 34 56 78"
    assert normalise_phone("+33 6 12 34 56 78") == "06 12 34 56 78"
    assert normalise_phone("+33 (0)6 12 34 56 78") == "06 12 34 56 78"
    assert normalise_phone("0033612345678") == "06 12 34 56 78"
    assert normalise_phone("  ") == ""
    for bad in ("12345", "0012345678", "06 12 34 56 7", "abc"):
        with pytest.raises(ValidationError):
            normalise_phone(bad)


def _edit_data(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "pseudonym": person.pseudonym,
        "relation": person.relation,
        "relative_of": person.relative_of_id or "",
        "commune": person.commune_id or "",
        "phone": person.phone,
        "email": person.email,
        "contact_times": person.contact_times,
        "language": person.language,
        "gender_preference": person.gender_preference,
        "place_preference": person.place_preference,
        "mode_preference": person.mode_preference,
    }
    data.update(changes)
    return data


def test_referent_edits_the_record_and_the_journal_names_the_fields(platform: Platform, client_as: Any) -> None:
    client, me = worker_client(client_as, platform)
    sam = person_of(platform, pseudonym="Sam", peer=me)
    villefranche = commune()
    response = client.post(
        page(sam, "modifier/"),
        _edit_data(sam, phone="0611223344", commune=villefranche.pk, language="anglais", mode_preference="remote"),
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.phone == "06 11 22 33 44" and sam.commune == villefranche and sam.language == "anglais"
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.person", object_id=str(sam.pk))
    assert entry.fields == ["commune", "language", "mode_preference", "phone"]
    assert "0611223344" not in entry.detail


def test_bad_input_keeps_everything_typed(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform, pseudonym="Sam")
    response = client.post(
        page(sam, "modifier/"), _edit_data(sam, pseudonym="Samuel", phone="12 34", email="pas-une-adresse")
    )
    text = body(response)
    assert response.status_code == 200
    assert "Ce numéro ne semble pas valable" in text
    assert "Cette adresse e-mail n&#x27;est pas valide" in text
    assert 'value="Samuel"' in text and 'value="12 34"' in text
    sam.refresh_from_db()
    assert sam.pseudonym == "Sam"


def test_a_relative_is_linked_to_the_person_concerned(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform, pseudonym="Sam")
    noa = person_of(platform, pseudonym="Noa")
    response = client.post(page(noa, "modifier/"), _edit_data(noa, relative_of=sam.pk))
    assert "Seul le dossier d&#x27;un·e proche" in body(response)
    client.post(page(noa, "modifier/"), _edit_data(noa, relation=Relation.RELATIVE, relative_of=sam.pk))
    noa.refresh_from_db()
    assert noa.relative_of == sam and noa.relation == Relation.RELATIVE
    response = client.post(page(sam, "modifier/"), _edit_data(sam, relation=Relation.RELATIVE, relative_of=noa.pk))
    assert "déjà reliée à ce dossier" in body(response)


# ---- Closure


def test_closure_cancels_upcoming_meetings_and_makes_the_record_read_only(platform: Platform, client_as: Any) -> None:
    client, me = worker_client(client_as, platform)
    sam = person_of(platform, pseudonym="Sam", peer=me)
    upcoming = MeetingFactory(person=sam)
    past = MeetingFactory(person=sam, starts_at=timezone.now() - timedelta(days=3), status=MeetingStatus.HELD)
    response = client.post(
        page(sam, "cloture/"),
        {"reason": "goals_met", "comment": "", "feedback_helpful": "4", "feedback_comment": "Merci pour l'écoute."},
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.status == PersonStatus.CLOSED and sam.closed_on == timezone.localdate()
    assert sam.closure_reason == "goals_met" and sam.feedback_helpful == 4
    assert Meeting.objects.get(pk=upcoming.pk).status == MeetingStatus.CANCELLED
    assert Meeting.objects.get(pk=past.pk).status == MeetingStatus.HELD
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.person", object_id=str(sam.pk))
    assert set(entry.fields) == {"status", "closed_on", "closure_reason", "feedback_helpful", "feedback_comment"}

    text = body(client.get(page(sam)))
    assert "Clos le" in text and "Objectifs atteints" in text and "4 sur 5" in text
    for action in ("Modifier le dossier", "Clore l&#x27;accompagnement", "Noter le consentement", "Ouvrir son espace"):
        assert action not in text
    response = client.get(page(sam, "modifier/"), follow=True)
    assert "Cet accompagnement est clos" in body(response)
    response = client.post(page(sam, "modifier/"), _edit_data(sam, pseudonym="Autre"))
    sam.refresh_from_db()
    assert sam.pseudonym == "Sam"
    with pytest.raises(ValidationError, match="Cet accompagnement est clos"):
        services.person_update(request=None, person=sam, **{**_service_data(sam), "pseudonym": "Autre"})
    with pytest.raises(ValidationError, match="déjà clos"):
        services.person_close(request=None, person=sam, reason="other")


def _service_data(person: Person) -> dict[str, Any]:
    return {
        "pseudonym": person.pseudonym,
        "relation": person.relation,
        "relative_of": person.relative_of,
        "commune": person.commune,
        "phone": person.phone,
        "email": person.email,
        "contact_times": person.contact_times,
        "language": person.language,
        "gender_preference": person.gender_preference,
        "place_preference": person.place_preference,
        "mode_preference": person.mode_preference,
    }


def test_closure_needs_a_reason(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform)
    response = client.post(page(sam, "cloture/"), {"comment": "Fin"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in body(response)
    sam.refresh_from_db()
    assert sam.status == PersonStatus.OPEN


def test_other_worker_cannot_close(platform: Platform, client_as: Any) -> None:
    client, other = worker_client(client_as, platform)
    sam = person_of(platform)
    MeetingFactory(person=sam, peer=other)
    assert client.post(page(sam, "cloture/"), {"reason": "other"}).status_code == 403


# ---- The person's space


def test_invite_opens_the_space_and_sends_a_magic_link(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform, pseudonym="Sam", email="Sam.Invite@example.org")
    response = client.post(page(sam, "espace/"), follow=True)
    assert "Sans le consentement « Être contacté·e par e-mail" in body(response)
    assert not User.objects.filter(email="sam.invite@example.org").exists()

    consent(sam, ConsentKind.CONTACT_EMAIL)
    response = client.post(page(sam, "espace/"), follow=True)
    assert "Un lien de connexion à son espace personnel est envoyé" in body(response)
    user = User.objects.get(email="sam.invite@example.org")
    membership = Membership.objects.get(user=user, platform=platform, role=Role.PERSON)
    sam.refresh_from_db()
    assert sam.membership == membership
    mail = OutgoingEmail.objects.get(kind="support_space_invite")
    assert mail.to == "sam.invite@example.org"
    assert "Sam" in mail.body and "Être contacté" not in mail.body
    link = re.search(r"jeton=(\S+)", mail.body)
    assert link is not None
    # The link signs the person in (the accounts' magic link: confirmed by a button).
    visitor = Client()
    visitor.post("/connexion/lien/ouvrir/", {"jeton": link.group(1)})
    assert int(visitor.session["_auth_user_id"]) == user.pk

    # Again: the same account and role are reused, a new link is sent.
    client.post(page(sam, "espace/"))
    assert Membership.objects.filter(user=user, platform=platform).count() == 1
    assert OutgoingEmail.objects.filter(kind="support_space_invite").count() == 2


def test_invite_refuses_a_staff_address_and_a_record_without_email(platform: Platform, client_as: Any) -> None:
    staff = MembershipFactory(platform=platform, role=Role.PEER_WORKER, user__email="pair@example.org")
    sam = person_of(platform, email=staff.user.email)
    consent(sam, ConsentKind.CONTACT_EMAIL)
    with pytest.raises(ValidationError, match="compte de l'équipe"):
        services.person_invite(request=None, person=sam)
    noa = person_of(platform, email="")
    with pytest.raises(ValidationError, match="adresse e-mail dans le dossier"):
        services.person_invite(request=None, person=noa)


def test_person_role_cannot_invite(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PERSON, platform)
    sam = person_of(platform)
    assert client.post(page(sam, "espace/")).status_code == 403
