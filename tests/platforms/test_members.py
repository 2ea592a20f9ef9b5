from __future__ import annotations

from typing import Any

import pytest

from pairs.accounts.models import User
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory


def test_coordinator_invites_a_peer_worker(
    platform: Platform, client_as: Any, django_capture_on_commit_callbacks: Any, run_jobs: Any, mailoutbox: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/membres/inviter/",
            {"first_name": "Nadia", "last_name": "Testeuse", "email": "Nadia.T@Test.example", "role": "peer_worker"},
            follow=True,
        )
    assert "L&#x27;invitation est envoyée à nadia.t@test.example." in response.content.decode()
    membership = Membership.objects.get(user__email="nadia.t@test.example", platform=platform)
    assert membership.role == Role.PEER_WORKER
    email = OutgoingEmail.objects.get(to="nadia.t@test.example")
    assert email.subject == "Votre espace sur Pairs Test Rhône" and "/connexion/mot-de-passe/" in email.body
    actions = set(JournalEntry.objects.filter(platform=platform).values_list("action", "object_type"))
    assert {(Action.CREATE, "accounts.user"), (Action.CREATE, "platforms.membership")} <= actions
    assert run_jobs() == 1
    assert mailoutbox[0].to == ["nadia.t@test.example"]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_invite_with_bad_email_keeps_input_and_saves_nothing(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    before = User.objects.count()
    response = client.post("/membres/inviter/", {"first_name": "Léo", "email": "pas-une-adresse", "role": "person"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in body and 'value="Léo"' in body
    assert User.objects.count() == before and not OutgoingEmail.objects.exists()


def test_inviting_twice_the_same_role_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    existing = MembershipFactory(platform=platform, role=Role.PERSON)
    response = client.post("/membres/inviter/", {"first_name": "X", "email": existing.user.email, "role": "person"})
    assert "Cette personne a déjà ce rôle sur la plateforme." in response.content.decode()
    assert Membership.objects.filter(user=existing.user).count() == 1


def test_coordinator_deactivates_a_member_and_the_journal_names_the_field(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    response = client.post(f"/membres/{member.pk}/modifier/", {"role": "peer_worker"}, follow=True)
    assert "Les changements sont enregistrés." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active is False
    entry = JournalEntry.objects.filter(action=Action.UPDATE).latest("id")
    assert entry.fields == ["is_active"] and entry.object_id == str(member.pk)


def test_the_last_coordinator_cannot_be_removed(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    response = client.post(f"/membres/{coordinator.pk}/modifier/", {"role": "peer_worker", "is_active": "on"})
    assert "au moins une coordinatrice ou un coordinateur actif" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR


def test_editing_a_role_asks_for_the_password_again_after_a_while(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    session = client.session
    session["pairs_auth_at"] = 0
    session.save()
    response = client.get(f"/membres/{member.pk}/modifier/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/confirmer/")


def test_member_list_shows_only_this_platform(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    mine = MembershipFactory(platform=platform, role=Role.PERSON)
    theirs = MembershipFactory(platform=other_platform, role=Role.PERSON)
    body = client.get("/membres/").content.decode()
    assert mine.user.email in body and theirs.user.email not in body


@pytest.mark.parametrize("rows", [1, 50])
def test_member_list_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    MembershipFactory.create_batch(rows, platform=platform, role=Role.PERSON)
    with django_assert_num_queries(11):
        response = client.get("/membres/")
    assert response.status_code == 200
