from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.test import Client

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role


def test_healthz_reports_database_and_job_queue(db: Any) -> None:
    response = Client().get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok" and data["database"] == "ok" and data["job_queue"] == "ok"


def test_pages_carry_a_nonce_csp_and_the_script_uses_it(db: Any) -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp


def test_landing_page_is_french_with_crisis_numbers_and_skip_link(db: Any) -> None:
    body = Client().get("/").content.decode()
    assert '<html lang="fr">' in body and "3114" in body and "Aller au contenu" in body


def test_french_404_page(db: Any) -> None:
    response = Client().get("/cette-page-n-existe-pas/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_each_role_sees_its_own_home(platform: Platform, client_as: Any) -> None:
    expected = {
        Role.COORDINATOR: "Les comptes actifs de la plateforme",
        Role.PEER_WORKER: "Votre espace de pair aidant·e",
        Role.PARTNER_CONTACT: "Votre espace partenaire",
        Role.PERSON: "Votre espace personnel",
        Role.FUNDER: "aucune donnée personnelle",
        Role.NETWORK_ADMIN: "Le réseau des plateformes",
    }
    for role, text in expected.items():
        client, _ = client_as(role, platform)
        assert text in client.get("/").content.decode(), role


def test_funder_home_shows_counts_not_names(platform: Platform, client_as: Any) -> None:
    from tests.factories import MembershipFactory

    person = MembershipFactory(platform=platform, role=Role.PERSON)
    client, _ = client_as(Role.FUNDER, platform)
    body = client.get("/").content.decode()
    assert person.user.email not in body and person.user.first_name not in body.split("<main")[1].split("</main>")[0]


def test_production_settings_refuse_to_start_without_required_variables() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    env["DJANGO_SETTINGS_MODULE"] = "pairs.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS" in result.stderr


def test_demo_outbox_is_hidden_outside_demo_mode(db: Any, settings: Any) -> None:
    settings.DEMO_MODE = False
    assert Client().get("/demo/boite-d-envoi/").status_code == 404


def test_french_by_default_even_for_an_english_browser(db: Any) -> None:
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/")
    assert '<html lang="fr">' in response.content.decode()


def test_language_switch_is_remembered(db: Any) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()
