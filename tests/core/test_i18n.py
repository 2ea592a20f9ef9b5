from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pairs.i18n_catalogue import PO_FILE, untranslated


def test_every_french_string_has_an_english_translation() -> None:
    assert untranslated() == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext absent (apt-get install gettext)")
def test_the_compiled_catalogue_matches_the_translations(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO_FILE)], check=True)
    assert compiled.read_bytes() == PO_FILE.with_suffix(".mo").read_bytes(), "Run `make messages` and commit django.mo"


def test_a_visitor_language_holds_for_their_request_only(client: Any, db: Any) -> None:
    """A page asked in English does not leave English active for what the same thread does next
    (a background job, an e-mail, the next request)."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()
    assert translation.get_language() == settings.LANGUAGE_CODE
