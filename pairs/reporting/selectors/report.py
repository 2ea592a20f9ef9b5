"""The content of the yearly activity report: the dashboard's sections for the calendar year (as the
funder sees them), then the sections only the report holds — people supported by commune and EPCI,
partner organisations by sector, hours contracted against hours delivered per deployment, the pool's
composition, the Observatoire's results and the impact measures above the anonymity threshold — and
the notes of the method. Every part reads the database a fixed number of times, whatever the volume
(the Observatoire: two reads per campaign of the year, as its results page).

Small numbers are not hidden here: the shapes keep the real values and say which are counts; the PDF
and the spreadsheet show every count below 5 as « < 5 » (``pairs.reporting.indicators.shown``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.deployments.models import Contract, State
from pairs.deployments.selectors.contracts import delivered_by_month, finished_total, month_row, months_between
from pairs.observatory.models import Campaign
from pairs.observatory.selectors import threshold_of
from pairs.observatory.selectors.measures import impact_overview
from pairs.observatory.selectors.results import campaign_results
from pairs.partners.models import Organisation, Sector
from pairs.peers.models import PeerProfile, PeerStatus, SupervisionSession, TrainingRecord
from pairs.platforms.models import Platform
from pairs.support.models import Person, Relation

from ..indicators import SMALL_NUMBER, Figure, Section, Table, Value
from ..models import Narrative, ReportStatus, YearlyReport
from .dashboard import dashboard_sections

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


FIRST_YEAR = 2015
NARRATIVE_MAX_LENGTH = 10_000

# The narrative sections a coordinator writes before generating, in the order of the report.
NARRATIVES: tuple[tuple[str, StrPromise], ...] = (
    ("president", gettext_lazy("Le mot de la présidence")),
    ("highlights", gettext_lazy("Faits marquants de l'année")),
    ("outlook", gettext_lazy("Perspectives")),
    ("method", gettext_lazy("Méthode et limites")),
)
NARRATIVE_KEYS = tuple(key for key, _title in NARRATIVES)
# Where each narrative goes in the report: before the figures, or after them.
NARRATIVES_BEFORE = ("president", "highlights")
NARRATIVES_AFTER = ("outlook",)


# ---- Years and reports


def year_is_allowed(year: int, today: date | None = None) -> bool:
    """A report (and its texts) exists for the years from 2015 to the current year."""
    today = today or timezone.localdate()
    return FIRST_YEAR <= year <= today.year


def report_years(today: date | None = None) -> list[int]:
    """The years a report may be asked for, the most recent first."""
    today = today or timezone.localdate()
    return list(range(today.year, FIRST_YEAR - 1, -1))


def default_year(today: date | None = None) -> int:
    """Last year: the yearly report is written once the year is over."""
    today = today or timezone.localdate()
    return max(today.year - 1, FIRST_YEAR)


def report_list(platform: Platform) -> QuerySet[YearlyReport]:
    """The platform's reports, the most recently asked first, with who asked (one query)."""
    return (
        YearlyReport.objects.filter(platform=platform).select_related("requested_by").order_by("-requested_at", "-id")
    )


def report_in_progress(platform: Platform, year: int) -> YearlyReport | None:
    """The platform's report of that year still queued or running, if any (at most one)."""
    return (
        YearlyReport.objects.filter(
            platform=platform, year=year, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
        )
        .order_by("-id")
        .first()
    )


def report_platform_id(report_id: int) -> int | None:
    """The platform of a report, read by the job before it enters that platform's scope."""
    return YearlyReport.objects.filter(pk=report_id).values_list("platform_id", flat=True).first()


def narratives_of(platform: Platform, year: int) -> dict[str, str]:
    """The narrative texts of the year by section key ("" for a section never written)."""
    found = dict(
        Narrative.objects.filter(platform=platform, year=year, section__in=NARRATIVE_KEYS).values_list(
            "section", "text"
        )
    )
    return {key: found.get(key, "") for key in NARRATIVE_KEYS}


