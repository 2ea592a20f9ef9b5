"""The training record: hours per year, adding and deleting, who may see it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import TrainingRecord
from pairs.peers.selectors.career import training_hours_by_year
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories import TrainingRecordFactory
from tests.peers.factories_career import peer, profile_of


def test_hours_per_year_are_summed(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    TrainingRecordFactory(profile=worker, started_on=date(2025, 3, 1), ended_on=None, hours=Decimal("12"))
    TrainingRecordFactory(profile=worker, started_on=date(2025, 11, 20), ended_on=None, hours=Decimal("7.5"))
    TrainingRecordFactory(profile=worker, started_on=date(2024, 9, 1), hours=Decimal("120"))
    TrainingRecordFactory(profile=peer(platform), started_on=date(2025, 1, 1), hours=Decimal("50"))  # a colleague

    rows = training_hours_by_year(worker)
    assert [(row["year"], row["total"], row["count"]) for row in rows] == [
        (2025, Decimal("19.5"), 2),
        (2024, Decimal("120"), 1),
    ]
    body = client.get(f"/vivier/{worker.pk}/formations/").content.decode()
    assert "Heures de formation par année" in body
    assert '<th scope="row">2025</th><td>2</td><td>19,5</td>' in body
    assert '<th scope="row">2024</th><td>1</td><td>120</td>' in body


def test_a_worker_adds_their_own_training(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = profile_of(membership)
    data = {
        "title": "Formation Un chez-soi d'abord",
        "organisation": "Association régionale",
        "is_diploma": "",
        "started_on": "2025-05-12",
        "ended_on": "2025-05-14",
        "hours": "21",
    }
    response = client.post(f"/vivier/{me.pk}/formations/", data, follow=True)
    body = response.content.decode()
    assert "La formation est ajoutée." in body
    assert "Mes formations" in body
    training = TrainingRecord.objects.get(profile=me)
    assert (training.hours, training.is_diploma, training.ended_on) == (Decimal("21"), False, date(2025, 5, 14))
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="peers.trainingrecord")
    assert "hours" in entry.fields and entry.object_id == str(training.pk)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ended_on": "2025-05-01"}, "La fin ne peut pas précéder le début."),
        ({"hours": "2500"}, "Le nombre d&#x27;heures doit être compris entre 0 et 2000."),
        ({"hours": "-1"}, "Le nombre d&#x27;heures doit être compris entre 0 et 2000."),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(
    changes: dict[str, str], message: str, platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    data = {"title": "Premiers secours en santé mentale", "started_on": "2025-05-12", "hours": "14", **changes}
    response = client.post(f"/vivier/{worker.pk}/formations/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Premiers secours en santé mentale"' in body
    assert not TrainingRecord.objects.exists()


def test_a_training_is_deleted_and_journaled(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    training = TrainingRecordFactory(profile=peer(platform), title="DU pair-aidance")
    assert client.get(f"/formations/{training.pk}/supprimer/").status_code == 405
    response = client.post(f"/formations/{training.pk}/supprimer/", follow=True)
    assert "La formation « DU pair-aidance » est supprimée." in response.content.decode()
    assert not TrainingRecord.objects.filter(pk=training.pk).exists()
    assert JournalEntry.objects.filter(action=Action.DELETE, object_id=str(training.pk)).exists()


def test_a_peer_worker_gets_404_on_a_colleagues_trainings(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile_of(membership)
    training = TrainingRecordFactory(profile=peer(platform))
    assert client.get(f"/vivier/{training.profile_id}/formations/").status_code == 404
    assert client.post(f"/formations/{training.pk}/supprimer/").status_code == 404
    assert TrainingRecord.objects.filter(pk=training.pk).exists()


@pytest.mark.parametrize("role", [Role.FUNDER, Role.PARTNER_CONTACT, Role.PERSON])
def test_other_roles_get_403(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    training = TrainingRecordFactory(profile=peer(platform))
    assert client.get(f"/vivier/{training.profile_id}/formations/").status_code == 403
    assert client.post(f"/formations/{training.pk}/supprimer/").status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_trainings_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    for i in range(rows):
        TrainingRecordFactory(profile=worker, started_on=date(2000 + i, 1, 1), ended_on=None)
    with django_assert_num_queries(13):
        response = client.get(f"/vivier/{worker.pk}/formations/")
    assert response.status_code == 200
