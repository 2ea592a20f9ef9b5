"""French full-text search of the library: accents ignored, words stemmed, title matches first, the
topic and audience filters, the vector kept up to date when a document changes."""

from __future__ import annotations

from typing import Any

from django.test import Client

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.resources.models import Audience, Document, Topic, Visibility
from pairs.resources.selectors.library import public_documents, search_documents
from pairs.resources.services import library as writes
from tests.factories import UserFactory


def add(platform: Platform, title: str, summary: str = "", **kwargs: Any) -> Document:
    """A link document added through the service, so that its search vector is computed."""
    values: dict[str, Any] = {
        "topic": Topic.PROFESSION,
        "audience": Audience.EVERYONE,
        "visibility": Visibility.PUBLIC,
        "upload": None,
        "url": "https://exemple.test/document",
    }
    values.update(kwargs)
    return writes.document_create(
        request=None, platform=platform, by=UserFactory(), title=title, summary=summary, **values
    )


def titles(platform: Platform, q: str = "", **filters: str) -> list[str]:
    return [document.title for document in search_documents(public_documents(platform), q=q, **filters)]


def test_a_stemmed_word_finds_its_family(platform: Platform) -> None:
    add(platform, "Le chemin du rétabli")
    add(platform, "Plans de crise partagés")
    assert titles(platform, "rétablissement") == ["Le chemin du rétabli"]


def test_accents_are_ignored_both_ways(platform: Platform) -> None:
    add(platform, "Rétablissement et emploi")
    add(platform, "Les droits des usagers")
    assert titles(platform, "retablissement") == ["Rétablissement et emploi"]
    assert titles(platform, "RETABLISSEMENT emploi") == ["Rétablissement et emploi"]
    assert titles(platform, "droits usagérs") == ["Les droits des usagers"]


def test_title_matches_come_before_summary_matches(platform: Platform) -> None:
    add(platform, "Accueillir dans une équipe", "Un guide qui parle aussi du rétablissement des personnes.")
    add(platform, "Le rétablissement au quotidien", "Témoignages de pairs aidants.")
    add(platform, "Sans rapport", "Rien à voir.")
    assert titles(platform, "rétablissement") == ["Le rétablissement au quotidien", "Accueillir dans une équipe"]


def test_without_words_the_documents_come_by_title_and_the_filters_apply(platform: Platform) -> None:
    add(platform, "Zéro stigmatisation", topic=Topic.RIGHTS, audience=Audience.PROFESSIONALS)
    add(platform, "Au-delà du diagnostic", topic=Topic.RECOVERY, audience=Audience.PEOPLE)
    add(platform, "Mon parcours de rétablissement", topic=Topic.RECOVERY, audience=Audience.RELATIVES)
    assert titles(platform) == ["Au-delà du diagnostic", "Mon parcours de rétablissement", "Zéro stigmatisation"]
    assert titles(platform, topic=Topic.RECOVERY) == ["Au-delà du diagnostic", "Mon parcours de rétablissement"]
    assert titles(platform, topic=Topic.RECOVERY, audience=Audience.RELATIVES) == ["Mon parcours de rétablissement"]
    assert titles(platform, "rétablissement", topic=Topic.RIGHTS) == []


def test_the_vector_follows_a_changed_title(platform: Platform) -> None:
    document = add(platform, "Ancien titre")
    writes.document_update(
        request=None,
        document=document,
        title="Fiche de poste type",
        summary="",
        topic=document.topic,
        audience=document.audience,
        visibility=document.visibility,
        upload=None,
        url=document.url,
    )
    assert titles(platform, "poste") == ["Fiche de poste type"]
    assert titles(platform, "ancien") == []


def test_the_pages_search_with_filters_and_keep_what_was_typed(platform: Platform, client_as: Any) -> None:
    add(platform, "Le chemin du rétabli", topic=Topic.RECOVERY)
    add(platform, "Rétablissement et emploi", topic=Topic.PROFESSION)
    add(platform, "Pour les pairs : le rétablissement", visibility=Visibility.PEERS, topic=Topic.RECOVERY)
    client, _membership = client_as(Role.PEER_WORKER, platform)

    page = client.get("/bibliotheque/", {"q": "rétablissement", "topic": "recovery"}).content.decode()
    assert "Le chemin du rétabli" in page and "Pour les pairs : le rétablissement" in page
    assert "Rétablissement et emploi" not in page
    assert "2 documents pour « rétablissement »" in page
    assert 'value="rétablissement"' in page and '<option value="recovery" selected>' in page

    public = Client().get("/ressources/test-rhone/", {"q": "retablissement"}).content.decode()
    assert "Le chemin du rétabli" in public and "Rétablissement et emploi" in public
    assert "Pour les pairs" not in public

    nothing = client.get("/bibliotheque/", {"q": "astronomie"}).content.decode()
    assert "Aucun document ne correspond à cette recherche." in nothing


def test_an_unknown_filter_is_ignored_and_odd_input_does_not_break(platform: Platform, client_as: Any) -> None:
    add(platform, "Le chemin du rétabli", topic=Topic.RECOVERY)
    client, _membership = client_as(Role.PERSON, platform)
    page = client.get("/bibliotheque/", {"topic": "inconnu", "audience": "people"}).content.decode()
    assert "Aucun document ne correspond" in page  # the audience still applies
    for q in ['"rétabli', "-", "&|!:*", "or or", "a" * 300]:
        response = client.get("/bibliotheque/", {"q": q})
        assert response.status_code == 200
    assert "Le chemin du rétabli" in client.get("/bibliotheque/", {"topic": "inconnu"}).content.decode()