def narrative_title(key: str) -> str:
    return str(dict(NARRATIVES).get(key, key))


# ---- Periods


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _active(prefix_start: str, prefix_end: str, start: date, end: date) -> Q:
    """Rows whose period [start field, end field] (the end may be open) meets [start, end]."""
    return Q(**{f"{prefix_start}__lte": end}) & (
        Q(**{f"{prefix_end}__isnull": True}) | Q(**{f"{prefix_end}__gte": start})
    )


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


# ---- People supported by commune and by EPCI


def _people(platform: Platform, start: date, end: date) -> QuerySet[Person]:
    """People (the persons concerned and the relatives) whose support was open at some point of the period."""
    return Person.objects.filter(platform=platform).filter(_active("opened_on", "closed_on", start, end))


def territory_sections(platform: Platform, year: int) -> list[Section]:
    """People supported during the year by commune of residence and by EPCI (three queries)."""
    start, end = year_bounds(year)
    previous_start, _previous_end = year_bounds(year - 1)
    people = _people(platform, start, end)
    concerned, relatives = Q(relation=Relation.SELF), Q(relation=Relation.RELATIVE)
    by_commune = (
        people.values("commune_id", "commune__name", "commune__epci_name")
        .annotate(
            concerned=Count("id", filter=concerned), relative_count=Count("id", filter=relatives), total=Count("id")
        )
        .order_by("-total", "commune__name", "commune_id")
    )
    by_epci = (
        people.values("commune__epci_code", "commune__epci_name")
        .annotate(
            communes=Count("commune_id", distinct=True),
            concerned=Count("id", filter=concerned),
            relative_count=Count("id", filter=relatives),
            total=Count("id"),
        )
        .order_by("-total", "commune__epci_name")
    )
    in_year = _active("opened_on", "closed_on", start, end)
    in_previous = _active("opened_on", "closed_on", previous_start, start - timedelta(days=1))
    reach = _people(platform, previous_start, end).aggregate(
        communes=Count("commune_id", distinct=True, filter=in_year),
        communes_before=Count("commune_id", distinct=True, filter=in_previous),
        epcis=Count("commune__epci_code", distinct=True, filter=in_year & ~Q(commune__epci_code="")),
        epcis_before=Count("commune__epci_code", distinct=True, filter=in_previous & ~Q(commune__epci_code="")),
    )
    unknown_commune = _("Commune non renseignée")
    commune_rows: list[list[Value | str]] = [
        [
            row["commune__name"] or unknown_commune,
            (row["commune__epci_name"] or _("Non renseignée")) if row["commune_id"] else "—",
            row["concerned"],
            row["relative_count"],
            row["total"],
        ]
        for row in by_commune
    ]
    epci_rows: list[list[Value | str]] = []
    for row in by_epci:
        if row["commune__epci_name"] is None and not row["communes"]:
            name = unknown_commune
        else:
            name = row["commune__epci_name"] or _("Intercommunalité non renseignée")
        epci_rows.append([name, row["communes"], row["concerned"], row["relative_count"], row["total"]])
    people_columns = [_("Personnes concernées"), _("Proches"), _("Total")]
    return [
        Section(
            key="report-territory",
            title=_("Personnes accompagnées par territoire"),
            figures=(
                Figure(
                    key="report-communes",
                    label=_("Communes de résidence des personnes accompagnées"),
                    value=reach["communes"],
                    previous=reach["communes_before"],
                ),
                Figure(
                    key="report-epcis",
                    label=_("Intercommunalités (EPCI) de résidence"),
                    value=reach["epcis"],
                    previous=reach["epcis_before"],
                ),
            ),
            tables=(
                Table(
                    key="report-people-by-commune",
                    title=_("Personnes accompagnées par commune de résidence"),
                    columns=[_("Commune"), _("Intercommunalité"), *people_columns],
                    rows=commune_rows,
                    count_columns=frozenset({2, 3, 4}),
                ),
                Table(
                    key="report-people-by-epci",
                    title=_("Personnes accompagnées par intercommunalité (EPCI)"),
                    columns=[_("Intercommunalité"), _("Communes"), *people_columns],
                    rows=epci_rows,
                    count_columns=frozenset({1, 2, 3, 4}),
                ),
            ),
        )
    ]


