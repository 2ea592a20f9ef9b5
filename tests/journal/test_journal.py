from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory


def test_database_refuses_update_and_delete_of_journal_entries(platform: Platform) -> None:
    entry = JournalEntry.objects.create(
        platform=platform, action=Action.VIEW, object_type="accounts.user", object_id="1"
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(detail="effacé")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM journal_journalentry WHERE id = %s", [entry.pk])
    assert JournalEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_viewing_a_member_writes_a_view_entry_without_values(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    person = MembershipFactory(platform=platform, role=Role.PERSON)
    response = client.get(f"/membres/{person.pk}/")
    assert response.status_code == 200
    entry = JournalEntry.objects.latest("id")
    assert entry.action == Action.VIEW
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(person.user_id))
    assert entry.actor == coordinator.user and entry.actor_role == Role.COORDINATOR and entry.platform == platform
    assert response["Cache-Control"].startswith("no-store")


def test_coordinator_filters_the_journal_of_their_platform_only(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    JournalEntry.objects.create(platform=platform, action=Action.EXPORT, object_type="accounts.user", object_id="7")
    JournalEntry.objects.create(
        platform=other_platform, action=Action.EXPORT, object_type="accounts.user", object_id="8"
    )
    response = client.get("/journal/", {"action": "export"})
    page = response.context["page"]
    assert [e.object_id for e in page.object_list] == ["7"]
    assert "1 entrée" in response.content.decode()


def test_journal_rejects_an_inverted_date_range_with_a_french_message(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.get("/journal/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 200
    assert "La date de fin doit suivre la date de début." in response.content.decode()
    assert 'value="2026-05-02"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PERSON, Role.FUNDER, Role.PARTNER_CONTACT, Role.NETWORK_ADMIN])
def test_only_coordinators_read_the_journal_and_refusals_are_logged(
    role: Role, platform: Platform, client_as: Any
) -> None:
    client, membership = client_as(role, platform)
    response = client.get("/journal/")
    assert response.status_code == 403
    entry = JournalEntry.objects.latest("id")
    assert (
        entry.action == Action.PERMISSION_DENIED and entry.actor == membership.user and entry.detail == "journal.view"
    )


def test_journal_list_query_count_does_not_grow(
    platform: Platform, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    members = MembershipFactory.create_batch(3, platform=platform, role=Role.PERSON)

    def fill(n: int) -> None:
        JournalEntry.objects.bulk_create(
            [
                JournalEntry(
                    platform=platform,
                    actor=members[i % 3].user,
                    action=Action.VIEW,
                    object_type="accounts.user",
                    object_id=str(i),
                )
                for i in range(n)
            ]
        )

    fill(1)
    with django_assert_max_num_queries(12) as small:
        client.get("/journal/")
    fill(60)
    with django_assert_max_num_queries(12) as large:
        client.get("/journal/")
    assert len(large.captured_queries) == len(small.captured_queries)
