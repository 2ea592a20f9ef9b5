"""Public pages anyone may read without an account: security.txt (RFC 9116) and the accessibility
statement (RGAA)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import PlatformFactory

SECURITY_TXT = "/.well-known/security.txt"
ACCESSIBILITY = "/accessibilite/"


def fields(response: Any) -> dict[str, str]:
    lines = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


# ---- security.txt


@override_settings(PAIRS_SECURITY_CONTACT="securite@pairs.example.org", SITE_URL="https://pairs.example.org")
def test_security_txt_names_the_contact_a_one_year_expiry_the_languages_and_its_address(db: Any) -> None:
    response = Client().get(SECURITY_TXT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == "mailto:securite@pairs.example.org"
    assert found["Preferred-Languages"] == "fr, en"
    assert found["Canonical"] == "https://pairs.example.org/.well-known/security.txt"
    expires = datetime.strptime(found["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=364) < expires - timezone.now() <= timedelta(days=365)
    assert set(found) == {"Contact", "Expires", "Preferred-Languages", "Canonical"}


@override_settings(PAIRS_SECURITY_CONTACT="https://pairs.example.org/securite/")
def test_a_web_page_may_be_the_contact(db: Any) -> None:
    assert fields(Client().get(SECURITY_TXT))["Contact"] == "https://pairs.example.org/securite/"


@override_settings(PAIRS_SECURITY_CONTACT="")
def test_without_a_security_contact_there_is_no_file_rather_than_a_made_up_address(db: Any) -> None:
    assert Client().get(SECURITY_TXT).status_code == 404


@override_settings(PAIRS_SECURITY_CONTACT="securite@pairs.example.org")
def test_security_txt_is_read_only(db: Any) -> None:
    assert Client().post(SECURITY_TXT).status_code == 405


# ---- The accessibility statement


def page(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_the_accessibility_statement_in_french(db: Any) -> None:
    response = Client().get(ACCESSIBILITY)
    assert response.status_code == 200
    text = page(response)
    assert '<html lang="fr">' in text and "<title>Déclaration d'accessibilité · Pairs Ressources</title>" in text
    assert "partiellement conforme" in text and "RGAA" in text and "WCAG 2.1 niveau AA" in text
    assert "axe-core" in text
    assert "tableau triable" in text  # the map's alternative
    assert "PDF/UA" in text
    assert "Défenseur des droits" in text and "formulaire.defenseurdesdroits.fr" in text
    assert "Déclaration établie le 23 novembre 2026." in text
    # One h1, then sections with their own headings.
    assert text.count("<h1") == 1 and text.count("<h2") >= 5


def test_the_statement_lists_whom_to_tell_on_each_platform(platform: Platform) -> None:
    Platform.objects.filter(pk=platform.pk).update(contact_email="contact@pairs-rhone.example", contact_phone="")
    PlatformFactory(name="Pairs Test Ain", slug="test-ain", contact_email="", contact_phone="04 74 00 00 00")
    PlatformFactory(name="Pairs Sans Contact", slug="sans-contact", contact_email="", contact_phone="")
    text = page(Client().get(ACCESSIBILITY))
    section = text.split('id="contact"', 1)[1].split("</section>", 1)[0]
    assert '<a href="mailto:contact@pairs-rhone.example">contact@pairs-rhone.example</a>' in section
    assert "Pairs Test Ain : 04 74 00 00 00" in section
    assert "Pairs Sans Contact" not in section


def test_without_any_platform_contact_the_statement_still_says_whom_to_tell(db: Any) -> None:
    text = page(Client().get(ACCESSIBILITY))
    assert "Écrivez à l'équipe de la plateforme de votre territoire." in text


def test_the_statement_is_readable_signed_in_too(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PERSON, platform)
    response = client.get(ACCESSIBILITY)
    assert response.status_code == 200 and "partiellement conforme" in page(response)