# ---- Partner organisations by sector


def _deployments_in(start: date, end: date, prefix: str = "") -> Q:
    """Deployments running at some point of the period (requests abandoned aside): started by its end,
    not finished before its start."""
    return _active(f"{prefix}start_date", f"{prefix}end_date", start, end) & ~Q(**{f"{prefix}state": State.ABANDONED})


def partner_sections(platform: Platform, year: int) -> list[Section]:
    """Partner organisations by sector, with their deployments of the year (two queries)."""
    start, end = year_bounds(year)
    previous_start, previous_end = year_bounds(year - 1)
    organisations = Organisation.objects.filter(platform=platform)
    in_year = _deployments_in(start, end, "deployments__")
    rows = (
        organisations.filter(created_at__date__lte=end)
        .values("sector")
        .annotate(
            organisations=Count("id", distinct=True),
            active=Count("id", distinct=True, filter=in_year),
            deployment_count=Count("deployments", distinct=True, filter=in_year),
        )
        .order_by("-organisations", "sector")
    )
    totals = organisations.aggregate(
        organisations=Count("id", distinct=True, filter=Q(created_at__date__lte=end)),
        organisations_before=Count("id", distinct=True, filter=Q(created_at__date__lte=previous_end)),
        deployment_total=Count("deployments", distinct=True, filter=in_year),
        deployment_total_before=Count(
            "deployments", distinct=True, filter=_deployments_in(previous_start, previous_end, "deployments__")
        ),
    )
    sectors: dict[str, str] = {str(value): str(label) for value, label in Sector.choices}
    return [
        Section(
            key="report-partners",
            title=_("Organisations partenaires"),
            figures=(
                Figure(
                    key="report-organisations",
                    label=_("Organisations partenaires"),
                    value=totals["organisations"],
                    previous=totals["organisations_before"],
                ),
                Figure(
                    key="report-deployments",
                    label=_("Déploiements en cours dans l'année"),
                    value=totals["deployment_total"],
                    previous=totals["deployment_total_before"],
                ),
            ),
            tables=(
                Table(
                    key="report-partners-by-sector",
                    title=_("Organisations partenaires et déploiements par secteur"),
                    columns=[
                        _("Secteur"),
                        _("Organisations partenaires"),
                        _("Organisations avec un déploiement"),
                        _("Déploiements"),
                    ],
                    rows=[
                        [
                            sectors.get(row["sector"], row["sector"]),
                            row["organisations"],
                            row["active"],
                            row["deployment_count"],
                        ]
                        for row in rows
                    ],
                    count_columns=frozenset({1, 2, 3}),
                ),
            ),
        )
    ]


# ---- Hours contracted against hours delivered, per deployment


@dataclass(frozen=True)
class _Hours:
    contracted: float
    delivered: float


def _year_hours(
    contracts: Sequence[Contract], delivered: dict[date, Fraction], start: date, end: date, today: date
) -> _Hours | None:
    """Hours contracted and delivered over the finished months of the period (the deployments app's
    month computation); None when no month of the period is finished yet."""
    last = min(end, today)
    if last < start:
        return None
    rows = [month_row(contracts, delivered, month, today) for month in months_between(start, last)]
    total = finished_total(rows)
    if total is None:
        return None
    return _Hours(contracted=float(total.contracted), delivered=float(total.delivered))


