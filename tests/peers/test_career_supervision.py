"""Supervision and intervision sessions: recording, attendance, no content, who may see them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import SupervisionSession
from pairs.peers.services.career import supervision_record
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories import SupervisionSessionFactory
from tests.peers.factories_career import peer

CONFIDENTIALITY = "Aucune note de contenu n'est conservée : la confidentialité des échanges est la règle."


def _data(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "intervision",
        "held_on": "2026-01-15",
        "facilitator": "Collectif des pairs",
        "duration_minutes": "90",
        **changes,
    }


def test_a_session_is_recorded_with_attendance(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    present, absent = peer(platform), peer(platform)
    page = client.get("/supervisions/").content.decode()
    assert CONFIDENTIALITY in page
    assert present.membership.user.display_name in page  # a checkbox per active worker

    response = client.post("/supervisions/", _data(attendees=[present.pk]), follow=True)

    assert "La séance est enregistrée." in response.content.decode()
    session = SupervisionSession.objects.get(platform=platform)
    assert (session.kind, session.held_on, session.duration_minutes) == ("intervision", date(2026, 1, 15), 90)
    assert list(session.attendees.all()) == [present]
    assert absent not in session.attendees.all()
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="peers.supervisionsession")
    assert "attendees" in entry.fields


def test_a_future_date_is_refused_in_french_and_nothing_is_saved(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post("/supervisions/", _data(held_on=tomorrow, attendees=[peer(platform).pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cette date est dans le futur : on n&#x27;enregistre qu&#x27;une séance qui a eu lieu." in body
    assert 'value="Collectif des pairs"' in body
    assert not SupervisionSession.objects.exists()


def test_attendees_of_another_platform_are_refused(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    stranger = peer(other_platform)
    response = client.post("/supervisions/", _data(attendees=[stranger.pk]))
    assert "Seul·es les pairs aidant·es de la plateforme peuvent être présent·es." in response.content.decode()
    with pytest.raises(ValidationError):
        supervision_record(
            request=None,
            platform=platform,
            kind="supervision",
            held_on=date(2026, 1, 15),
            facilitator="Psychologue",
            duration_minutes=120,
            attendees=[stranger],
        )
    assert not SupervisionSession.objects.exists()


def test_attendance_and_fields_are_edited(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    first, second = peer(platform), peer(platform)
    session = SupervisionSessionFactory(platform=platform, held_on=date(2026, 1, 8))
    session.attendees.set([first])
    page = client.get(f"/supervisions/{session.pk}/").content.decode()
    assert CONFIDENTIALITY in page

    response = client.post(
        f"/supervisions/{session.pk}/",
        _data(kind="supervision", held_on="2026-01-08", facilitator="Superviseur·e externe", attendees=[second.pk]),
        follow=True,
    )

    assert "Les changements sont enregistrés." in response.content.decode()
    session.refresh_from_db()
    assert list(session.attendees.all()) == [second]
    assert session.duration_minutes == 90
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_id=str(session.pk))
    assert entry.fields == ["attendees", "duration_minutes"]


def test_a_peer_worker_gets_403(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PEER_WORKER, platform)
    session = SupervisionSessionFactory(platform=platform)
    assert client.get("/supervisions/").status_code == 403
    assert client.get(f"/supervisions/{session.pk}/").status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_supervision_list_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    people = [peer(platform) for _i in range(rows)]
    for i in range(rows):
        session = SupervisionSessionFactory(platform=platform, held_on=date(2025, 1, 1) + timedelta(days=i))
        session.attendees.set(people)
    with django_assert_num_queries(12):
        response = client.get("/supervisions/")
    assert response.status_code == 200
