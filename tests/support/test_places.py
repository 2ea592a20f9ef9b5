"""Accessible places: the coordinator lists, adds and edits them; names are unique per platform;
the commune is one of the platform's; an inactive place is no longer offered for meetings."""

from __future__ import annotations

from typing import Any

import pytest

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Place
from tests.factories import commune
from tests.support.factories import PlaceFactory, person_of


def place_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Maison de la Métropole de Bron",
        "kind": Place.Kind.PUBLIC_SERVICE,
        "address": "8 rue Paul Pic",
        "commune": commune().pk,
        "accessibility": "Plain-pied, tram T2 arrêt Les Alizés.",
        "opening_hours": "Du lundi au vendredi, 9 h – 17 h",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_a_coordinator_adds_a_place_and_it_is_journaled(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert "Aucun lieu pour le moment" in client.get("/accompagnement/lieux/").content.decode()

    response = client.post("/accompagnement/lieux/", place_data(), follow=True)

    page = response.content.decode()
    place = Place.objects.get(platform=platform)
    assert place.name == "Maison de la Métropole de Bron" and place.active and place.commune_id == "69264"
    assert "Le lieu « Maison de la Métropole de Bron » est ajouté." in page
    assert "Plain-pied, tram T2 arrêt Les Alizés." in page and "8 rue Paul Pic, Villefranche-sur-Saône" in page
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.place")
    assert entry.object_id == str(place.pk) and "accessibility" in entry.fields and entry.platform == platform


def test_names_are_unique_within_a_platform_only(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    PlaceFactory(platform=platform, name="Café des Pentes")
    PlaceFactory(platform=other_platform, name="Café du Marché")
    response = client.post("/accompagnement/lieux/", place_data(name="  café des   pentes "))
    page = response.content.decode()
    assert "Un lieu porte déjà ce nom : choisissez un autre nom." in page
    assert 'value="8 rue Paul Pic"' in page  # what was typed is kept
    assert client.post("/accompagnement/lieux/", place_data(name="Café du Marché")).status_code == 302
    assert Place.objects.filter(platform=platform).count() == 2


def test_the_commune_must_belong_to_the_territory(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    grenoble = commune("38185", "Grenoble", 45.18, 5.72)
    page = client.post("/accompagnement/lieux/", place_data(commune=grenoble.pk)).content.decode()
    assert "Choisissez une commune du territoire de la plateforme." in page
    assert not Place.objects.exists()


def test_editing_a_place_journals_the_changed_fields_and_withdraws_it_from_booking(
    platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    place = PlaceFactory(platform=platform, name="Salle Jean Macé")
    url = f"/accompagnement/lieux/{place.pk}/"
    assert 'value="Salle Jean Macé"' in client.get(url).content.decode()

    data = place_data(name="Salle Jean Macé", address=place.address, accessibility=place.accessibility)
    data.pop("active")
    data["opening_hours"] = place.opening_hours
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == "/accompagnement/lieux/"
    place.refresh_from_db()
    assert not place.active and place.kind == Place.Kind.PUBLIC_SERVICE
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.place")
    assert entry.fields == ["active"]

    assert "Non" in client.get("/accompagnement/lieux/").content.decode()
    person = person_of(platform)
    form = client.get(f"/accompagnement/personnes/{person.pk}/rencontres/").content.decode()
    assert "Salle Jean Macé" not in form


def test_places_are_for_coordinators(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    place = PlaceFactory(platform=platform)
    client, _ = client_as(Role.PEER_WORKER, platform)
    assert client.get("/accompagnement/lieux/").status_code == 403
    assert client.post(f"/accompagnement/lieux/{place.pk}/", place_data()).status_code == 403
    client, _ = client_as(Role.COORDINATOR, other_platform)
    assert client.get(f"/accompagnement/lieux/{place.pk}/").status_code == 404
    assert client.post(f"/accompagnement/lieux/{place.pk}/", place_data()).status_code == 404
    assert Place.objects.get(pk=place.pk).name == place.name


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    PlaceFactory.create_batch(rows, platform=platform)
    with django_assert_num_queries(11):
        assert client.get("/accompagnement/lieux/").status_code == 200
