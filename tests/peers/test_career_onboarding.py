"""Onboarding: starting a path from the template, ticking steps, the late steps, the template."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import Onboarding, OnboardingStep, OnboardingStepTemplate
from pairs.peers.services.career import onboarding_start
from pairs.peers.services.catalogues import catalogues_seed
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories import CareerReviewFactory
from tests.peers.factories_career import OnboardingFactory, OnboardingStepFactory, peer, profile_of


def test_onboarding_start_copies_the_template_with_due_dates(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    catalogues_seed(platform=platform)
    worker, tutor = peer(platform), peer(platform)
    templates = list(OnboardingStepTemplate.objects.filter(platform=platform).order_by("position"))
    assert len(templates) == 6  # the seeded default path

    response = client.post(
        f"/vivier/{worker.pk}/integration/", {"tutor": tutor.pk, "started_on": "2026-01-05"}, follow=True
    )

    assert "Le parcours d&#x27;intégration a commencé." in response.content.decode()
    onboarding = Onboarding.objects.get(profile=worker)
    assert onboarding.tutor == tutor and onboarding.started_on == date(2026, 1, 5)
    steps = list(onboarding.steps.order_by("position"))
    assert [(s.title, s.kind, s.due_on) for s in steps] == [
        (t.title, t.kind, date(2026, 1, 5) + timedelta(days=t.due_after_days)) for t in templates
    ]
    assert steps[0].due_on == date(2026, 1, 12)  # "Entretien d'accueil", 7 days
    assert steps[-1].due_on == date(2026, 4, 5)  # "Bilan de fin de parcours", 90 days
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="peers.onboarding").count() == 1


def test_the_worker_cannot_be_their_own_tutor(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    response = client.post(f"/vivier/{worker.pk}/integration/", {"tutor": worker.pk, "started_on": "2026-01-05"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez un·e pair aidant·e de la liste." in body
    assert 'value="2026-01-05"' in body  # what was typed is kept
    assert not Onboarding.objects.exists()


def test_a_path_is_started_once(platform: Platform) -> None:
    catalogues_seed(platform=platform)
    worker, tutor = peer(platform), peer(platform)
    onboarding_start(request=None, profile=worker, tutor=tutor, started_on=date(2026, 1, 5))
    with pytest.raises(Exception, match="déjà commencé"):
        onboarding_start(request=None, profile=worker, tutor=tutor, started_on=date(2026, 2, 5))
    assert OnboardingStep.objects.filter(onboarding__profile=worker).count() == 6


def test_the_page_shows_progress_and_late_steps_in_words(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = profile_of(membership)
    onboarding = OnboardingFactory(profile=me)
    OnboardingStepFactory.create_batch(3, onboarding=onboarding, done=True)
    OnboardingStepFactory(onboarding=onboarding, late=True, title="Immersion au CMP")
    OnboardingStepFactory.create_batch(2, onboarding=onboarding, due_on=timezone.localdate() + timedelta(days=10))

    body = client.get(f"/vivier/{me.pk}/integration/").content.decode()

    assert "3 étapes sur 6 faites" in body
    assert body.count("En retard") == 1
    assert "Immersion au CMP" in body
    assert onboarding.tutor.membership.user.display_name in body


def test_a_tutor_ticks_a_tutees_step_but_never_sees_their_career_reviews(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    tutor = profile_of(membership)
    step = OnboardingStepFactory(onboarding__profile=peer(platform), onboarding__tutor=tutor, late=True)
    tutee = step.onboarding.profile
    review = CareerReviewFactory(profile=tutee)

    page = client.get(f"/vivier/{tutee.pk}/integration/").content.decode()
    assert "Étapes en retard de vos tutoré·es" in page
    response = client.post(f"/integration/etapes/{step.pk}/", {"done": "1"}, follow=True)
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    assert "faite." in response.content.decode()
    assert JournalEntry.objects.filter(action=Action.UPDATE, object_type="peers.onboardingstep").exists()

    client.post(f"/integration/etapes/{step.pk}/", {"done": "0"})
    step.refresh_from_db()
    assert step.done_on is None

    assert client.get(f"/vivier/{tutee.pk}/entretiens/").status_code == 404
    assert client.get(f"/entretiens/{review.pk}/").status_code == 404
    assert client.get(f"/vivier/{tutee.pk}/formations/").status_code == 404


def test_a_colleague_who_is_not_the_tutor_gets_404(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile_of(membership)
    step = OnboardingStepFactory(onboarding__profile=peer(platform))
    assert client.get(f"/vivier/{step.onboarding.profile_id}/integration/").status_code == 404
    assert client.post(f"/integration/etapes/{step.pk}/", {"done": "1"}).status_code == 404
    step.refresh_from_db()
    assert step.done_on is None


def test_a_peer_worker_cannot_start_a_path(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = profile_of(membership)
    response = client.post(f"/vivier/{me.pk}/integration/", {"tutor": peer(platform).pk, "started_on": "2026-01-05"})
    assert response.status_code == 403
    assert not Onboarding.objects.exists()


@pytest.mark.parametrize("role", [Role.FUNDER, Role.PARTNER_CONTACT, Role.PERSON])
def test_other_roles_are_refused(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    step = OnboardingStepFactory(onboarding__profile=peer(platform))
    assert client.get(f"/vivier/{step.onboarding.profile_id}/integration/").status_code == 403
    assert client.post(f"/integration/etapes/{step.pk}/", {"done": "1"}).status_code == 403
    assert client.get("/vivier/parcours-type/").status_code == 403


def test_a_step_is_toggled_by_post_only(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    step = OnboardingStepFactory(onboarding__profile=peer(platform))
    assert client.get(f"/integration/etapes/{step.pk}/").status_code == 405


def test_coordinators_see_the_late_steps_of_the_platform(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    late = OnboardingStepFactory(onboarding__profile=peer(platform), late=True, title="Rencontre du tuteur")
    OnboardingStepFactory(onboarding__profile=peer(platform), late=True, done=True, title="Déjà faite")
    OnboardingStepFactory(onboarding__profile=peer(other_platform), late=True, title="Ailleurs")

    body = client.get("/vivier/parcours-type/").content.decode()

    assert "Étapes en retard" in body
    assert "Rencontre du tuteur" in body
    assert late.onboarding.profile.membership.user.display_name in body
    assert late.onboarding.tutor.membership.user.display_name in body
    assert "Déjà faite" not in body and "Ailleurs" not in body


def test_the_coordinator_edits_the_template(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    catalogues_seed(platform=platform)
    url = "/vivier/parcours-type/"

    client.post(url, {"title": "Visite du GEM", "kind": "shadowing", "due_after_days": "20", "position": "7"})
    added = OnboardingStepTemplate.objects.get(platform=platform, title="Visite du GEM")
    assert (added.kind, added.due_after_days, added.position) == ("shadowing", 20, 7)

    form = client.get(f"{url}?etape={added.pk}").content.decode()
    assert "Modifier l'étape « Visite du GEM »" in form
    client.post(
        url, {"step_id": added.pk, "title": "Visite d'un GEM", "kind": "other", "due_after_days": "15", "position": "2"}
    )
    added.refresh_from_db()
    assert (added.title, added.kind, added.due_after_days, added.position) == ("Visite d'un GEM", "other", 15, 2)

    response = client.post(url, {"title": "", "kind": "other", "due_after_days": "999", "position": "1"})
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert "730" in body  # the limit of the delay is stated

    response = client.post(url, {"delete": added.pk}, follow=True)
    assert "est retirée du parcours type" in response.content.decode()
    assert not OnboardingStepTemplate.objects.filter(pk=added.pk).exists()
    assert OnboardingStepTemplate.objects.filter(platform=platform).count() == 6


def test_another_platforms_template_step_answers_404(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    catalogues_seed(platform=other_platform)
    elsewhere = OnboardingStepTemplate.objects.filter(platform=other_platform).first()
    assert elsewhere is not None
    assert client.get(f"/vivier/parcours-type/?etape={elsewhere.pk}").status_code == 404
    assert client.post("/vivier/parcours-type/", {"delete": elsewhere.pk}).status_code == 404
    data = {"step_id": elsewhere.pk, "title": "Piratée", "kind": "other", "due_after_days": "1", "position": "1"}
    assert client.post("/vivier/parcours-type/", data).status_code == 404
    assert OnboardingStepTemplate.objects.filter(pk=elsewhere.pk).exclude(title="Piratée").exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_template_page_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    OnboardingStepTemplate.objects.bulk_create(
        OnboardingStepTemplate(platform=platform, position=10 + i, title=f"Étape {i}") for i in range(rows)
    )
    for _i in range(rows):
        OnboardingStepFactory(onboarding__profile=peer(platform), late=True)
    with django_assert_num_queries(11):
        response = client.get("/vivier/parcours-type/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_onboarding_page_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    onboarding = OnboardingFactory(profile=peer(platform))
    OnboardingStepFactory.create_batch(rows, onboarding=onboarding, late=True)
    with django_assert_num_queries(12):
        response = client.get(f"/vivier/{onboarding.profile_id}/integration/")
    assert response.status_code == 200


def test_a_worker_without_a_path_is_told_so(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    me = profile_of(membership)
    body = client.get(f"/vivier/{me.pk}/integration/").content.decode()
    assert "La coordination le lancera avec vous." in body
    assert "Commencer le parcours" not in body


def test_every_career_page_renders_without_unknown_variables(platform: Platform, client_as: Any) -> None:
    from tests.peers.factories import SupervisionSessionFactory, TrainingRecordFactory

    catalogues_seed(platform=platform)
    client, _ = client_as(Role.COORDINATOR, platform)
    step = OnboardingStepFactory(onboarding__profile=peer(platform), late=True)
    worker = step.onboarding.profile
    TrainingRecordFactory(profile=worker)
    review = CareerReviewFactory(profile=worker)
    session = SupervisionSessionFactory(platform=platform)
    session.attendees.set([worker])
    urls = [
        f"/vivier/{worker.pk}/integration/",
        f"/vivier/{peer(platform).pk}/integration/",
        "/vivier/parcours-type/",
        f"/vivier/{worker.pk}/formations/",
        "/supervisions/",
        f"/supervisions/{session.pk}/",
        f"/vivier/{worker.pk}/entretiens/",
        f"/entretiens/{review.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "INVALID_TEMPLATE_VARIABLE" not in body, url
        assert body.count("<h1") == 1, url
