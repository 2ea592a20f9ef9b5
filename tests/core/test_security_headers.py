"""The security headers a browser receives on representative pages: a nonce-based CSP without
'unsafe-inline', no framing, referrer and permissions policies, no MIME sniffing, no caching of
personal pages, and HSTS under the production settings."""

from __future__ import annotations

import os
import re
import runpy
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from pairs.core.pdf import unavailable_reason
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.plans.factories import finalise, make_plan, plan_for, share
from tests.support.factories import person_of

PERSONAL = "no-store"


def directives(response: Any) -> dict[str, list[str]]:
    csp = response["Content-Security-Policy"]
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_secure_headers(response: Any) -> None:
    csp = directives(response)
    nonces = [word for word in csp["script-src"] if word.startswith("'nonce-")]
    assert len(nonces) == 1, csp["script-src"]
    for name in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[name] and "'unsafe-eval'" not in csp[name], name
    assert csp["style-src"] == ["'self'", nonces[0]]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_page_uses_the_nonce(response: Any) -> None:
    """Every script and style element of the page carries the nonce of its header (else the browser
    would block it), and no inline handler or style attribute relies on 'unsafe-inline'."""
    nonce = directives(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    page = response.content.decode()
    tags = re.findall(r"<(?:script|style)\b[^>]*>", page)
    assert tags, "no script on the page"
    for tag in tags:
        assert f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page), "inline event handler"
    assert not re.search(r"<[^>]+\sstyle\s*=", page), "inline style attribute"


def assert_not_cached(response: Any) -> None:
    assert PERSONAL in response["Cache-Control"] and "private" in response["Cache-Control"]


def assert_cacheable_by_nobody_else(response: Any) -> None:
    """A public page: never marked no-store needlessly, never shared with a personal one."""
    assert PERSONAL not in response.get("Cache-Control", "")


def test_the_landing_and_login_pages(db: Any) -> None:
    for url in ("/", reverse("accounts:login")):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        assert_page_uses_the_nonce(response)
        assert_cacheable_by_nobody_else(response)


def test_each_response_has_its_own_nonce(db: Any) -> None:
    client = Client()
    first = directives(client.get("/"))["script-src"][1]
    second = directives(client.get("/"))["script-src"][1]
    assert first != second


def test_a_coordinator_page_is_never_cached(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    for url in ("/", reverse("plans:list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        assert_page_uses_the_nonce(response)
        assert_not_cached(response)


def test_a_persons_page_is_never_cached(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    plan = plan_for(person_of(platform, membership=membership))
    finalise(plan)
    for url in ("/", reverse("plans:detail", kwargs={"plan_id": plan.pk})):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        assert_page_uses_the_nonce(response)
        assert_not_cached(response)


def test_a_token_page_is_never_cached_even_without_an_account(platform: Platform) -> None:
    item = share(make_plan(platform))
    response = Client().get(reverse("plans:share_open", kwargs={"share_token": item.token}))
    assert response.status_code == 200
    assert_secure_headers(response)
    assert_page_uses_the_nonce(response)
    assert_not_cached(response)


def test_a_pdf_download_is_never_cached(platform: Platform, client_as: Any) -> None:
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"WeasyPrint is required in CI: {reason}", pytrace=False)
        pytest.skip("WeasyPrint cannot load here")
    client, membership = client_as(Role.PERSON, platform)
    plan = plan_for(person_of(platform, membership=membership))
    version = finalise(plan)
    response = client.get(reverse("plans:version_pdf", kwargs={"plan_id": plan.pk, "version_id": version.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_secure_headers(response)
    assert_not_cached(response)


def test_the_health_check_json(db: Any) -> None:
    response = Client().get(reverse("core:healthz"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert_secure_headers(response)
    assert "no-cache" in response["Cache-Control"]


def test_error_pages_carry_the_headers_too(db: Any) -> None:
    response = Client().get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert_secure_headers(response)
    assert_page_uses_the_nonce(response)


# ---- Production settings (the ones `make check-deploy` checks)


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The values of pairs/settings/production.py, loaded with dummy environment variables."""
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("PAIRS_ENCRYPTION_KEYS", "k" * 43 + "=")
    return runpy.run_module("pairs.settings.production")


def test_production_asks_browsers_for_https_for_two_years_on_every_subdomain(
    db: Any, production: dict[str, Any]
) -> None:
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True and production["CSRF_COOKIE_SECURE"] is True
    names = (
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    )
    with override_settings(**{name: production[name] for name in names}):
        response = Client().get("/", secure=True)
    hsts = response["Strict-Transport-Security"]
    found = re.search(r"max-age=(\d+)", hsts)
    assert found is not None, hsts
    max_age = int(found.group(1))
    assert max_age >= 31536000 and "includeSubDomains" in hsts
    assert_secure_headers(response)
    # Plain HTTP never gets it (browsers ignore it there anyway).
    with override_settings(**{name: production[name] for name in names}):
        assert "Strict-Transport-Security" not in Client().get("/")
