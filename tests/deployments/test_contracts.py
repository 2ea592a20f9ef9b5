"""Contracts (conventions): recording them with the signed PDF, bad input, the download."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from pairs.deployments.models import Contract, Deployment, HoursBasis, Pricing, State
from pairs.deployments.services import contracts as writes
from pairs.journal.models import JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import ContractFactory, DeploymentFactory, partner_of
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name: str = "convention.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference": "CONV-2027-014",
        "start_date": "2027-01-04",
        "end_date": "2027-06-30",
        "hours_basis": "weekly",
        "hours": "7",
        "pricing": "hourly",
        "hourly_price": "45,50",
        "flat_fee": "",
        "signed_on": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def body(response: Any) -> str:
    return str(response.content.decode())


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


# ---- Recording a contract


def test_a_coordinator_records_a_contract_with_its_signed_pdf(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)

    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Aucune convention n'est enregistrée pour ce déploiement." in page
    assert f"/deploiements/{deployment.pk}/conventions/" in page
    assert "Ajouter une convention" in body(client.get(f"/deploiements/{deployment.pk}/conventions/"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/deploiements/{deployment.pk}/conventions/",
            {**form_data(signed_on="2025-12-15"), "signed_document": pdf("Convention signée CH.pdf")},
        )

    assert response.status_code == 302
    assert response["Location"] == f"/deploiements/{deployment.pk}/#conventions"
    saved = Contract.objects.get(deployment=deployment)
    assert (saved.reference, saved.hours_basis, saved.hours, saved.pricing) == (
        "CONV-2027-014",
        HoursBasis.WEEKLY,
        Decimal("7.0"),
        Pricing.HOURLY,
    )
    assert saved.hourly_price == Decimal("45.50") and saved.flat_fee is None
    assert saved.platform_id == platform.pk and saved.created_by_id == membership.user_id
    assert re.fullmatch(r"deployments/contracts/[0-9a-f]{32}\.pdf", saved.signed_document.name)
    assert [path.read_bytes() for path in stored_files(media)] == [PDF]
    entry = JournalEntry.objects.get(action="create", object_type="deployments.contract")
    assert entry.object_id == str(saved.pk)
    assert "signed_document" in entry.fields and "hourly_price" in entry.fields and "flat_fee" not in entry.fields

    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "CONV-2027-014" in page
    assert "du 4 janvier 2027 au 30 juin 2027" in page
    assert "7 h par semaine" in page
    assert "45,50 € de l'heure" in page
    assert "15 décembre 2025" in page
    assert f"/conventions/{saved.pk}/document/" in page
    assert f'href="/conventions/{saved.pk}/"' in page


def test_a_flat_fee_clears_the_hourly_price(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.ANALYSIS)

    response = client.post(
        f"/deploiements/{deployment.pk}/conventions/",
        form_data(hours_basis="total", hours="120", pricing="flat", hourly_price="abc", flat_fee="4800"),
    )

    assert response.status_code == 302, body(response)
    saved = Contract.objects.get(deployment=deployment)
    assert (saved.hours_basis, saved.hours, saved.flat_fee, saved.hourly_price) == (
        "total",
        Decimal("120.0"),
        Decimal("4800.00"),
        None,
    )
    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "120 h au total" in page
    assert re.search(r"forfait de 4\s800,00 €", page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2026-12-31"}, "end_date", "La date de fin doit suivre la date de début."),
        ({"hours": "0"}, "hours", "Le nombre d&#x27;heures doit être supérieur à 0."),
        ({"hours": "-3"}, "hours", "Le nombre d&#x27;heures doit être supérieur à 0."),
        ({"hours": "200"}, "hours", "Une semaine compte 168 heures au plus."),
        ({"hourly_price": "-10"}, "hourly_price", "Le montant ne peut pas être négatif."),
        (
            {"hourly_price": ""},
            "hourly_price",
            "Indiquez le prix de l&#x27;heure, puisque le tarif est à l&#x27;heure.",
        ),
        ({"pricing": "flat", "flat_fee": ""}, "flat_fee", "Indiquez le montant du forfait"),
        ({"pricing": "flat", "flat_fee": "-1"}, "flat_fee", "Le montant ne peut pas être négatif."),
        ({"pricing": None}, "pricing", "Choisissez un prix à l&#x27;heure ou un forfait."),
        ({"start_date": "le 4 janvier"}, "start_date", "Indiquez une date valide."),
        ({"hours": "sept"}, "hours", "Écrivez un nombre d&#x27;heures, par exemple 7 ou 3,5."),
        (
            {"signed_on": (date.today() + timedelta(days=30)).isoformat()},
            "signed_on",
            "La date de signature ne peut pas être dans le futur.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_the_form_kept(
    platform: Platform, client_as: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)

    response = client.post(f"/deploiements/{deployment.pk}/conventions/", form_data(**changes))

    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'value="CONV-2027-014"' in page  # what was typed is kept
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            pdf("convention.docx"),
            "La convention signée doit être un fichier PDF (.pdf). Choisissez à nouveau le fichier.",
        ),
        (pdf("faux.pdf", b"MZ\x90\x00 not a pdf"), "Ce fichier n&#x27;est pas un PDF lisible. Choisissez à nouveau"),
        (pdf("vide.pdf", b""), "Ce fichier est vide. Choisissez à nouveau le fichier."),
        (
            pdf("lourd.pdf", PDF + b"0" * writes.CONTRACT_MAX_BYTES),
            "Le fichier est trop lourd : 5 Mo au plus. Choisissez à nouveau le fichier.",
        ),
    ],
)
def test_a_file_that_is_not_a_pdf_or_too_heavy_is_refused(
    platform: Platform, client_as: Any, media: Path, upload: SimpleUploadedFile, message: str
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)

    response = client.post(f"/deploiements/{deployment.pk}/conventions/", {**form_data(), "signed_document": upload})

    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert 'id="id_signed_document_error"' in page
    assert 'value="45,50"' in page
    assert not Contract.objects.exists()
    assert stored_files(media) == []


def test_a_good_file_with_another_error_must_be_chosen_again(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)

    response = client.post(
        f"/deploiements/{deployment.pk}/conventions/", {**form_data(hours="0"), "signed_document": pdf()}
    )

    page = body(response)
    assert "Le nombre d&#x27;heures doit être supérieur à 0." in page
    assert (
        "Le fichier choisi n&#x27;a pas été enregistré à cause des erreurs ci-dessus : choisissez-le à nouveau." in page
    )
    assert stored_files(media) == []


def test_editing_replaces_the_document_and_removes_the_old_file_after_commit(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/deploiements/{deployment.pk}/conventions/", {**form_data(), "signed_document": pdf()})
    contract = Contract.objects.get()
    old = media / str(contract.signed_document.name)
    assert old.exists()

    page = body(client.get(f"/conventions/{contract.pk}/"))
    assert "Modifier la convention" in page and 'value="CONV-2027-014"' in page and 'value="45,50"' in page
    assert "Un nouveau fichier remplace la convention déjà enregistrée." in page

    new_pdf = PDF + b"% avenant\n"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/conventions/{contract.pk}/",
            {**form_data(hours="10,5"), "signed_document": pdf("avenant.pdf", new_pdf)},
        )

    assert response.status_code == 302
    assert len(callbacks) == 1
    contract.refresh_from_db()
    assert contract.hours == Decimal("10.5")
    assert not old.exists()
    assert [path.read_bytes() for path in stored_files(media)] == [new_pdf]
    entry = JournalEntry.objects.filter(action="update", object_type="deployments.contract").get()
    assert entry.fields == ["hours", "signed_document"]


def test_saving_without_changes_writes_no_journal_entry(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    contract = ContractFactory(deployment__organisation__platform=platform, reference="CONV-1")
    data = form_data(reference="CONV-1", start_date="2027-01-04", end_date="2027-12-31", hours="7", hourly_price="45")

    assert client.post(f"/conventions/{contract.pk}/", data).status_code == 302
    assert not JournalEntry.objects.filter(action="update", object_type="deployments.contract").exists()


def test_an_abandoned_deployment_takes_no_contract(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.ABANDONED)
    contract = ContractFactory(deployment=deployment)

    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Ajouter une convention" not in page
    response = client.post(f"/deploiements/{deployment.pk}/conventions/", form_data(), follow=True)
    assert "Ce déploiement est abandonné : ses conventions ne changent plus." in body(response)
    assert client.post(f"/conventions/{contract.pk}/", form_data(hours="9")).status_code == 302
    contract.refresh_from_db()
    assert contract.hours == Decimal("7")
    assert Contract.objects.count() == 1

    with pytest.raises(Exception, match="abandonné"):
        writes.contract_save(
            request=None,
            deployment=deployment,
            contract=None,
            by=UserFactory(),
            reference="",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 2, 1),
            hours_basis=HoursBasis.TOTAL,
            hours=Decimal("10"),
            pricing=Pricing.FLAT,
            hourly_price=None,
            flat_fee=Decimal("500"),
            signed_on=None,
        )


def test_the_service_refuses_bad_terms_on_its_own(platform: Platform) -> None:
    from django.core.exceptions import ValidationError

    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    with pytest.raises(ValidationError) as caught:
        writes.contract_save(
            request=None,
            deployment=deployment,
            contract=None,
            by=UserFactory(),
            reference="x" * 61,
            start_date=date(2027, 3, 1),
            end_date=date(2027, 2, 1),
            hours_basis="monthly",
            hours=Decimal("-1"),
            pricing=Pricing.HOURLY,
            hourly_price=None,
            flat_fee=None,
            signed_on=timezone.localdate() + timedelta(days=1),
            document=pdf("x.txt"),
        )
    assert set(caught.value.message_dict) == {
        "reference",
        "end_date",
        "hours_basis",
        "hours",
        "hourly_price",
        "signed_on",
        "signed_document",
    }
    assert not Contract.objects.exists()


# ---- Who may do what


def test_only_coordinators_record_contracts(platform: Platform, client_as: Any) -> None:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    contract = ContractFactory(deployment=deployment)
    membership, _contact = partner_of(platform, deployment.organisation)
    partner = login_client(Client(), membership)
    for client in (partner, client_as(Role.PEER_WORKER, platform)[0]):
        assert client.get(f"/deploiements/{deployment.pk}/conventions/").status_code == 403
        assert client.post(f"/deploiements/{deployment.pk}/conventions/", form_data()).status_code == 403
        assert client.post(f"/conventions/{contract.pk}/", form_data()).status_code == 403
    assert Contract.objects.count() == 1


def _with_document(deployment: Deployment, reference: str = "CONV 2027/014 Hôpital") -> Contract:
    contract = ContractFactory(deployment=deployment, reference=reference)
    contract.signed_document.save("0123456789abcdef0123456789abcdef.pdf", pdf(), save=True)
    return contract


def test_the_signed_pdf_is_a_private_download(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    contract = _with_document(DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION))

    response = client.get(f"/conventions/{contract.pk}/document/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="convention-conv-2027014-hopital.pdf"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert JournalEntry.objects.filter(
        action="view", object_type="deployments.contract", object_id=str(contract.pk)
    ).exists()
    assert client.post(f"/conventions/{contract.pk}/document/").status_code == 405


def test_a_contract_without_reference_downloads_under_its_number(
    platform: Platform, client_as: Any, media: Path
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    contract = _with_document(DeploymentFactory(organisation__platform=platform), reference="")
    response = client.get(f"/conventions/{contract.pk}/document/")
    assert response["Content-Disposition"] == f'attachment; filename="convention-{contract.pk}.pdf"'
    response.close()


def test_no_document_answers_404(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    contract = ContractFactory(deployment__organisation__platform=platform)
    assert client.get(f"/conventions/{contract.pk}/document/").status_code == 404
    missing = _with_document(DeploymentFactory(organisation__platform=platform))
    for path in stored_files(media):
        path.unlink()
    assert client.get(f"/conventions/{missing.pk}/document/").status_code == 404


def test_the_partner_sees_its_contracts_read_only_and_downloads_them(platform: Platform, media: Path) -> None:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    contract = _with_document(deployment)
    membership, _contact = partner_of(platform, deployment.organisation)
    client = login_client(Client(), membership)

    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Convention et heures" in page and "CONV 2027/014 Hôpital" in page
    assert f"/conventions/{contract.pk}/document/" in page
    assert "Ajouter une convention" not in page and f'href="/conventions/{contract.pk}/"' not in page

    response = client.get(f"/conventions/{contract.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_another_partner_never_gets_the_document(platform: Platform, client_as: Any, media: Path) -> None:
    contract = _with_document(DeploymentFactory(organisation__platform=platform))
    stranger, _contact = partner_of(platform)
    assert login_client(Client(), stranger).get(f"/conventions/{contract.pk}/document/").status_code == 404
    unlinked = client_as(Role.PARTNER_CONTACT, platform)[0]
    assert unlinked.get(f"/conventions/{contract.pk}/document/").status_code == 404
    peer = client_as(Role.PEER_WORKER, platform)[0]
    assert peer.get(f"/conventions/{contract.pk}/document/").status_code == 403
    assert not JournalEntry.objects.filter(action="view", object_type="deployments.contract").exists()


def test_the_contract_queries_do_not_grow_with_contracts(platform: Platform, django_assert_num_queries: Any) -> None:
    from pairs.deployments.selectors import contracts as reads

    deployment = DeploymentFactory(organisation__platform=platform)
    for month in range(1, 13):
        ContractFactory(deployment=deployment, start_date=date(2026, month, 1), end_date=date(2026, month, 28))
    with django_assert_num_queries(2):
        rows = reads.deployment_hours(deployment, reads.deployment_contracts(deployment), date(2027, 1, 15))
    assert len(rows) == 12
