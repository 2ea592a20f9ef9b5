"""Oversized requests: a calm French 413 page instead of Django's 400, nothing saved, whichever part
of the application reads the body first (the CSRF check for a browser, the form itself otherwise)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client

from pairs.platforms.models import Platform
from pairs.support.models import SupportRequest
from tests.factories import commune
from tests.support.test_public_request import FORM, valid

MESSAGE = "Le fichier ou le formulaire envoyé est trop volumineux."
URLENCODED = "application/x-www-form-urlencoded"


def oversized(**overrides: Any) -> dict[str, Any]:
    """The public form with a text longer than the limit on what a form may send."""
    return valid(looking_for="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), **overrides)


def assert_too_large(response: Any) -> None:
    assert response.status_code == 413
    page = response.content.decode().replace("&#x27;", "'")
    assert '<html lang="fr">' in page and MESSAGE in page and "Retour à l'accueil" in page
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not SupportRequest.objects.exists()


def test_the_limit_fits_under_the_proxy_limit() -> None:
    # nginx refuses bodies over 6 MiB (client_max_body_size 6m, README): the application's own limit
    # on form data is lower, so the visitor sees this French page rather than nginx's.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 6 * 1024 * 1024


def test_a_browser_posting_too_much_to_a_public_form_gets_the_french_413(platform: Platform) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get(FORM)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(FORM, urlencode(oversized(csrfmiddlewaretoken=token), doseq=True), content_type=URLENCODED)
    assert_too_large(response)


def test_form_fields_too_large_in_an_upload_form_get_the_413_too(platform: Platform) -> None:
    # The test client sends multipart data and skips the CSRF check: the form reads the body itself.
    assert_too_large(Client().post(FORM, oversized()))


def test_a_request_within_the_limit_is_handled_as_usual(platform: Platform) -> None:
    commune()
    data = valid()
    body = urlencode(data, doseq=True)
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = Client().post(FORM, body, content_type=URLENCODED)
    assert response.status_code == 302
    assert SupportRequest.objects.count() == 1


def test_a_large_body_on_a_page_that_does_not_read_it_is_refused_before_any_work(db: Any) -> None:
    response = Client().post(
        "/healthz/", "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), content_type="application/json"
    )
    assert response.status_code == 413
