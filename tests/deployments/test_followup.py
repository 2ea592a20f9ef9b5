"""Joint follow-up reviews (planned when the integration starts, noted by coordinators, seen by the
partner), the platform's success criteria and the bilan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from pairs.deployments.models import (
    Assessment,
    AssessmentScore,
    Deployment,
    DeploymentSettings,
    Outcome,
    Review,
    Score,
    State,
    SuccessCriterionTemplate,
)
from pairs.deployments.services import followup
from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import (
    AssessmentFactory,
    AssignmentFactory,
    DeploymentFactory,
    ReviewFactory,
    partner_of,
    with_scores,
)
from tests.factories import UserFactory
from tests.partners.factories import ContactFactory
from tests.peers.factories import PeerProfileFactory


def body(response: Any) -> str:
    return response.content.decode()


def day(value: date) -> str:
    return date_format(value, "j F Y")


def advance(client: Client, deployment: Deployment, target: State, **extra: Any) -> Any:
    deployment.refresh_from_db()
    data = {"target": target, "reason": "", "expected_state": deployment.state, **extra}
    return client.post(f"/deploiements/{deployment.pk}/avancer/", data)


def journal(object_type: str) -> list[tuple[str, list[str]]]:
    rows = JournalEntry.objects.filter(object_type=f"deployments.{object_type}").order_by("id")
    return [(entry.action, entry.fields) for entry in rows]


TODAY = timezone.localdate


# ---- Reviews planned when the integration starts


def _ready_for_integration(platform: Platform) -> Deployment:
    deployment = DeploymentFactory(
        organisation__platform=platform,
        state=State.ASSIGNMENT,
        acknowledged=True,
        start_date=TODAY() - timedelta(days=10),
    )
    AssignmentFactory(deployment=deployment)
    return deployment


def test_entering_integration_plans_reviews_at_1_3_and_6_months(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _ready_for_integration(platform)

    assert advance(client, deployment, State.INTEGRATION).status_code == 302

    today = TODAY()
    planned = list(Review.objects.filter(deployment=deployment).values_list("planned_on", flat=True))
    assert planned == [followup.add_months(today, 1), followup.add_months(today, 3), followup.add_months(today, 6)]
    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    for planned_on in planned:
        assert day(planned_on) in page
    assert "Noter ce point" in page


def test_the_platform_chooses_the_months_of_the_reviews(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    DeploymentSettings.objects.create(platform=platform, review_months=[2, 4])
    deployment = _ready_for_integration(platform)

    advance(client, deployment, State.INTEGRATION)

    today = TODAY()
    planned = list(Review.objects.filter(deployment=deployment).values_list("planned_on", flat=True))
    assert planned == [followup.add_months(today, 2), followup.add_months(today, 4)]


def test_a_renewal_does_not_duplicate_the_reviews_to_come(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _ready_for_integration(platform)
    advance(client, deployment, State.INTEGRATION)
    for target in (State.ASSESSMENT, State.RENEWAL, State.INTEGRATION):
        assert advance(client, deployment, target).status_code == 302

    deployment.refresh_from_db()
    assert deployment.state == State.INTEGRATION
    assert Review.objects.filter(deployment=deployment).count() == 3


def test_a_late_start_date_plans_from_that_date(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _ready_for_integration(platform)
    start = TODAY() + timedelta(days=20)
    Deployment.objects.filter(pk=deployment.pk).update(start_date=start)
    advance(client, deployment, State.INTEGRATION)
    first = Review.objects.filter(deployment=deployment).first()
    assert first is not None and first.planned_on == followup.add_months(start, 1)


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert followup.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert followup.add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)


# ---- The follow-up on the deployment page


def test_the_page_shows_reviews_to_come_and_held(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION, acknowledged=True)
    today = TODAY()
    ReviewFactory(deployment=deployment, planned_on=today - timedelta(days=3))
    ReviewFactory(deployment=deployment, planned_on=today + timedelta(days=12))
    ReviewFactory(
        deployment=deployment,
        planned_on=today - timedelta(days=40),
        held_on=today - timedelta(days=38),
        attendees="Camille Test (cadre de santé)",
        what_works="L'équipe sollicite le pair aidant.",
        what_does_not="Pas de bureau fixe.",
        decisions="Prévoir un bureau partagé.",
        next_on=today + timedelta(days=12),
    )

    page = body(client.get(f"/deploiements/{deployment.pk}/"))

    assert '<h2 id="suivi-conjoint">Suivi conjoint</h2>' in page
    assert "En retard" in page and "depuis 3 jours" in page
    assert "dans 12 jours" in page
    assert f"Point du {day(today - timedelta(days=38))}" in page
    assert "Camille Test (cadre de santé)" in page
    assert "Prévoir un bureau partagé." in page
    assert "Prévoir un point supplémentaire" in page
    assert '<h2 id="bilan">Bilan</h2>' in page
    assert "Transition vers l'embauche directe</h2>" not in page


def test_a_partner_reads_the_follow_up_without_changing_it(platform: Platform) -> None:
    membership, contact = partner_of(platform)
    deployment = DeploymentFactory(organisation=contact.organisation, state=State.INTEGRATION)
    planned = ReviewFactory(deployment=deployment, planned_on=TODAY() + timedelta(days=5))
    held = ReviewFactory(
        deployment=deployment,
        planned_on=TODAY() - timedelta(days=30),
        held_on=TODAY() - timedelta(days=30),
        decisions="Un temps d'échange mensuel avec l'équipe.",
    )
    client = login_client(Client(), membership)

    page = body(client.get(f"/deploiements/{deployment.pk}/"))

    assert "dans 5 jours" in page
    assert "Un temps d&#x27;échange mensuel avec l&#x27;équipe." in page
    assert "Noter ce point" not in page and "Prévoir un point supplémentaire" not in page
    assert "/points-de-suivi/" not in page and "/bilan/" not in page
    assert client.get(f"/points-de-suivi/{planned.pk}/").status_code == 403
    assert client.post(f"/points-de-suivi/{held.pk}/", {"held_on": "2026-01-01"}).status_code == 403
    assert (
        client.post(f"/deploiements/{deployment.pk}/points-de-suivi/", {"suivi-planned_on": "2027-01-01"}).status_code
        == 403
    )
    assert client.get(f"/deploiements/{deployment.pk}/bilan/").status_code == 403
    assert Review.objects.filter(deployment=deployment).count() == 2


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PERSON, Role.FUNDER, Role.PARTNER_CONTACT])
def test_other_roles_are_refused(role: Role, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(role, platform)
    review = ReviewFactory(deployment__organisation__platform=platform)
    assert client.get(f"/points-de-suivi/{review.pk}/").status_code == 403
    assert client.get(f"/deploiements/{review.deployment_id}/bilan/").status_code == 403
    assert client.get("/deploiements/criteres-de-reussite/").status_code == 403


# ---- Planning one more review


def test_a_coordinator_plans_one_more_review(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    when = TODAY() + timedelta(days=9)

    response = client.post(
        f"/deploiements/{deployment.pk}/points-de-suivi/", {"suivi-planned_on": when.isoformat()}, follow=True
    )

    assert f"Un point de suivi est prévu le {day(when)}." in body(response)
    review = Review.objects.get(deployment=deployment)
    assert review.planned_on == when and review.platform == platform and review.held_on is None
    assert journal("review") == [(Action.CREATE, ["planned_on"])]


def test_a_past_or_taken_date_is_refused_and_kept(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    url = f"/deploiements/{deployment.pk}/points-de-suivi/"
    past = TODAY() - timedelta(days=1)

    page = body(client.post(url, {"suivi-planned_on": past.isoformat()}))
    assert "Un point de suivi se prévoit aujourd&#x27;hui ou plus tard." in page
    assert f'value="{past.isoformat()}"' in page

    taken = ReviewFactory(deployment=deployment, planned_on=TODAY() + timedelta(days=4))
    page = body(client.post(url, {"suivi-planned_on": taken.planned_on.isoformat()}))
    assert f"Un point de suivi est déjà prévu le {day(taken.planned_on)}." in page

    page = body(client.post(url, {"suivi-planned_on": "31/02/2027"}))
    assert "Indiquez une date valide." in page
    assert Review.objects.filter(deployment=deployment).count() == 1


def test_no_review_is_planned_in_a_finished_deployment(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.ENDED)
    when = (TODAY() + timedelta(days=9)).isoformat()
    page = body(client.post(f"/deploiements/{deployment.pk}/points-de-suivi/", {"suivi-planned_on": when}))
    assert "Ce déploiement est terminé : on n&#x27;y prévoit plus de point de suivi." in page
    assert not Review.objects.exists()
    assert "Prévoir un point supplémentaire" not in body(client.get(f"/deploiements/{deployment.pk}/"))


# ---- Noting a review


def _integration_with_people(platform: Platform) -> tuple[Deployment, Review]:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    ContactFactory(organisation=deployment.organisation, first_name="Nadia", last_name="Essai", job_title="Cadre")
    worker = PeerProfileFactory(
        membership__platform=platform, membership__user=UserFactory(first_name="Lou", last_name="Exemple")
    )
    AssignmentFactory(deployment=deployment, profile=worker)
    gone = PeerProfileFactory(
        membership__platform=platform, membership__user=UserFactory(first_name="Ancien", last_name="Pair")
    )
    AssignmentFactory(
        deployment=deployment,
        profile=gone,
        start_date=TODAY() - timedelta(days=90),
        end_date=TODAY() - timedelta(days=1),
    )
    return deployment, ReviewFactory(deployment=deployment, planned_on=TODAY())


def test_the_attendees_are_suggested_on_the_first_note(platform: Platform, make_member: Any) -> None:
    coordinator = make_member(Role.COORDINATOR, platform, user=UserFactory(first_name="Alix", last_name="Coord"))
    client = login_client(Client(), coordinator)
    _deployment, review = _integration_with_people(platform)

    page = body(client.get(f"/points-de-suivi/{review.pk}/"))

    assert "Nadia Essai (Cadre)\nLou Exemple (pair aidant·e)\nAlix Coord (coordination)</textarea>" in page
    assert "Ancien Pair" not in page
    assert f'value="{TODAY().isoformat()}"' in page  # the date of the point, today by default


def test_a_coordinator_notes_a_review_and_the_next_one_is_planned(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment, review = _integration_with_people(platform)
    next_on = TODAY() + timedelta(days=45)
    data = {
        "held_on": TODAY().isoformat(),
        "attendees": "Nadia Essai\nLou Exemple",
        "what_works": "Les temps d'accueil.",
        "what_does_not": "Les transmissions.",
        "decisions": "Un point mensuel.",
        "next_on": next_on.isoformat(),
    }

    response = client.post(f"/points-de-suivi/{review.pk}/", data, follow=True)

    assert "Le point de suivi est enregistré." in body(response)
    review.refresh_from_db()
    assert (review.held_on, review.attendees, review.decisions) == (
        TODAY(),
        "Nadia Essai\nLou Exemple",
        "Un point mensuel.",
    )
    assert list(
        Review.objects.filter(deployment=deployment, held_on__isnull=True).values_list("planned_on", flat=True)
    ) == [next_on]
    assert journal("review") == [
        (Action.UPDATE, ["attendees", "decisions", "held_on", "next_on", "what_does_not", "what_works"]),
        (Action.CREATE, ["planned_on"]),
    ]
    assert "Un point mensuel." in body(response) and day(next_on) in body(response)

    # Saving again with the same next date plans nothing more; the form keeps what was written.
    page = body(client.get(f"/points-de-suivi/{review.pk}/"))
    assert "Nadia Essai\nLou Exemple</textarea>" in page
    client.post(f"/points-de-suivi/{review.pk}/", {**data, "decisions": "Un point mensuel, le mardi."})
    assert Review.objects.filter(deployment=deployment).count() == 2
    assert journal("review")[-1] == (Action.UPDATE, ["decisions"])


def test_moving_the_next_date_moves_the_review_it_planned(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment, review = _integration_with_people(platform)
    data = {"held_on": TODAY().isoformat(), "next_on": (TODAY() + timedelta(days=30)).isoformat()}
    client.post(f"/points-de-suivi/{review.pk}/", data)
    later = TODAY() + timedelta(days=37)
    client.post(f"/points-de-suivi/{review.pk}/", {**data, "next_on": later.isoformat()})
    assert list(
        Review.objects.filter(deployment=deployment, held_on__isnull=True).values_list("planned_on", flat=True)
    ) == [later]


def test_no_review_is_added_when_one_is_already_planned_that_day(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment, review = _integration_with_people(platform)
    already = ReviewFactory(deployment=deployment, planned_on=TODAY() + timedelta(days=60))
    client.post(
        f"/points-de-suivi/{review.pk}/", {"held_on": TODAY().isoformat(), "next_on": already.planned_on.isoformat()}
    )
    assert Review.objects.filter(deployment=deployment).count() == 2


def test_bad_dates_are_refused_in_french_and_nothing_is_saved(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment, review = _integration_with_people(platform)
    tomorrow = TODAY() + timedelta(days=1)

    page = body(client.post(f"/points-de-suivi/{review.pk}/", {"held_on": tomorrow.isoformat(), "decisions": "Gardé"}))
    assert "La date du point ne peut pas être dans le futur." in page
    assert "Gardé</textarea>" in page

    page = body(
        client.post(
            f"/points-de-suivi/{review.pk}/",
            {"held_on": TODAY().isoformat(), "next_on": TODAY().isoformat(), "what_works": "Gardé aussi"},
        )
    )
    assert "Le prochain point doit venir après la date de ce point." in page
    assert "Gardé aussi</textarea>" in page

    page = body(client.post(f"/points-de-suivi/{review.pk}/", {"held_on": ""}))
    assert "Indiquez la date à laquelle le point a eu lieu." in page

    review.refresh_from_db()
    assert review.held_on is None and review.decisions == "" and review.what_works == ""
    assert Review.objects.filter(deployment=deployment).count() == 1
    assert journal("review") == []


def test_the_service_checks_the_dates_too(platform: Platform) -> None:
    _deployment, review = _integration_with_people(platform)
    texts = {"attendees": "", "what_works": "", "what_does_not": "", "decisions": ""}
    with pytest.raises(Exception, match="dans le futur"):
        followup.review_record(request=None, review=review, held_on=TODAY() + timedelta(days=2), next_on=None, **texts)
    with pytest.raises(Exception, match="après la date"):
        followup.review_record(request=None, review=review, held_on=TODAY(), next_on=TODAY(), **texts)


def test_the_reviews_of_a_finished_deployment_do_not_change(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.ABANDONED)
    review = ReviewFactory(deployment=deployment, planned_on=TODAY() - timedelta(days=2), decisions="")

    page = body(client.get(f"/points-de-suivi/{review.pk}/"))
    assert "Ce déploiement est terminé : ses points de suivi ne changent plus." in page
    assert "Enregistrer le point de suivi" not in page

    response = client.post(
        f"/points-de-suivi/{review.pk}/", {"held_on": TODAY().isoformat(), "decisions": "Non"}, follow=True
    )
    assert "Ce déploiement est terminé : ses points de suivi ne changent plus." in body(response)
    review.refresh_from_db()
    assert review.held_on is None and review.decisions == ""
    assert "Noter ce point" not in body(client.get(f"/deploiements/{deployment.pk}/"))


def test_another_platforms_review_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    review = ReviewFactory(deployment__organisation__platform=other_platform)
    assert client.get(f"/points-de-suivi/{review.pk}/").status_code == 404
    assert client.post(f"/points-de-suivi/{review.pk}/", {"held_on": TODAY().isoformat()}).status_code == 404
    review.refresh_from_db()
    assert review.held_on is None


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_follow_up(deployment: Deployment, rows: int, offset: int) -> None:
    for index in range(offset, offset + rows):
        ReviewFactory(deployment=deployment, planned_on=TODAY() + timedelta(days=index + 1))
        held_on = TODAY() - timedelta(days=index + 1)
        ReviewFactory(deployment=deployment, planned_on=held_on, held_on=held_on, decisions=f"Décision {index}")


def test_the_deployment_page_query_count_does_not_grow_with_the_follow_up(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.DIRECT_HIRE, acknowledged=True)
    url = f"/deploiements/{deployment.pk}/"
    _add_follow_up(deployment, 1, 0)
    assessment = AssessmentFactory(deployment=deployment)
    with_scores(assessment, 3)
    plan = followup.transition_plan_create(
        deployment=deployment, target_date=TODAY() + timedelta(days=90), by=membership.user
    )
    plan.tasks.filter(position=1).update(done_at=timezone.now(), done_by=membership.user)
    client.get(url)
    few = _queries(client, url)

    _add_follow_up(deployment, 20, 1)
    for index in range(20):
        AssessmentScore.objects.create(assessment=assessment, position=index + 2, label=f"Critère {index}", score=2)
    plan.tasks.update(done_at=timezone.now(), done_by=membership.user)
    many = _queries(client, url)

    assert many == few
    assert "Décision 20" in body(client.get(url))


# ---- The platform's success criteria

CRITERIA = "/deploiements/criteres-de-reussite/"


def test_the_criteria_page_seeds_the_defaults(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    page = body(client.get(CRITERIA))
    assert "<h1>Critères de réussite de la plateforme</h1>" in page
    assert "Les missions sont claires et reconnues par l&#x27;encadrement" in page
    assert SuccessCriterionTemplate.objects.filter(platform=platform).count() == 5
    client.get(CRITERIA)
    assert SuccessCriterionTemplate.objects.filter(platform=platform).count() == 5


def test_a_coordinator_adds_edits_and_deletes_a_criterion(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    followup.success_criteria_seed(platform=platform)

    response = client.post(CRITERIA, {"label": "Le partenaire envisage un poste", "position": ""}, follow=True)
    assert "La liste des critères de réussite est enregistrée." in body(response)
    item = SuccessCriterionTemplate.objects.get(label="Le partenaire envisage un poste")
    assert item.position == 6 and item.platform == platform

    page = body(client.get(f"{CRITERIA}?critere={item.pk}"))
    assert "Modifier le critère « Le partenaire envisage un poste »" in page
    client.post(CRITERIA, {"item_id": item.pk, "label": "Un poste est envisagé", "position": "2"})
    item.refresh_from_db()
    assert (item.label, item.position) == ("Un poste est envisagé", 2)

    response = client.post(CRITERIA, {"delete": item.pk}, follow=True)
    assert "Le critère « Un poste est envisagé » est retiré de la liste." in body(response)
    assert not SuccessCriterionTemplate.objects.filter(pk=item.pk).exists()
    assert journal("successcriteriontemplate") == [
        (Action.CREATE, ["label", "position"]),
        (Action.UPDATE, ["label", "position"]),
        (Action.DELETE, []),
    ]


def test_bad_criteria_are_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    page = body(client.post(CRITERIA, {"label": "  ", "position": "0"}))
    assert "Écrivez le critère en quelques mots." in page
    assert "L&#x27;ordre doit être compris entre 1 et 999." in page
    assert SuccessCriterionTemplate.objects.filter(platform=platform).count() == 5


def test_the_last_criterion_is_kept(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    only = SuccessCriterionTemplate.objects.create(platform=platform, position=1, label="Seul critère")
    response = client.post(CRITERIA, {"delete": only.pk}, follow=True)
    assert "La liste doit garder au moins un critère de réussite." in body(response)
    assert SuccessCriterionTemplate.objects.filter(pk=only.pk).exists()


def test_another_platforms_criterion_cannot_be_changed(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = SuccessCriterionTemplate.objects.create(platform=other_platform, position=1, label="Ailleurs")
    assert client.get(f"{CRITERIA}?critere={elsewhere.pk}").status_code == 404
    assert client.post(CRITERIA, {"item_id": elsewhere.pk, "label": "Changé"}).status_code == 404
    assert client.post(CRITERIA, {"delete": elsewhere.pk}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.label == "Ailleurs"


def test_the_criteria_page_query_count_is_constant(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    client.get(CRITERIA)
    few = _queries(client, CRITERIA)
    for index in range(20):
        SuccessCriterionTemplate.objects.create(platform=platform, position=10 + index, label=f"Critère {index}")
    assert _queries(client, CRITERIA) == few


# ---- The bilan


def _at_assessment(platform: Platform) -> Deployment:
    followup.success_criteria_seed(platform=platform)
    return DeploymentFactory(organisation__platform=platform, state=State.ASSESSMENT, acknowledged=True)


def _bilan_data(
    assessment: Assessment | None, platform: Platform, scores: list[int | None], **extra: Any
) -> dict[str, Any]:
    if assessment is None:
        keys = list(SuccessCriterionTemplate.objects.filter(platform=platform).values_list("pk", flat=True))
    else:
        keys = list(assessment.scores.values_list("pk", flat=True))
    data: dict[str, Any] = {
        "assessment_id": "" if assessment is None else assessment.pk,
        "held_on": TODAY().isoformat(),
        "summary": "",
        "outcome": "",
    }
    for key, score in zip(keys, scores, strict=True):
        data[f"score_{key}"] = "" if score is None else str(score)
        data[f"comment_{key}"] = ""
    return {**data, **extra}


def test_opening_the_bilan_creates_nothing(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    page = body(client.get(f"/deploiements/{deployment.pk}/bilan/"))
    assert "<legend>Le ou la pair aidant·e a trouvé sa place dans l&#x27;équipe</legend>" in page
    assert page.count('type="radio"') == 5 * 5 + 4  # each criterion: not yet, and four scores; four outcomes
    assert "Pas encore apprécié" in page and "Dépassé" in page
    assert not Assessment.objects.exists()
    assert "Le bilan n'est pas encore commencé" in body(client.get(f"/deploiements/{deployment.pk}/"))


def test_a_draft_bilan_then_a_complete_one(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    url = f"/deploiements/{deployment.pk}/bilan/"

    data = _bilan_data(
        None, platform, [Score.MET, Score.EXCEEDED, None, None, Score.PARTLY], summary="Une intégration réussie."
    )
    response = client.post(url, data, follow=True)

    page = body(response)
    assert "Le bilan est enregistré comme brouillon. Critères restant à apprécier :" in page
    assert "L&#x27;équipe s&#x27;appuie sur le savoir expérientiel dans ses pratiques ; Les missions" in page
    assert "Bilan en cours" in page and "Bilan complet" not in page
    assessment = Assessment.objects.get(deployment=deployment)
    assert assessment.by == membership.user and assessment.summary == "Une intégration réussie."
    assert [s.score for s in assessment.scores.all()] == [3, 4, None, None, 2]
    assert next(s.label for s in assessment.scores.all()) == "Le ou la pair aidant·e a trouvé sa place dans l'équipe"
    assert not followup.has_complete_assessment(deployment)
    detail = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Bilan en cours" in detail and "critères appréciés : 3 sur 5" in detail and "Bilan complet" not in detail

    data = _bilan_data(
        assessment, platform, [3, 4, 3, 2, 2], summary="Une intégration réussie.", outcome=Outcome.DIRECT_HIRE
    )
    first = assessment.scores.first()
    assert first is not None
    data[f"comment_{first.pk}"] = "Très bien accueilli."
    response = client.post(url, data, follow=True)

    assert "Le bilan est enregistré. Bilan complet : chaque critère est apprécié." in body(response)
    assert Assessment.objects.count() == 1
    assert followup.has_complete_assessment(deployment)
    detail = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Bilan complet" in detail and "Très bien accueilli." in detail
    assert "Préparer l&#x27;embauche directe par le partenaire" in detail
    assert journal("assessment") == [
        (Action.CREATE, ["held_on", "outcome", "scores", "summary"]),
        (Action.UPDATE, ["outcome", "scores"]),
    ]


def test_a_partner_sees_the_bilan_on_the_deployment_page(platform: Platform) -> None:
    membership, contact = partner_of(platform)
    deployment = DeploymentFactory(organisation=contact.organisation, state=State.ASSESSMENT)
    with_scores(AssessmentFactory(deployment=deployment, summary="Synthèse partagée"), 3, None)
    client = login_client(Client(), membership)
    page = body(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Bilan en cours" in page and "Bilan complet" not in page and "Synthèse partagée" in page
    assert "Faire le bilan" not in page and "Compléter ou modifier le bilan" not in page


def test_bad_bilan_input_is_refused_and_kept(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    url = f"/deploiements/{deployment.pk}/bilan/"
    data = _bilan_data(None, platform, [3, 9, None, None, None], summary="À garder")
    data["held_on"] = (TODAY() + timedelta(days=3)).isoformat()
    data["outcome"] = "partout"

    page = body(client.post(url, data))

    assert "La date du bilan ne peut pas être dans le futur." in page
    assert "Choisissez une appréciation de la liste." in page
    assert "Choisissez une suite de la liste." in page
    assert "À garder</textarea>" in page
    assert not Assessment.objects.exists()


def test_the_bilan_is_written_only_at_its_step(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    followup.success_criteria_seed(platform=platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    url = f"/deploiements/{deployment.pk}/bilan/"

    page = body(client.get(url))
    assert "Le bilan se remplit à l'étape « Bilan »." in page and "Aucun bilan" in page
    assert "Enregistrer le bilan" not in page
    response = client.post(url, _bilan_data(None, platform, [3, 3, 3, 3, 3]), follow=True)
    assert "il ne change plus" in body(response)
    assert not Assessment.objects.exists()
    with pytest.raises(Exception, match="étape « Bilan »"):
        followup.assessment_save(
            request=None,
            deployment=deployment,
            by=UserFactory(),
            assessment_id=None,
            held_on=TODAY(),
            summary="",
            outcome="",
            criteria=[],
        )


def test_a_bilan_is_read_only_after_its_step(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=platform, state=State.RENEWAL)
    assessment = AssessmentFactory(deployment=deployment, summary="Bilan de l'an passé")
    with_scores(assessment, 3, 2)
    page = body(client.get(f"/deploiements/{deployment.pk}/bilan/"))
    assert "Bilan de l&#x27;an passé" in page and "Atteint" in page and "Partiellement atteint" in page
    assert "Enregistrer le bilan" not in page
    assert "Voir la page du bilan" in body(client.get(f"/deploiements/{deployment.pk}/"))


def test_a_stale_bilan_form_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    data = _bilan_data(None, platform, [3, 3, 3, 3, 3])
    first = _bilan_data(None, platform, [2, None, None, None, None])
    client.post(f"/deploiements/{deployment.pk}/bilan/", first, follow=True)

    # A second screen opened before the first save posts a new bilan too.
    response = client.post(f"/deploiements/{deployment.pk}/bilan/", data, follow=True)

    page = body(response)
    assert (
        "Le bilan a été enregistré entre-temps par quelqu&#x27;un d&#x27;autre. Relisez-le avant de le modifier."
        in page
    )
    assert 'value="2" id="id_score_' in page and "checked" in page
    assert Assessment.objects.count() == 1
    assert list(AssessmentScore.objects.values_list("score", flat=True).order_by("position")) == [
        2,
        None,
        None,
        None,
        None,
    ]


def test_a_started_bilan_keeps_its_criteria(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    url = f"/deploiements/{deployment.pk}/bilan/"
    client.post(url, _bilan_data(None, platform, [2, None, None, None, None]))
    SuccessCriterionTemplate.objects.filter(platform=platform, position=1).update(label="Critère renommé")
    page = body(client.get(url))
    assert "Critère renommé" not in page
    assert "Le ou la pair aidant·e a trouvé sa place dans l&#x27;équipe" in page


def test_a_new_stay_at_the_bilan_step_starts_a_new_bilan(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = _at_assessment(platform)
    url = f"/deploiements/{deployment.pk}/bilan/"
    client.post(url, _bilan_data(None, platform, [3, 3, 3, 3, 3], summary="Premier bilan"))
    AssignmentFactory(deployment=deployment)
    for target in (State.RENEWAL, State.INTEGRATION, State.ASSESSMENT):
        assert advance(client, deployment, target).status_code == 302

    page = body(client.get(url))
    assert "Premier bilan" not in page and "Bilan complet</span>" not in page
    client.post(url, _bilan_data(None, platform, [2, 2, 2, 2, None], summary="Deuxième bilan"))
    assert list(Assessment.objects.order_by("id").values_list("summary", flat=True)) == [
        "Premier bilan",
        "Deuxième bilan",
    ]
    assert "Deuxième bilan" in body(client.get(f"/deploiements/{deployment.pk}/"))


def test_another_platforms_bilan_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    deployment = DeploymentFactory(organisation__platform=other_platform, state=State.ASSESSMENT)
    assert client.get(f"/deploiements/{deployment.pk}/bilan/").status_code == 404
    assert client.post(f"/deploiements/{deployment.pk}/bilan/", {"held_on": TODAY().isoformat()}).status_code == 404
    assert not Assessment.objects.exists()
