"""Asking for the yearly report and following it: one job for two requests at once, the job's progress
up to the downloads, a failed job and its retry, the narrative texts, who may do what, another
platform's report, a constant number of queries on the list."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.reporting.models import Narrative, ReportStatus, YearlyReport
from pairs.reporting.services.reports import narratives_save, report_request
from tests.plans.test_pdf import require_pdf
from tests.reporting.factories import YearlyReportFactory

LAST_YEAR = timezone.localdate().year - 1
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def body(response: Any) -> str:
    return str(response.content.decode())


def jobs(report: YearlyReport) -> int:
    return ProcrastinateJob.objects.filter(task_name="yearly_report_generate", args={"report_id": report.pk}).count()


def done_report(platform: Platform, **kwargs: Any) -> YearlyReport:
    """A finished report with its two files."""
    report = YearlyReportFactory(platform=platform, **kwargs)
    report.pdf.save("test.pdf", ContentFile(b"%PDF-1.7 rapport fictif"), save=False)
    report.xlsx.save("test.xlsx", ContentFile(b"PK tableur fictif"), save=False)
    report.save()
    return report


# ---- Asking for a report, the job, the progress


def test_the_form_proposes_last_year_and_a_link_to_its_texts(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    page = body(client.get("/rapports/"))

    assert "Générer le rapport de l'année" in page
    assert f'<option value="{LAST_YEAR}" selected>{LAST_YEAR}</option>' in page
    assert '<option value="2015">2015</option>' in page and '<option value="2014">' not in page
    assert f'href="/rapports/textes/{LAST_YEAR}/"' in page
    assert "Aucun rapport n'a encore été demandé." in page


def test_a_report_is_queued_then_the_job_takes_it_to_done_with_its_files(
    platform: Platform, client_as: Any, media: Path, django_capture_on_commit_callbacks: Any, run_jobs: Any
) -> None:
    require_pdf()
    client, membership = client_as(Role.COORDINATOR, platform)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/rapports/", {"year": str(LAST_YEAR)})

    report = YearlyReport.objects.get(platform=platform)
    assert response.status_code == 302 and response["Location"] == f"/rapports/{report.pk}/"
    assert (report.year, report.status, report.progress, report.requested_by_id) == (
        LAST_YEAR,
        ReportStatus.QUEUED,
        0,
        membership.user_id,
    )
    assert jobs(report) == 1
    assert JournalEntry.objects.filter(
        action=Action.CREATE, object_type="reporting.yearlyreport", object_id=str(report.pk), fields=["year"]
    ).exists()
    page = body(client.get(f"/rapports/{report.pk}/"))
    assert "La préparation du rapport" in page and "a commencé" in page
    assert '<div aria-live="polite">' in page
    assert '<progress id="report-progress-bar" max="100" value="0">' in page
    assert f'hx-get="/rapports/{report.pk}/avancement/?v=queued-0" hx-trigger="every 2s"' in page
    assert "En attente : la préparation va commencer." in page
    polled = client.get(f"/rapports/{report.pk}/avancement/", **HTMX)
    assert polled.status_code == 200 and 'value="0"' in body(polled)
    unchanged = client.get(f"/rapports/{report.pk}/avancement/?v=queued-0", **HTMX)
    assert unchanged.status_code == 204  # nothing new: nothing swapped, nothing announced again

    assert run_jobs() == 1

    report.refresh_from_db()
    assert (report.status, report.progress, report.step, report.error) == (ReportStatus.DONE, 100, "Terminé", "")
    assert report.started_at is not None and report.finished_at is not None
    pdf_name, xlsx_name = str(report.pdf.name), str(report.xlsx.name)
    assert pdf_name.startswith("reports/") and pdf_name.endswith(".pdf")
    assert xlsx_name.startswith("reports/") and xlsx_name.endswith(".xlsx")
    assert len(pdf_name) > len("reports/.pdf") + 20  # a random name, nothing to guess
    polled = client.get(f"/rapports/{report.pk}/avancement/", **HTMX)
    assert polled.status_code == 286  # htmx stops polling
    assert "hx-get" not in body(polled)
    assert f'href="/rapports/{report.pk}/rapport.pdf"' in body(polled)
    assert f'href="/rapports/{report.pk}/rapport.xlsx"' in body(polled)
    listed = body(client.get("/rapports/"))
    assert f"Rapport {LAST_YEAR}" in listed and "Prêt" in listed
    assert f'href="/rapports/{report.pk}/rapport.pdf"' in listed
    assert membership.user.display_name in listed


def test_the_progress_block_outside_htmx_leads_to_the_report_page(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    report = YearlyReportFactory(
        platform=platform, status=ReportStatus.RUNNING, progress=40, step="Composition du vivier"
    )

    response = client.get(f"/rapports/{report.pk}/avancement/")
    assert response.status_code == 302 and response["Location"] == f"/rapports/{report.pk}/"
    polled = body(client.get(f"/rapports/{report.pk}/avancement/", **HTMX))
    assert 'value="40"' in polled and "Étape en cours : Composition du vivier." in polled


def test_two_requests_at_once_make_one_report_and_one_job(
    platform: Platform, client_as: Any, make_member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = make_member(Role.COORDINATOR, platform).user
    with django_capture_on_commit_callbacks(execute=True):
        first = report_request(request=None, platform=platform, year=LAST_YEAR, by=coordinator)
        second = report_request(request=None, platform=platform, year=LAST_YEAR, by=coordinator)

    assert first.pk == second.pk
    assert YearlyReport.objects.filter(platform=platform).count() == 1
    assert jobs(first) == 1
    client, _membership = client_as(Role.COORDINATOR, platform)
    response = client.post("/rapports/", {"year": str(LAST_YEAR)}, follow=True)
    assert response.redirect_chain[-1][0] == f"/rapports/{first.pk}/"
    assert "Ce rapport est déjà en cours de préparation." in body(response)
    assert YearlyReport.objects.filter(platform=platform).count() == 1


def test_a_report_already_running_is_returned_not_doubled(platform: Platform, make_member: Any) -> None:
    # The race: another request's report got in first (the database's constraint refuses a second one).
    running = YearlyReportFactory(platform=platform, year=LAST_YEAR, status=ReportStatus.RUNNING, progress=30)
    coordinator = make_member(Role.COORDINATOR, platform).user

    found = report_request(request=None, platform=platform, year=LAST_YEAR, by=coordinator)

    assert found.pk == running.pk
    assert YearlyReport.objects.filter(platform=platform).count() == 1
    # Another year, or the same year on another platform, is another report.
    assert report_request(request=None, platform=platform, year=LAST_YEAR - 1, by=coordinator).pk != running.pk


def test_a_report_left_running_by_a_stopped_worker_gives_way(platform: Platform, make_member: Any) -> None:
    stuck = YearlyReportFactory(
        platform=platform,
        year=LAST_YEAR,
        status=ReportStatus.RUNNING,
        progress=40,
        started_at=timezone.now() - timedelta(hours=3),
    )
    coordinator = make_member(Role.COORDINATOR, platform).user

    fresh = report_request(request=None, platform=platform, year=LAST_YEAR, by=coordinator)

    assert fresh.pk != stuck.pk and fresh.status == ReportStatus.QUEUED
    stuck.refresh_from_db()
    assert stuck.status == ReportStatus.FAILED
    assert stuck.error == "La préparation s'est interrompue avant la fin. Relancez-la."


def test_a_year_outside_the_list_is_refused_with_a_message(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    response = client.post("/rapports/", {"year": "2014"})

    assert response.status_code == 200
    assert "Choisissez une année de la liste." in body(response)
    assert not YearlyReport.objects.exists()


# ---- A failed job and its retry


def test_a_failing_job_leaves_a_french_error_and_a_retry_makes_a_new_job(
    platform: Platform,
    client_as: Any,
    media: Path,
    django_capture_on_commit_callbacks: Any,
    run_jobs: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_renderer(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("WeasyPrint exploded: secret internals")

    monkeypatch.setattr("pairs.reporting.services.reports.render_pdf", broken_renderer)
    client, _membership = client_as(Role.COORDINATOR, platform)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/rapports/", {"year": str(LAST_YEAR)})
    report = YearlyReport.objects.get(platform=platform)

    with caplog.at_level(logging.ERROR, logger="pairs.reporting.services.reports"):
        assert run_jobs() == 1

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.finished_at is not None
    # The progress was saved step by step: it stopped at the PDF's layout.
    assert (report.progress, report.step) == (70, "Mise en page du PDF")
    assert report.error.startswith("La génération du rapport a échoué à l'étape « Mise en page du PDF ».")
    assert not report.pdf and not report.xlsx
    assert any("could not be generated" in record.getMessage() for record in caplog.records)
    page = body(client.get(f"/rapports/{report.pk}/"))
    assert "La préparation a échoué" in page
    assert "La génération du rapport a échoué à l&#x27;étape « Mise en page du PDF »." in page
    assert "Relancer la génération" in page
    assert "RuntimeError" not in page and "secret internals" not in page and "Traceback" not in page
    polled = client.get(f"/rapports/{report.pk}/avancement/", **HTMX)
    assert polled.status_code == 286 and "Relancer la génération" in body(polled)
    assert client.get(f"/rapports/{report.pk}/rapport.pdf").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/rapports/{report.pk}/", {"action": "retry"})

    retried = YearlyReport.objects.exclude(pk=report.pk).get(platform=platform)
    assert response.status_code == 302 and response["Location"] == f"/rapports/{retried.pk}/"
    assert (retried.year, retried.status) == (LAST_YEAR, ReportStatus.QUEUED)
    assert jobs(retried) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED  # the failed one stays, as a trace
    monkeypatch.undo()
    require_pdf()
    run_jobs()  # the failed report's job, run again, leaves it alone: only the new one is generated
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    retried.refresh_from_db()
    assert retried.status == ReportStatus.DONE


def test_a_retry_of_a_report_that_did_not_fail_starts_nothing(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    report = YearlyReportFactory(platform=platform, status=ReportStatus.RUNNING)

    response = client.post(f"/rapports/{report.pk}/", {"action": "retry"})

    assert response.status_code == 302 and response["Location"] == f"/rapports/{report.pk}/"
    assert YearlyReport.objects.count() == 1


# ---- Downloads


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.FAILED])
def test_downloads_answer_404_until_the_report_is_done(platform: Platform, client_as: Any, status: str) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    report = YearlyReportFactory(platform=platform, status=status, progress=50)

    assert client.get(f"/rapports/{report.pk}/rapport.pdf").status_code == 404
    assert client.get(f"/rapports/{report.pk}/rapport.xlsx").status_code == 404


def test_downloads_are_attachments_not_kept_in_caches(platform: Platform, client_as: Any, media: Path) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    report = done_report(platform, year=2024)

    pdf = client.get(f"/rapports/{report.pk}/rapport.pdf")
    xlsx = client.get(f"/rapports/{report.pk}/rapport.xlsx")

    assert pdf.content == b"%PDF-1.7 rapport fictif"
    assert pdf["Content-Disposition"] == 'attachment; filename="rapport-activite-2024.pdf"'
    assert xlsx["Content-Disposition"] == 'attachment; filename="rapport-activite-2024.xlsx"'
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "no-store" in pdf["Cache-Control"] and "no-store" in xlsx["Cache-Control"]
    assert (
        JournalEntry.objects.filter(
            action=Action.EXPORT, object_type="reporting.yearlyreport", object_id=str(report.pk)
        ).count()
        == 2
    )


# ---- Who may do what


def test_a_funder_lists_and_downloads_but_cannot_generate_nor_write(
    platform: Platform, client_as: Any, media: Path
) -> None:
    client, _membership = client_as(Role.FUNDER, platform)
    report = done_report(platform, year=2024)
    failed = YearlyReportFactory(platform=platform, year=2023, status=ReportStatus.FAILED, error="Échec fictif.")

    page = body(client.get("/rapports/"))
    assert "Rapport 2024" in page and f'href="/rapports/{report.pk}/rapport.pdf"' in page
    assert "Générer le rapport de l'année" not in page
    assert "Demandé par" not in page and report.requested_by.display_name not in page
    assert client.get(f"/rapports/{report.pk}/rapport.pdf").status_code == 200
    assert client.get(f"/rapports/{report.pk}/rapport.xlsx").status_code == 200
    detail = body(client.get(f"/rapports/{failed.pk}/"))
    assert "Échec fictif." in detail and "Relancer la génération" not in detail

    assert client.post("/rapports/", {"year": str(LAST_YEAR)}).status_code == 403
    assert client.post(f"/rapports/{failed.pk}/", {"action": "retry"}).status_code == 403
    assert client.get(f"/rapports/textes/{LAST_YEAR}/").status_code == 403
    assert client.post(f"/rapports/textes/{LAST_YEAR}/", {"president": "Texte"}).status_code == 403
    assert YearlyReport.objects.count() == 2 and not Narrative.objects.exists()
    assert JournalEntry.objects.filter(action=Action.PERMISSION_DENIED, detail="reporting.reports_manage").exists()


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON])
def test_other_roles_see_no_report(platform: Platform, client_as: Any, role: Role) -> None:
    client, _membership = client_as(role, platform)
    report = YearlyReportFactory(platform=platform)

    assert client.get("/rapports/").status_code == 403
    assert client.get(f"/rapports/{report.pk}/").status_code == 403


def test_another_platforms_report_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    theirs = done_report(other_platform, year=2024)

    for url in ("", "avancement/", "rapport.pdf", "rapport.xlsx"):
        assert client.get(f"/rapports/{theirs.pk}/{url}", **HTMX).status_code == 404
    assert client.post(f"/rapports/{theirs.pk}/", {"action": "retry"}).status_code == 404
    assert f"/rapports/{theirs.pk}/" not in body(client.get("/rapports/"))
    funder, _membership = client_as(Role.FUNDER, platform)
    assert funder.get(f"/rapports/{theirs.pk}/").status_code == 404


# ---- The narrative texts


def test_narratives_are_saved_journaled_by_field_name_and_copied_into_the_request(
    platform: Platform, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    url = f"/rapports/textes/{LAST_YEAR}/"
    page = body(client.get(url))
    assert "Le mot de la présidence" in page and "Faits marquants de l&#x27;année" in page
    assert "Perspectives" in page and "Méthode et limites" in page

    response = client.post(url, {"president": "  Un mot fictif de la présidence.  ", "highlights": "", "outlook": ""})

    assert response.status_code == 302 and response["Location"] == f"/rapports/?annee={LAST_YEAR}"
    saved = Narrative.objects.get(platform=platform, year=LAST_YEAR)
    assert (saved.section, saved.text, saved.updated_by_id) == (
        "president",
        "Un mot fictif de la présidence.",
        membership.user_id,
    )
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="reporting.narrative")
    assert entry.fields == ["section", "text"] and "fictif" not in entry.detail
    listed = body(client.get(response["Location"]))
    assert "Les textes du rapport" in listed and f'<option value="{LAST_YEAR}" selected>' in listed

    client.post(url, {"president": "Un autre mot.", "highlights": "Une permanence ouverte."})
    assert (
        JournalEntry.objects.filter(action=Action.UPDATE, object_type="reporting.narrative", fields=["text"]).count()
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/rapports/", {"year": str(LAST_YEAR)})
    report = YearlyReport.objects.get(platform=platform)
    assert report.narratives == {"president": "Un autre mot.", "highlights": "Une permanence ouverte."}


def test_a_text_too_long_is_refused_and_kept_as_typed(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    long_text = "Une phrase de rapport fictive. " * 400  # 12,400 characters

    response = client.post(f"/rapports/textes/{LAST_YEAR}/", {"president": "Court.", "outlook": long_text})

    assert response.status_code == 200
    page = body(response)
    assert "raccourcissez-le à 10000 au plus" in page
    assert long_text.strip()[:200] in page
    assert not Narrative.objects.exists()  # nothing saved half-way, not even the short text


def test_the_service_refuses_a_text_too_long(platform: Platform, make_member: Any) -> None:
    from django.core.exceptions import ValidationError

    user = make_member(Role.COORDINATOR, platform).user
    with pytest.raises(ValidationError) as error:
        narratives_save(request=None, platform=platform, year=LAST_YEAR, by=user, texts={"method": "x" * 10_001})
    assert "method" in error.value.message_dict


@pytest.mark.parametrize("year", [2014, timezone.localdate().year + 1])
def test_texts_exist_from_2015_to_this_year_only(platform: Platform, client_as: Any, year: int) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    assert client.get(f"/rapports/textes/{year}/").status_code == 404
    assert client.get("/rapports/textes/2015/").status_code == 200
    assert client.get(f"/rapports/textes/{timezone.localdate().year}/").status_code == 200


# ---- Queries


def test_the_list_reads_the_database_a_constant_number_of_times(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    for year in (2023, 2024):
        YearlyReportFactory(platform=platform, year=year)
    client.get("/rapports/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/rapports/").status_code == 200
    for index in range(20):
        YearlyReportFactory(platform=platform, year=2016 + index % 8, status=ReportStatus.FAILED)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/rapports/").status_code == 200
    assert len(many) == len(few)


def test_the_default_year_is_last_year_even_in_january(platform: Platform) -> None:
    from pairs.reporting.selectors.report import default_year, report_years, year_is_allowed

    assert default_year(date(2026, 1, 3)) == 2025
    assert report_years(date(2026, 1, 3))[:2] == [2026, 2025] and report_years(date(2026, 1, 3))[-1] == 2015
    assert not year_is_allowed(2027, date(2026, 1, 3)) and year_is_allowed(2026, date(2026, 1, 3))
