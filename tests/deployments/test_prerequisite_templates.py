"""The platform's prerequisites checklist: seeded with the defaults, edited by coordinators."""

from __future__ import annotations

from typing import Any

import pytest

from pairs.deployments import services
from pairs.deployments.models import PrerequisiteTemplate
from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import PrerequisiteTemplateFactory

PAGE = "/deploiements/prerequis/"


def body(response: Any) -> str:
    return response.content.decode()


def test_the_page_seeds_the_defaults(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    page = body(client.get(PAGE))
    assert "Prérequis de la plateforme" in page
    assert "Un référent est désigné dans l&#x27;équipe" in page
    assert PrerequisiteTemplate.objects.filter(platform=platform).count() == 5
    client.get(PAGE)
    assert PrerequisiteTemplate.objects.filter(platform=platform).count() == 5


def test_a_coordinator_adds_edits_and_deletes_an_item(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    services.prerequisite_templates_seed(platform=platform)

    response = client.post(
        PAGE, {"label": "Une salle pour les entretiens", "required": "on", "position": ""}, follow=True
    )
    assert "La liste des prérequis est enregistrée." in body(response)
    item = PrerequisiteTemplate.objects.get(label="Une salle pour les entretiens")
    assert item.position == 6 and item.required

    page = body(client.get(f"{PAGE}?prerequis={item.pk}"))
    assert "Modifier le prérequis « Une salle pour les entretiens »" in page
    client.post(PAGE, {"item_id": item.pk, "label": "Une salle calme", "position": "2"})
    item.refresh_from_db()
    assert (item.label, item.required, item.position) == ("Une salle calme", False, 2)

    response = client.post(PAGE, {"delete": item.pk}, follow=True)
    assert "Le prérequis « Une salle calme » est retiré de la liste." in body(response)
    assert not PrerequisiteTemplate.objects.filter(pk=item.pk).exists()
    actions = list(
        JournalEntry.objects.filter(object_type="deployments.prerequisitetemplate")
        .order_by("id")
        .values_list("action", "fields")
    )
    assert actions == [
        (Action.CREATE, ["label", "position", "required"]),
        (Action.UPDATE, ["label", "position", "required"]),
        (Action.DELETE, []),
    ]


def test_an_empty_label_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    response = client.post(PAGE, {"label": "  ", "position": "0"})
    page = body(response)
    assert "Écrivez le prérequis en quelques mots." in page
    assert "L&#x27;ordre doit être compris entre 1 et 999." in page
    assert PrerequisiteTemplate.objects.filter(platform=platform).count() == 5  # only the defaults


def test_the_last_item_is_kept(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    only = PrerequisiteTemplateFactory(platform=platform, label="Seul prérequis")
    response = client.post(PAGE, {"delete": only.pk}, follow=True)
    assert "La liste doit garder au moins un prérequis." in body(response)
    assert PrerequisiteTemplate.objects.filter(pk=only.pk).exists()


def test_another_platforms_item_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = PrerequisiteTemplateFactory(platform=other_platform, label="Ailleurs")
    assert client.get(f"{PAGE}?prerequis={elsewhere.pk}").status_code == 404
    assert client.post(PAGE, {"item_id": elsewhere.pk, "label": "Piraté"}).status_code == 404
    assert client.post(PAGE, {"delete": elsewhere.pk}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.label == "Ailleurs"


def test_a_new_request_copies_the_checklist_of_the_day(platform: Platform) -> None:
    from datetime import date
    from decimal import Decimal

    from pairs.deployments.models import Kind
    from tests.factories import UserFactory
    from tests.partners.factories import OrganisationFactory

    PrerequisiteTemplateFactory(platform=platform, label="Premier", position=1)
    PrerequisiteTemplateFactory(platform=platform, label="Second", position=2, required=False)
    deployment = services.request_file(
        request=None,
        platform=platform,
        filed_by=UserFactory(),
        organisation=OrganisationFactory(platform=platform),
        team=None,
        kind=Kind.ONE_OFF,
        expected_hours=Decimal("2"),
        rhythm="",
        start_date=date(2027, 1, 1),
        end_date=None,
        needs="Une rencontre",
    )
    assert list(deployment.prerequisites.values_list("label", "required")) == [("Premier", True), ("Second", False)]


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.PEER_WORKER])
def test_only_coordinators_edit_the_checklist(role: Role, platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(role, platform)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"label": "Non"}).status_code == 403
    assert not PrerequisiteTemplate.objects.exists()
