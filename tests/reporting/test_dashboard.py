"""The platform's dashboard: every figure of a period on a small hand-built dataset, compared with the
same period a year earlier; the period form; what a funder sees (« < 5 », no links) and what a
coordinator sees; a constant number of queries; who may open it."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.deployments.models import State, Transition
from pairs.observatory.models import Response
from pairs.partners.models import Sector
from pairs.peers.models import PeerProfile
from pairs.plans.models import FacilitationSession, PlanShare, PlanVersion
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.reporting.indicators import Figure, Section
from pairs.reporting.selectors.dashboard import dashboard_sections, previous_period, shift_years, shown_figure
from pairs.support.models import GroupRegistration, MeetingStatus, Relation, SupportRequest
from tests.deployments.factories import AssignmentFactory, DeploymentFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory
from tests.observatory.factories import CampaignFactory
from tests.partners.factories import OrganisationFactory
from tests.peers.factories import ActivityEntryFactory, PeerProfileFactory, activity_type
from tests.plans.factories import finalise, plan_for, share
from tests.support.factories import GroupFactory, GroupSessionFactory, MeetingFactory, PersonFactory

START, END = date(2025, 1, 1), date(2025, 6, 30)  # a year earlier: 2024-01-01 .. 2024-06-30
URL = "/tableau-de-bord/"
QUERY = {"debut": "2025-01-01", "fin": "2025-06-30"}


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build(platform: Platform, *, copies: int = 1) -> PeerProfile:
    """The hand-built dataset (``copies`` > 1 repeats every row, for the query-count test). One peer
    worker does everything, so that the workload alerts stay predictable."""
    peer = PeerProfileFactory(membership__platform=platform)
    user = UserFactory()
    for copy in range(copies):
        _support(platform, peer, copy)
        _activity(platform, peer)
        _deployments(platform, peer, user)
        _tools(platform, peer, user)
    return peer


def _request(platform: Platform, created: datetime, contact_after: timedelta | None) -> None:
    request = SupportRequest.objects.create(
        platform=platform, pseudonym="Camille", phone="06 39 98 00 01", relation="self"
    )
    SupportRequest.objects.filter(pk=request.pk).update(
        created_at=created, first_contact_at=created + contact_after if contact_after else None
    )


def _support(platform: Platform, peer: PeerProfile, copy: int = 0) -> None:
    # Requests: 3 in the period (first contact after 1 day, 3 days, none), 1 a year earlier (half a day).
    _request(platform, at(date(2025, 2, 1)), timedelta(days=1))
    _request(platform, at(date(2025, 3, 1)), timedelta(days=3))
    _request(platform, at(date(2025, 4, 1)), None)
    _request(platform, at(date(2024, 3, 10)), timedelta(hours=12))
    _request(platform, at(date(2025, 7, 5)), timedelta(days=10))  # after the period
    _request(platform, at(date(2023, 3, 5)), timedelta(days=10))  # long before
    # People: A new in the period; B new a year earlier and ongoing in the period; C ongoing a year
    # earlier, closed before the period; D opened after it; R a relative new in the period.
    a = PersonFactory(platform=platform, peer=peer, opened_on=date(2025, 2, 1))
    PersonFactory(platform=platform, peer=peer, opened_on=date(2024, 5, 1))
    PersonFactory(
        platform=platform, peer=peer, opened_on=date(2023, 6, 1), closed_on=date(2024, 12, 31), status="closed"
    )
    PersonFactory(platform=platform, peer=peer, opened_on=date(2025, 8, 1))
    PersonFactory(platform=platform, peer=peer, opened_on=date(2025, 3, 1), relation=Relation.RELATIVE)
    # Meetings: in the period 3 held, 1 no-show, 1 cancelled; a year earlier 1 held, 1 no-show.
    statuses = [
        (date(2025, 1, 10), MeetingStatus.HELD),
        (date(2025, 2, 10), MeetingStatus.HELD),
        (date(2025, 3, 10), MeetingStatus.HELD),
        (date(2025, 4, 10), MeetingStatus.NO_SHOW),
        (date(2025, 5, 10), MeetingStatus.CANCELLED),
        (date(2024, 2, 10), MeetingStatus.HELD),
        (date(2024, 3, 10), MeetingStatus.NO_SHOW),
    ]
    for day, status in statuses:
        MeetingFactory(person=a, peer=peer, starts_at=at(day, 8 + copy), status=status)
    # Groups: G1 met twice in the period (2 then 1 present); G2's session of the period was not held;
    # G2 met a year earlier (2 present).
    g1, g2 = GroupFactory(platform=platform, facilitators=[peer]), GroupFactory(platform=platform, facilitators=[peer])

    def session(group: Any, day: date, present: int, held: bool = True) -> None:
        item = GroupSessionFactory(group=group, starts_at=at(day, 14), held=held)
        for n in range(present):
            registration = GroupRegistration.objects.create(
                group=group, pseudonym=f"Inscrit {n}", phone="06 39 98 00 09", status="registered"
            )
            item.attendees.add(registration)

    session(g1, date(2025, 2, 10), 2)
    session(g1, date(2025, 3, 10), 1)
    session(g2, date(2025, 4, 10), 1, held=False)
    session(g2, date(2024, 2, 10), 2)


def _activity(platform: Platform, peer: PeerProfile) -> None:
    individual = activity_type(platform, "individual_support")
    group = activity_type(platform, "group")
    hospital = OrganisationFactory(platform=platform, sector=Sector.PSYCHIATRIC_HOSPITAL)
    gem = OrganisationFactory(platform=platform, sector=Sector.GEM)
    in_hospital = AssignmentFactory(deployment__organisation=hospital, profile=peer)
    in_gem = AssignmentFactory(deployment__organisation=gem, profile=peer)
    # In the period: individual support 120 min (no partner) + 90 min (hospital) = 3.5 h; group 60 min
    # (GEM) = 1 h. A year earlier: individual support 60 min = 1 h. After the period: 600 min.
    ActivityEntryFactory(profile=peer, day=date(2025, 1, 15), duration_minutes=120, activity_type=individual)
    ActivityEntryFactory(
        profile=peer, day=date(2025, 2, 15), duration_minutes=90, activity_type=individual, assignment=in_hospital
    )
    ActivityEntryFactory(
        profile=peer, day=date(2025, 3, 15), duration_minutes=60, activity_type=group, assignment=in_gem
    )
    ActivityEntryFactory(profile=peer, day=date(2024, 3, 1), duration_minutes=60, activity_type=individual)
    ActivityEntryFactory(profile=peer, day=date(2025, 7, 1), duration_minutes=600, activity_type=individual)


def _transition(deployment: Any, from_state: str, to_state: str, moment: datetime, user: Any) -> None:
    item = Transition.objects.create(deployment=deployment, from_state=from_state, to_state=to_state, by=user)
    Transition.objects.filter(pk=item.pk).update(at=moment)


def _deployments(platform: Platform, peer: PeerProfile, user: Any) -> None:
    organisation = OrganisationFactory(platform=platform)
    # D1: a request in 2024, under way since September 2024, in integration since March 2025:
    # at the end of the period "Intégration", a year earlier "Demande".
    d1 = DeploymentFactory(organisation=organisation, state=State.INTEGRATION)
    _transition(d1, State.REQUEST, State.PREREQUISITES, at(date(2024, 9, 1)), user)
    _transition(d1, State.PREREQUISITES, State.INTEGRATION, at(date(2025, 3, 1)), user)
    # D2: filed in January 2025, direct hiring in May 2025 (one transition to direct hiring).
    d2 = DeploymentFactory(organisation=organisation, state=State.DIRECT_HIRE)
    _transition(d2, State.INTEGRATION, State.DIRECT_HIRE, at(date(2025, 5, 1)), user)
    # D3: filed in 2023, ended in December 2024: "Fin" at the end of the period, "Intégration" a year earlier.
    d3 = DeploymentFactory(organisation=organisation, state=State.ENDED)
    _transition(d3, State.INTEGRATION, State.ENDED, at(date(2024, 12, 1)), user)
    for deployment, filed in ((d1, date(2024, 3, 1)), (d2, date(2025, 1, 10)), (d3, date(2023, 1, 1))):
        type(deployment).objects.filter(pk=deployment.pk).update(filed_at=at(filed))
    # (The two deployments of _activity() were filed today: after the period, so not counted.)


def _tools(platform: Platform, peer: PeerProfile, user: Any) -> None:
    person = PersonFactory(platform=platform, peer=peer, opened_on=date(2026, 1, 1))  # opened after both periods
    # Plan 1: two sessions in the period (one plan facilitated), finalised in March, shared in April.
    one = plan_for(person)
    for day in (date(2025, 2, 1), date(2025, 2, 8)):
        FacilitationSession.objects.create(plan=one, peer=peer, held_on=day, duration_minutes=60)
    version = finalise(one)
    PlanVersion.objects.filter(pk=version.pk).update(finalised_at=at(date(2025, 3, 1)))
    shared = share(one, version)
    PlanShare.objects.filter(pk=shared.pk).update(created_at=at(date(2025, 4, 1)))
    # Plan 2: a session and a finalised version a year earlier.
    two = plan_for(person)
    FacilitationSession.objects.create(plan=two, peer=peer, held_on=date(2024, 2, 1), duration_minutes=60)
    PlanVersion.objects.filter(pk=finalise(two).pk).update(finalised_at=at(date(2024, 2, 15)))
    # Observatoire: a campaign opened in the period (2 answers), one a year earlier (1 answer).
    for opens, answers in (
        (date(2025, 2, 1), [date(2025, 2, 10), date(2025, 2, 12)]),
        (date(2024, 2, 1), [date(2024, 2, 5)]),
    ):
        campaign = CampaignFactory(platform=platform, opens_on=opens, closes_on=opens + timedelta(days=30))
        for day in answers:
            Response.objects.create(
                platform=platform,
                campaign=campaign,
                perspective="professionnels",
                answers={},
                values={},
                scores={},
                submitted_on=day,
                submission_key=secrets.token_urlsafe(24),
            )
    # Events: one held in the period (2 present, 1 absent), one cancelled (not counted); one a year
    # earlier (1 present).
    held = EventFactory(platform=platform, starts_at=at(date(2025, 5, 10), 14), ends_at=at(date(2025, 5, 10), 16))
    RegistrationFactory(event=held, attended=True)
    RegistrationFactory(event=held, attended=True)
    RegistrationFactory(event=held, attended=False)
    cancelled = EventFactory(
        platform=platform,
        starts_at=at(date(2025, 5, 20), 14),
        ends_at=at(date(2025, 5, 20), 16),
        status="cancelled",
    )
    RegistrationFactory(event=cancelled, attended=True)
    before = EventFactory(platform=platform, starts_at=at(date(2024, 5, 10), 14), ends_at=at(date(2024, 5, 10), 16))
    RegistrationFactory(event=before, attended=True)


def figures(sections: list[Section]) -> dict[str, Figure]:
    return {item.key: item for section in sections for item in section.figures}


def tables(sections: list[Section]) -> dict[str, list[tuple[Any, ...]]]:
    return {table.key: [tuple(row) for row in table.rows] for section in sections for table in section.tables}


# ---- The figures


def test_previous_period_is_the_same_period_a_year_earlier() -> None:
    assert previous_period(START, END) == (date(2024, 1, 1), date(2024, 6, 30))
    assert shift_years(date(2024, 2, 29), -1) == date(2023, 2, 28)


@pytest.fixture
def sections(platform: Platform) -> list[Section]:
    build(platform)
    return dashboard_sections(platform, START, END, for_role=Role.COORDINATOR)


def test_requests_and_people(sections: list[Section]) -> None:
    got = {key: (f.value, f.previous) for key, f in figures(sections).items()}
    assert got["requests_received"] == (3, 1)
    # Median of the first-contact delays: (1 + 3) / 2 = 2 days; a year earlier 12 hours = 0.5 day.
    assert got["first_contact_days"] == (2.0, 0.5)
    # Supported: A (new) + B (ongoing) = 2; a year earlier B (new) + C (ongoing) = 2.
    assert got["people_supported"] == (2, 2)
    assert got["people_new"] == (1, 1)
    assert got["relatives_supported"] == (1, 0)
    assert got["relatives_new"] == (1, 0)


def test_meetings_groups_and_hours(sections: list[Section]) -> None:
    got = {key: (f.value, f.previous) for key, f in figures(sections).items()}
    assert got["meetings_held"] == (3, 1)
    # No-show rate: 1 / (3 + 1) = 25 %; a year earlier 1 / (1 + 1) = 50 %.
    assert got["no_show_rate"] == (25.0, 50.0)
    assert got["groups_with_sessions"] == (1, 1)
    assert got["group_attendance"] == (3, 2)
    # 120 + 90 + 60 minutes = 4.5 h; a year earlier 60 minutes = 1 h.
    assert got["hours_total"] == (4.5, 1.0)
    rows = tables(sections)
    assert rows["hours_by_type"] == [("Accompagnement individuel", 3.5, 1.0), ("Groupe", 1.0, 0.0)]
    assert rows["hours_by_sector"] == [
        ("Établissement de santé mentale", 1.5, 0.0),
        ("GEM (groupe d'entraide mutuelle)", 1.0, 0.0),
        ("Hors partenaires", 2.0, 1.0),
    ]


def test_deployments_tools_and_capacity(sections: list[Section]) -> None:
    got = {key: (f.value, f.previous) for key, f in figures(sections).items()}
    # At the end of the period: D1 in integration + D2 in direct hiring; a year earlier: D3 in integration.
    assert got["deployments_in_progress"] == (2, 1)
    assert got["direct_hires"] == (1, 0)
    assert got["plans_facilitated"] == (1, 1)  # two sessions of the same plan count once
    assert got["plans_finalised"] == (1, 1)
    assert got["plans_shared"] == (1, 0)
    assert got["campaigns_opened"] == (1, 1)
    assert got["answers_received"] == (2, 1)
    assert got["events_held"] == (1, 1)  # the cancelled one is left out
    assert got["event_attendees"] == (2, 1)
    # The only worker has no supervision on record: one alert this week, with nothing to compare.
    assert got["workload_alerts"] == (1, None)
    assert tables(sections)["deployments_by_state"] == [
        ("Demande", 0, 1),
        ("Intégration", 1, 1),
        ("Transition vers l'embauche directe", 1, 0),
        ("Fin", 1, 0),
    ]


def test_links_only_for_the_coordinator(platform: Platform) -> None:
    build(platform)
    mine = figures(dashboard_sections(platform, START, END, for_role=Role.COORDINATOR))
    assert mine["requests_received"].link == "/accompagnement/demandes/"
    assert mine["deployments_in_progress"].link == "/deploiements/"
    assert all(item.link for item in mine.values())
    theirs = figures(dashboard_sections(platform, START, END, for_role=Role.FUNDER))
    assert not any(item.link for item in theirs.values())


def test_other_platform_rows_are_not_counted(platform: Platform, other_platform: Platform) -> None:
    build(other_platform)
    got = figures(dashboard_sections(platform, START, END, for_role=Role.COORDINATOR))
    assert got["requests_received"].value == 0
    assert got["hours_total"].value == 0.0
    assert got["first_contact_days"].value is None


def test_changes_are_written_in_words() -> None:
    rate = shown_figure(Figure("rate", "Taux", 11.6, 11.5, unit="%", is_count=False), suppress=True)
    assert (rate.value, rate.previous, rate.change) == ("11,6\u00a0%", "11,5\u00a0%", "+0,1\u00a0%")
    assert rate.change_words == "0,1\u00a0% de plus qu'un an plus tôt"
    fewer = shown_figure(Figure("n", "Nombre", 12, 14), suppress=True)
    assert (fewer.change, fewer.change_words) == ("\u22122", "2 de moins qu'un an plus tôt")
    same = shown_figure(Figure("n", "Nombre", 7, 7), suppress=True)
    assert (same.change, same.change_words) == ("=", "autant qu'un an plus tôt")
    # Between small counts, the change would give them away: not shown to whoever sees « < 5 ».
    small = shown_figure(Figure("n", "Nombre", 3, 8), suppress=True)
    assert (small.value, small.previous, small.change) == ("< 5", "8", "")
    exact = shown_figure(Figure("n", "Nombre", 3, 8), suppress=False)
    assert (exact.value, exact.change) == ("3", "\u22125")


# ---- The page


def test_coordinator_sees_exact_numbers_and_links(platform: Platform, client_as: Any) -> None:
    build(platform)
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.get(URL, QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Du 1 janvier 2025 au 30 juin 2025" in body
    assert '<a href="/accompagnement/demandes/">Demandes reçues</a>' in body
    assert '<p class="stat">3</p>' in body
    assert "l&#x27;an dernier : 1" in body or "l'an dernier : 1" in body
    assert "+2" in body and "2 de plus qu" in body  # 3 requests against 1
    assert "25,0\u00a0%" in body  # the no-show rate
    assert "&lt; 5" not in body
    # Two bar charts, each followed by its table.
    assert body.count('role="img"') == 2
    assert '<title id="graphique-hours-by-type-title">Heures par type d&#x27;activité</title>' in body
    assert "<caption>Déploiements par étape en fin de période</caption>" in body


def test_funder_sees_small_numbers_suppressed_and_no_links(platform: Platform, client_as: Any) -> None:
    build(platform)
    client, _ = client_as(Role.FUNDER, platform)
    response = client.get(URL, QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<p class="stat">&lt; 5</p>' in body
    assert "affiché « &lt; 5 » (secret statistique)" in body
    assert "/accompagnement/demandes/" not in body
    assert "/deploiements/" not in body
    main = body.split('id="contenu"')[1].split("</main>")[0]
    assert '<a href="/' not in main.split("Périodes courantes")[1]  # no link to any list (the footer aside)
    # Hours are not counts of people: shown as they are.
    assert "4,5\u00a0h" in body
    # A change between two small numbers would give them away: not shown.
    card = body.split('data-key="requests_received"')[1].split("</div>")[0]
    assert "l'an dernier : &lt; 5" in card
    assert "de plus" not in card and "+2" not in card


def test_default_period_is_this_year_and_presets_are_offered(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    today = timezone.localdate()
    body = client.get(URL).content.decode()
    assert f'value="{today.year}-01-01"' in body
    assert f'value="{today.isoformat()}"' in body
    assert "Cette année" in body and "L&#x27;an dernier" in body and "12 derniers mois" in body
    assert f"?debut={today.year - 1}-01-01&amp;fin={today.year - 1}-12-31" in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"debut": "2025-06-30", "fin": "2025-01-01"}, "fin", "La fin de la période doit suivre son début."),
        ({"debut": "2019-12-31", "fin": "2024-12-31"}, "debut", "Choisissez une période de 5 ans au plus."),
        ({"debut": "2025-02-30", "fin": "2025-06-30"}, "debut", "Saisissez une date valide."),
    ],
)
def test_period_validation_keeps_what_was_typed(
    platform: Platform, client_as: Any, query: dict[str, str], field: str, message: str
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.get(URL, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert f'value="{query["debut"]}"' in body and f'value="{query["fin"]}"' in body
    assert "reporting-section" not in body  # no figures for a wrong period


def test_five_years_exactly_is_accepted(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    body = client.get(URL, {"debut": "2020-01-01", "fin": "2024-12-31"}).content.decode()
    assert "Choisissez" not in body
    assert "reporting-section" in body


def test_query_count_does_not_grow_with_the_data(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    other_client, _ = client_as(Role.COORDINATOR, other_platform)
    build(platform)
    build(other_platform, copies=3)
    client.get(URL, QUERY)  # warm up (sessions, caches)
    other_client.get(URL, QUERY)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, QUERY).status_code == 200
    with CaptureQueriesContext(connection) as big:
        assert other_client.get(URL, QUERY).status_code == 200
    assert len(small) == len(big)
    assert len(big) <= 30


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON, Role.NETWORK_ADMIN])
def test_other_roles_are_refused(platform: Platform, client_as: Any, role: Role) -> None:
    client, _ = client_as(role, platform)
    assert client.get(URL).status_code == 403
