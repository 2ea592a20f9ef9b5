"""Workload indicators (hand-checked numbers) and the coordination's workload page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pairs.peers.models import PoolSettings
from pairs.peers.selectors.workload import weekly_indicators, weekly_indicators_range
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from .factories_activity import entry, givors, past_monday, supervision, this_monday, worker


def _week_of_three_entries(platform: Platform) -> Any:
    """120 + 90 min at two workplaces, 60 min remote; contract 3 h."""
    profile = worker(platform, contract_hours="3")
    monday = past_monday()
    entry(profile, monday, 120, workplace="CMP Villeurbanne", travel_minutes=20)
    entry(profile, monday + timedelta(days=1), 90, workplace="GEM Lyon 8", commune=givors(), travel_minutes=30)
    entry(profile, monday + timedelta(days=2), 60, remote=True, commune=None)
    supervision(platform, monday, profile)
    return profile, monday


def test_hours_above_contract_give_an_alert_in_plain_french(platform: Platform) -> None:
    profile, monday = _week_of_three_entries(platform)
    week = weekly_indicators(platform, monday)[profile.pk]
    assert week.minutes == 270 and week.hours == Decimal("4.5")
    assert week.contract_percent == 150
    assert week.workplaces == 2
    assert week.travel_minutes == 50
    assert [alert.code for alert in week.alerts] == ["hours"]
    assert week.alerts[0].message == "4,5 h déclarées pour un contrat de 3 h, soit 150 % du contrat."


def test_a_fourth_distinct_workplace_raises_the_workplace_alert(platform: Platform) -> None:
    profile, monday = _week_of_three_entries(platform)
    # Same place written differently: still one place.
    entry(profile, monday + timedelta(days=3), 30, workplace="  cmp villeurbanne ")
    assert weekly_indicators(platform, monday)[profile.pk].workplaces == 2
    entry(profile, monday + timedelta(days=3), 30, workplace="Café associatif Croix-Rousse")
    entry(profile, monday + timedelta(days=4), 30, workplace="CMP Givors", commune=givors())
    week = weekly_indicators(platform, monday)[profile.pk]
    assert week.workplaces == 4
    messages = [alert.message for alert in week.alerts if alert.code == "workplaces"]
    assert messages == ["4 lieux de travail différents dans la semaine (repère : 3 au plus)."]


def test_crisis_share_counts_crisis_related_types(platform: Platform) -> None:
    profile = worker(platform)
    monday = past_monday()
    entry(profile, monday, 180)
    entry(profile, monday + timedelta(days=1), 60, code="hospital_visit")
    week = weekly_indicators(platform, monday)[profile.pk]
    assert week.crisis_minutes == 60 and week.crisis_percent == 25


def test_supervision_seven_weeks_ago_and_no_supervision(platform: Platform) -> None:
    monday = past_monday(3)
    sunday = monday + timedelta(days=6)
    long_ago = worker(platform)
    never = worker(platform)
    recent = worker(platform)
    supervision(platform, sunday - timedelta(days=50), long_ago)
    supervision(platform, sunday - timedelta(days=40), recent)
    weeks = weekly_indicators(platform, monday)
    assert weeks[long_ago.pk].days_since_supervision == 50
    assert [a.message for a in weeks[long_ago.pk].alerts] == ["Pas de supervision ni d'intervision depuis 7 semaines."]
    assert [a.message for a in weeks[never.pk].alerts] == ["Aucune supervision ni intervision enregistrée."]
    assert weeks[recent.pk].alerts == []


def test_the_platform_thresholds_apply(platform: Platform) -> None:
    profile, monday = _week_of_three_entries(platform)
    PoolSettings.objects.create(platform=platform, max_hours_ratio_percent=160, max_workplaces_per_week=1)
    codes = [alert.code for alert in weekly_indicators(platform, monday)[profile.pk].alerts]
    assert codes == ["workplaces"]


def test_the_current_week_counts_days_since_supervision_to_today(platform: Platform) -> None:
    profile = worker(platform)
    today = timezone.localdate()
    supervision(platform, today - timedelta(days=1), profile)
    tomorrow = today + timedelta(days=1)
    if tomorrow.weekday() != 0:  # a session planned later this week is not held yet
        supervision(platform, tomorrow, profile)
    week = weekly_indicators(platform, today)[profile.pk]
    assert week.days_since_supervision == 1


def test_the_range_matches_week_by_week_in_one_query(platform: Platform, django_assert_num_queries: Any) -> None:
    profile, monday = _week_of_three_entries(platform)
    entry(profile, monday - timedelta(days=5), 45, code="hospital_visit", workplace="CH Le Vinatier")
    supervision(platform, monday - timedelta(weeks=3), profile)
    first = monday - timedelta(weeks=2)
    with django_assert_num_queries(2):  # the indicators, the platform's thresholds
        weeks = weekly_indicators_range(platform, profile.pk, first, 5)
    assert [w.week_start for w in weeks] == [first + timedelta(weeks=n) for n in range(5)]
    for week in weeks:
        single = weekly_indicators(platform, week.week_start)[profile.pk]
        assert (week.minutes, week.workplaces, week.travel_minutes, week.crisis_minutes) == (
            single.minutes,
            single.workplaces,
            single.travel_minutes,
            single.crisis_minutes,
        )
        assert week.last_supervision == single.last_supervision
        assert [a.message for a in week.alerts] == [a.message for a in single.alerts]
    assert weeks[2].minutes == 270 and weeks[1].minutes == 45 and weeks[0].minutes == 0


def test_the_range_leaves_out_weeks_before_the_worker_started(platform: Platform) -> None:
    monday = past_monday(4)
    profile = worker(platform, status_start=monday + timedelta(weeks=2, days=3))
    weeks = weekly_indicators_range(platform, profile.pk, monday, 4)
    assert [w.week_start for w in weeks] == [monday + timedelta(weeks=2), monday + timedelta(weeks=3)]


# ---- The workload page


def test_coordinator_sees_workers_with_alerts_first(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    calm = worker(platform, contract_hours="24")
    calm.membership.user.first_name, calm.membership.user.last_name = "Aline", "Calme"
    calm.membership.user.save()
    busy, monday = _week_of_three_entries(platform)
    busy.membership.user.first_name, busy.membership.user.last_name = "Zoé", "Chargée"
    busy.membership.user.save()
    supervision(platform, monday, calm)
    body = client.get(f"/charge-de-travail/?semaine={monday + timedelta(days=3)}").content.decode()
    assert "Charge de travail et alertes" in body and "(1 alerte)" in body
    assert body.index("Zoé Chargée") < body.index("Aline Calme")
    assert "4,5 h déclarées pour un contrat de 3 h, soit 150 % du contrat." in body
    assert f"/vivier/{busy.pk}/activite/" in body


def test_workload_never_shows_a_future_week(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    body = client.get(f"/charge-de-travail/?semaine={this_monday() + timedelta(weeks=3)}").content.decode()
    assert f"?semaine={this_monday() - timedelta(weeks=1)}" in body
    assert "Semaine suivante" not in body


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.PEER_WORKER, Role.PERSON, Role.FUNDER])
def test_other_roles_get_403_on_workload(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    assert client.get("/charge-de-travail/").status_code == 403


@pytest.mark.parametrize("workers", [1, 30])
def test_workload_query_count_is_constant(
    workers: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    monday = past_monday()
    for n in range(workers):
        profile = worker(platform)
        entry(profile, monday + timedelta(days=n % 7), 60, workplace=f"Lieu {n}")
        supervision(platform, monday, profile)
    # session (read, save), user, memberships, second factor, scope set/clear, then:
    # the indicators, the thresholds, the profiles' names.
    with django_assert_num_queries(12):
        response = client.get(f"/charge-de-travail/?semaine={monday}")
    assert response.status_code == 200
    assert response.content.decode().count("/activite/?mois=") == workers
