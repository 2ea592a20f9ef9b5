"""Filing a request: by a partner for their organisation, or by a coordinator on a partner's behalf."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pairs.deployments.models import Deployment, Kind, Prerequisite, State
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import partner_of
from tests.factories import MembershipFactory
from tests.partners.factories import OrganisationFactory, TeamFactory

NEW = "/demandes/nouvelle/"


def body(response: Any) -> str:
    return response.content.decode()


def _data(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": Kind.LONG_DEPLOYMENT,
        "team": "",
        "expected_hours": "3,5",
        "rhythm": "Le mardi matin",
        "start_date": "2027-02-01",
        "end_date": "2027-12-31",
        "needs": "Nous voulons accueillir un pair aidant dans l'unité d'admission.",
    }
    data.update(overrides)
    return data


def test_a_partner_files_a_request_for_their_organisation(platform: Platform) -> None:
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    membership, contact = partner_of(platform)
    team = TeamFactory(organisation=contact.organisation, name="Unité Rimbaud")
    client = login_client(Client(), membership)

    page = body(client.get(NEW))
    assert "Faire une demande" in page
    assert contact.organisation.name in page
    assert "Déploiement au long cours" in page
    assert "plusieurs mois" in page  # each kind is explained
    assert 'name="organisation"' not in page  # the organisation is theirs

    response = client.post(NEW, _data(team=team.pk), follow=True)

    deployment = Deployment.objects.get()
    assert response.redirect_chain[-1][0] == f"/deploiements/{deployment.pk}/"
    assert "Votre demande est enregistrée. La coordination vous répondra." in body(response)
    assert deployment.organisation == contact.organisation and deployment.team == team
    assert deployment.state == State.REQUEST and deployment.acknowledged_at is None
    assert deployment.expected_hours == Decimal("3.5")
    assert deployment.end_date == date(2027, 12, 31)
    assert deployment.filed_by == membership.user
    assert Prerequisite.objects.filter(deployment=deployment).count() == 5  # the platform's defaults
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="deployments.deployment").count() == 1
    email = OutgoingEmail.objects.get(to=coordinator.user.email)
    assert contact.organisation.name in email.subject
    assert "Nous voulons" not in email.body  # the request's own words stay on the platform


def test_a_partner_cannot_pick_another_organisations_team(platform: Platform) -> None:
    membership, _contact = partner_of(platform)
    other_team = TeamFactory.create(organisation=OrganisationFactory(platform=platform))
    client = login_client(Client(), membership)
    page = body(client.get(NEW))
    assert other_team.name not in page
    response = client.post(NEW, _data(team=other_team.pk))
    assert "Choisissez un service de la liste." in body(response)
    assert not Deployment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2027-01-01"}, "La date de fin doit suivre la date de début."),
        ({"expected_hours": "-2"}, "Le nombre d&#x27;heures ne peut pas être négatif."),
        ({"needs": "   "}, "Décrivez le besoin en quelques mots."),
        ({"kind": ""}, "Choisissez le type de demande."),
        ({"start_date": ""}, "Indiquez la date de début souhaitée."),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(platform: Platform, overrides: dict[str, str], message: str) -> None:
    membership, _contact = partner_of(platform)
    client = login_client(Client(), membership)
    response = client.post(NEW, _data(**overrides))
    page = body(response)
    assert response.status_code == 200
    assert message in page
    assert "Le mardi matin" in page  # what was typed is kept
    assert not Deployment.objects.exists()
    assert not Prerequisite.objects.exists()


def test_a_partner_account_without_organisation_gets_a_friendly_page(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PARTNER_CONTACT, platform)
    response = client.get(NEW)
    assert response.status_code == 404
    assert "Votre compte n'est relié à aucun partenaire" in body(response)
    assert client.post(NEW, _data()).status_code == 404
    assert not Deployment.objects.exists()


def test_a_coordinator_files_on_a_partners_behalf(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    first = OrganisationFactory.create(platform=platform, name="Association Alpha")
    second = OrganisationFactory(platform=platform, name="CMP Beta")
    team = TeamFactory(organisation=second, name="Équipe mobile")

    page = body(client.get(f"{NEW}?partenaire={second.pk}"))
    assert f'<option value="{second.pk}" selected>' in page
    assert f'<optgroup label="{second.name}">' in page  # teams grouped by organisation

    response = client.post(NEW, _data(organisation=second.pk, team=team.pk), follow=True)
    deployment = Deployment.objects.get()
    assert deployment.organisation == second and deployment.team == team
    assert deployment.filed_by == membership.user
    assert "Votre demande est enregistrée." in body(response)
    assert first.name in page


def test_a_coordinator_cannot_mix_a_partner_with_another_partners_team(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    first = OrganisationFactory(platform=platform)
    team = TeamFactory(organisation=OrganisationFactory(platform=platform))
    response = client.post(NEW, _data(organisation=first.pk, team=team.pk))
    assert "Ce service n&#x27;appartient pas à ce partenaire." in body(response)
    assert not Deployment.objects.exists()


def test_a_coordinator_must_choose_a_partner_of_the_platform(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = OrganisationFactory.create(platform=other_platform)
    assert elsewhere.name not in body(client.get(NEW))
    response = client.post(NEW, _data(organisation=elsewhere.pk))
    assert "Choisissez un partenaire de la liste." in body(response)
    response = client.post(NEW, _data())
    assert "Choisissez le partenaire qui fait la demande." in body(response)
    assert not Deployment.objects.exists()


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PERSON, Role.FUNDER])
def test_other_roles_cannot_file(role: Role, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(role, platform)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _data()).status_code == 403
