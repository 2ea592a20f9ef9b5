"""The wallet card of a share: credit-card size, the trusted person's contact and a QR code to the
share's link, and no health information."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pairs.journal.models import Action, JournalEntry
from pairs.plans.models import PlanShare
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import SAMPLE, finalise, plan_for, share
from tests.plans.test_pdf import pages_text, require_pdf
from tests.support.factories import person_of

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(autouse=True)
def _pdf_ready() -> None:
    require_pdf()


def _share_of_person(platform: Platform, membership: Any, content: dict[str, Any] | None = None) -> PlanShare:
    plan = plan_for(person_of(platform, membership=membership))
    return share(plan, finalise(plan, content))


def _url(item: PlanShare) -> str:
    return reverse("plans:share_card", kwargs={"share_id": item.pk})


def test_the_card_holds_the_trusted_person_and_no_health_information(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    item = _share_of_person(platform, membership)

    response = client.get(_url(item))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="carte-en-cas-de-crise.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = " ".join(pages_text(response.content))
    assert "En cas de crise" in text
    assert "Claire Martin" in text and "06 39 98 10 20" in text
    assert "Scanner pour lire mon plan (code envoyé au destinataire)" in text
    for private in ("Je dors moins", "quatre heures", "Une pièce calme", "Ma sœur", item.plan.person.pseudonym):
        assert private not in text
    assert not JournalEntry.objects.filter(action=Action.VIEW, object_type="plans.planversion").exists()


def test_the_card_is_credit_card_sized_with_the_qr_code_of_the_share_link(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    item = _share_of_person(platform, membership)

    reader = PdfReader(io.BytesIO(client.get(_url(item)).content))

    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(85.6 * MM, abs=0.2)  # ≈ 242.6 pt
        assert float(page.mediabox.height) == pytest.approx(54 * MM, abs=0.2)  # ≈ 153.1 pt
    images = reader.pages[0].images
    assert len(images) == 1
    # The image is the QR code of the share's absolute link: compare it module by module.
    link = settings.SITE_URL + reverse("plans:share_open", kwargs={"share_token": item.token})
    matrix = segno.make(link, error="m").matrix
    picture = images[0].image
    assert picture is not None
    picture = picture.convert("L")
    scale, border = 10, 2
    assert picture.size == ((len(matrix) + 2 * border) * scale,) * 2
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            centre = ((column + border) * scale + scale // 2, (row + border) * scale + scale // 2)
            value = picture.getpixel(centre)
            assert isinstance(value, int)
            assert (value < 128) == bool(dark), (row, column)


def test_without_a_trusted_person_the_card_says_so(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    item = _share_of_person(platform, membership, {"warning_signs": SAMPLE["warning_signs"]})

    text = " ".join(pages_text(client.get(_url(item)).content))

    assert "Personne de confiance : non renseignée" in text
    assert "Je dors moins" not in text


def test_the_facilitating_peer_worker_prints_it_and_the_read_is_journaled(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    plan = plan_for(person_of(platform), facilitator=PeerProfileFactory(membership=membership))
    item = share(plan)

    response = client.get(_url(item))

    assert response.status_code == 200
    entry = JournalEntry.objects.get(action=Action.VIEW, object_type="plans.planversion")
    assert entry.object_id == str(item.version_id)
    assert entry.actor == membership.user


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": timezone.now},
        {"locked_at": timezone.now},
        {"expires_at": lambda: timezone.now() - timedelta(minutes=1)},
    ],
    ids=["withdrawn", "locked", "expired"],
)
def test_a_share_no_longer_active_has_no_card(platform: Platform, client_as: Any, change: dict[str, Any]) -> None:
    client, membership = client_as(Role.PERSON, platform)
    item = _share_of_person(platform, membership)
    PlanShare.objects.filter(pk=item.pk).update(**{name: make() for name, make in change.items()})

    assert client.get(_url(item)).status_code == 404


def test_a_revoked_plan_has_no_card(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    item = _share_of_person(platform, membership)
    item.plan.revoked_at = timezone.now()
    item.plan.save(update_fields=["revoked_at"])

    assert client.get(_url(item)).status_code == 404


def test_someone_else_gets_404_and_a_coordinator_403(platform: Platform, client_as: Any) -> None:
    other_person, _ = client_as(Role.PERSON, platform)
    other_peer, peer_membership = client_as(Role.PEER_WORKER, platform)
    PeerProfileFactory(membership=peer_membership)
    coordinator, _ = client_as(Role.COORDINATOR, platform)
    item = share(plan_for(person_of(platform)))

    assert other_person.get(_url(item)).status_code == 404
    assert other_peer.get(_url(item)).status_code == 404
    assert coordinator.get(_url(item)).status_code == 403
    assert not JournalEntry.objects.filter(action=Action.VIEW, object_type="plans.planversion").exists()


def test_only_get_is_answered(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    item = _share_of_person(platform, membership)

    assert client.post(_url(item)).status_code == 405
