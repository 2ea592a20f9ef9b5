"""The deployment page and the workflow: every legal move, refused moves, the prerequisite gate,
stale screens, acknowledging, the checklist, and who may see or do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pairs.deployments import workflow
from pairs.deployments.models import AssignmentSlot, Deployment, State, Transition
from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import (
    AssessmentFactory,
    AssignmentFactory,
    ContractFactory,
    DeploymentFactory,
    PrerequisiteFactory,
    ReviewFactory,
    partner_of,
    with_prerequisites,
    with_scores,
)

LEGAL = [(source, target) for source, targets in workflow.NEXT.items() for target in targets]
ABANDONS = [state for state in State if state not in workflow.FINAL]
ILLEGAL = [
    (State.REQUEST, State.ASSIGNMENT),
    (State.REQUEST, State.ENDED),
    (State.ANALYSIS, State.REQUEST),
    (State.INTEGRATION, State.RENEWAL),
    (State.ENDED, State.ANALYSIS),
    (State.ENDED, State.ABANDONED),
    *[(State.ABANDONED, target) for target in State if target != State.ABANDONED],
]


def url(deployment: Deployment, action: str = "") -> str:
    return f"/deploiements/{deployment.pk}/{action}"


def body(response: Any) -> str:
    return response.content.decode()


def _advance(
    client: Client, deployment: Deployment, target: str, reason: str = "", expected: str | None = None, **extra: Any
) -> Any:
    data = {"target": target, "reason": reason, "expected_state": expected or deployment.state, **extra}
    return client.post(url(deployment, "avancer/"), data)


def _meet_gates(deployment: Deployment) -> dict[str, str]:
    """Everything a move may ask for: ticked prerequisites, a worker placed, a complete bilan, and
    the target date of a direct hiring (returned as extra form data)."""
    with_prerequisites(deployment, done=True)
    AssignmentFactory(deployment=deployment)
    with_scores(AssessmentFactory(deployment=deployment), 3, 4)
    return {"target_date": (timezone.localdate() + timedelta(days=60)).isoformat()}


def _journal_updates(deployment: Deployment) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.filter(
            action=Action.UPDATE, object_type="deployments.deployment", object_id=str(deployment.pk)
        ).order_by("id")
    )


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_every_legal_move_succeeds_and_is_recorded(
    source: State, target: State, platform: Platform, client_as: Any
) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=source, acknowledged=True)
    extra = _meet_gates(deployment)

    response = _advance(client, deployment, target, reason="Décidé en réunion d'équipe.", **extra)

    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.state == target
    step = Transition.objects.get(deployment=deployment)
    assert (step.from_state, step.to_state, step.by, step.reason) == (
        source,
        target,
        membership.user,
        "Décidé en réunion d'équipe.",
    )
    assert [entry.fields for entry in _journal_updates(deployment)] == [["state"]]
    page = body(client.get(url(deployment)))
    assert f"Le déploiement est passé à l&#x27;étape « {target.label.replace(chr(39), '&#x27;')} »." in page


@pytest.mark.parametrize("source", ABANDONS)
def test_abandon_is_possible_from_every_step_that_is_not_final(
    source: State, platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=source, acknowledged=True)
    _advance(client, deployment, State.ABANDONED, reason="Le partenaire a changé de projet.")
    deployment.refresh_from_db()
    assert deployment.state == State.ABANDONED
    assert Transition.objects.get(deployment=deployment).reason == "Le partenaire a changé de projet."
    assert len(_journal_updates(deployment)) == 1


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_moves_are_refused_in_french(source: State, target: State, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=source, acknowledged=True)
    with_prerequisites(deployment, done=True)

    response = _advance(client, deployment, target, reason="Essai")

    assert response.status_code == 200
    expected = f"On ne peut pas passer de « {source.label} » à « {target.label} »."
    assert expected.replace("'", "&#x27;") in body(response)
    deployment.refresh_from_db()
    assert deployment.state == source
    assert not Transition.objects.exists()
    assert not _journal_updates(deployment)


def test_abandon_needs_a_reason(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.ANALYSIS, acknowledged=True)
    response = _advance(client, deployment, State.ABANDONED, reason="   ")
    assert "Indiquez le motif de l&#x27;abandon." in body(response)
    deployment.refresh_from_db()
    assert deployment.state == State.ANALYSIS
    assert not Transition.objects.exists()


def test_assignment_waits_for_the_required_prerequisites(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.SENSITISATION, acknowledged=True)
    ticked = with_prerequisites(deployment, done=True, count=2)
    open_item = PrerequisiteFactory(deployment=deployment, label="Un référent est désigné", position=3)
    PrerequisiteFactory(deployment=deployment, label="Un bureau est prévu", required=False, position=4)

    response = _advance(client, deployment, State.ASSIGNMENT, reason="")
    page = body(response)
    assert "Des prérequis obligatoires ne sont ni cochés ni dérogés : Un référent est désigné." in page
    assert "Un bureau est prévu." not in page  # an optional item never blocks
    deployment.refresh_from_db()
    assert deployment.state == State.SENSITISATION
    assert ticked[0].label in page

    client.post(f"/prerequis/{open_item.pk}/", {"action": "tick"})
    _advance(client, deployment, State.ASSIGNMENT)
    deployment.refresh_from_db()
    assert deployment.state == State.ASSIGNMENT


def test_an_override_with_a_reason_opens_the_gate(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.SENSITISATION, acknowledged=True)
    item = PrerequisiteFactory(deployment=deployment, label="Le bureau est prévu")

    response = client.post(f"/prerequis/{item.pk}/", {"action": "override", "override_reason": ""}, follow=True)
    assert "Écrivez le motif de la dérogation." in body(response)
    item.refresh_from_db()
    assert not item.satisfied

    reason = "Le bureau sera partagé les trois premiers mois."
    response = client.post(f"/prerequis/{item.pk}/", {"action": "override", "override_reason": reason}, follow=True)
    assert response.redirect_chain[-1][0] == f"/deploiements/{deployment.pk}/#prerequis"
    assert "Dérogation accordée" in body(response) and reason in body(response)
    item.refresh_from_db()
    assert item.override_reason == reason and item.done_at is None

    _advance(client, deployment, State.ASSIGNMENT)
    deployment.refresh_from_db()
    assert deployment.state == State.ASSIGNMENT


def test_ticking_and_unticking_is_journaled(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.PREREQUISITES, acknowledged=True)
    item = PrerequisiteFactory(deployment=deployment)
    client.post(f"/prerequis/{item.pk}/", {"action": "tick"})
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == membership.user
    client.post(f"/prerequis/{item.pk}/", {"action": "untick"})
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None
    assert [entry.fields for entry in _journal_updates(deployment)] == [["prerequisites"], ["prerequisites"]]


def test_a_finished_deployments_prerequisites_do_not_change(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    item = PrerequisiteFactory(deployment=DeploymentFactory(organisation__platform=platform, state=State.ENDED))
    response = client.post(f"/prerequis/{item.pk}/", {"action": "tick"}, follow=True)
    assert "Ce déploiement est terminé : ses prérequis ne changent plus." in body(response)
    item.refresh_from_db()
    assert item.done_at is None


def test_a_stale_screen_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.ANALYSIS, acknowledged=True)
    # Another coordinator moved it on after this page was shown at the "request" step.
    response = _advance(client, deployment, State.ANALYSIS, reason="Vu au téléphone", expected=State.REQUEST)
    page = body(response)
    assert (
        "Ce déploiement a changé entre-temps : il est maintenant à l&#x27;étape « Analyse ». Rechargez la page." in page
    )
    assert "Vu au téléphone" in page  # what was typed is kept
    assert 'name="expected_state" value="analysis"' in page  # the form now shows the current step
    deployment.refresh_from_db()
    assert deployment.state == State.ANALYSIS
    assert not Transition.objects.exists()


def test_a_form_without_the_shown_step_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, acknowledged=True)
    response = client.post(url(deployment, "avancer/"), {"target": State.ANALYSIS})
    assert "Rechargez-la avant de recommencer." in body(response)
    deployment.refresh_from_db()
    assert deployment.state == State.REQUEST


def test_a_coordinator_takes_a_request_into_account(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform)
    page = body(client.get(url(deployment)))
    assert "Nouvelle" in page and "Prendre en compte la demande" in page

    response = client.post(url(deployment, "prise-en-compte/"), follow=True)

    assert "La demande est prise en compte." in body(response)
    assert "Prendre en compte la demande" not in body(response)
    deployment.refresh_from_db()
    assert deployment.acknowledged_at is not None and deployment.acknowledged_by == membership.user
    assert [entry.fields for entry in _journal_updates(deployment)] == [["acknowledged_at"]]


def test_moving_a_new_request_on_takes_it_into_account(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform)
    _advance(client, deployment, State.ANALYSIS)
    deployment.refresh_from_db()
    assert deployment.state == State.ANALYSIS and deployment.acknowledged_by == membership.user


def test_the_page_shows_the_steps_in_words_and_the_history(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, acknowledged=True, rhythm="Le jeudi")
    with_prerequisites(deployment, done=True)
    _advance(client, deployment, State.ANALYSIS, reason="Rencontre prévue le 12.")

    response = client.get(url(deployment))
    page = body(response)

    assert "Étape actuelle : Analyse." in page
    assert page.count("Étape faite") == 1  # the request
    assert page.count("Étape en cours") == 1
    assert page.count("À venir") == 5  # prerequisites … assessment
    assert page.count("Issue possible") == 4  # renewal, direct hire, end, abandon
    assert "Rencontre prévue le 12." in page
    assert membership.user.display_name in page
    assert "Le jeudi" in page and deployment.needs.replace("'", "&#x27;") in page
    assert 'value="prerequisites"' in page and 'value="abandoned"' in page  # the allowed next steps
    assert 'value="assignment"' not in page
    assert JournalEntry.objects.filter(
        action=Action.VIEW, object_type="deployments.deployment", object_id=str(deployment.pk)
    ).exists()


def test_a_finished_deployment_shows_the_steps_not_reached(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, acknowledged=True)
    _advance(client, deployment, State.ABANDONED, reason="Projet suspendu")
    page = body(client.get(url(deployment)))
    assert page.count("Non atteinte") == 9
    assert "Passer à cette étape" not in page  # nothing more to do


# ---- Partners and other roles


def test_a_partner_follows_their_organisations_deployment(platform: Platform) -> None:
    membership, contact = partner_of(platform)
    deployment = DeploymentFactory(organisation=contact.organisation, state=State.SENSITISATION)
    PrerequisiteFactory(deployment=deployment, label="Un référent est désigné", done_at="2026-10-01T10:00:00Z")
    PrerequisiteFactory(deployment=deployment, label="Le bureau est prévu", override_reason="Motif interne")
    client = login_client(Client(), membership)

    page = body(client.get(url(deployment)))

    assert "Étape actuelle : Sensibilisation de l&#x27;équipe." in page
    assert page.count("Étape faite") == 3  # request, analysis, prerequisites: gone through to get here
    assert "Étape en cours" in page and page.count("À venir") == 3
    assert "Un référent est désigné" in page and "Fait" in page
    assert "Dérogation accordée" in page and "Motif interne" not in page
    assert "Passer à cette étape" not in page
    assert "Prendre en compte la demande" not in page
    assert "/prerequis/" not in page


def test_a_partner_never_sees_another_organisations_deployment(platform: Platform) -> None:
    membership, _contact = partner_of(platform)
    elsewhere = DeploymentFactory(organisation__platform=platform)
    item = PrerequisiteFactory(deployment=elsewhere)
    client = login_client(Client(), membership)
    assert client.get(url(elsewhere)).status_code == 404
    assert (
        client.post(url(elsewhere, "avancer/"), {"target": "analysis", "expected_state": "request"}).status_code == 403
    )
    assert client.post(f"/prerequis/{item.pk}/", {"action": "tick"}).status_code == 403


def test_a_partner_cannot_steer_their_own_deployment(platform: Platform) -> None:
    membership, contact = partner_of(platform)
    deployment = DeploymentFactory(organisation__platform=platform, organisation=contact.organisation)
    item = PrerequisiteFactory(deployment=deployment)
    client = login_client(Client(), membership)
    data = {"target": State.ANALYSIS, "expected_state": State.REQUEST, "reason": ""}
    assert client.post(url(deployment, "avancer/"), data).status_code == 403
    assert client.post(url(deployment, "prise-en-compte/")).status_code == 403
    assert client.post(f"/prerequis/{item.pk}/", {"action": "tick"}).status_code == 403
    deployment.refresh_from_db()
    item.refresh_from_db()
    assert deployment.state == State.REQUEST and deployment.acknowledged_at is None and item.done_at is None
    assert JournalEntry.objects.filter(action=Action.PERMISSION_DENIED).count() == 3


def test_a_partner_without_organisation_sees_no_deployment(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PARTNER_CONTACT, platform)
    assert client.get(url(DeploymentFactory(organisation__platform=platform))).status_code == 404


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PERSON, Role.FUNDER, Role.NETWORK_ADMIN])
def test_other_roles_are_refused(role: Role, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(role, platform)
    deployment = DeploymentFactory(organisation__platform=platform)
    item = PrerequisiteFactory(deployment=deployment)
    assert client.get(url(deployment)).status_code == 403
    assert client.get("/deploiements/").status_code == 403
    assert client.post(url(deployment, "avancer/"), {"target": "analysis"}).status_code == 403
    assert client.post(url(deployment, "prise-en-compte/")).status_code == 403
    assert client.post(f"/prerequis/{item.pk}/", {"action": "tick"}).status_code == 403
    assert client.get("/deploiements/prerequis/").status_code == 403


def test_steering_is_post_only(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform)
    item = PrerequisiteFactory(deployment=deployment)
    assert client.get(url(deployment, "avancer/")).status_code == 405
    assert client.get(url(deployment, "prise-en-compte/")).status_code == 405
    assert client.get(f"/prerequis/{item.pk}/").status_code == 405


def test_another_platforms_deployment_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = DeploymentFactory(organisation__platform=other_platform)
    item = PrerequisiteFactory(deployment=elsewhere)
    assert client.get(url(elsewhere)).status_code == 404
    assert (
        client.post(url(elsewhere, "avancer/"), {"target": "analysis", "expected_state": "request"}).status_code == 404
    )
    assert client.post(f"/prerequis/{item.pk}/", {"action": "tick"}).status_code == 404


def _page_queries(client: Client, platform: Platform, user: Any, rows: int) -> int:
    """Queries of the deployment page with ``rows`` of everything it lists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deployment = DeploymentFactory(organisation__platform=platform, acknowledged=True, state=State.INTEGRATION)
    with_prerequisites(deployment, done=True, count=rows, done_by=user)
    for index in range(rows):
        source, target = (State.REQUEST, State.ANALYSIS) if index % 2 == 0 else (State.ANALYSIS, State.REQUEST)
        Transition.objects.create(deployment=deployment, from_state=source, to_state=target, by=user)
        assignment = AssignmentFactory(deployment=deployment)
        AssignmentSlot.objects.create(assignment=assignment, weekday=index % 5, part="morning")
        ReviewFactory(deployment=deployment, planned_on=timezone.localdate() + timedelta(days=index + 1))
        ReviewFactory(deployment=deployment, held_on=timezone.localdate() - timedelta(days=index + 1))
        ContractFactory(deployment=deployment)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(deployment))
    assert response.status_code == 200
    return len(queries)


def test_detail_query_count_is_constant(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    small = _page_queries(client, platform, membership.user, 1)
    large = _page_queries(client, platform, membership.user, 12)
    assert small == large
    assert large <= 20
