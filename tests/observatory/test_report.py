"""The PDF report for the team's debriefing and the CSV export of the anonymous answers: what they
hold, what they leave out (groups below the anonymity threshold), the journal, and query counts
that do not grow with the answers. WeasyPrint needs Pango: without it the PDF tests are skipped,
except in CI where they fail."""

from __future__ import annotations

import codecs
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pairs.journal.models import Action, JournalEntry
from pairs.observatory.models import Campaign, ObservatorySettings, Purpose
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.observatory.factories import CampaignFactory, respond, uniform
from tests.observatory.test_results import PEOPLE, PROS, RELATIVES, by_dimension, fill, previous_and_current
from tests.plans.test_pdf import pages_text, require_pdf

DIMENSIONS = ("Projets de vie", "Participation des personnes", "Choix et pouvoir de décider")


def report_url(campaign: Campaign) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/rapport.pdf"


def csv_url(campaign: Campaign) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/reponses.csv"


def csv_text(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def coordinator(platform: Platform, client_as: Any) -> Client:
    client, _membership = client_as(Role.COORDINATOR, platform)
    return client


# ---- The PDF report


def test_the_report_is_a_pdf_with_the_results(platform: Platform, coordinator: Client) -> None:
    require_pdf()
    campaign = CampaignFactory(platform=platform, title="Observatoire de l'unité Les Tilleuls — T0")
    fill(campaign)
    response = coordinator.get(report_url(campaign))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="observatoire-{campaign.pk}-t0.pdf"'
    assert response.content.startswith(b"%PDF-")
    pages = pages_text(response.content)
    text = " ".join(pages)
    assert "Résultats — Observatoire de l'unité Les Tilleuls — T0" in text
    assert "Page 1 sur" in pages[0]
    for label in DIMENSIONS:
        assert label in text
    assert "Comment lire ces résultats" in text
    assert "Méthode et anonymat" in text
    assert "[3,12 ; 4,88]" in text
    assert "Instrument de démonstration, non validé" in text
    assert "les professionnel·les de l'équipe donnent un score plus élevé (4,00)" in text
    # The relatives (4 answers, every item 1) are below the threshold: only their count and the message.
    assert "Moins de 5 réponses pour le point de vue « Proches » (4 reçues)" in text
    assert "1,00" not in text
    assert "plus hauts — Proches" not in text


def test_the_report_shows_the_relatives_with_a_threshold_of_three(platform: Platform, coordinator: Client) -> None:
    require_pdf()
    ObservatorySettings.objects.create(platform=platform, anonymity_threshold=3)
    campaign = CampaignFactory(platform=platform)
    fill(campaign)
    text = " ".join(pages_text(coordinator.get(report_url(campaign)).content))
    assert "1,00" in text
    assert "Les items les plus hauts — Proches" in text


def test_the_report_of_a_second_wave_has_the_change(platform: Platform, coordinator: Client) -> None:
    require_pdf()
    _before, after = previous_and_current(platform)
    response = coordinator.get(report_url(after))
    assert response["Content-Disposition"] == f'attachment; filename="observatoire-{after.pk}-t1.pdf"'
    text = " ".join(pages_text(response.content))
    assert "Évolution depuis la vague précédente (T0 → T1)" in text
    assert "important" in text


def test_the_report_of_a_training_is_named_after_its_wave(platform: Platform, coordinator: Client) -> None:
    require_pdf()
    before = CampaignFactory(platform=platform, purpose=Purpose.TRAINING, team=None, title="Sensibilisation — avant")
    after = CampaignFactory(
        platform=platform, purpose=Purpose.TRAINING, team=None, wave=1, previous=before, title="Sensibilisation"
    )
    response = coordinator.get(report_url(after))
    assert response["Content-Disposition"] == f'attachment; filename="observatoire-{after.pk}-apres.pdf"'
    text = " ".join(pages_text(response.content))
    assert "Résultats — Sensibilisation" in text
    assert "Évolution depuis la vague précédente (Avant → Après)" in text


def _filled(campaign: Campaign, count: int) -> None:
    for i in range(count):
        respond(campaign, PROS, uniform(campaign, PROS, 1 + i % 5))


def test_the_report_queries_do_not_grow_with_the_answers(platform: Platform, coordinator: Client) -> None:
    require_pdf()
    few, many = CampaignFactory(platform=platform), CampaignFactory(platform=platform)
    _filled(few, 6)
    _filled(many, 40)
    coordinator.get(report_url(few))
    with CaptureQueriesContext(connection) as six:
        assert coordinator.get(report_url(few)).status_code == 200
    with CaptureQueriesContext(connection) as forty:
        assert coordinator.get(report_url(many)).status_code == 200
    assert len(six.captured_queries) == len(forty.captured_queries)


# ---- The CSV export


def test_the_csv_holds_the_raw_answers_of_the_shown_perspectives(platform: Platform, coordinator: Client) -> None:
    campaign = CampaignFactory(platform=platform)
    fill(campaign)
    respond(campaign, PEOPLE, by_dimension(campaign, PEOPLE, projets=("DK", 2, 5)), typed_in=True)
    response = coordinator.get(csv_url(campaign))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="observatoire-{campaign.pk}-reponses.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith(codecs.BOM_UTF8)
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == ""
    header, *rows = lines[:-1]
    columns = header.split(";")
    assert columns[:3] == ["point_de_vue", "saisie_papier", "vague"]
    # Every item of the instrument in definition order: the professionals' 15, then the relatives' own item.
    assert columns[3:6] == ["projets_1", "projets_2", "projets_3"]
    assert columns[-1] == "participation_proches" and len(columns) == 3 + 16
    assert "date" not in header
    assert len(rows) == 11  # 5 professionals, 6 people; the 4 relatives are left out
    assert not any(row.startswith(f"{RELATIVES};") for row in rows)
    first = dict(zip(columns, rows[0].split(";"), strict=True))
    assert first["point_de_vue"] == PROS and first["saisie_papier"] == "non" and first["vague"] == "T0"
    picked = [first[key] for key in ("participation_1", "soutiens_1", "climat_1", "climat_3")]
    assert picked == ["NA", "NA", "5", "2"]
    assert first["participation_proches"] == ""  # not in the professionals' questionnaire
    typed = dict(zip(columns, rows[-1].split(";"), strict=True))
    assert (typed["point_de_vue"], typed["saisie_papier"]) == (PEOPLE, "oui")
    assert (typed["projets_1"], typed["projets_2"], typed["projets_3"]) == ("DK", "2", "5")


def test_the_csv_export_is_journaled(platform: Platform, coordinator: Client) -> None:
    campaign = CampaignFactory(platform=platform)
    csv_text(coordinator.get(csv_url(campaign)))
    entry = JournalEntry.objects.get(action=Action.EXPORT)
    assert (entry.object_type, entry.object_id, entry.platform_id) == (
        "observatory.campaign",
        str(campaign.pk),
        platform.pk,
    )


def test_the_csv_of_a_campaign_without_enough_answers_has_only_its_header(
    platform: Platform, coordinator: Client
) -> None:
    campaign = CampaignFactory(platform=platform)
    for _ in range(4):
        respond(campaign, PROS, uniform(campaign, PROS, 4))
    lines = csv_text(coordinator.get(csv_url(campaign))).lstrip("\ufeff").split("\r\n")
    assert lines[0].startswith("point_de_vue;saisie_papier;vague;projets_1;")
    assert lines[1:] == [""]


def test_with_a_threshold_of_three_the_csv_holds_the_relatives(platform: Platform, coordinator: Client) -> None:
    ObservatorySettings.objects.create(platform=platform, anonymity_threshold=3)
    campaign = CampaignFactory(platform=platform)
    fill(campaign)
    rows = csv_text(coordinator.get(csv_url(campaign))).split("\r\n")[1:-1]
    assert sum(row.startswith(f"{RELATIVES};") for row in rows) == 4


def test_the_csv_queries_do_not_grow_with_the_answers(platform: Platform, coordinator: Client) -> None:
    few, many = CampaignFactory(platform=platform), CampaignFactory(platform=platform)
    _filled(few, 6)
    _filled(many, 40)
    csv_text(coordinator.get(csv_url(few)))
    with CaptureQueriesContext(connection) as six:
        assert len(csv_text(coordinator.get(csv_url(few))).split("\r\n")) == 1 + 6 + 1
    with CaptureQueriesContext(connection) as forty:
        assert len(csv_text(coordinator.get(csv_url(many))).split("\r\n")) == 1 + 40 + 1
    assert len(six.captured_queries) == len(forty.captured_queries)


def test_the_csv_and_report_are_read_only(platform: Platform, coordinator: Client) -> None:
    campaign = CampaignFactory(platform=platform)
    assert coordinator.post(csv_url(campaign)).status_code == 405
    assert coordinator.post(report_url(campaign)).status_code == 405
    assert not JournalEntry.objects.filter(action=Action.EXPORT).exists()
