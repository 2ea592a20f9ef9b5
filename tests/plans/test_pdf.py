"""The printable PDF of a finalised version: real text on every page, who may download it, the
journal. WeasyPrint needs Pango: without it these tests are skipped, except in CI where they fail."""

from __future__ import annotations

import io
import os
import re
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pairs.core.pdf import RunningText, css_string, running_css, unavailable_reason
from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import PeerProfile
from pairs.plans.models import PlanSignature, SignatureRole
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import SAMPLE, finalise, plan_for
from tests.support.factories import person_of

MISSING_SKIP_REASON = "WeasyPrint cannot load here (Pango absent?): PDF tests skipped (apt-get install libpango-1.0-0)"
NOTICE = "Document sans valeur juridique contraignante — voir la personne de confiance (art. L1111-6 CSP)"


def require_pdf() -> None:
    """Skip when WeasyPrint cannot be loaded, except in CI (``CI=true``) where it is an error."""
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"WeasyPrint is required in CI: {reason}", pytrace=False)
        pytest.skip(MISSING_SKIP_REASON)


@pytest.fixture(autouse=True)
def _pdf_ready() -> None:
    require_pdf()


def pages_text(content: bytes) -> list[str]:
    """The text of each page, with line breaks and repeated spaces folded into single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


LONG = {
    **SAMPLE,
    "identity": {"name": "Sam", "about": "J'aime marcher le matin au bord du Rhône."},
    "contacts": {
        "people": [
            {"name": "Louis Bernard", "role": "Nourrit le chat", "phone": "06 11 22 33 44"},
            {"name": "Nadia Petit", "role": "Prévient mon travail", "phone": "06 55 66 77 88"},
        ]
    },
    "treatments": {"avoid": [{"name": "Traitement X", "effect": "Fatigue forte", "remarks": "À éviter"}]},
    "notes": {"text": "\n".join(f"Ligne de note numéro {n}, assez longue pour remplir la page." for n in range(60))},
}


def _peer_of(membership: Any) -> PeerProfile:
    return PeerProfileFactory(membership=membership)


def _finalised(platform: Platform, content: dict[str, Any], **person: Any) -> Any:
    plan = plan_for(person_of(platform, **person), content=content)
    version = finalise(plan, content)
    version.place = "Villeurbanne"
    version.finalised_at = timezone.make_aware(datetime(2026, 3, 3, 11, 0))
    version.save(update_fields=["place", "finalised_at"])
    return plan, version


def _url(plan: Any, version: Any) -> str:
    return reverse("plans:version_pdf", kwargs={"plan_id": plan.pk, "version_id": version.pk})


def test_the_person_downloads_every_filled_section_with_version_date_and_notice_on_every_page(
    platform: Platform, client_as: Any
) -> None:
    client, membership = client_as(Role.PERSON, platform)
    plan, version = _finalised(platform, LONG, membership=membership)
    PlanSignature.objects.create(
        version=version,
        role=SignatureRole.PERSON,
        name="Sam",
        user=membership.user,
        confirmed_at=timezone.make_aware(datetime(2026, 3, 3, 11, 5)),
    )
    PlanSignature.objects.create(
        version=version,
        role=SignatureRole.PEER_WORKER,
        name="Jo Pair",
        confirmed_at=timezone.make_aware(datetime(2026, 3, 4, 9, 0)),
    )

    response = client.get(_url(plan, version))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan-de-crise-version-1.pdf"'
    assert "no-store" in response["Cache-Control"]
    pages = pages_text(response.content)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Version 1 du 3 mars 2026" in text, number
        assert NOTICE in text, number
        assert f"Page {number} sur {len(pages)}" in text
    whole = " ".join(pages)
    assert "Mon plan de crise — directives anticipées" in whole
    assert "Sam" in whole  # the name chosen in the identity section
    for title in (
        "Qui je suis",
        "Ma personne de confiance",
        "Les autres personnes à prévenir",
        "Les signes que je vais moins bien",
        "Ce qui m'aide, ce qui ne m'aide pas",
        "Traitements et allergies",
        "Notes libres",
    ):
        assert title in whole
    assert "Claire Martin" in whole and "06 39 98 10 20" in whole
    assert "Je dors moins de quatre heures" in whole
    assert "Une pièce calme, qu'on me parle doucement." in whole
    assert "Louis Bernard" in whole and "Nourrit le chat" in whole
    assert "Traitement X" in whole and "Fatigue forte" in whole
    assert "Ligne de note numéro 59" in whole
    # Sections left empty are not printed; the full non-binding statement is.
    assert "Ce qui peut déclencher une crise" not in whole
    assert "article L1111-6 du Code de la santé publique" in whole
    assert "Confirmé par Sam (La personne) le 3 mars 2026" in whole
    assert "Confirmé par Jo Pair (Le ou la pair aidant·e) le 4 mars 2026" in whole
    assert "Fait à Villeurbanne le 3 mars 2026" in whole
    # The person's own download is not an access by someone else.
    assert not JournalEntry.objects.filter(object_type="plans.planversion", object_id=str(version.pk)).exists()


def test_the_pdf_is_tagged_in_french_with_a_title(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    plan, version = _finalised(platform, SAMPLE, membership=membership)

    reader = PdfReader(io.BytesIO(client.get(_url(plan, version)).content))

    root: Any = reader.root_object
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata is not None and reader.metadata.title == "Mon plan de crise — version 1"


def test_the_pseudonym_is_used_when_no_name_was_chosen(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    plan, version = _finalised(platform, SAMPLE, membership=membership, pseudonym="Camille")

    whole = " ".join(pages_text(client.get(_url(plan, version)).content))

    assert "Camille" in whole
    assert "Fait à Villeurbanne le 3 mars 2026" in whole
    assert "Aucune confirmation enregistrée pour cette version." in whole


def test_the_peer_worker_downloads_it_and_the_read_is_journaled(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    plan, version = _finalised(platform, SAMPLE, peer=_peer_of(membership))

    response = client.get(_url(plan, version))

    assert response.status_code == 200
    assert "Je dors moins de quatre heures" in " ".join(pages_text(response.content))
    entry = JournalEntry.objects.get(object_type="plans.planversion", object_id=str(version.pk))
    assert entry.action == Action.VIEW
    assert entry.actor == membership.user
    assert entry.fields == []


def test_a_coordinator_without_team_sharing_gets_404(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    plan, version = _finalised(platform, SAMPLE)

    assert client.get(_url(plan, version)).status_code == 404
    assert not JournalEntry.objects.filter(object_type="plans.planversion").exists()


def test_a_coordinator_reads_it_once_shared_with_the_team(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    plan, version = _finalised(platform, SAMPLE)
    plan.shared_with_team = True
    plan.save(update_fields=["shared_with_team"])

    response = client.get(_url(plan, version))

    assert response.status_code == 200
    assert "Claire Martin" in " ".join(pages_text(response.content))
    assert JournalEntry.objects.filter(object_type="plans.planversion", object_id=str(version.pk)).count() == 1


def test_a_draft_or_another_plans_version_gets_404(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    plan, _version = _finalised(platform, SAMPLE, membership=membership)
    draft = plan.versions.get(number=None)
    other_plan, other_version = _finalised(platform, SAMPLE)

    assert client.get(_url(plan, draft)).status_code == 404
    assert client.get(_url(plan, other_version)).status_code == 404
    assert client.get(_url(other_plan, other_version)).status_code == 404


def test_another_peer_worker_gets_404(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    _peer_of(membership)
    plan, version = _finalised(platform, SAMPLE)

    assert client.get(_url(plan, version)).status_code == 404


def test_only_get_is_answered(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PERSON, platform)
    plan, version = _finalised(platform, SAMPLE, membership=membership)

    assert client.post(_url(plan, version)).status_code == 405


def test_running_text_is_escaped_into_css_strings() -> None:
    assert css_string('a "b" \\ c\nd') == '"a \\22 b\\22  \\5c  c\\a d"'
    css = running_css(RunningText(top_left="Version 1", bottom="Note", page_label="Page %(page)s sur %(pages)s"))
    assert '@top-left { content: "Version 1"; }' in css
    assert '@top-right { content: "Page " counter(page) " sur " counter(pages); }' in css
    assert '@bottom-center { content: "Note"; }' in css


def test_printing_reads_local_files_and_data_urls_only(tmp_path: Any) -> None:
    from pairs.core.pdf import _local_fetcher

    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "style.css").write_text("p { color: black }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("nope", encoding="utf-8")
    fetcher = _local_fetcher((inside.resolve(),))

    assert fetcher((inside / "style.css").as_uri()).read() == b"p { color: black }"
    assert fetcher("data:text/plain,bonjour").read() == b"bonjour"
    for refused in (
        (tmp_path / "secret.txt").as_uri(),
        (inside / ".." / "secret.txt").as_uri(),
        "https://exemple.org/a.png",
    ):
        with pytest.raises(ValueError):
            fetcher(refused)