def hours_sections(platform: Platform, year: int, today: date | None = None) -> list[Section]:
    """For each deployment with a contract during the year: hours contracted and delivered, and the
    gap (two queries, the previous year included)."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    previous_start, previous_end = year_bounds(year - 1)
    contracts = (
        Contract.objects.filter(platform=platform, start_date__lte=end, end_date__gte=previous_start)
        .select_related("deployment", "deployment__organisation", "deployment__team")
        .order_by("deployment__organisation__name", "deployment__start_date", "deployment_id", "start_date", "id")
    )
    by_deployment: dict[int, list[Contract]] = defaultdict(list)
    for contract in contracts:
        by_deployment[contract.deployment_id].append(contract)
    delivered = delivered_by_month(platform.pk, by_deployment, previous_start, end)
    rows: list[list[Value | str]] = []
    totals = {"contracted": 0.0, "delivered": 0.0, "contracted_before": 0.0, "delivered_before": 0.0}
    counted = {"year": False, "before": False}
    for deployment_id, terms in by_deployment.items():
        logged = delivered.get(deployment_id, {})
        if any(contract.start_date <= previous_end for contract in terms):
            before = _year_hours(terms, logged, previous_start, previous_end, today)
            if before is not None:
                totals["contracted_before"] += before.contracted
                totals["delivered_before"] += before.delivered
                counted["before"] = True
        if not any(contract.end_date >= start for contract in terms):
            continue  # its contracts ended the year before
        deployment = terms[0].deployment
        name = deployment.organisation.name
        if deployment.team is not None:
            name = f"{name} — {deployment.team.name}"
        hours = _year_hours(terms, logged, start, end, today)
        if hours is None:
            rows.append([name, deployment.get_kind_display(), None, None, None])
            continue
        totals["contracted"] += hours.contracted
        totals["delivered"] += hours.delivered
        counted["year"] = True
        gap = round((hours.delivered - hours.contracted) * 100 / hours.contracted, 1) if hours.contracted else None
        rows.append([name, deployment.get_kind_display(), hours.contracted, hours.delivered, gap])

    def total(key: str, which: str) -> float | None:
        return round(totals[key], 1) if counted[which] else None

    contracted, delivered_total = total("contracted", "year"), total("delivered", "year")
    contracted_before, delivered_before = total("contracted_before", "before"), total("delivered_before", "before")

    def rate(done: float | None, planned: float | None) -> float | None:
        return round(done * 100 / planned, 1) if done is not None and planned else None

    return [
        Section(
            key="report-hours",
            title=_("Heures contractualisées et réalisées"),
            figures=(
                Figure(
                    key="report-hours-contracted",
                    label=_("Heures contractualisées"),
                    value=contracted,
                    previous=contracted_before,
                    unit="h",
                    is_count=False,
                ),
                Figure(
                    key="report-hours-delivered",
                    label=_("Heures réalisées"),
                    value=delivered_total,
                    previous=delivered_before,
                    unit="h",
                    is_count=False,
                ),
                Figure(
                    key="report-hours-rate",
                    label=_("Taux de réalisation des heures contractualisées"),
                    value=rate(delivered_total, contracted),
                    previous=rate(delivered_before, contracted_before),
                    unit="%",
                    is_count=False,
                ),
            ),
            tables=(
                Table(
                    key="report-hours-by-deployment",
                    title=_("Heures contractualisées et réalisées par déploiement"),
                    columns=[
                        _("Partenaire"),
                        _("Type de déploiement"),
                        _("Heures contractualisées"),
                        _("Heures réalisées"),
                        _("Écart (%)"),
                    ],
                    rows=rows,
                ),
            ),
        )
    ]


# ---- The pool: peer workers by status, trainings, supervision coverage


def _attended(start: date, end: date) -> Exists:
    """The peer worker attended at least one supervision or intervision session in the period."""
    attendance = SupervisionSession.attendees.through.objects.filter(
        peerprofile_id=OuterRef("pk"),
        supervisionsession__held_on__gte=start,
        supervisionsession__held_on__lte=end,
    )
    return Exists(attendance)


def pool_sections(platform: Platform, year: int) -> list[Section]:
    """The peer workers active during the year by status, the trainings recorded and the supervision
    coverage, compared with the previous year (four queries)."""
    start, end = year_bounds(year)
    previous_start, previous_end = year_bounds(year - 1)
    profiles = PeerProfile.objects.filter(platform=platform)
    active = _active("status_start", "status_end", start, end)
    active_before = _active("status_start", "status_end", previous_start, previous_end)
    by_status = profiles.filter(active).values("status").annotate(workers=Count("id")).order_by("-workers", "status")
    workers = profiles.aggregate(
        active=Count("id", filter=active),
        active_before=Count("id", filter=active_before),
        covered=Count("id", filter=active & Q(_attended(start, end))),
        covered_before=Count("id", filter=active_before & Q(_attended(previous_start, previous_end))),
    )
    trainings = TrainingRecord.objects.filter(profile__platform=platform).aggregate(
        count=Count("id", filter=Q(started_on__gte=start, started_on__lte=end)),
        count_before=Count("id", filter=Q(started_on__gte=previous_start, started_on__lte=previous_end)),
        workers=Count("profile_id", distinct=True, filter=Q(started_on__gte=start, started_on__lte=end)),
        workers_before=Count(
            "profile_id", distinct=True, filter=Q(started_on__gte=previous_start, started_on__lte=previous_end)
        ),
    )
    sessions = SupervisionSession.objects.filter(platform=platform).aggregate(
        count=Count("id", filter=Q(held_on__gte=start, held_on__lte=end)),
        count_before=Count("id", filter=Q(held_on__gte=previous_start, held_on__lte=previous_end)),
    )
    statuses: dict[str, str] = {str(value): str(label) for value, label in PeerStatus.choices}
    return [
        Section(
            key="report-pool",
            title=_("Le vivier de pairs aidant·es"),
            figures=(
                Figure(
                    key="report-workers",
                    label=_("Pairs aidant·es en activité dans l'année"),
                    value=workers["active"],
                    previous=workers["active_before"],
                ),
                Figure(
                    key="report-trainings",
                    label=_("Formations enregistrées (commencées dans l'année)"),
                    value=trainings["count"],
                    previous=trainings["count_before"],
                ),
                Figure(
                    key="report-trained-workers",
                    label=_("Pairs aidant·es ayant commencé une formation"),
                    value=trainings["workers"],
                    previous=trainings["workers_before"],
                ),
                Figure(
                    key="report-supervision-sessions",
                    label=_("Séances de supervision et d'intervision"),
                    value=sessions["count"],
                    previous=sessions["count_before"],
                ),
                Figure(
                    key="report-supervised-workers",
                    label=_("Pairs aidant·es présent·es à au moins une séance"),
                    value=workers["covered"],
                    previous=workers["covered_before"],
                ),
                Figure(
                    key="report-supervision-coverage",
                    label=_("Couverture de la supervision"),
                    value=_percent(workers["covered"], workers["active"]),
                    previous=_percent(workers["covered_before"], workers["active_before"]),
                    unit="%",
                    is_count=False,
                ),
            ),
            tables=(
                Table(
                    key="report-workers-by-status",
                    title=_("Pairs aidant·es en activité par statut"),
                    columns=[_("Statut"), _("Pairs aidant·es")],
                    rows=[[statuses.get(row["status"], row["status"]), row["workers"]] for row in by_status],
                    count_columns=frozenset({1}),
                ),
            ),
        )
    ]


# ---- The Observatoire: the campaigns of the year, above the anonymity threshold


def observatory_sections(platform: Platform, year: int) -> list[Section]:
    """Per campaign opened during the year: the answers received, and the mean score of each dimension
    for each perspective with at least as many answers as the anonymity threshold (the Observatoire's
    own results, two queries per campaign)."""
    start, end = year_bounds(year)
    threshold = threshold_of(platform)
    campaigns = list(
        Campaign.objects.filter(platform=platform, opens_on__gte=start, opens_on__lte=end)
        .select_related("instrument", "team__organisation", "previous")
        .order_by("opens_on", "id")
    )
    overview_rows: list[list[Value | str]] = []
    tables: list[Table] = []
    total_responses = 0
    for campaign in campaigns:
        results = campaign_results(campaign, threshold=threshold)
        total_responses += results.total
        shown_labels = [count.label for count in results.shown]
        team = campaign.team.name if campaign.team is not None else ""
        if campaign.team is not None:
            team = f"{campaign.team.organisation.name} — {team}"
        overview_rows.append(
            [
                campaign.title,
                team or "—",
                campaign.wave_label,
                results.total,
                ", ".join(shown_labels)
                if shown_labels
                else _("aucun : moins de %(n)s réponses par point de vue") % {"n": threshold},
            ]
        )
        if not results.shown or not results.dimensions:
            continue
        rows: list[list[Value | str]] = []
        for dimension in results.dimensions:
            cells: list[Value | str] = [dimension.label]
            for cell in dimension.cells:
                cells.append(round(cell.mean, 2) if cell.shown and cell.mean is not None else "—")
            rows.append(cells)
        title = _("Scores moyens — %(campaign)s") % {"campaign": campaign.title}
        if campaign.instrument.is_demo:
            title = _("%(title)s (instrument de démonstration, non validé)") % {"title": title}
        tables.append(
            Table(
                key=f"report-observatory-{campaign.pk}",
                title=title,
                columns=[_("Dimension"), *[count.label for count in results.shown]],
                rows=rows,
            )
        )
    overview = Table(
        key="report-observatory-campaigns",
        title=_("Campagnes de l'Observatoire ouvertes dans l'année"),
        columns=[_("Campagne"), _("Équipe"), _("Vague"), _("Réponses"), _("Points de vue présentés")],
        rows=overview_rows,
        count_columns=frozenset({3}),
    )
    return [
        Section(
            key="report-observatory",
            title=_("Observatoire du rétablissement"),
            figures=(
                Figure(key="report-campaigns", label=_("Campagnes ouvertes dans l'année"), value=len(campaigns)),
                Figure(key="report-responses", label=_("Réponses reçues"), value=total_responses),
            ),
            tables=(overview, *tables),
        )
    ]


# ---- Impact measures, above the anonymity threshold


def impact_sections(platform: Platform, year: int) -> list[Section]:
    """The impact measures recorded so far (the Observatoire's overview): for each questionnaire and
    dimension, among the people with at least two measures, the mean first and latest scores and the
    mean change, only for groups at or above the anonymity threshold."""
    overview = impact_overview(platform)
    tables: list[Table] = []
    for section in overview.sections:
        rows: list[list[Value | str]] = []
        for row in section.rows:
            if not row.shown:
                fewer = _("moins de %(n)s") % {"n": overview.threshold}
                rows.append([row.dimension, fewer, "—", "—", "—", "—"])
                continue
            change = row.change.mean if row.change is not None else None
            rows.append(
                [
                    row.dimension,
                    row.n,
                    None if row.first_mean is None else round(row.first_mean, 2),
                    None if row.last_mean is None else round(row.last_mean, 2),
                    None if change is None else round(change, 2),
                    row.interval_text or "—",
                ]
            )
        title = _("Mesures d'impact — %(name)s") % {"name": section.name}
        if section.version_label:
            title = f"{title} ({section.version_label})"
        if section.is_demo:
            title = _("%(title)s (instrument de démonstration, non validé)") % {"title": title}
        tables.append(
            Table(
                key=section.key,
                title=title,
                columns=[
                    _("Dimension"),
                    _("Personnes (au moins deux mesures)"),
                    _("Score moyen à la première mesure"),
                    _("Score moyen à la dernière mesure"),
                    _("Évolution moyenne"),
                    _("Intervalle de confiance à 95 %"),
                ],
                rows=rows,
                count_columns=frozenset({1}),
            )
        )
    return [
        Section(
            key="report-impact",
            title=_("Mesures d'impact"),
            figures=(
                Figure(
                    key="report-impact-people",
                    label=_("Personnes avec au moins une mesure d'impact (depuis le début)"),
                    value=overview.people if overview.people_shown else None,
                ),
            ),
            tables=tuple(tables),
        )
    ]


# ---- The parts of the report, in order


# Dashboard figures that describe the current week, not the period: left out of a yearly report.
NOT_YEARLY_FIGURES = frozenset({"workload_alerts"})


def funder_dashboard_sections(platform: Platform, year: int) -> list[Section]:
    """The dashboard's sections for the calendar year, as the funder sees them."""
    start, end = year_bounds(year)
    return [
        replace(section, figures=tuple(f for f in section.figures if f.key not in NOT_YEARLY_FIGURES))
        for section in dashboard_sections(platform, start, end, for_role="funder")
    ]


@dataclass(frozen=True)
class ReportPart:
    step: StrPromise  # the step shown while the part is computed
    build: Callable[[Platform, int], list[Section]]


REPORT_PARTS: tuple[ReportPart, ...] = (
    ReportPart(gettext_lazy("Calcul des indicateurs"), funder_dashboard_sections),
    ReportPart(gettext_lazy("Personnes accompagnées par territoire"), territory_sections),
    ReportPart(gettext_lazy("Organisations partenaires"), partner_sections),
    ReportPart(gettext_lazy("Heures contractualisées et réalisées"), hours_sections),
    ReportPart(gettext_lazy("Composition du vivier"), pool_sections),
    ReportPart(gettext_lazy("Observatoire du rétablissement"), observatory_sections),
    ReportPart(gettext_lazy("Mesures d'impact"), impact_sections),
)


def report_sections(platform: Platform, year: int) -> list[Section]:
    """Every section of the year's report, in order: the dashboard's, then the report's own."""
    sections: list[Section] = []
    for part in REPORT_PARTS:
        sections.extend(part.build(platform, year))
    return sections


def method_notes(platform: Platform, year: int) -> list[str]:
    """How the figures were computed and what they leave out, for the method section."""
    threshold = threshold_of(platform)
    return [
        _(
            "Période : du 1er janvier au 31 décembre %(year)s. Chaque chiffre est comparé à celui de l'année "
            "précédente (%(previous)s) quand il existe."
        )
        % {"year": year, "previous": year - 1},
        _(
            "Petits effectifs : tout effectif inférieur à %(n)s est affiché « < %(n)s », dans ce document comme "
            "dans le tableur, pour qu'aucune personne ne puisse être reconnue (secret statistique)."
        )
        % {"n": SMALL_NUMBER},
        _(
            "Seuil d'anonymat : aucun résultat de l'Observatoire ni des mesures d'impact n'est donné pour un groupe "
            "de moins de %(threshold)s réponses (seuil réglé par la plateforme). Les scores moyens sont donnés sur "
            "l'échelle de chaque instrument."
        )
        % {"threshold": threshold},
        _(
            "Personnes accompagnées : les personnes concernées et les proches dont l'accompagnement était ouvert à "
            "un moment de l'année, par commune de résidence et par intercommunalité (EPCI)."
        ),
        _(
            "Âge des personnes accompagnées : non recueilli. La plateforme n'enregistre ni la date ni l'année de "
            "naissance ; aucune répartition par âge n'est donc donnée."
        ),
        _(
            "Heures contractualisées : calculées mois par mois d'après les conventions (heures par semaine au "
            "prorata des jours, ou total réparti sur la durée). Heures réalisées : celles déclarées dans le journal "
            "d'activité par les pairs aidant·es affecté·es au déploiement. Pour l'année en cours, seuls les mois "
            "terminés comptent."
        ),
        _(
            "Couverture de la supervision : part des pairs aidant·es en activité dans l'année présent·es à au "
            "moins une séance de supervision ou d'intervision dans l'année."
        ),
        _(
            "Mesures d'impact : toutes les mesures enregistrées à ce jour, parmi les personnes qui en ont au moins "
            "deux (première et dernière mesure)."
        ),
        _(
            "Sources : les fiches des personnes accompagnées, les demandes des partenaires et les déploiements avec "
            "leurs conventions, le journal d'activité et le vivier des pairs aidant·es (statuts, formations, "
            "supervisions), les campagnes de l'Observatoire du rétablissement et les mesures d'impact, le "
            "référentiel officiel des communes et des intercommunalités."
        ),
    ]
