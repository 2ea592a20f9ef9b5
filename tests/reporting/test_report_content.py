"""The yearly report's content on a small hand-built dataset with known answers (comments give them):
people by commune and EPCI, partners by sector, hours contracted against delivered, the pool, the
Observatoire above the anonymity threshold; small counts shown « < 5 » in the PDF and in the
spreadsheet; the narrative texts in the PDF; a constant number of queries."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pairs.deployments.models import HoursBasis, State
from pairs.observatory.models import Campaign
from pairs.partners.models import Organisation, Sector
from pairs.peers.models import PeerStatus
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.reporting.indicators import Figure, Section, Table
from pairs.reporting.models import ReportStatus, YearlyReport
from pairs.reporting.selectors.report import report_sections
from pairs.reporting.services.reports import bar_chart
from pairs.reporting.xlsx import sheet_name
from pairs.support.models import PersonStatus, Relation
from pairs.territory.models import Commune
from tests.deployments.factories import AssignmentFactory, ContractFactory, DeploymentFactory
from tests.observatory.factories import CampaignFactory, respond, uniform
from tests.partners.factories import OrganisationFactory
from tests.peers.factories import (
    ActivityEntryFactory,
    PeerProfileFactory,
    SupervisionSessionFactory,
    TrainingRecordFactory,
)
from tests.plans.test_pdf import pages_text, require_pdf
from tests.support.factories import PersonFactory

YEAR = 2025  # compared with 2024


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _commune(insee: str, name: str, epci_code: str, epci_name: str) -> Commune:
    commune, _created = Commune.objects.update_or_create(
        insee_code=insee,
        defaults={
            "name": name,
            "department_code": insee[:2],
            "population": 10_000,
            "epci_code": epci_code,
            "epci_name": epci_name,
            "latitude": 45.76,
            "longitude": 4.84,
        },
    )
    return commune


def _people(platform: Platform) -> None:
    lyon = _commune("69123", "Lyon", "200046977", "Métropole de Lyon")
    villeurbanne = _commune("69266", "Villeurbanne", "200046977", "Métropole de Lyon")
    villefranche = _commune("69264", "Villefranche-sur-Saône", "200040590", "CA Villefranche Beaujolais Saône")
    # Lyon: 6 persons concerned and 1 relative supported in 2025 (7 in all).
    for _index in range(6):
        PersonFactory(platform=platform, commune=lyon, opened_on=date(2025, 2, 1))
    PersonFactory(platform=platform, commune=lyon, relation=Relation.RELATIVE, opened_on=date(2025, 3, 1))
    # Villeurbanne: 2 persons opened in 2024, closed in January 2025: counted in both years.
    for _index in range(2):
        PersonFactory(
            platform=platform,
            commune=villeurbanne,
            opened_on=date(2024, 11, 1),
            closed_on=date(2025, 1, 15),
            status=PersonStatus.CLOSED,
        )
    # Villefranche: closed in 2024: not in 2025. Lyon, opened in 2026: not in 2025.
    PersonFactory(
        platform=platform,
        commune=villefranche,
        opened_on=date(2024, 3, 1),
        closed_on=date(2024, 9, 30),
        status=PersonStatus.CLOSED,
    )
    PersonFactory(platform=platform, commune=lyon, opened_on=date(2026, 1, 10))
    # No commune known: 1 person in 2025.
    PersonFactory(platform=platform, opened_on=date(2025, 6, 1))


def _pool(platform: Platform) -> list[Any]:
    # 6 salaried workers since 2024, 1 volunteer since June 2025, 1 freelance who left at the end of 2024.
    salaried = [PeerProfileFactory(membership__platform=platform) for _index in range(6)]
    volunteer = PeerProfileFactory(
        membership__platform=platform, status=PeerStatus.VOLUNTEER, status_start=date(2025, 6, 1)
    )
    freelance = PeerProfileFactory(
        membership__platform=platform,
        status=PeerStatus.FREELANCE,
        status_start=date(2024, 1, 1),
        status_end=date(2024, 12, 31),
    )
    # Supervision: in 2025, 3 of the 7 active workers attended a session (42.9 %); in 2024, 1 of 7 (14.3 %).
    first = SupervisionSessionFactory(platform=platform, held_on=date(2025, 3, 3))
    first.attendees.set([salaried[0], salaried[1], volunteer])
    SupervisionSessionFactory(platform=platform, held_on=date(2025, 9, 1)).attendees.set([salaried[0]])
    SupervisionSessionFactory(platform=platform, held_on=date(2024, 5, 1)).attendees.set([freelance])
    # Trainings: 2 started in 2025 (2 workers), 1 in 2024.
    TrainingRecordFactory(profile=salaried[0], started_on=date(2025, 2, 1), ended_on=None)
    TrainingRecordFactory(profile=salaried[1], started_on=date(2025, 10, 1), ended_on=None)
    TrainingRecordFactory(profile=salaried[0], started_on=date(2024, 1, 15), ended_on=None)
    return salaried


def _partners(platform: Platform, worker: Any, suffix: str = "") -> None:
    hospital = OrganisationFactory(
        platform=platform, name=f"Centre hospitalier fictif du Rhône{suffix}", sector=Sector.PSYCHIATRIC_HOSPITAL
    )
    gem = OrganisationFactory(platform=platform, name=f"GEM fictif Les Ailes{suffix}", sector=Sector.GEM)
    later = OrganisationFactory(platform=platform, name=f"Foyer fictif{suffix}", sector=Sector.MEDICO_SOCIAL)
    Organisation.objects.filter(pk=hospital.pk).update(created_at="2024-05-01T10:00:00+02:00")
    Organisation.objects.filter(pk=gem.pk).update(created_at="2025-02-01T10:00:00+01:00")
    Organisation.objects.filter(pk=later.pk).update(created_at="2026-02-01T10:00:00+01:00")  # not yet in 2025
    # The hospital: 2 deployments running in 2025; the GEM: one abandoned (not counted).
    running = DeploymentFactory(organisation=hospital, state=State.INTEGRATION, start_date=date(2025, 1, 6))
    DeploymentFactory(organisation=hospital, state=State.ENDED, start_date=date(2024, 9, 1), end_date=date(2025, 3, 31))
    DeploymentFactory(organisation=gem, state=State.ABANDONED, start_date=date(2025, 5, 5))
    # 100 hours over 2025 in the convention; 2 h + 3 h delivered: 5 h, a gap of −95 %.
    ContractFactory(
        deployment=running,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        hours_basis=HoursBasis.TOTAL,
        hours=Decimal("100"),
    )
    assignment = AssignmentFactory(deployment=running, profile=worker, start_date=date(2025, 1, 6))
    ActivityEntryFactory(profile=worker, assignment=assignment, day=date(2025, 3, 10), duration_minutes=120)
    ActivityEntryFactory(profile=worker, assignment=assignment, day=date(2025, 4, 10), duration_minutes=180)


def _observatory(platform: Platform) -> Campaign:
    # 5 answers from the professionals (at the threshold: shown, every dimension 4.0), 2 from the people
    # supported (below it: nothing shown).
    campaign = CampaignFactory(platform=platform, title="Observatoire de l'unité fictive — T0")
    for _index in range(5):
        respond(campaign, "professionnels", uniform(campaign, "professionnels", 4))
    for _index in range(2):
        respond(campaign, "personnes", uniform(campaign, "personnes", 3))
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=date(2025, 3, 1), closes_on=date(2025, 3, 31))
    return campaign


def build(platform: Platform) -> None:
    _people(platform)
    salaried = _pool(platform)
    _partners(platform, salaried[0])
    _observatory(platform)


def section_of(sections: list[Section], key: str) -> Section:
    return next(section for section in sections if section.key == key)


def table_of(section: Section, key: str) -> Table:
    return next(table for table in section.tables if table.key == key)


def figure_of(section: Section, key: str) -> Figure:
    return next(figure for figure in section.figures if figure.key == key)


def rows_of(table: Table) -> list[list[Any]]:
    return [list(row) for row in table.rows]


def test_people_by_commune_and_by_epci(platform: Platform) -> None:
    _people(platform)
    section = section_of(report_sections(platform, YEAR), "report-territory")
    assert rows_of(table_of(section, "report-people-by-commune")) == [
        ["Lyon", "Métropole de Lyon", 6, 1, 7],
        ["Villeurbanne", "Métropole de Lyon", 2, 0, 2],
        ["Commune non renseignée", "—", 1, 0, 1],
    ]
    assert rows_of(table_of(section, "report-people-by-epci")) == [
        ["Métropole de Lyon", 2, 8, 1, 9],
        ["Commune non renseignée", 0, 1, 0, 1],
    ]
    # Communes: Lyon and Villeurbanne in 2025; Villeurbanne and Villefranche in 2024.
    communes = figure_of(section, "report-communes")
    assert (communes.value, communes.previous) == (2, 2)
    epcis = figure_of(section, "report-epcis")
    assert (epcis.value, epcis.previous) == (1, 2)


def test_partner_organisations_by_sector(platform: Platform) -> None:
    salaried = _pool(platform)
    _partners(platform, salaried[0])
    section = section_of(report_sections(platform, YEAR), "report-partners")
    assert rows_of(table_of(section, "report-partners-by-sector")) == [
        ["GEM (groupe d'entraide mutuelle)", 1, 0, 0],
        ["Établissement de santé mentale", 1, 1, 2],
    ]
    organisations = figure_of(section, "report-organisations")
    assert (organisations.value, organisations.previous) == (2, 1)  # the GEM joined in 2025
    deployments = figure_of(section, "report-deployments")
    assert (deployments.value, deployments.previous) == (2, 1)


def test_hours_contracted_against_delivered(platform: Platform) -> None:
    salaried = _pool(platform)
    _partners(platform, salaried[0])
    section = section_of(report_sections(platform, YEAR), "report-hours")
    assert rows_of(table_of(section, "report-hours-by-deployment")) == [
        ["Centre hospitalier fictif du Rhône", "Déploiement au long cours", 100.0, 5.0, -95.0]
    ]
    assert figure_of(section, "report-hours-contracted").value == 100.0
    assert figure_of(section, "report-hours-delivered").value == 5.0
    rate = figure_of(section, "report-hours-rate")
    assert (rate.value, rate.previous, rate.unit) == (5.0, None, "%")


def test_the_pool_trainings_and_supervision_coverage(platform: Platform) -> None:
    _pool(platform)
    section = section_of(report_sections(platform, YEAR), "report-pool")
    assert rows_of(table_of(section, "report-workers-by-status")) == [["Salarié·e", 6], ["Bénévole", 1]]
    values = {figure.key: (figure.value, figure.previous) for figure in section.figures}
    assert values["report-workers"] == (7, 7)
    assert values["report-trainings"] == (2, 1)
    assert values["report-trained-workers"] == (2, 1)
    assert values["report-supervision-sessions"] == (2, 1)
    assert values["report-supervised-workers"] == (3, 1)
    assert values["report-supervision-coverage"] == (42.9, 14.3)


def test_observatory_results_only_above_the_anonymity_threshold(platform: Platform) -> None:
    campaign = _observatory(platform)
    team = campaign.team
    assert team is not None
    section = section_of(report_sections(platform, YEAR), "report-observatory")
    overview = table_of(section, "report-observatory-campaigns")
    assert rows_of(overview) == [
        [
            "Observatoire de l'unité fictive — T0",
            f"{team.organisation.name} — {team.name}",
            "T0",
            7,
            "Professionnel·les de l'équipe",
        ]
    ]
    scores = table_of(section, f"report-observatory-{campaign.pk}")
    assert list(scores.columns) == ["Dimension", "Professionnel·les de l'équipe"]  # not the people supported (2)
    assert rows_of(scores)[0] == ["Projets de vie", 4.0]
    assert figure_of(section, "report-responses").value == 7
    # A campaign of another year is not in the report.
    assert section_of(report_sections(platform, 2024), "report-observatory").tables[0].rows == []


def test_the_report_starts_with_the_dashboard_sections_for_the_year(platform: Platform) -> None:
    sections = report_sections(platform, YEAR)
    keys = [section.key for section in sections]
    # « This week's » workload alerts say nothing of a past year: left out.
    assert "workload_alerts" not in [figure.key for section in sections for figure in section.figures]
    assert keys[:3] == ["requests", "activity", "deployments"]  # the dashboard's sections, for the year
    assert keys[3:] == [
        "report-territory",
        "report-partners",
        "report-hours",
        "report-pool",
        "report-observatory",
        "report-impact",
    ]


def test_sections_read_the_database_a_constant_number_of_times(platform: Platform, other_platform: Platform) -> None:
    build(platform)
    with CaptureQueriesContext(connection) as few:
        report_sections(platform, YEAR)
    # Many more rows of every kind (same number of campaigns): the same number of queries.
    _people(platform)
    salaried = _pool(platform)
    for index in range(3):
        _partners(platform, salaried[index], suffix=f" {index + 2}")
    with CaptureQueriesContext(connection) as many:
        report_sections(platform, YEAR)
    assert len(many) == len(few)


def _generate(platform: Platform, client_as: Any, capture: Any, run_jobs: Any) -> tuple[Any, YearlyReport]:
    client, _membership = client_as(Role.COORDINATOR, platform)
    client.post(
        f"/rapports/textes/{YEAR}/",
        {
            "president": "Une année de consolidation pour la plateforme.",
            "highlights": "Ouverture d'une permanence à Villeurbanne.",
            "outlook": "Deux nouveaux déploiements en préparation.",
            "method": "Chiffres arrêtés au 31 décembre.",
        },
    )
    with capture(execute=True):
        client.post("/rapports/", {"year": str(YEAR)})
    assert run_jobs() == 1
    report = YearlyReport.objects.get(platform=platform, year=YEAR)
    assert report.status == ReportStatus.DONE, report.error
    return client, report


def test_the_pdf_shows_small_counts_as_less_than_five_and_the_texts(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any, run_jobs: Any
) -> None:
    require_pdf()
    build(platform)
    client, report = _generate(platform, client_as, django_capture_on_commit_callbacks, run_jobs)

    response = client.get(f"/rapports/{report.pk}/rapport.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-activite-2025.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = " ".join(pages_text(response.content))
    assert "Rapport d'activité 2025" in text
    assert platform.name in text
    # The narrative texts, under their headings.
    assert "Le mot de la présidence" in text and "Une année de consolidation pour la plateforme." in text
    assert "Faits marquants de l'année" in text and "Ouverture d'une permanence à Villeurbanne." in text
    assert "Perspectives" in text and "Deux nouveaux déploiements en préparation." in text
    assert "Chiffres arrêtés au 31 décembre." in text
    # Lyon: 6 persons concerned, 1 relative (« < 5 »), 7 in all; Villeurbanne: 2 (« < 5 »).
    assert "Lyon Métropole de Lyon 6 < 5 7" in text
    assert "Villeurbanne Métropole de Lyon < 5 0 < 5" in text
    assert "Salarié·e 6" in text and "Bénévole < 5" in text
    # The method: small numbers, the threshold, the age not collected.
    assert "tout effectif inférieur à 5 est affiché « < 5 »" in text.lower()
    assert "non recueilli" in text
    assert "moins de 5 réponses" in text


def test_the_spreadsheet_writes_less_than_five_in_small_count_cells(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any, run_jobs: Any
) -> None:
    require_pdf()
    build(platform)
    client, report = _generate(platform, client_as, django_capture_on_commit_callbacks, run_jobs)

    response = client.get(f"/rapports/{report.pk}/rapport.xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="rapport-activite-2025.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Synthèse"
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert len({name.casefold() for name in workbook.sheetnames}) == len(workbook.sheetnames)
    summary = {row[1]: row for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["Pairs aidant·es en activité dans l'année"][2:4] == (7, 7)
    assert summary["Formations enregistrées (commencées dans l'année)"][2:4] == ("< 5", "< 5")
    assert summary["Couverture de la supervision"][2:5] == (42.9, 14.3, "%")
    assert summary["Heures réalisées"][2:5] == (5, None, "h")
    assert workbook["Synthèse"]["A1"].font.bold

    taken: set[str] = {"synthèse"}
    communes = workbook[sheet_name("Personnes accompagnées par commune de résidence", taken)]
    rows = list(communes.iter_rows(values_only=True))
    assert rows[0] == ("Commune", "Intercommunalité", "Personnes concernées", "Proches", "Total")
    assert rows[1] == ("Lyon", "Métropole de Lyon", 6, "< 5", 7)
    assert rows[2] == ("Villeurbanne", "Métropole de Lyon", "< 5", 0, "< 5")
    assert rows[3] == ("Commune non renseignée", "—", "< 5", 0, "< 5")
    assert communes.column_dimensions["A"].width > 8
    hours_sheet = next(workbook[name] for name in workbook.sheetnames if workbook[name]["A1"].value == "Partenaire")
    assert list(hours_sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Centre hospitalier fictif du Rhône", "Déploiement au long cours", 100, 5, -95)
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Synthèse", "Synthèse (2)"),
        ("Scores moyens — Observatoire de l'unité fictive : T0 / T1", "Scores moyens — Observatoire de"),
        ("'[Tableau]'", "Tableau"),
    ],
)
def test_sheet_names_are_short_clean_and_unique(title: str, expected: str) -> None:
    taken = {"synthèse"}
    name = sheet_name(title, taken)
    assert name == expected and len(name) <= 31 and name.casefold() in taken


def test_a_chart_draws_no_bar_for_a_small_count_and_says_when_rows_are_left_out() -> None:
    rows = [["Lyon", 12], ["Bron", 3], ["Vienne", 0]] + [[f"Commune {n}", 6] for n in range(12)]
    table = Table(
        key="t", title="Par commune", columns=["Commune", "Personnes"], rows=rows, count_columns=frozenset({1})
    )

    chart = bar_chart(table)

    assert chart is not None
    assert chart.column == "Personnes, les 12 premières lignes" and len(chart.bars) == 12
    lyon, bron, vienne = chart.bars[:3]
    assert (lyon.drawn, lyon.width, lyon.value_text) == (True, 340.0, "12")
    assert (bron.drawn, bron.width, bron.value_text) == (False, 0.0, "< 5")  # its length would tell the number
    assert (vienne.drawn, vienne.width, vienne.value_text) == (True, 0.0, "0")
    only_small = Table(
        key="s", title="Petit", columns=["A", "B"], rows=[["a", 2], ["b", 3]], count_columns=frozenset({1})
    )
    assert bar_chart(only_small) is None
