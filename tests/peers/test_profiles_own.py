"""The worker's own profile: presentation, languages, experience, skills, photo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories_profiles import SkillFactory, peer

URL = "/ma-fiche/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def body(response: Any) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "presentation": "Bonjour, je suis pair aidante.",
        "languages": "",
        "background": "",
        "experiential_themes": "",
        "skills": [],
    }
    data.update(overrides)
    return data


def test_own_profile_edit_cleans_languages_and_unpublishes(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership, presentation="Ancienne version.", presentation_published=True)
    skill = SkillFactory(platform=platform, name="Écoute")

    text = body(client.get(URL))
    assert "Si vous modifiez votre présentation, elle n'est plus publiée" in text
    assert "aucun diagnostic n'est demandé" in text

    response = client.post(
        URL,
        _data(languages=" français, Arabe ,arabe,, langue des signes  française ", skills=[skill.pk]),
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.languages == ["français", "Arabe", "langue des signes française"]
    assert profile.presentation == "Bonjour, je suis pair aidante." and not profile.presentation_published
    assert list(profile.skills.all()) == [skill]
    entry = JournalEntry.objects.filter(action=Action.UPDATE, object_type="peers.peerprofile").latest("id")
    assert entry.fields == ["languages", "presentation", "presentation_published", "skills"]
    assert "Pas encore publiée" in body(client.get(f"/vivier/{profile.pk}/"))


def test_unchanged_presentation_stays_published(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership, presentation="Bonjour.", presentation_published=True)
    response = client.post(URL, _data(presentation="Bonjour.", background="Ancienne comptable."))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.presentation_published and profile.background == "Ancienne comptable."


def test_photo_png_is_stored_under_a_random_name(platform: Platform, client_as: Any, media: Path) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    photo = SimpleUploadedFile("Jeanne Dupont.png", PNG, content_type="image/png")

    response = client.post(URL, {**_data(), "photo": photo})

    assert response.status_code == 302
    profile.refresh_from_db()
    name = profile.photo.name or ""
    assert name.startswith("peers/photos/") and name.endswith(".png")
    assert "Dupont" not in name
    assert (media / name).read_bytes() == PNG
    text = body(client.get(URL))
    assert "Votre photo actuelle" in text and "Supprimer ma photo" in text


def test_photo_removed_on_request(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    client.post(URL, {**_data(), "photo": SimpleUploadedFile("moi.jpg", JPEG, content_type="image/jpeg")})
    profile.refresh_from_db()
    stored = media / (profile.photo.name or "")
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**_data(), "remove_photo": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.photo and not stored.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.gif", b"GIF89a" + b"\x00" * 20, "La photo doit être un fichier JPEG ou PNG"),
        ("photo.png", b"not really an image", "pas une image JPEG ou PNG lisible"),
        ("photo.jpg", b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024), "2 Mo au plus"),
    ],
)
def test_bad_photo_is_refused(
    name: str, content: bytes, message: str, platform: Platform, client_as: Any, media: Path
) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    response = client.post(URL, {**_data(presentation="Nouvelle"), "photo": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    text = body(response)
    assert message in text
    assert "Nouvelle" in text  # what was typed is kept
    profile.refresh_from_db()
    assert not profile.photo and profile.presentation == ""
    assert not any(media.rglob("*.*"))


def test_skill_of_another_platform_is_refused(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    elsewhere = SkillFactory(platform=other_platform, name="Ailleurs")
    response = client.post(URL, _data(skills=[elsewhere.pk]))
    assert response.status_code == 200
    assert not profile.skills.exists()
