"""Career reviews: coordinators and the worker only, journaled, and the reminder job."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import CareerReview
from pairs.peers.services.career import career_review_reminders_send
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory
from tests.peers.factories import CareerReviewFactory
from tests.peers.factories_career import peer, profile_of


def test_a_coordinator_records_a_review_next_one_a_year_later(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    data = {"held_on": "2025-06-12", "wishes": "Animer un groupe d'entraide", "next_review_on": ""}

    response = client.post(f"/vivier/{worker.pk}/entretiens/", data, follow=True)

    assert "L&#x27;entretien professionnel est enregistré." in response.content.decode()
    review = CareerReview.objects.get(profile=worker)
    assert (review.held_on, review.next_review_on) == (date(2025, 6, 12), date(2026, 6, 12))
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="peers.careerreview")
    assert entry.fields == ["held_on", "next_review_on", "wishes"]
    assert "entraide" not in str(entry.fields) + entry.detail
    assert JournalEntry.objects.filter(
        action=Action.VIEW, object_type="peers.peerprofile", object_id=str(worker.pk), detail="career_reviews"
    ).exists()


def test_the_next_review_must_come_after(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    data = {"held_on": "2025-06-12", "wishes": "Former des pairs", "next_review_on": "2025-06-01"}
    response = client.post(f"/vivier/{worker.pk}/entretiens/", data)
    body = response.content.decode()
    assert "Le prochain entretien doit être prévu après la date de celui-ci." in body
    assert "Former des pairs" in body
    assert not CareerReview.objects.exists()


def test_a_review_is_edited_and_journaled_with_field_names(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    review = CareerReviewFactory(profile=peer(platform), reminder_sent_on=date(2027, 2, 20))
    page = client.get(f"/entretiens/{review.pk}/").content.decode()
    assert "Animer des groupes" in page
    assert JournalEntry.objects.filter(action=Action.VIEW, object_id=str(review.pk)).exists()

    data = {
        "held_on": "2026-03-10",
        "wishes": "Animer des groupes",
        "skills_to_develop": "Prise de parole en public",
        "next_review_on": "2027-01-15",
    }
    response = client.post(f"/entretiens/{review.pk}/", data, follow=True)

    assert "Les changements sont enregistrés." in response.content.decode()
    review.refresh_from_db()
    assert review.skills_to_develop == "Prise de parole en public"
    assert review.reminder_sent_on is None  # a new date, a new reminder
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_id=str(review.pk))
    assert entry.fields == ["next_review_on", "skills_to_develop"]


def test_the_worker_reads_their_own_reviews_only(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = profile_of(membership)
    mine = CareerReviewFactory(profile=me, wishes="Devenir formateur")
    colleague = CareerReviewFactory(profile=peer(platform))

    listing = client.get(f"/vivier/{me.pk}/entretiens/").content.decode()
    assert "Mes entretiens professionnels" in listing
    assert "Enregistrer un entretien" not in listing
    assert "Devenir formateur" in client.get(f"/entretiens/{mine.pk}/").content.decode()
    assert client.post(f"/entretiens/{mine.pk}/", {"held_on": "2026-03-10"}).status_code == 403
    assert client.post(f"/vivier/{me.pk}/entretiens/", {"held_on": "2026-03-10"}).status_code == 403

    assert client.get(f"/vivier/{colleague.profile_id}/entretiens/").status_code == 404
    assert client.get(f"/entretiens/{colleague.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.FUNDER, Role.PARTNER_CONTACT])
def test_other_roles_get_403(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    review = CareerReviewFactory(profile=peer(platform))
    assert client.get(f"/vivier/{review.profile_id}/entretiens/").status_code == 403
    assert client.get(f"/entretiens/{review.pk}/").status_code == 403


@pytest.mark.parametrize("rows", [1, 20])
def test_career_reviews_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    CareerReviewFactory.create_batch(rows, profile=worker)
    with django_assert_num_queries(13):
        response = client.get(f"/vivier/{worker.pk}/entretiens/")
    assert response.status_code == 200


# ---- Reminders


def test_reminders_are_queued_once_for_the_latest_review(platform: Platform, other_platform: Platform) -> None:
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    MembershipFactory(platform=platform, role=Role.COORDINATOR, is_active=False)  # a former coordinator
    MembershipFactory(platform=other_platform, role=Role.COORDINATOR)
    worker = peer(platform)
    CareerReviewFactory(profile=worker, held_on=date(2025, 3, 10), next_review_on=date(2026, 3, 20))  # superseded
    review = CareerReviewFactory(
        profile=worker, held_on=date(2026, 3, 10), next_review_on=date(2027, 3, 1), wishes="Secret de l'entretien"
    )
    CareerReviewFactory(profile=peer(platform), next_review_on=date(2027, 4, 20))  # too far ahead
    today = date(2027, 2, 10)

    assert career_review_reminders_send(today=today) == 1

    emails = OutgoingEmail.objects.filter(kind="career_review_reminder").order_by("id")
    assert sorted(e.to for e in emails) == sorted([worker.membership.user.email, coordinator.user.email])
    to_worker = emails.get(to=worker.membership.user.email)
    assert to_worker.subject == "Votre prochain entretien professionnel approche"
    assert "1 mars 2027" in to_worker.body
    to_coordinator = emails.get(to=coordinator.user.email)
    assert worker.membership.user.display_name in to_coordinator.subject
    assert all("Secret" not in e.body and "Secret" not in e.subject for e in emails)
    review.refresh_from_db()
    assert review.reminder_sent_on == today

    assert career_review_reminders_send(today=date(2027, 2, 11)) == 0
    assert OutgoingEmail.objects.filter(kind="career_review_reminder").count() == 2


def test_the_daily_job_sends_the_reminders(platform: Platform) -> None:
    from procrastinate.contrib.django import app

    from pairs.peers.tasks import career_review_reminders

    assert "career_review_reminders" in app.tasks
    assert any(p.periodic_id == "career_review_reminders" for p in app.periodic_registry.periodic_tasks.values())
    worker = peer(platform)
    CareerReviewFactory(profile=worker, held_on=date(2026, 3, 10), next_review_on=date(2027, 3, 1))
    timestamp = int(datetime(2027, 2, 20, 7, 30, tzinfo=UTC).timestamp())

    assert career_review_reminders(timestamp=timestamp) == 1
    assert career_review_reminders(timestamp=timestamp) == 0
    assert OutgoingEmail.objects.filter(to=worker.membership.user.email).count() == 1
