"""The coordination reviews a worker's activity and corrects it; every correction is journaled."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import ActivityEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from .factories import activity_type
from .factories_activity import entry, givors, past_monday, signed_in_worker, villeurbanne, worker


def _month_start() -> date:
    return past_monday(6).replace(day=1)


def test_coordinator_sees_one_month_of_a_worker_with_its_total(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    profile = worker(platform)
    first = _month_start()
    entry(profile, first, 120, workplace="CMP Villeurbanne")
    entry(profile, first + timedelta(days=1), 90, workplace="GEM Lyon 8")
    entry(profile, first - timedelta(days=1), 60, workplace="Le mois d'avant")
    body = client.get(f"/vivier/{profile.pk}/activite/?mois={first:%Y-%m}").content.decode()
    assert "2 activités notées, 3 h 30 au total." in body
    assert "CMP Villeurbanne" in body and "GEM Lyon 8" in body and "mois d&#x27;avant" not in body
    assert body.count(">Corriger<") == 2


@pytest.mark.parametrize("rows", [1, 60])
def test_peer_activity_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    profile = worker(platform)
    first = _month_start()
    for n in range(rows):
        entry(profile, first + timedelta(days=n % 28), 15, workplace=f"Lieu {n}")
    with django_assert_num_queries(13):
        response = client.get(f"/vivier/{profile.pk}/activite/?mois={first:%Y-%m}")
    assert response.content.decode().count(">Corriger<") == min(rows, 50)


def test_a_correction_is_saved_and_journaled_with_field_names(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    target = entry(worker(platform), past_monday(), 60, workplace="GEM Lyon 8")
    page = client.get(f"/activite/{target.pk}/corriger/").content.decode()
    assert "Corriger une activité" in page and 'value="GEM Lyon 8"' in page
    data = {
        "day": str(target.day),
        "activity_type": activity_type(platform).pk,
        "duration": "90",
        "commune": villeurbanne().pk,
        "workplace": "GEM Lyon 7",
        "travel_minutes": "0",
    }
    response = client.post(f"/activite/{target.pk}/corriger/", data, follow=True)
    assert "La correction est enregistrée et tracée dans le journal." in response.content.decode()
    target.refresh_from_db()
    assert (target.duration_minutes, target.workplace) == (90, "GEM Lyon 7")
    journal = JournalEntry.objects.get(object_type="peers.activityentry", object_id=str(target.pk))
    assert journal.action == Action.UPDATE and journal.detail == "correction"
    assert journal.fields == ["duration_minutes", "workplace"] and journal.actor == coordinator.user


def test_a_bad_correction_is_explained_and_nothing_changes(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    target = entry(worker(platform), past_monday(), 60, commune=givors())
    data = {"day": str(target.day), "activity_type": activity_type(platform).pk, "duration_other": "1500"}
    response = client.post(f"/activite/{target.pk}/corriger/", data | {"commune": givors().pk})
    assert "Une activité ne peut pas durer plus de 24 heures." in response.content.decode()
    target.refresh_from_db()
    assert target.duration_minutes == 60 and not JournalEntry.objects.filter(object_type="peers.activityentry")


def test_a_deletion_by_the_coordination_is_journaled(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    target = entry(worker(platform), past_monday())
    response = client.post(f"/activite/{target.pk}/corriger/", {"supprimer": "1"}, follow=True)
    assert "La suppression est enregistrée et tracée dans le journal." in response.content.decode()
    assert not ActivityEntry.objects.filter(pk=target.pk).exists()
    journal = JournalEntry.objects.get(object_type="peers.activityentry", object_id=str(target.pk))
    assert journal.action == Action.DELETE and journal.detail == "correction"


def test_a_peer_worker_cannot_review_or_correct(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    own = entry(profile, past_monday())
    assert client.get(f"/vivier/{profile.pk}/activite/").status_code == 403
    assert client.post(f"/activite/{own.pk}/corriger/", {"supprimer": "1"}).status_code == 403
    assert ActivityEntry.objects.filter(pk=own.pk).exists()


def test_another_platform_entry_answers_404_to_the_coordinator(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    elsewhere = entry(worker(other_platform), past_monday())
    assert client.get(f"/activite/{elsewhere.pk}/corriger/").status_code == 404
    assert client.get(f"/vivier/{elsewhere.profile_id}/activite/").status_code == 404
