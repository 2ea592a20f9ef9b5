"""Anonymity of the answers through a campaign's link: no journal entry, no field that could point
back to a person (account, IP address, time of day), the visitor's addresses stored nowhere, and no
session cookie for an anonymous visitor."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from psycopg import sql

from pairs.journal.models import JournalEntry
from pairs.observatory.models import Campaign, CampaignLink, Response
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.observatory.factories import CampaignFactory, link_of, uniform

PERSPECTIVE = "professionnels"
VISITOR_IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.9"


@pytest.fixture
def campaign(platform: Platform) -> Campaign:
    return CampaignFactory(platform=platform)


@pytest.fixture
def link(campaign: Campaign) -> CampaignLink:
    return link_of(campaign, PERSPECTIVE)


def _url(link: CampaignLink) -> str:
    return f"/questionnaire/{link.token}/"


def _answer(client: Client, link: CampaignLink, campaign: Campaign, **extra: str) -> Any:
    page = client.get(_url(link), **extra).content.decode()
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found is not None
    data = {"submission_key": found.group(1)}
    data.update({f"item_{item}": str(value) for item, value in uniform(campaign, PERSPECTIVE, 4).items()})
    return client.post(_url(link), data, **extra)


def _rows_containing(table: str, text: str) -> int:
    query = sql.SQL("SELECT count(*) FROM {} t WHERE row_to_json(t)::text LIKE %s").format(sql.Identifier(table))
    with connection.cursor() as cursor:
        cursor.execute(query, [f"%{text}%"])
        (count,) = cursor.fetchone()
    return int(count)


def test_an_anonymous_answer_writes_no_journal_entry(campaign: Campaign, link: CampaignLink) -> None:
    before = JournalEntry.objects.count()
    assert _answer(Client(), link, campaign).status_code == 303
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert JournalEntry.objects.count() == before


def test_a_signed_in_visitors_answer_is_not_journaled_nor_tied_to_them(
    campaign: Campaign, link: CampaignLink, client_as: Any
) -> None:
    client, membership = client_as(Role.COORDINATOR, campaign.platform)
    before = JournalEntry.objects.count()
    assert _answer(client, link, campaign).status_code == 303
    assert JournalEntry.objects.count() == before
    response = Response.objects.get(campaign=campaign)
    for table in ("observatory_response",):
        assert _rows_containing(table, membership.user.email) == 0
    assert response.typed_in is False


def test_the_response_model_has_no_field_pointing_to_a_user_an_address_or_a_time_of_day() -> None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for field in Response._meta.get_fields():
        assert getattr(field, "related_model", None) is not user_model, field.name
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name  # the date only
        assert not isinstance(field, models.GenericIPAddressField), field.name
        assert not re.search(r"ip|user|address|adresse|agent|session|created|updated", field.name), field.name
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"


def test_the_visitors_addresses_are_stored_nowhere(campaign: Campaign, link: CampaignLink) -> None:
    response = _answer(Client(), link, campaign, REMOTE_ADDR=VISITOR_IP, HTTP_X_FORWARDED_FOR=FORWARDED_IP)
    assert response.status_code == 303
    assert Response.objects.filter(campaign=campaign).count() == 1
    tables = {model._meta.db_table for model in apps.get_app_config("observatory").get_models()}
    tables |= {JournalEntry._meta.db_table, "core_ratelimitcounter"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables |= {name for (name,) in cursor.fetchall()}  # and, for good measure, every other table
    assert "observatory_response" in tables
    for table in sorted(tables):
        for address in (VISITOR_IP, FORWARDED_IP):
            assert _rows_containing(table, address) == 0, (table, address)


def test_an_anonymous_visitor_gets_no_session_cookie(campaign: Campaign, link: CampaignLink) -> None:
    client = Client()
    page = client.get(_url(link))
    assert settings.SESSION_COOKIE_NAME not in page.cookies
    posted = _answer(client, link, campaign)
    assert posted.status_code == 303
    assert settings.SESSION_COOKIE_NAME not in posted.cookies
    thanks = client.get(posted["Location"])
    assert settings.SESSION_COOKIE_NAME not in thanks.cookies
    assert settings.SESSION_COOKIE_NAME not in client.cookies
