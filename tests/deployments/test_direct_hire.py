"""The move to direct hiring by the partner: it needs a complete bilan and a target date, and
produces a transition plan with its checklist, ticked by coordinators and read by the partner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from pairs.deployments.models import Deployment, State, Transition, TransitionPlan, TransitionTask
from pairs.deployments.services.followup import DEFAULT_TRANSITION_TASKS
from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import AssessmentFactory, DeploymentFactory, partner_of, with_scores


def body(response: Any) -> str:
    return response.content.decode()


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def move(client: Client, deployment: Deployment, **extra: Any) -> Any:
    data = {"target": State.DIRECT_HIRE, "reason": "", "expected_state": State.ASSESSMENT, **extra}
    return client.post(f"/deploiements/{deployment.pk}/avancer/", data)


def _refused(deployment: Deployment) -> None:
    deployment.refresh_from_db()
    assert deployment.state == State.ASSESSMENT
    assert not Transition.objects.filter(deployment=deployment).exists()
    assert not TransitionPlan.objects.exists()


@pytest.fixture
def coordinator(platform: Platform, client_as: Any) -> Client:
    client, _membership = client_as(Role.COORDINATOR, platform)
    return client


def _at_assessment(platform: Platform, **kwargs: Any) -> Deployment:
    return DeploymentFactory(organisation__platform=platform, state=State.ASSESSMENT, acknowledged=True, **kwargs)


def test_refused_without_a_bilan(platform: Platform, coordinator: Client) -> None:
    deployment = _at_assessment(platform)
    page = body(move(coordinator, deployment, target_date=in_days(60)))
    assert "Le passage à l&#x27;embauche directe demande un bilan dont chaque critère de réussite est apprécié." in page
    _refused(deployment)


def test_refused_with_a_bilan_not_fully_scored(platform: Platform, coordinator: Client) -> None:
    deployment = _at_assessment(platform)
    with_scores(AssessmentFactory(deployment=deployment), 3, None, 4)
    page = body(move(coordinator, deployment, target_date=in_days(60)))
    assert "demande un bilan dont chaque critère de réussite est apprécié." in page
    _refused(deployment)


def test_a_bilan_from_before_a_renewal_does_not_count(platform: Platform, coordinator: Client) -> None:
    """After a renewal, integration and a new stay at the "Bilan" step, the previous bilan stays as it
    was but the decision waits for the new one."""
    deployment = _at_assessment(platform)
    old = AssessmentFactory(deployment=deployment)
    with_scores(old, 4, 4)
    AssessmentFactory._meta.model.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    Transition.objects.create(
        deployment=deployment, from_state=State.INTEGRATION, to_state=State.ASSESSMENT, by=old.by, reason=""
    )

    page = body(move(coordinator, deployment, target_date=in_days(60)))

    assert "demande un bilan dont chaque critère de réussite est apprécié." in page
    deployment.refresh_from_db()
    assert deployment.state == State.ASSESSMENT
    assert not TransitionPlan.objects.exists()


def test_refused_without_a_target_date_or_with_a_past_one(platform: Platform, coordinator: Client) -> None:
    deployment = _at_assessment(platform)
    with_scores(AssessmentFactory(deployment=deployment), 3, 3)

    page = body(move(coordinator, deployment, reason="Gardé", target_date=""))
    assert "Indiquez la date visée pour l&#x27;embauche directe." in page
    assert "Gardé</textarea>" in page
    _refused(deployment)

    page = body(move(coordinator, deployment, target_date=in_days(-1)))
    assert "La date visée pour l&#x27;embauche directe ne peut pas être passée." in page
    _refused(deployment)


def test_accepted_with_a_complete_bilan_and_a_date(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    with_scores(AssessmentFactory(deployment=deployment), 3, 4)
    target = timezone.localdate() + timedelta(days=90)

    response = move(client, deployment, target_date=target.isoformat(), reason="Le partenaire crée le poste.")

    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.state == State.DIRECT_HIRE
    plan = TransitionPlan.objects.get(deployment=deployment)
    assert plan.target_date == target and plan.created_by == membership.user
    assert list(plan.tasks.values_list("label", flat=True)) == [str(label) for label in DEFAULT_TRANSITION_TASKS]
    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert '<h2 id="transition">Transition vers l\'embauche directe</h2>' in page
    assert f"Date visée pour l'embauche directe par le partenaire : {date_format(target, 'j F Y')}." in page
    assert "Étapes faites : 0 sur 7." in page
    assert "Fiche de poste rédigée avec le partenaire" in page


def _in_transition(platform: Platform, client: Client) -> tuple[Deployment, list[TransitionTask]]:
    deployment = _at_assessment(platform)
    with_scores(AssessmentFactory(deployment=deployment), 3, 4)
    move(client, deployment, target_date=in_days(30))
    deployment.refresh_from_db()
    return deployment, list(TransitionTask.objects.filter(plan__deployment=deployment).order_by("position"))


def test_a_coordinator_ticks_and_unticks_the_checklist(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    _deployment, tasks = _in_transition(platform, client)
    first = tasks[0]

    response = client.post(f"/transition/{first.pk}/", {"done": "1"}, follow=True)

    assert "« Fiche de poste rédigée avec le partenaire » : fait." in body(response)
    first.refresh_from_db()
    assert first.done_at is not None and first.done_by == membership.user
    assert "Étapes faites : 1 sur 7." in body(response)
    client.post(f"/transition/{first.pk}/", {"done": "1"})  # ticking twice changes nothing
    client.post(f"/transition/{first.pk}/", {"done": "0"})
    first.refresh_from_db()
    assert first.done_at is None and first.done_by is None
    entries = JournalEntry.objects.filter(object_type="deployments.transitiontask", object_id=str(first.pk))
    assert list(entries.order_by("id").values_list("action", "fields")) == [
        (Action.UPDATE, ["done_at"]),
        (Action.UPDATE, ["done_at"]),
    ]


def test_a_bad_toggle_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    _deployment, tasks = _in_transition(platform, client)
    assert client.get(f"/transition/{tasks[0].pk}/").status_code == 405
    response = client.post(f"/transition/{tasks[0].pk}/", {"done": "peut-être"}, follow=True)
    assert "Cette page est incomplète. Rechargez-la avant de recommencer." in body(response)
    tasks[0].refresh_from_db()
    assert tasks[0].done_at is None


def test_the_checklist_of_a_finished_deployment_does_not_change(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment, tasks = _in_transition(platform, client)
    Deployment.objects.filter(pk=deployment.pk).update(state=State.ENDED)

    response = client.post(f"/transition/{tasks[0].pk}/", {"done": "1"}, follow=True)

    assert "Ce déploiement est terminé : sa transition ne change plus." in body(response)
    tasks[0].refresh_from_db()
    assert tasks[0].done_at is None
    assert f'action="/transition/{tasks[0].pk}/"' not in body(client.get(f"/deploiements/{deployment.pk}/"))


def test_the_partner_reads_the_transition_plan(platform: Platform, client_as: Any) -> None:
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    membership, contact = partner_of(platform)
    deployment = DeploymentFactory(organisation=contact.organisation, state=State.ASSESSMENT, acknowledged=True)
    with_scores(AssessmentFactory(deployment=deployment), 3, 4)
    move(coordinator, deployment, target_date=in_days(30))
    task = TransitionTask.objects.get(plan__deployment=deployment, position=1)
    coordinator.post(f"/transition/{task.pk}/", {"done": "1"})
    partner = login_client(Client(), membership)

    page = body(partner.get(f"/deploiements/{deployment.pk}/"))

    assert "Transition vers l'embauche directe</h2>" in page
    assert "Fiche de poste rédigée avec le partenaire" in page and "Étapes faites : 1 sur 7." in page
    assert "/transition/" not in page and "Cocher" not in page
    assert partner.post(f"/transition/{task.pk}/", {"done": "0"}).status_code == 403
    task.refresh_from_db()
    assert task.done_at is not None


def test_another_platforms_task_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    other, _ = client_as(Role.COORDINATOR, other_platform)
    _deployment, tasks = _in_transition(other_platform, other)
    assert client.post(f"/transition/{tasks[0].pk}/", {"done": "1"}).status_code == 404
    tasks[0].refresh_from_db()
    assert tasks[0].done_at is None
