from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories import PeerProfileFactory

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)


def _with_photo(platform: Platform, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    profile = PeerProfileFactory(membership__platform=platform)
    profile.photo.save("x.png", ContentFile(PNG), save=True)
    return profile


def test_the_worker_and_the_coordination_see_the_photo(
    platform: Platform, client_as: Any, settings: Any, tmp_path: Any
) -> None:
    profile = _with_photo(platform, settings, tmp_path)
    coordinator, _ = client_as(Role.COORDINATOR, platform)
    response = coordinator.get(f"/vivier/{profile.pk}/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert "no-store" in response["Cache-Control"]
    page = coordinator.get(f"/vivier/{profile.pk}/").content.decode()
    assert f'src="/vivier/{profile.pk}/photo/"' in page and "Photo de " in page


def test_a_colleague_cannot_fetch_the_photo(platform: Platform, client_as: Any, settings: Any, tmp_path: Any) -> None:
    profile = _with_photo(platform, settings, tmp_path)
    colleague, membership = client_as(Role.PEER_WORKER, platform)
    PeerProfileFactory(membership=membership)
    assert colleague.get(f"/vivier/{profile.pk}/photo/").status_code == 404


def test_no_photo_answers_404(platform: Platform, client_as: Any) -> None:
    profile = PeerProfileFactory(membership__platform=platform)
    coordinator, _ = client_as(Role.COORDINATOR, platform)
    assert coordinator.get(f"/vivier/{profile.pk}/photo/").status_code == 404
