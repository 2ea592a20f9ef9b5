"""The coordinators' list of requests and deployments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pairs.deployments.models import Deployment, Kind, State
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import DeploymentFactory
from tests.partners.factories import OrganisationFactory, TeamFactory

LIST = "/deploiements/"


def body(response: Any) -> str:
    return response.content.decode()


def _filed(deployment: Deployment, days_ago: int) -> Deployment:
    Deployment.objects.filter(pk=deployment.pk).update(filed_at=timezone.now() - timedelta(days=days_ago))
    return deployment


def test_new_requests_come_first_with_their_age(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    older_new = _filed(DeploymentFactory(organisation__platform=platform, organisation__name="GEM Nouveau"), 3)
    _filed(DeploymentFactory(organisation__platform=platform, organisation__name="CMP Ancien", acknowledged=True), 1)
    _filed(
        DeploymentFactory(organisation__platform=platform, organisation__name="CH Suivi", state=State.INTEGRATION), 0
    )

    page = body(client.get(LIST))

    assert "Demandes et déploiements" in page
    assert "3 demandes ou déploiements" in page
    assert page.index("GEM Nouveau") < page.index("CH Suivi") < page.index("CMP Ancien")
    assert page.count(">Nouvelle</span>") == 1
    assert "déposée il y a 3 jours" in page
    assert "déposée il y a 1 jour" in page
    assert "déposée aujourd'hui" in page
    assert f"/deploiements/{older_new.pk}/" in page


def test_filters_by_step_kind_and_partner(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    DeploymentFactory(organisation__platform=platform, organisation__name="Clinique des Lilas", state=State.ANALYSIS)
    DeploymentFactory(organisation__platform=platform, organisation__name="Foyer Horizon", kind=Kind.ONE_OFF)
    team_org = OrganisationFactory(platform=platform, name="Hôpital du Parc")
    DeploymentFactory(
        organisation__platform=platform, organisation=team_org, team=TeamFactory(organisation=team_org, name="CMP Est")
    )
    DeploymentFactory(organisation__platform=other_platform, organisation__name="Ailleurs en Isère")

    def names(query: str) -> set[str]:
        page = body(client.get(f"{LIST}?{query}"))
        candidates = ["Clinique des Lilas", "Foyer Horizon", "Hôpital du Parc", "Ailleurs en Isère"]
        return {name for name in candidates if name in page}

    assert names("") == {"Clinique des Lilas", "Foyer Horizon", "Hôpital du Parc"}
    assert names("state=analysis") == {"Clinique des Lilas"}
    assert names("kind=one_off") == {"Foyer Horizon"}
    assert names("partner=parc") == {"Hôpital du Parc"}
    assert names("partner=isère") == set()
    assert "CMP Est" in body(client.get(LIST))


def test_the_list_is_paginated(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)
    DeploymentFactory.create_batch(51, platform=platform, organisation=organisation)
    page = body(client.get(LIST))
    assert "Page 1 sur 2" in page
    assert "51 demandes ou déploiements" in page


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.PEER_WORKER])
def test_only_coordinators_see_the_list(role: Role, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(role, platform)
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    for index in range(rows):
        organisation = OrganisationFactory(platform=platform)
        team = TeamFactory(organisation=organisation) if index % 2 else None
        DeploymentFactory(
            organisation__platform=platform, organisation=organisation, team=team, acknowledged=bool(index % 3)
        )
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
    assert body(response).count('href="/deploiements/') - body(response).count('href="/deploiements/prerequis/') >= rows
