"""Facilitation sessions feed the peer worker's activity log; crises propose a review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import ActivityEntry, ActivityType
from pairs.plans.models import CrisisEvent, CrisisPlan, FacilitationSession, PlanStatus
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import commune
from tests.plans.test_editor import cast, text


def session_url(plan: CrisisPlan) -> str:
    return f"/plans/{plan.pk}/seances/"


def test_a_session_is_logged_in_the_activity_of_the_peer_worker(platform: Platform) -> None:
    c = cast(platform)
    assert not ActivityType.objects.filter(platform=platform, code="recovery_tools").exists()
    today = timezone.localdate()
    response = c.peer.post(
        session_url(c.plan), {"held_on": today.isoformat(), "duration_minutes": "90", "remote": "on"}
    )
    assert response["Location"] == f"/plans/{c.plan.pk}/#seances"
    session = FacilitationSession.objects.get(plan=c.plan)
    assert session.peer == c.person.peer and session.duration_minutes == 90 and session.held_on == today
    entry = ActivityEntry.objects.get(pk=session.activity_entry_id)
    assert entry.profile == c.person.peer and entry.duration_minutes == 90 and entry.day == today
    assert entry.remote and entry.commune is None
    assert entry.activity_type.code == "recovery_tools"
    assert entry.activity_type.label == "Outils de rétablissement (plan de crise, directives anticipées)"
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="plans.facilitationsession").exists()
    assert "1 séance, 1 h 30" in text(c.peer.get(f"/plans/{c.plan.pk}/"))


def test_sessions_add_up_on_the_plan_page(platform: Platform) -> None:
    c = cast(platform)
    today = timezone.localdate()
    for days, minutes in ((3, 60), (2, 90), (1, 120)):
        day = (today - timedelta(days=days)).isoformat()
        c.peer.post(session_url(c.plan), {"held_on": day, "duration_minutes": str(minutes), "remote": "on"})
    assert FacilitationSession.objects.filter(plan=c.plan).count() == 3
    assert ActivityEntry.objects.filter(profile=c.person.peer, activity_type__code="recovery_tools").count() == 3
    assert "3 séances, 4 h 30" in text(c.owner.get(f"/plans/{c.plan.pk}/"))


def test_a_session_on_site_names_the_commune(platform: Platform) -> None:
    c = cast(platform)
    place = commune("69266", "Villeurbanne", 45.766, 4.879)
    today = timezone.localdate().isoformat()
    missing = c.peer.post(session_url(c.plan), {"held_on": today, "duration_minutes": "60"})
    assert missing.status_code == 200 and "Choisissez la commune, ou cochez « à distance »." in text(missing)
    c.peer.post(session_url(c.plan), {"held_on": today, "duration_minutes": "60", "commune": place.pk})
    entry = ActivityEntry.objects.get(profile=c.person.peer)
    assert entry.commune == place and not entry.remote


def test_a_session_in_the_future_is_refused(platform: Platform) -> None:
    c = cast(platform)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = c.peer.post(session_url(c.plan), {"held_on": tomorrow, "duration_minutes": "60", "remote": "on"})
    assert response.status_code == 200
    assert "Cette date est dans le futur" in text(response)
    assert not FacilitationSession.objects.exists() and not ActivityEntry.objects.exists()


def test_only_a_peer_worker_records_a_session(platform: Platform) -> None:
    c = cast(platform)
    today = timezone.localdate().isoformat()
    data = {"held_on": today, "duration_minutes": "60", "remote": "on"}
    assert c.owner.post(session_url(c.plan), data).status_code == 403
    assert "Noter une séance" not in text(c.owner.get(f"/plans/{c.plan.pk}/"))
    assert "Noter une séance" in text(c.peer.get(f"/plans/{c.plan.pk}/"))
    assert not FacilitationSession.objects.exists()


# ---- Crises


def test_a_crisis_proposes_a_review_from_today(platform: Platform, client_as: Any) -> None:
    c = cast(platform)
    CrisisPlan.objects.filter(pk=c.plan.pk).update(review_due_on=timezone.localdate() + timedelta(days=200))
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = c.owner.post(f"/plans/{c.plan.pk}/crise/", {"occurred_on": day, "plan_used": "on"})
    assert response["Location"] == f"/plans/{c.plan.pk}/#crises"
    event = CrisisEvent.objects.get(plan=c.plan)
    assert c.person.membership is not None
    assert event.plan_used and event.recorded_by == c.person.membership.user
    c.plan.refresh_from_db()
    assert c.plan.review_due_on == timezone.localdate()
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="plans.crisisevent").exists()
    assert "le plan a servi" in text(c.owner.get(f"/plans/{c.plan.pk}/"))

    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    coordinator.post(f"/plans/{c.plan.pk}/crise/", {"occurred_on": day})
    assert CrisisEvent.objects.filter(plan=c.plan, plan_used=False).count() == 1


def test_a_crisis_in_the_future_or_on_a_revoked_plan_is_refused(platform: Platform) -> None:
    c = cast(platform)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = c.peer.post(f"/plans/{c.plan.pk}/crise/", {"occurred_on": tomorrow})
    assert response.status_code == 200 and "Cette date est dans le futur" in text(response)
    CrisisPlan.objects.filter(pk=c.plan.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    data = {"occurred_on": timezone.localdate().isoformat()}
    refused = c.peer.post(f"/plans/{c.plan.pk}/crise/", data, follow=True)
    assert "Ce plan est révoqué : on n'y note plus de crise." in text(refused)
    assert not CrisisEvent.objects.exists()
