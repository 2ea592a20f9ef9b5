"""A partner contact sees only their own organisation, and their requests in plain words."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pairs.deployments.models import State
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import DeploymentFactory
from tests.partners.factories import ContactFactory, OrganisationFactory, TeamFactory, partner_of

MINE = "/mon-organisation/"


def body(response: Any) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


def test_a_partner_sees_their_organisation_without_contact_details(platform: Platform) -> None:
    organisation = OrganisationFactory(platform=platform, name="GEM Les Ailes du Nord")
    membership, _contact = partner_of(organisation)
    ContactFactory(
        organisation=organisation,
        first_name="Basile",
        last_name="Exemple",
        job_title="Animateur",
        email="basile@partenaire.test.example",
        phone="04 65 71 12 34",
    )
    TeamFactory(organisation=organisation, name="Atelier d'écriture")
    deployment = DeploymentFactory(organisation=organisation)
    client = login_client(Client(), membership)

    text = body(client.get(f"/partenaires/{organisation.pk}/"))

    assert "<h1>GEM Les Ailes du Nord</h1>" in text
    assert "Basile Exemple" in text and "Animateur" in text
    assert "Atelier d&#x27;écriture" in text
    assert f"/deploiements/{deployment.pk}/" in text
    assert "basile@partenaire.test.example" not in text
    assert "04 65 71 12 34" not in text
    assert "Donner un compte partenaire" not in text
    assert "Déposer une demande pour ce partenaire" not in text
    assert "Ajouter un service" not in text


def test_a_partner_gets_404_for_another_organisation_of_the_platform(platform: Platform) -> None:
    membership, _contact = partner_of(OrganisationFactory(platform=platform))
    other = OrganisationFactory(platform=platform)
    client = login_client(Client(), membership)
    assert client.get(f"/partenaires/{other.pk}/").status_code == 404


def test_a_partner_gets_404_for_another_platforms_organisation(platform: Platform, other_platform: Platform) -> None:
    membership, _contact = partner_of(OrganisationFactory(platform=platform))
    elsewhere = OrganisationFactory(platform=other_platform)
    client = login_client(Client(), membership)
    assert client.get(f"/partenaires/{elsewhere.pk}/").status_code == 404


def test_a_partner_may_not_use_the_list_nor_edit(platform: Platform) -> None:
    organisation = OrganisationFactory(platform=platform)
    membership, _contact = partner_of(organisation)
    client = login_client(Client(), membership)
    assert client.get("/partenaires/").status_code == 403
    assert client.get(f"/partenaires/{organisation.pk}/modifier/").status_code == 403
    assert client.post(f"/partenaires/{organisation.pk}/services/", {"name": "Unité"}).status_code == 403


def test_a_partner_account_without_contact_sees_no_organisation(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PARTNER_CONTACT, platform)
    organisation = OrganisationFactory(platform=platform)

    assert client.get(f"/partenaires/{organisation.pk}/").status_code == 404
    response = client.get(MINE)

    assert response.status_code == 200
    assert "Votre compte partenaire n'est pas encore relié à votre organisation." in body(response)
    assert "contact@test-rhone.test.example" in body(response)


def test_my_organisation_shows_the_requests_in_plain_words(platform: Platform) -> None:
    organisation = OrganisationFactory(platform=platform, name="Clinique des Tilleuls")
    membership, _contact = partner_of(organisation)
    team = TeamFactory(organisation=organisation, name="Hôpital de jour")
    DeploymentFactory(organisation=organisation, team=team, state=State.PREREQUISITES)
    DeploymentFactory(organisation=organisation, acknowledged_at="2026-11-02T10:00:00+01:00")
    DeploymentFactory(organisation=OrganisationFactory(platform=platform), state=State.INTEGRATION)
    client = login_client(Client(), membership)

    text = body(client.get(MINE))

    assert "<h1>Clinique des Tilleuls</h1>" in text
    assert "Faire une demande" in text and "/demandes/nouvelle/" in text
    assert "Prérequis" in text
    assert "Nous vérifions ensemble que tout est prêt" in text
    assert "Votre demande est bien reçue" in text
    assert "dernier changement le" in text
    assert "Hôpital de jour" in text
    assert "La ou le pair aidant·e travaille avec votre équipe." not in text


def test_my_organisation_is_for_partners_only(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get(MINE).status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_my_organisation_query_count_does_not_grow(
    rows: int, platform: Platform, django_assert_num_queries: Any
) -> None:
    organisation = OrganisationFactory(platform=platform)
    membership, _contact = partner_of(organisation)
    for _i in range(rows):
        DeploymentFactory(organisation=organisation, team=TeamFactory(organisation=organisation))
    client = login_client(Client(), membership)
    # session, user, memberships, second factor, scope set, own contact and organisation,
    # teams, deployments with their teams, scope clear, session save (3).
    with django_assert_num_queries(12):
        response = client.get(MINE)
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_a_partners_detail_query_count_does_not_grow(
    rows: int, platform: Platform, django_assert_num_queries: Any
) -> None:
    organisation = OrganisationFactory(platform=platform)
    membership, _contact = partner_of(organisation)
    for _i in range(rows):
        DeploymentFactory(organisation=organisation, team=TeamFactory(organisation=organisation))
        ContactFactory(organisation=organisation)
    client = login_client(Client(), membership)
    # session, user, memberships, second factor, scope set, own contact, organisation, teams,
    # contacts, deployments, scope clear, session save (3).
    with django_assert_num_queries(14):
        assert client.get(f"/partenaires/{organisation.pk}/").status_code == 200


def test_every_step_has_plain_words_for_partners() -> None:
    from pairs.partners.selectors import PLAIN_STEPS

    assert set(PLAIN_STEPS) == set(State.values)


def test_the_last_change_is_the_last_step_taken(platform: Platform) -> None:
    from datetime import UTC, datetime

    from pairs.deployments.models import Deployment, Transition

    organisation = OrganisationFactory(platform=platform)
    membership, _contact = partner_of(organisation)
    deployment = DeploymentFactory(organisation=organisation, state=State.ANALYSIS)
    Deployment.objects.filter(pk=deployment.pk).update(filed_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    step = Transition.objects.create(
        deployment=deployment, from_state=State.REQUEST, to_state=State.ANALYSIS, by=deployment.filed_by
    )
    Transition.objects.filter(pk=step.pk).update(at=datetime(2026, 4, 15, 9, tzinfo=UTC))
    client = login_client(Client(), membership)

    text = body(client.get(MINE))

    assert "Demande du 2 mars 2026, dernier changement le 15 avril 2026." in text
