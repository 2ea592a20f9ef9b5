"""The « durées de conservation » pages: the team's, the coordinators' form, and the public one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from pairs.journal.models import JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.privacy.models import PrivacySettings
from pairs.privacy.retention import RULES, SUPPORT_RECORD
from pairs.privacy.selectors import months_of

EDIT = "/confidentialite/durees/modifier/"


def _form(**months: int) -> dict[str, int]:
    data = {rule.key: rule.default_months for rule in RULES if rule.editable}
    data.update(months)
    return data


def test_the_team_sees_every_rule_with_its_value(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PEER_WORKER, platform)

    page = client.get("/confidentialite/durees/").content.decode()

    for rule in RULES:
        assert escape(str(rule.label)) in page
    assert "24 mois après le dernier contact" in page
    assert "délibération n° 2023-095" in page
    assert EDIT not in page  # only coordinators may change the durations


def test_a_coordinator_chooses_a_duration_within_bounds(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    response = client.post(EDIT, _form(support_record=18))

    assert response.status_code == 302
    assert months_of(platform)[SUPPORT_RECORD] == 18
    page = client.get("/confidentialite/durees/").content.decode()
    assert "18 mois après le dernier contact" in page
    assert "choisie par la plateforme" in page
    entry = JournalEntry.objects.filter(object_type="privacy.privacysettings").get()
    assert entry.fields == [SUPPORT_RECORD]


@pytest.mark.parametrize("months", [36, 6])
def test_a_duration_out_of_bounds_is_refused_in_french(platform: Platform, client_as: Any, months: int) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    response = client.post(EDIT, _form(support_record=months))

    assert response.status_code == 200
    assert "Choisissez une durée entre 12 et 24 mois" in response.content.decode()
    assert months_of(platform)[SUPPORT_RECORD] == 24
    assert not PrivacySettings.objects.exists()


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON, Role.FUNDER])
def test_only_coordinators_change_the_durations(platform: Platform, client_as: Any, role: Role) -> None:
    client, _membership = client_as(role, platform)

    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, _form(support_record=12)).status_code == 403
    assert client.get("/confidentialite/durees/echeances/").status_code == 403
    assert months_of(platform)[SUPPORT_RECORD] == 24


def test_the_public_page_shows_the_rules_of_that_platform(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    PrivacySettings.objects.create(platform=platform, overrides={SUPPORT_RECORD: 12})
    # Signed in elsewhere: the page still shows the chosen platform's durations.
    client, _membership = client_as(Role.COORDINATOR, other_platform)

    for visitor in (Client(), client):
        page = visitor.get(f"/confidentialite/{platform.slug}/durees/").content.decode()
        assert "Pairs Test Rhône" in page
        assert "12 mois après le dernier contact" in page
        for rule in RULES:
            assert escape(str(rule.label)) in page
    assert Client().get("/confidentialite/inconnue/durees/").status_code == 404


def test_the_pages_make_a_constant_number_of_queries(
    platform: Platform, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    public = Client()
    with django_assert_max_num_queries(30) as default:
        client.get("/confidentialite/durees/")
    with django_assert_max_num_queries(10) as public_default:
        public.get(f"/confidentialite/{platform.slug}/durees/")

    PrivacySettings.objects.create(
        platform=platform, overrides={rule.key: rule.max_months for rule in RULES if rule.editable}
    )
    with django_assert_max_num_queries(len(default.captured_queries)):
        client.get("/confidentialite/durees/")
    with django_assert_max_num_queries(len(public_default.captured_queries)):
        public.get(f"/confidentialite/{platform.slug}/durees/")
