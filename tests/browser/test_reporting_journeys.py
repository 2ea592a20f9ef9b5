"""Journeys of reporting in a real Chromium, on the demo data of Pairs Rhône: the coordinator reads
the dashboard, generates last year's activity report and watches its progress bar until it is ready,
downloads the PDF and the spreadsheet; then opens the territory's map and uses the "what if" tool on an
under-served commune. A funder reads the dashboard with small numbers masked. Every page visited is
axe-checked."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from pairs.platforms.models import Platform
from pairs.platforms.tenancy import platform_scope
from pairs.reporting.models import ReportStatus, YearlyReport
from pairs.reporting.selectors.territory import last_twelve_months, territory_equity

from .conftest import WATCHES, check_a11y
from .test_deployments_journeys import Account
from .test_journeys import main_menu, sign_in
from .test_peers_journeys import expect_h1


def test_the_coordinator_generates_the_yearly_report_and_uses_the_what_if_tool(
    page: Page,
    demo_account: Callable[..., Account],
    run_jobs: Callable[[], int],
    live_server: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url
    coordinator = demo_account("coordinator")
    sign_in(page, coordinator)

    # ---- The dashboard, then the yearly reports.
    main_menu(page).get_by_role("link", name="Indicateurs et rapports").click()
    expect_h1(page, "Tableau de bord")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("^Rapports annuels d'activité")).click()
    expect_h1(page, "Rapports annuels d'activité")
    check_a11y(page)

    # ---- Generating last year's report: the progress bar shows, the job runs, the report is ready.
    year = timezone.localdate().year - 1
    page.get_by_label("Année", exact=True).select_option(str(year))
    page.get_by_role("button", name="Générer le rapport de l'année").click()
    progress = page.locator("progress")
    expect(progress).to_be_visible()
    check_a11y(page)
    report = YearlyReport.objects.get(platform__slug="rhone", year=year)
    assert report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    assert run_jobs() >= 1
    expect(page.get_by_text("Le rapport est prêt")).to_be_visible(timeout=15_000)
    check_a11y(page)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100

    # ---- The PDF and the spreadsheet download.
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    pdf = pdf_info.value
    assert pdf.suggested_filename == f"rapport-activite-{year}.pdf"
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name=re.compile("tableur|XLSX", re.IGNORECASE)).first.click()
    xlsx = xlsx_info.value
    assert xlsx.suggested_filename == f"rapport-activite-{year}.xlsx"
    with open(xlsx.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    assert len(workbook.sheetnames) > 3
    workbook.close()

    # ---- The territory: the map, and "what if" a pivot peer worker lived in an under-served commune.
    rhone = Platform.objects.get(slug="rhone")
    today = timezone.localdate()
    with platform_scope(rhone.pk):
        equity = territory_equity(rhone, period=last_twelve_months(today), today=today)
    target = max((area for area in equity.communes if area.underserved), key=lambda area: (area.population, area.code))
    page.goto("/territoire/")
    expect_h1(page, "Équité territoriale")
    expect(page.locator("svg[aria-labelledby='territory-map-title']")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Placer un·e pair aidant·e pivot à").select_option(target.code)
    page.get_by_role("button", name="Simuler").click()
    expect(page.get_by_role("heading", name="Résultat de la simulation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ne serait plus sous-desservie")
    check_a11y(page)


def test_a_funder_reads_the_dashboard_with_small_numbers_masked(
    page: Page, demo_account: Callable[..., Account], live_server: Any
) -> None:
    funder = demo_account("funder")
    sign_in(page, funder)
    main_menu(page).get_by_role("link", name="Indicateurs").click()
    expect_h1(page, "Tableau de bord")
    expect(page.locator("main")).to_contain_text("secret statistique")
    assert page.locator("main a[href^='/accompagnement/']").count() == 0  # no link to any list of people
    check_a11y(page)
    expect_refused(page, "/accompagnement/personnes/")


def expect_refused(page: Page, path: str) -> None:
    """Open a list of people as a funder: the site's 403 page, axe-checked; the console message of
    that expected 403 is taken off the page's error list."""
    response = page.goto(path)
    assert response is not None and response.status == 403, f"GET {path}: {response and response.status}"
    expect_h1(page, "Accès refusé")
    check_a11y(page)
    expected = f"console: Failed to load resource: the server responded with a status of 403 (Forbidden) ({page.url})"
    watch = WATCHES[id(page)]
    for _attempt in range(20):
        if expected in watch.errors:
            break
        page.wait_for_timeout(50)
    assert expected in watch.errors, watch.errors
    watch.errors.remove(expected)
