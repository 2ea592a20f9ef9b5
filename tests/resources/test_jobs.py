"""The job board: the coordination posts and edits offers, a public page shows the published ones that
are still open."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.journal.models import JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.resources.models import Contract, JobOffer
from tests.factories import commune
from tests.partners.factories import OrganisationFactory
from tests.resources.factories import JobOfferFactory


def body(response: Any) -> str:
    return str(response.content.decode())


def form_data(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "organisation": "",
        "employer": "Association Exemple Santé",
        "title": "Pair aidant·e en équipe mobile",
        "description": "Accompagner des personnes vers le rétablissement, avec l'équipe mobile.",
        "commune": "",
        "contract": Contract.PERMANENT,
        "hours_per_week": "17,5",
        "starts_on": (today + timedelta(days=60)).isoformat(),
        "apply_by": (today + timedelta(days=20)).isoformat(),
        "how_to_apply": "Lettre et CV à recrutement@exemple.test",
        "published": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_coordinator_posts_an_offer_from_a_partner(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    partner = OrganisationFactory(platform=platform, name="CH Le Vinatier fictif")
    place = commune()
    page = body(client.get("/offres/"))
    assert "Nouvelle offre" in page and "/offres/nouvelle/" in page
    assert "Aucune offre ouverte pour l'instant." in page
    form = body(client.get("/offres/nouvelle/"))
    assert "CH Le Vinatier fictif" in form and "Villefranche-sur-Saône (69)" in form

    response = client.post("/offres/nouvelle/", form_data(organisation=str(partner.pk), employer="", commune=place.pk))

    assert response.status_code == 302
    assert response["Location"] == "/offres/"
    job = JobOffer.objects.get(platform=platform)
    assert (job.organisation, job.employer, job.commune, job.hours_per_week) == (
        partner,
        "CH Le Vinatier fictif",
        place,
        Decimal("17.5"),
    )
    assert job.published and job.created_by_id == membership.user_id
    entry = JournalEntry.objects.get(action="create", object_type="resources.joboffer")
    assert entry.object_id == str(job.pk) and {"employer", "organisation", "apply_by"} <= set(entry.fields)

    page = body(client.get("/offres/"))
    assert "L&#x27;offre « Pair aidant·e en équipe mobile » est publiée." in page
    assert f'href="/offres/{job.pk}/"' in page and "CH Le Vinatier fictif" in page and "Villefranche" in page
    assert "CDI" in page and "Publiée" in page and "17,5 h par semaine" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"apply_by": "2020-01-01"}, "La date limite de candidature ne peut pas être passée."),
        ({"hours_per_week": "60"}, "Indiquez entre 0,5 et 48 heures par semaine."),
        ({"hours_per_week": "0"}, "Indiquez entre 0,5 et 48 heures par semaine."),
        ({"hours_per_week": "beaucoup"}, "Écrivez un nombre d&#x27;heures, par exemple 17,5."),
        ({"employer": ""}, "Indiquez l&#x27;employeur, ou choisissez un partenaire."),
        ({"how_to_apply": " "}, "Expliquez comment candidater"),
        ({"contract": ""}, "Choisissez le type de contrat."),
        ({"apply_by": "bientôt"}, "Indiquez une date valide."),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(
    platform: Platform, client_as: Any, changes: dict[str, str], message: str
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    response = client.post("/offres/nouvelle/", form_data(**changes))

    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert 'value="Pair aidant·e en équipe mobile"' in page
    assert "Accompagner des personnes vers le rétablissement" in page
    assert not JobOffer.objects.exists()


def test_another_platforms_partner_cannot_be_chosen(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = OrganisationFactory(platform=other_platform, name="Partenaire d'ailleurs")
    assert "Partenaire d&#x27;ailleurs" not in body(client.get("/offres/nouvelle/"))
    response = client.post("/offres/nouvelle/", form_data(organisation=str(elsewhere.pk)))
    assert response.status_code == 200
    assert "Choisissez un partenaire de la liste." in body(response)
    assert not JobOffer.objects.exists()


def test_a_coordinator_edits_an_offer_and_may_keep_a_past_closing_date(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    past = timezone.localdate() - timedelta(days=3)
    job = JobOfferFactory(platform=platform, title="Ancien intitulé", apply_by=past)
    page = body(client.get(f"/offres/{job.pk}/"))
    assert 'value="Ancien intitulé"' in page and f'value="{past.isoformat()}"' in page

    response = client.post(
        f"/offres/{job.pk}/", form_data(title="Nouvel intitulé", apply_by=past.isoformat(), published="")
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.title, job.published, job.apply_by) == ("Nouvel intitulé", False, past)
    entry = JournalEntry.objects.get(action="update", object_type="resources.joboffer")
    assert "title" in entry.fields and "published" in entry.fields and "apply_by" not in entry.fields

    earlier = (past - timedelta(days=1)).isoformat()
    refused = client.post(f"/offres/{job.pk}/", form_data(title="Encore", apply_by=earlier))
    assert "La date limite de candidature ne peut pas être passée." in body(refused)
    assert 'value="Encore"' in body(refused)
    job.refresh_from_db()
    assert job.title == "Nouvel intitulé"


def test_the_list_shows_open_offers_first(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    today = timezone.localdate()
    JobOfferFactory(platform=platform, title="Close depuis hier", apply_by=today - timedelta(days=1))
    JobOfferFactory(platform=platform, title="Ouverte jusqu'à aujourd'hui", apply_by=today)
    JobOfferFactory(platform=platform, title="Ouverte longtemps", apply_by=today + timedelta(days=90))
    page = body(client.get("/offres/"))
    order = [page.index(title) for title in ("Ouverte jusqu&#x27;à aujourd&#x27;hui", "Ouverte longtemps")]
    assert order == sorted(order)
    assert page.index("Offres closes") < page.index("Close depuis hier")
    assert page.index("Ouverte longtemps") < page.index("Offres closes")


def test_the_public_page_shows_published_open_offers_only(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    today = timezone.localdate()
    shown = JobOfferFactory(
        platform=platform,
        title="Pair aidant·e en CMP",
        employer="Centre hospitalier fictif",
        commune=commune(),
        contract=Contract.FIXED_TERM,
        hours_per_week=Decimal("24"),
        starts_on=today + timedelta(days=45),
        apply_by=today,
        description="Un poste au centre médico-psychologique.",
        how_to_apply="Écrire à recrutement@exemple.test avant la date limite.",
    )
    JobOfferFactory(platform=platform, title="Brouillon non publié", published=False)
    JobOfferFactory(platform=platform, title="Offre close", apply_by=today - timedelta(days=1))
    JobOfferFactory(platform=other_platform, title="Offre d'ailleurs")

    page = body(Client().get("/emplois/test-rhone/"))

    assert "Pair aidant·e en CMP" in page and "1 offre ouverte" in page
    assert "Brouillon non publié" not in page and "Offre close" not in page and "Offre d&#x27;ailleurs" not in page
    for detail in (
        "Centre hospitalier fictif",
        "Villefranche-sur-Saône (69)",
        "CDD",
        "24 h par semaine",
        "Un poste au centre médico-psychologique.",
        'href="mailto:recrutement@exemple.test"',
    ):
        assert detail in page, detail
    assert shown.apply_by.strftime("%Y") in page

    # Signed in to another platform, the page still shows this platform's offers.
    elsewhere, _membership = client_as(Role.COORDINATOR, other_platform)
    assert "Pair aidant·e en CMP" in body(elsewhere.get("/emplois/test-rhone/"))
    assert Client().get("/emplois/inconnue/").status_code == 404


def test_the_public_page_without_offers(platform: Platform) -> None:
    page = body(Client().get("/emplois/test-rhone/"))
    assert "Aucune offre d'emploi ouverte pour le moment." in page


def test_only_coordinators_manage_offers(platform: Platform, client_as: Any) -> None:
    job = JobOfferFactory(platform=platform)
    for role in (Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON):
        client, _membership = client_as(role, platform)
        assert client.get("/offres/").status_code == 403
        assert client.get("/offres/nouvelle/").status_code == 403
        assert client.post("/offres/nouvelle/", form_data()).status_code == 403
        assert client.post(f"/offres/{job.pk}/", form_data(title="Piraté")).status_code == 403
    job.refresh_from_db()
    assert JobOffer.objects.count() == 1 and job.title != "Piraté"
    assert Client().get("/offres/").status_code == 302  # to the sign-in page


def test_another_platforms_offer_is_not_found(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = JobOfferFactory(platform=other_platform, title="Offre d'ailleurs")
    assert client.get(f"/offres/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/offres/{elsewhere.pk}/", form_data(title="Changé")).status_code == 404
    assert "Offre d&#x27;ailleurs" not in body(client.get("/offres/"))
    peer, _peer = client_as(Role.PEER_WORKER, platform)
    assert peer.get(f"/offres/{elsewhere.pk}/").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Offre d'ailleurs"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_lists_do_not_grow_in_queries(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    past = timezone.localdate() - timedelta(days=5)

    def offers(count: int) -> None:
        for _index in range(count):
            partner = OrganisationFactory(platform=platform)
            JobOfferFactory(platform=platform, organisation=partner, employer=partner.name, commune=commune())
            JobOfferFactory(platform=platform, apply_by=past, commune=commune())

    offers(2)
    few = (_queries(client, "/offres/"), _queries(Client(), "/emplois/test-rhone/"))
    offers(18)
    assert (_queries(client, "/offres/"), _queries(Client(), "/emplois/test-rhone/")) == few
