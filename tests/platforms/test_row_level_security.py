"""PostgreSQL hides other platforms' rows from a request, even if a query forgets to filter."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.platforms.tenancy import current_scope, platform_scope
from tests.factories import MembershipFactory


def test_the_application_does_not_work_as_a_superuser(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_an_unfiltered_query_sees_only_the_scoped_platform(platform: Platform, other_platform: Platform) -> None:
    mine = MembershipFactory(platform=platform, role=Role.PERSON)
    theirs = MembershipFactory(platform=other_platform, role=Role.PERSON)
    JournalEntry.objects.create(platform=other_platform, action=Action.VIEW)
    with platform_scope(platform.pk):
        assert list(Membership.objects.all()) == [mine]
        assert not JournalEntry.objects.filter(platform=other_platform).exists()
        assert Membership.objects.filter(pk=theirs.pk).count() == 0
    assert Membership.objects.filter(pk=theirs.pk).exists()  # unscoped again afterwards


def test_requests_are_scoped_and_the_scope_is_cleared_after(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get("/membres/").status_code == 200
    assert current_scope() == ""


def test_a_person_with_two_platforms_signs_out_on_both(platform: Platform, other_platform: Platform) -> None:
    first = MembershipFactory(platform=platform, role=Role.NETWORK_ADMIN)
    MembershipFactory(platform=other_platform, role=Role.NETWORK_ADMIN, user=first.user)
    client = Client()
    client.force_login(first.user)
    client.get("/")
    response = client.post("/deconnexion/", follow=True)
    assert "Vous êtes déconnecté·e." in response.content.decode()
    assert set(JournalEntry.objects.filter(action=Action.LOGOUT).values_list("platform_id", flat=True)) == {
        platform.pk,
        other_platform.pk,
    }
