"""DU interns: the coordination creates a record (dates in order, a tutor other than the intern) with its
default milestones, follows current and past interns; the tutor sees their own interns only and marks a
milestone done with its evaluation; who may see what; constant query counts."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import InternMilestone, InternRecord, PeerStatus
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.peers.factories import PeerProfileFactory, intern_record

LIST = "/vivier/stagiaires/"
CREATE = "/vivier/stagiaires/nouveau/"
MINE = "/mes-stagiaires/"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def detail_url(record: InternRecord) -> str:
    return f"/vivier/stagiaires/{record.pk}/"


def tutor_client(record: InternRecord) -> Client:
    return login_client(Client(), record.tutor.membership)


def create_data(intern: Any, tutor: Any, **extra: Any) -> dict[str, Any]:
    return {
        "profile": intern.pk,
        "university": "Université fictive Lyon 1",
        "diploma": "DU pair-aidance en santé mentale",
        "starts_on": "2026-10-01",
        "ends_on": "2027-03-31",
        "tutor": tutor.pk,
        "learning_goals": "Animer un groupe d'entraide.",
        **extra,
    }


def done_data(milestone: InternMilestone, **extra: Any) -> dict[str, Any]:
    prefix = f"etape-{milestone.pk}"
    return {
        "action": "milestone",
        "milestone": milestone.pk,
        f"{prefix}-done_on": timezone.localdate().isoformat(),
        f"{prefix}-evaluation": "Objectifs du premier semestre atteints.",
        **extra,
    }


# ---- Creating a record


def test_the_coordinator_creates_an_intern_with_default_milestones(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    salaried = PeerProfileFactory(membership__platform=platform, membership__user__first_name="Zoé")
    intern = PeerProfileFactory(
        membership__platform=platform, status=PeerStatus.DU_INTERN, membership__user__first_name="Yann"
    )
    page = text(client.get(CREATE))
    assert "Nouveau·elle stagiaire" in page
    assert page.index(f'value="{intern.pk}"') < page.index(f'value="{salaried.pk}"')  # DU interns first
    response = client.post(CREATE, create_data(intern, salaried))
    record = InternRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(record)
    assert (record.profile, record.tutor, record.university) == (intern, salaried, "Université fictive Lyon 1")
    milestones = [(m.title, m.due_on) for m in record.milestones.order_by("due_on")]
    assert milestones == [
        ("Point d'étape à mi-parcours", date(2026, 10, 1) + (date(2027, 3, 31) - date(2026, 10, 1)) / 2),
        ("Évaluation finale", date(2027, 3, 31)),
    ]
    assert milestones[0][1] == date(2026, 12, 30)
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="peers.internrecord").exists()
    # The intern has a record now: they are no longer offered.
    profile_choices = text(client.get(CREATE)).split('name="profile"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{intern.pk}"' not in profile_choices


def test_dates_out_of_order_or_the_intern_as_tutor_are_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    intern = PeerProfileFactory(membership__platform=platform, status=PeerStatus.DU_INTERN)
    tutor = PeerProfileFactory(membership__platform=platform)
    response = client.post(CREATE, create_data(intern, tutor, starts_on="2027-03-31", ends_on="2026-10-01"))
    page = text(response)
    assert response.status_code == 200
    assert "La fin du stage ne peut pas précéder son début." in page
    assert 'value="Université fictive Lyon 1"' in page and "Animer un groupe d'entraide." in page
    page = text(client.post(CREATE, create_data(intern, intern)))
    assert "Le tuteur ou la tutrice doit être une autre personne que le ou la stagiaire." in page
    page = text(client.post(CREATE, create_data(intern, tutor, university="")))
    assert "Indiquez l'université qui délivre le DU." in page
    assert not InternRecord.objects.exists() and not InternMilestone.objects.exists()


def test_a_tutor_who_left_or_of_another_platform_is_refused(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    intern = PeerProfileFactory(membership__platform=platform, status=PeerStatus.DU_INTERN)
    gone = PeerProfileFactory(membership__platform=platform, status_end=timezone.localdate() - timedelta(days=5))
    foreign = PeerProfileFactory(membership__platform=other_platform)
    for tutor in (gone, foreign):
        assert "Choisissez un·e pair aidant·e de la liste." in text(client.post(CREATE, create_data(intern, tutor)))
    foreign_intern = PeerProfileFactory(membership__platform=other_platform, status=PeerStatus.DU_INTERN)
    page = text(client.post(CREATE, create_data(foreign_intern, PeerProfileFactory(membership__platform=platform))))
    assert "Choisissez une personne de la liste, sans fiche de stagiaire." in page
    assert not InternRecord.objects.exists()


# ---- The coordination's list


def test_the_list_shows_current_and_past_interns_with_next_and_late_milestones(
    platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    today = timezone.localdate()
    current = intern_record(platform, starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60))
    InternMilestone.objects.create(
        platform=platform, record=current, title="Bilan du premier mois", due_on=today - timedelta(days=30)
    )
    InternMilestone.objects.create(
        platform=platform, record=current, title="Point d'étape à mi-parcours", due_on=today + timedelta(days=5)
    )
    past = intern_record(platform, starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=100))
    page = text(client.get(LIST))
    assert "Nouveau·elle stagiaire" in page
    assert current.profile.membership.user.display_name in page and current.tutor.membership.user.display_name in page
    assert "Point d'étape à mi-parcours" in page and "en retard" in page and "Bilan du premier mois" in page
    current_part, past_part = page.split("Stages terminés", 1)
    assert past.profile.membership.user.display_name in past_part
    assert past.profile.membership.user.display_name not in current_part


def test_only_the_coordination_lists_and_creates_interns(platform: Platform, client_as: Any) -> None:
    peer, _membership = client_as(Role.PEER_WORKER, platform)
    assert peer.get(LIST).status_code == 403
    assert peer.get(CREATE).status_code == 403
    assert peer.post(CREATE, {}).status_code == 403
    partner, _membership = client_as(Role.PARTNER_CONTACT, platform)
    record = intern_record(platform)
    assert partner.get(detail_url(record)).status_code == 403


# ---- One record: the tutor, milestones


def test_the_tutor_sees_their_interns_only(platform: Platform, client_as: Any) -> None:
    mine = intern_record(platform)
    other = intern_record(platform)
    client = tutor_client(mine)
    page = text(client.get(MINE))
    assert mine.profile.membership.user.display_name in page
    assert other.profile.membership.user.display_name not in page
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(other)).status_code == 404
    # The intern themself, or a colleague, does not see the record.
    assert login_client(Client(), mine.profile.membership).get(detail_url(mine)).status_code == 404
    colleague, _membership = client_as(Role.PEER_WORKER, platform)
    assert colleague.get(detail_url(mine)).status_code == 404
    assert "Vous n'êtes tuteur ou tutrice d'aucun·e stagiaire" in text(colleague.get(MINE))


def test_the_record_page_is_journaled(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    record = intern_record(platform, learning_goals="Co-animer un atelier.")
    page = text(client.get(detail_url(record)))
    assert "Université fictive Lyon 1" in page and "Co-animer un atelier." in page
    assert JournalEntry.objects.filter(
        action=Action.VIEW, object_type="peers.internrecord", object_id=str(record.pk)
    ).exists()


def test_the_tutor_marks_a_milestone_done_with_its_evaluation(platform: Platform) -> None:
    record = intern_record(platform)
    milestone = InternMilestone.objects.create(
        platform=platform, record=record, title="Point d'étape à mi-parcours", due_on=date(2026, 12, 15)
    )
    client = tutor_client(record)
    missing = client.post(detail_url(record), done_data(milestone, **{f"etape-{milestone.pk}-evaluation": ""}))
    assert missing.status_code == 200 and "Écrivez le bilan de l'étape." in text(missing)
    response = client.post(detail_url(record), done_data(milestone), follow=True)
    assert "Étape « Point d'étape à mi-parcours » : faite." in text(response)
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert milestone.evaluation == "Objectifs du premier semestre atteints."
    assert JournalEntry.objects.filter(action=Action.UPDATE, object_type="peers.internmilestone").exists()


def test_a_milestone_of_another_record_answers_404(platform: Platform) -> None:
    record = intern_record(platform)
    other = intern_record(platform)
    foreign = InternMilestone.objects.create(platform=platform, record=other, title="Autre", due_on=date(2026, 12, 1))
    client = tutor_client(record)
    assert client.post(detail_url(record), done_data(foreign)).status_code == 404
    assert client.post(detail_url(record), {"action": "milestone", "milestone": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_on is None


def test_the_tutor_adds_a_milestone_but_only_the_coordination_edits(platform: Platform, client_as: Any) -> None:
    record = intern_record(platform)
    client = tutor_client(record)
    data = {"action": "add", "nouvelle-etape-title": "Visite d'un GEM", "nouvelle-etape-due_on": "2026-11-15"}
    assert client.post(detail_url(record), data).status_code == 302
    assert record.milestones.get().title == "Visite d'un GEM"
    assert client.get(f"{detail_url(record)}?modifier=1").status_code == 403
    assert client.post(detail_url(record), {"action": "edit"}).status_code == 403
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    edit = {**create_data(record.profile, record.tutor), "action": "edit", "ends_on": "2027-06-30"}
    del edit["profile"]
    assert coordinator.post(detail_url(record), {**edit, "ends_on": "2026-01-01"}).status_code == 200
    assert coordinator.post(detail_url(record), edit).status_code == 302
    record.refresh_from_db()
    assert record.ends_on == date(2027, 6, 30)


def test_another_platforms_record_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    foreign = intern_record(other_platform)
    assert client.get(detail_url(foreign)).status_code == 404
    assert client.post(detail_url(foreign), {"action": "edit"}).status_code == 404
    peer, _membership = client_as(Role.PEER_WORKER, platform)
    assert peer.get(detail_url(foreign)).status_code == 404


# ---- Query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _with_milestones(platform: Platform, **kwargs: Any) -> InternRecord:
    record = intern_record(platform, **kwargs)
    for days in (-10, 10):
        InternMilestone.objects.create(
            platform=platform, record=record, title="Étape", due_on=timezone.localdate() + timedelta(days=days)
        )
    return record


def test_the_lists_run_the_same_queries_for_few_or_many_interns(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    today = timezone.localdate()
    first = _with_milestones(platform, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30))
    _with_milestones(platform, starts_on=today - timedelta(days=300), ends_on=today - timedelta(days=30))
    few = _count(client, LIST)
    tutor = tutor_client(first)
    few_mine = _count(tutor, MINE)
    for _n in range(5):
        _with_milestones(platform, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30))
        _with_milestones(
            platform, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30), tutor=first.tutor
        )
    assert text(client.get(LIST)).count('<th scope="row">') == 12
    assert _count(client, LIST) == few
    assert text(tutor.get(MINE)).count('<h2 id="stagiaire-') == 6
    assert _count(tutor, MINE) == few_mine
