"""The partners directory for coordinators: list, creation, edit, detail, teams."""

from __future__ import annotations

from typing import Any

import pytest

from pairs.journal.models import Action, JournalEntry
from pairs.partners.models import Organisation, Sector, Team
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import DeploymentFactory
from tests.partners.factories import ContactFactory, OrganisationFactory, TeamFactory, commune, grenoble

LIST = "/partenaires/"


def body(response: Any) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


# ---- List


def test_the_list_shows_each_partner_with_its_counts(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(
        platform=platform, name="CMP Villeurbanne-Est", sector=Sector.PSYCHIATRIC_HOSPITAL
    )
    TeamFactory.create_batch(3, organisation=organisation)
    ContactFactory.create_batch(2, organisation=organisation)
    DeploymentFactory(organisation=organisation)
    DeploymentFactory(organisation=organisation)
    DeploymentFactory(organisation=organisation, ended=True)
    DeploymentFactory(organisation=organisation, abandoned=True)

    response = client.get(LIST)

    text = body(response)
    assert "CMP Villeurbanne-Est" in text
    assert "Établissement de santé mentale" in text
    assert "Villefranche-sur-Saône" in text
    row = response.context["page"].object_list[0]
    assert (row.team_count, row.contact_count, row.open_deployment_count) == (3, 2, 2)
    assert "Ajouter un partenaire" in text


def test_the_list_filters_by_sector_and_name(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    OrganisationFactory(platform=platform, name="GEM Les Ailes du Nord", sector=Sector.GEM)
    OrganisationFactory(platform=platform, name="GEM Le Phare", sector=Sector.GEM)
    OrganisationFactory(platform=platform, name="Centre hospitalier Saint-Exemple")

    by_sector = body(client.get(LIST, {"sector": Sector.GEM}))
    by_name = body(client.get(LIST, {"q": "ailes"}))

    assert "GEM Le Phare" in by_sector and "Saint-Exemple" not in by_sector
    assert "GEM Les Ailes du Nord" in by_name and "GEM Le Phare" not in by_name
    assert "1 partenaire trouvé" in by_name


def test_the_list_shows_only_this_platforms_partners(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    OrganisationFactory(platform=other_platform, name="Clinique des Cèdres")
    assert "Clinique des Cèdres" not in body(client.get(LIST))


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_query_count_does_not_grow(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    for _i in range(rows):
        organisation = OrganisationFactory(platform=platform)
        TeamFactory(organisation=organisation)
        ContactFactory(organisation=organisation)
        DeploymentFactory(organisation=organisation)
    # session, user, memberships, second factor, scope set, count, page (with the three counts
    # annotated), scope clear, session save (3).
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == rows


# ---- Permissions


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.PEER_WORKER, Role.PERSON, Role.FUNDER])
def test_other_roles_may_not_see_the_list(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    assert client.get(LIST).status_code == 403


def test_a_peer_worker_may_not_see_a_partner(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PEER_WORKER, platform)
    organisation = OrganisationFactory(platform=platform)
    assert client.get(f"/partenaires/{organisation.pk}/").status_code == 403
    assert client.get("/partenaires/ajouter/").status_code == 403


# ---- Creation and edit


def _data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Centre hospitalier Saint-Exemple",
        "sector": Sector.PSYCHIATRIC_HOSPITAL,
        "address": "12 rue des Tilleuls",
        "commune": commune().pk,
    }
    return data | overrides


def test_a_coordinator_adds_a_partner(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)

    response = client.post("/partenaires/ajouter/", _data(), follow=True)

    organisation = Organisation.objects.get(platform=platform)
    assert organisation.name == "Centre hospitalier Saint-Exemple"
    assert response.redirect_chain[-1][0] == f"/partenaires/{organisation.pk}/"
    assert "Le partenaire « Centre hospitalier Saint-Exemple » est ajouté." in body(response)
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="partners.organisation")
    assert entry.fields == ["address", "commune", "name", "sector"]


def test_the_creation_form_offers_only_the_platforms_communes(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    commune()
    grenoble()

    text = body(client.get("/partenaires/ajouter/"))
    assert "Villefranche-sur-Saône (69)" in text
    assert "Grenoble" not in text

    response = client.post("/partenaires/ajouter/", _data(commune=grenoble().pk))
    assert "Sélectionnez un choix valide" in body(response)
    assert not Organisation.objects.exists()


def test_a_duplicate_name_is_refused_and_the_typed_values_kept(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    OrganisationFactory(platform=platform, name="Centre hospitalier Saint-Exemple")

    response = client.post("/partenaires/ajouter/", _data(name="centre hospitalier saint-exemple "))

    text = body(response)
    assert response.status_code == 200
    assert "Un partenaire porte déjà ce nom sur la plateforme." in text
    assert "12 rue des Tilleuls" in text
    assert Organisation.objects.filter(platform=platform).count() == 1


def test_the_same_name_is_allowed_on_another_platform(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    OrganisationFactory(platform=other_platform, name="Centre hospitalier Saint-Exemple")

    client.post("/partenaires/ajouter/", _data())

    assert Organisation.objects.filter(platform=platform, name="Centre hospitalier Saint-Exemple").exists()


def test_a_coordinator_edits_a_partner(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform, name="CMP Plaine-Est", address="")

    response = client.post(
        f"/partenaires/{organisation.pk}/modifier/",
        _data(name="CMP Plaine-Est", sector=Sector.PSYCHIATRIC_HOSPITAL, address="3 place du Marché"),
        follow=True,
    )

    organisation.refresh_from_db()
    assert organisation.address == "3 place du Marché"
    assert "Les changements sont enregistrés." in body(response)
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="partners.organisation")
    assert entry.fields == ["address"]


def test_an_edit_to_another_partners_name_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    OrganisationFactory(platform=platform, name="GEM Le Phare")
    organisation = OrganisationFactory(platform=platform, name="GEM Le Lien")

    response = client.post(f"/partenaires/{organisation.pk}/modifier/", _data(name="GEM Le Phare"))

    assert "Un partenaire porte déjà ce nom sur la plateforme." in body(response)
    organisation.refresh_from_db()
    assert organisation.name == "GEM Le Lien"
    assert not JournalEntry.objects.filter(action=Action.UPDATE).exists()


# ---- Detail


def test_a_coordinator_sees_the_detail_with_contact_details_and_requests(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform, name="Clinique des Érables")
    team = TeamFactory(organisation=organisation, name="Hôpital de jour")
    ContactFactory(
        organisation=organisation, first_name="Agathe", last_name="Fictive", email="agathe@partenaire.test.example"
    )
    deployment = DeploymentFactory(organisation=organisation, team=team)

    text = body(client.get(f"/partenaires/{organisation.pk}/"))

    assert "<h1>Clinique des Érables</h1>" in text
    assert "Hôpital de jour" in text
    assert "Agathe Fictive" in text and "agathe@partenaire.test.example" in text
    assert "Donner un compte partenaire" in text
    assert f"/deploiements/{deployment.pk}/" in text
    assert "Déploiement au long cours" in text
    assert f"/demandes/nouvelle/?partenaire={organisation.pk}" in text
    assert "Déposer une demande pour ce partenaire" in text


@pytest.mark.parametrize("rows", [1, 30])
def test_the_detail_query_count_does_not_grow(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)
    for _i in range(rows):
        team = TeamFactory(organisation=organisation)
        ContactFactory(organisation=organisation)
        DeploymentFactory(organisation=organisation, team=team)
    # session, user, memberships, second factor, scope set, organisation, teams, contacts,
    # deployments, the communes of the team form, scope clear, session save (3).
    with django_assert_num_queries(14):
        response = client.get(f"/partenaires/{organisation.pk}/")
    assert response.status_code == 200


# ---- Teams


def test_a_coordinator_adds_a_team(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)

    response = client.post(f"/partenaires/{organisation.pk}/services/", {"name": "CMP adultes"}, follow=True)

    assert Team.objects.get(organisation=organisation).name == "CMP adultes"
    assert "Le service « CMP adultes » est ajouté." in body(response)


def test_a_duplicate_team_is_refused_on_the_detail_page(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform, name="Clinique des Cèdres")
    TeamFactory(organisation=organisation, name="CMP adultes")

    response = client.post(
        f"/partenaires/{organisation.pk}/services/", {"name": "cmp adultes", "commune": commune().pk}
    )

    text = body(response)
    assert "<h1>Clinique des Cèdres</h1>" in text
    assert "Ce partenaire a déjà un service ou une équipe de ce nom." in text
    assert 'value="cmp adultes"' in text
    assert Team.objects.filter(organisation=organisation).count() == 1


def test_the_same_team_name_is_allowed_at_another_partner(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    TeamFactory(organisation=OrganisationFactory(platform=platform), name="CMP adultes")
    organisation = OrganisationFactory(platform=platform)

    client.post(f"/partenaires/{organisation.pk}/services/", {"name": "CMP adultes"})

    assert Team.objects.filter(organisation=organisation, name="CMP adultes").exists()


def test_a_team_is_added_by_post_only(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)
    assert client.get(f"/partenaires/{organisation.pk}/services/").status_code == 405
