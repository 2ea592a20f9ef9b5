"""The library: adding documents (type-checked, size-limited uploads, or links), changing and removing
them, who sees what, downloads, the public page, the hosting-prerequisites PDF."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from pairs.journal.models import JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.resources.models import Audience, Document, Topic, Visibility
from pairs.resources.services import library as writes
from tests.deployments.factories import PrerequisiteTemplateFactory
from tests.factories import UserFactory
from tests.plans.test_pdf import pages_text, require_pdf
from tests.resources.factories import DocumentFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MB = 1024 * 1024


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str = "Guide d'accueil.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Guide d'accueil d'un pair aidant",
        "summary": "Ce que l'équipe prépare avant l'arrivée.",
        "topic": Topic.HOSTING,
        "audience": Audience.PROFESSIONALS,
        "visibility": Visibility.PARTNERS,
        "url": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def body(response: Any) -> str:
    return str(response.content.decode())


def downloaded(response: Any) -> bytes:
    """The streamed file of a download, then the response closed as a server would, without letting
    the end-of-request signal close the test's database connection (as the test client does)."""
    content = b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return content


def download_status(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code == 200:
        downloaded(response)
    return int(response.status_code)


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def file_document(platform: Platform, **kwargs: Any) -> Document:
    """A document holding a stored PDF, through the service (the factory makes links)."""
    values: dict[str, Any] = {
        "title": "Document fictif",
        "summary": "",
        "topic": Topic.PROFESSION,
        "audience": Audience.EVERYONE,
        "visibility": Visibility.PUBLIC,
        "upload": upload("document.pdf"),
        "url": "",
    }
    values.update(kwargs)
    return writes.document_create(request=None, platform=platform, by=UserFactory(), **values)


# ---- Adding a document


def test_a_coordinator_adds_a_pdf_and_it_downloads_under_its_name(
    platform: Platform, client_as: Any, media: Path
) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    page = body(client.get("/bibliotheque/"))
    assert "Ajouter un document" in page and "/bibliotheque/ajouter/" in page
    assert "Liste des prérequis d'accueil (PDF)" in page
    assert 'enctype="multipart/form-data"' in body(client.get("/bibliotheque/ajouter/"))

    response = client.post("/bibliotheque/ajouter/", {**form_data(), "file": upload()})

    assert response.status_code == 302
    assert response["Location"] == "/bibliotheque/"
    saved = Document.objects.get(platform=platform)
    assert re.fullmatch(r"resources/[0-9a-f]{32}\.pdf", saved.file.name)
    assert (saved.file_name, saved.file_size, saved.url) == ("Guide d'accueil.pdf", len(PDF), "")
    assert saved.added_by_id == membership.user_id and len(saved.token) == 43
    assert saved.search is not None
    assert [path.read_bytes() for path in stored_files(media)] == [PDF]
    entry = JournalEntry.objects.get(action="create", object_type="resources.document")
    assert entry.object_id == str(saved.pk)
    assert {"title", "visibility", "file", "file_name"} <= set(entry.fields) and "url" not in entry.fields

    page = body(client.get("/bibliotheque/"))
    assert "Le document « Guide d&#x27;accueil d&#x27;un pair aidant » est ajouté." in page
    assert f'href="/bibliotheque/{saved.pk}/telecharger/"' in page
    assert "PDF, 1 Ko" in page
    assert "Partenaires et équipe de la plateforme" in page  # the visibility badge, for coordinators
    assert f'href="/bibliotheque/{saved.pk}/"' in page and "Modifier" in page

    download = client.get(f"/bibliotheque/{saved.pk}/telecharger/")
    assert download.status_code == 200
    assert downloaded(download) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Guide" in download["Content-Disposition"] and ".pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert client.post(f"/bibliotheque/{saved.pk}/telecharger/").status_code == 405


def test_a_link_document_shows_its_domain_and_opens_normally(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    response = client.post(
        "/bibliotheque/ajouter/", form_data(url="https://www.exemple-psy.test/guides/pair-aidance", visibility="public")
    )
    assert response.status_code == 302
    saved = Document.objects.get(platform=platform)
    assert not saved.file and saved.url == "https://www.exemple-psy.test/guides/pair-aidance"

    page = body(client.get("/bibliotheque/"))
    link = re.search(r'<a href="https://www.exemple-psy.test/guides/pair-aidance"([^>]*)>', page)
    assert link is not None and "target" not in link.group(1)
    assert "Lien vers exemple-psy.test" in page
    assert client.get(f"/bibliotheque/{saved.pk}/telecharger/").status_code == 404


def test_office_documents_and_images_are_accepted_by_content(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    xlsx = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 32
    for index, (name, content) in enumerate(
        [("fiche.odt", odt), ("fiche.docx", docx), ("tableau.xlsx", xlsx), ("affiche.jpg", jpeg), ("logo.png", PNG)]
    ):
        response = client.post(
            "/bibliotheque/ajouter/", {**form_data(title=f"Modèle {index}"), "file": upload(name, content)}
        )
        assert response.status_code == 302, body(response)
    assert sorted(Document.objects.values_list("file_name", flat=True)) == [
        "affiche.jpg",
        "fiche.docx",
        "fiche.odt",
        "logo.png",
        "tableau.xlsx",
    ]
    page = body(client.get("/bibliotheque/"))
    assert "ODT, 1 Ko" in page and "JPEG, 1 Ko" in page and "XLSX, 1 Ko" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "installer.exe",
            b"MZ\x90\x00" + b"\x00" * 64,
            "Ce type de fichier n&#x27;est pas accepté : PDF, ODT, DOCX, ODS, XLSX, PNG ou JPEG seulement.",
        ),
        (
            "guide.pdf",
            PNG,
            "Le contenu de ce fichier n&#x27;est pas celui d&#x27;un fichier PDF : il est abîmé, ou a été renommé.",
        ),
        (
            "fiche.docx",
            zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "Le contenu de ce fichier n&#x27;est pas celui d&#x27;un fichier DOCX",
        ),
        (
            "fiche.odt",
            zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "Le contenu de ce fichier n&#x27;est pas celui d&#x27;un fichier ODT",
        ),
        ("gros.pdf", PDF + b"0" * (10 * MB), "Le fichier est trop lourd : 10 Mo au plus."),
    ],
)
def test_a_refused_file_keeps_the_other_fields_and_saves_nothing(
    platform: Platform, client_as: Any, media: Path, name: str, content: bytes, message: str
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    response = client.post("/bibliotheque/ajouter/", {**form_data(), "file": upload(name, content)})

    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert "Choisissez à nouveau le fichier." in page
    assert 'value="Guide d&#x27;accueil d&#x27;un pair aidant"' in page
    assert "Ce que l&#x27;équipe prépare avant l&#x27;arrivée." in page
    assert '<option value="hosting" selected>' in page
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_exactly_one_of_a_file_and_a_link(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    both = client.post("/bibliotheque/ajouter/", {**form_data(url="https://exemple.test/guide"), "file": upload()})
    assert both.status_code == 200
    page = body(both)
    assert "Un document est un fichier ou un lien, pas les deux" in page
    assert "Le fichier n'a pas été enregistré : choisissez-le à nouveau" in page
    assert 'value="https://exemple.test/guide"' in page

    neither = client.post("/bibliotheque/ajouter/", form_data())
    assert neither.status_code == 200
    assert "Choisissez un fichier, ou indiquez un lien." in body(neither)

    missing = client.post("/bibliotheque/ajouter/", form_data(title="", topic="", url="https://exemple.test/guide"))
    assert "Indiquez le titre du document." in body(missing) and "Choisissez un thème." in body(missing)
    assert not Document.objects.exists() and stored_files(media) == []


# ---- Changing and removing a document


def test_a_new_file_replaces_the_stored_one(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    document = file_document(platform, title="Kit de recrutement", visibility=Visibility.PEERS)
    old_name = document.file.name
    page = body(client.get(f"/bibliotheque/{document.pk}/"))
    assert 'value="Kit de recrutement"' in page and "document.pdf" in page and "Retirer ce document" in page

    new_pdf = PDF + b"% version 2\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bibliotheque/{document.pk}/",
            {**form_data(title="Kit de recrutement 2026"), "file": upload("kit-2026.pdf", new_pdf)},
        )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file.name != old_name and document.file_name == "kit-2026.pdf"
    assert [path.read_bytes() for path in stored_files(media)] == [new_pdf]
    entry = JournalEntry.objects.get(action="update", object_type="resources.document")
    assert {"title", "file", "file_name", "file_size", "visibility"} <= set(entry.fields)


def test_editing_without_a_file_keeps_it_and_a_link_replaces_it(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    document = file_document(platform, title="Guide")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/bibliotheque/{document.pk}/", form_data(title="Guide revu")).status_code == 302
    document.refresh_from_db()
    assert document.title == "Guide revu" and document.file and len(stored_files(media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bibliotheque/{document.pk}/", form_data(title="Guide revu", url="https://exemple.test")
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.file and document.file_name == "" and document.url == "https://exemple.test"
    assert stored_files(media) == []


def test_removing_a_document_asks_for_confirmation_and_deletes_its_file(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    document = file_document(platform, title="Ancien guide")

    unconfirmed = client.post(f"/bibliotheque/{document.pk}/", {"action": "delete"})
    assert unconfirmed.status_code == 200
    assert "Cochez la case pour confirmer le retrait du document." in body(unconfirmed)
    assert Document.objects.filter(pk=document.pk).exists() and len(stored_files(media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bibliotheque/{document.pk}/", {"action": "delete", "confirm": "on"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert stored_files(media) == []
    assert JournalEntry.objects.filter(action="delete", object_type="resources.document", object_id=str(document.pk))
    assert "Le document « Ancien guide » est retiré de la bibliothèque." in body(client.get("/bibliotheque/"))


def test_only_coordinators_manage_the_library(platform: Platform, client_as: Any) -> None:
    document = DocumentFactory(platform=platform)
    for role in (Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON):
        client, _membership = client_as(role, platform)
        page = body(client.get("/bibliotheque/"))
        assert "Ajouter un document" not in page and f'href="/bibliotheque/{document.pk}/"' not in page
        assert client.get("/bibliotheque/ajouter/").status_code == 403
        assert client.post("/bibliotheque/ajouter/", form_data(url="https://exemple.test")).status_code == 403
        assert client.get(f"/bibliotheque/{document.pk}/").status_code == 403
    assert Document.objects.count() == 1


def test_another_platforms_document_is_not_found(
    platform: Platform, other_platform: Platform, client_as: Any, media: Path
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = file_document(other_platform, title="Ailleurs")
    assert client.get(f"/bibliotheque/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/bibliotheque/{elsewhere.pk}/", {"action": "delete", "confirm": "on"}).status_code == 404
    assert client.get(f"/bibliotheque/{elsewhere.pk}/telecharger/").status_code == 404
    assert "Ailleurs" not in body(client.get("/bibliotheque/"))
    peer_client, _peer = client_as(Role.PEER_WORKER, platform)
    assert peer_client.get(f"/bibliotheque/{elsewhere.pk}/").status_code == 404
    assert Document.objects.filter(pk=elsewhere.pk).exists()


# ---- Who sees what


@pytest.fixture
def one_of_each(platform: Platform) -> dict[str, Document]:
    return {
        visibility: DocumentFactory(platform=platform, title=f"Document {visibility}", visibility=visibility)
        for visibility in Visibility.values
    }


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        (Role.COORDINATOR, {"public", "partners", "peers", "staff"}),
        (Role.PEER_WORKER, {"public", "partners", "peers"}),
        (Role.PARTNER_CONTACT, {"public", "partners"}),
        (Role.PERSON, {"public"}),
        (Role.FUNDER, {"public"}),
    ],
)
def test_each_role_sees_its_documents(
    platform: Platform, client_as: Any, one_of_each: dict[str, Document], role: Role, seen: set[str]
) -> None:
    client, _membership = client_as(role, platform)
    page = body(client.get("/bibliotheque/"))
    assert {visibility for visibility in Visibility.values if f"Document {visibility}<" in page} == seen
    assert ("Liste des prérequis" in page) == (role in (Role.COORDINATOR, Role.PEER_WORKER, Role.PARTNER_CONTACT))
    assert ("Équipe de la plateforme seulement" in page) == (role == Role.COORDINATOR)


def test_a_file_the_role_may_not_see_is_not_found(platform: Platform, client_as: Any, media: Path) -> None:
    peers_only = file_document(platform, title="Pour les pairs", visibility=Visibility.PEERS)
    staff_only = file_document(platform, title="Pour l'équipe", visibility=Visibility.STAFF)
    partners = file_document(platform, title="Pour les partenaires", visibility=Visibility.PARTNERS)

    partner, _contact = client_as(Role.PARTNER_CONTACT, platform)
    assert download_status(partner, f"/bibliotheque/{peers_only.pk}/telecharger/") == 404
    assert download_status(partner, f"/bibliotheque/{partners.pk}/telecharger/") == 200
    peer, _peer = client_as(Role.PEER_WORKER, platform)
    assert download_status(peer, f"/bibliotheque/{staff_only.pk}/telecharger/") == 404
    assert download_status(peer, f"/bibliotheque/{peers_only.pk}/telecharger/") == 200
    person, _person = client_as(Role.PERSON, platform)
    assert download_status(person, f"/bibliotheque/{partners.pk}/telecharger/") == 404


def test_the_public_page_shows_public_documents_to_anyone(
    platform: Platform, other_platform: Platform, client_as: Any, one_of_each: dict[str, Document], media: Path
) -> None:
    public_file = file_document(platform, title="Fiche publique", visibility=Visibility.PUBLIC)
    partners_file = file_document(platform, title="Fiche partenaires", visibility=Visibility.PARTNERS)
    DocumentFactory(platform=other_platform, title="Document d'ailleurs")

    page = body(Client().get("/ressources/test-rhone/"))
    assert "Document public<" in page and "Fiche publique" in page
    assert "Document partners" not in page and "Document peers" not in page and "Document staff" not in page
    assert "Fiche partenaires" not in page and "Document d&#x27;ailleurs" not in page
    assert f'href="/ressources/fichier/{public_file.token}/"' in page
    assert "Modifier" not in page and "Public</span>" not in page

    download = Client().get(f"/ressources/fichier/{public_file.token}/")
    assert download.status_code == 200 and downloaded(download) == PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" not in download.get("Cache-Control", "")
    assert Client().get(f"/ressources/fichier/{partners_file.token}/").status_code == 404
    assert Client().get(f"/ressources/fichier/{one_of_each['public'].token}/").status_code == 404  # a link
    assert Client().get("/ressources/fichier/inconnu/").status_code == 404
    assert Client().get("/ressources/inconnue/").status_code == 404

    # Signed in to another platform, the public page and link still show this platform's documents.
    elsewhere, _membership = client_as(Role.COORDINATOR, other_platform)
    assert "Fiche publique" in body(elsewhere.get("/ressources/test-rhone/"))
    assert download_status(elsewhere, f"/ressources/fichier/{public_file.token}/") == 200


# ---- Many documents


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_lists_do_not_grow_in_queries(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    file_document(platform, title="Fichier 0")
    DocumentFactory(platform=platform)
    few = (_queries(client, "/bibliotheque/"), _queries(Client(), "/ressources/test-rhone/"))
    few_search = _queries(client, "/bibliotheque/?q=guide&topic=profession")
    for index in range(9):
        file_document(platform, title=f"Fichier {index + 1}")
    DocumentFactory.create_batch(9, platform=platform)
    assert (_queries(client, "/bibliotheque/"), _queries(Client(), "/ressources/test-rhone/")) == few
    assert _queries(client, "/bibliotheque/?q=guide&topic=profession") == few_search


def test_the_list_is_paginated_by_fifty(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PEER_WORKER, platform)
    DocumentFactory.create_batch(51, platform=platform)
    page = body(client.get("/bibliotheque/"))
    assert "51 documents" in page and page.count("exemple.test/guide") == 50
    assert "Page 1 sur 2" in page
    assert body(client.get("/bibliotheque/?page=2")).count("exemple.test/guide") == 1


# ---- The hosting-prerequisites checklist


def test_the_prerequisites_pdf_lists_the_platforms_checklist(platform: Platform, client_as: Any) -> None:
    require_pdf()
    PrerequisiteTemplateFactory(platform=platform, position=1, label="Un référent est désigné dans l'équipe")
    PrerequisiteTemplateFactory(platform=platform, position=2, label="Un bureau est prévu", required=False)
    client, _membership = client_as(Role.PARTNER_CONTACT, platform)

    response = client.get("/bibliotheque/prerequis-accueil.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="prerequis-accueil-pair-aidant.pdf"'
    text = " ".join(pages_text(response.content))
    assert "Accueillir un·e pair aidant·e : les prérequis" in text
    assert "Pairs Test Rhône" in text
    assert text.index("Un référent est désigné dans l'équipe") < text.index("Un bureau est prévu (recommandé)")
    assert date_format(timezone.localdate(), "j F Y") in text


def test_the_prerequisites_pdf_falls_back_to_the_default_checklist(platform: Platform, client_as: Any) -> None:
    require_pdf()
    client, _membership = client_as(Role.PEER_WORKER, platform)
    response = client.get("/bibliotheque/prerequis-accueil.pdf")
    assert response.status_code == 200
    assert "La direction et l'encadrement soutiennent le projet" in " ".join(pages_text(response.content))


def test_persons_and_funders_do_not_get_the_prerequisites_pdf(platform: Platform, client_as: Any) -> None:
    for role in (Role.PERSON, Role.FUNDER):
        client, _membership = client_as(role, platform)
        assert client.get("/bibliotheque/prerequis-accueil.pdf").status_code == 403
