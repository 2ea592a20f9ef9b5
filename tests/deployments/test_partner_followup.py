"""The partner's follow-up page: its next joint reviews and the hours delivered on its contracts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from pairs.deployments.models import HoursBasis, Kind, State
from pairs.deployments.selectors import contracts as reads
from pairs.partners.models import Organisation
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import (
    AssignmentFactory,
    ContractFactory,
    DeploymentFactory,
    ReviewFactory,
    partner_of,
)
from tests.partners.factories import OrganisationFactory, TeamFactory
from tests.peers.factories import ActivityEntryFactory

URL = "/mon-organisation/suivi/"


def body(response: Any) -> str:
    return str(response.content.decode())


def partner_client(platform: Platform, organisation: Organisation) -> Client:
    membership, _contact = partner_of(platform, organisation)
    return login_client(Client(), membership)


def test_the_partner_sees_its_next_reviews_only(platform: Platform) -> None:
    today = timezone.localdate()
    organisation = OrganisationFactory(platform=platform, name="CH Le Vinatier Exemple")
    team = TeamFactory(organisation=organisation, name="Unité Les Glycines")
    mine = DeploymentFactory(organisation=organisation, team=team, state=State.INTEGRATION)
    ReviewFactory(deployment=mine, planned_on=today + timedelta(days=40))
    ReviewFactory(deployment=mine, planned_on=today + timedelta(days=10))
    ReviewFactory(deployment=mine, planned_on=today - timedelta(days=10))  # past
    ReviewFactory(deployment=mine, planned_on=today + timedelta(days=5), held_on=today)  # already held
    stopped = DeploymentFactory(organisation=organisation, state=State.ABANDONED)
    ReviewFactory(deployment=stopped, planned_on=today + timedelta(days=3))
    elsewhere = DeploymentFactory(organisation__platform=platform, organisation__name="Clinique Voisine")
    ReviewFactory(deployment=elsewhere, planned_on=today + timedelta(days=2))

    page = body(partner_client(platform, organisation).get(URL))

    assert "Points de suivi et heures réalisées" in page and "CH Le Vinatier Exemple" in page
    soon, later = today + timedelta(days=10), today + timedelta(days=40)
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("fr"):
        soon_text, later_text = date_format(soon, "j F Y"), date_format(later, "j F Y")
        past_text = date_format(today - timedelta(days=10), "j F Y")
    assert page.index(soon_text) < page.index(later_text)
    assert past_text not in page
    assert page.count(f'href="/deploiements/{mine.pk}/"') == 2
    assert "Unité Les Glycines" in page
    assert f"/deploiements/{stopped.pk}/" not in page
    assert "Clinique Voisine" not in page and f"/deploiements/{elsewhere.pk}/" not in page


def test_at_most_ten_reviews_are_shown(platform: Platform) -> None:
    today = timezone.localdate()
    organisation = OrganisationFactory(platform=platform)
    deployment = DeploymentFactory(organisation=organisation, state=State.INTEGRATION)
    for day in range(1, 13):
        ReviewFactory(deployment=deployment, planned_on=today + timedelta(days=day))
    page = body(partner_client(platform, organisation).get(URL))
    assert page.count(f'href="/deploiements/{deployment.pk}/"') == 10
    assert "Les 10 prochains." in page


def test_the_partner_sees_hours_of_last_month_and_this_month(platform: Platform) -> None:
    this_month = reads.month_start(timezone.localdate())
    last_month = reads.previous_month(this_month)
    organisation = OrganisationFactory(platform=platform)
    deployment = DeploymentFactory(organisation=organisation, state=State.INTEGRATION, kind=Kind.LONG_DEPLOYMENT)
    for start, total in ((last_month, "60"), (this_month, "10")):
        ContractFactory(
            deployment=deployment,
            start_date=start,
            end_date=reads.month_end(start),
            hours_basis=HoursBasis.TOTAL,
            hours=Decimal(total),
        )
    assignment = AssignmentFactory(deployment=deployment, start_date=last_month)
    for _ in range(8):  # 8 × 6 h = 48 h last month
        ActivityEntryFactory(profile=assignment.profile, assignment=assignment, day=last_month, duration_minutes=360)
    ActivityEntryFactory(profile=assignment.profile, assignment=assignment, day=this_month, duration_minutes=90)
    without_contract = DeploymentFactory(organisation=organisation, state=State.INTEGRATION)
    old_contract = DeploymentFactory(organisation=organisation, state=State.ENDED)
    ContractFactory(
        deployment=old_contract,
        start_date=last_month - timedelta(days=400),
        end_date=last_month - timedelta(days=1),
    )

    page = body(partner_client(platform, organisation).get(URL))

    assert "60 h" in page and "48 h" in page and "Sous-réalisation de 20 %" in page
    assert "10 h" in page and "1,5 h" in page and "mois en cours" in page
    assert f"/deploiements/{deployment.pk}/#heures" in page
    assert f"/deploiements/{without_contract.pk}/" not in page
    assert f"/deploiements/{old_contract.pk}/" not in page


def test_nothing_to_show_is_said_in_words(platform: Platform) -> None:
    organisation = OrganisationFactory(platform=platform)
    page = body(partner_client(platform, organisation).get(URL))
    assert "Aucun point de suivi conjoint n'est prévu pour le moment." in page
    assert "Aucune convention ne couvre le mois dernier ou ce mois-ci." in page


def test_an_unlinked_partner_account_gets_an_explanation(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PARTNER_CONTACT, platform)
    response = client.get(URL)
    assert response.status_code == 404
    assert "Votre compte n'est relié à aucun partenaire" in body(response)


def test_only_partner_contacts_have_the_page(platform: Platform, client_as: Any) -> None:
    for role in (Role.COORDINATOR, Role.PEER_WORKER, Role.PERSON):
        assert client_as(role, platform)[0].get(URL).status_code == 403


def test_my_organisation_links_to_the_page(platform: Platform) -> None:
    organisation = OrganisationFactory(platform=platform)
    page = body(partner_client(platform, organisation).get("/mon-organisation/"))
    assert "Points de suivi et heures réalisées" in page and URL in page


def test_the_page_does_not_grow_in_queries(platform: Platform, django_assert_max_num_queries: Any) -> None:
    today = timezone.localdate()
    this_month = reads.month_start(today)
    organisation = OrganisationFactory(platform=platform)
    client = partner_client(platform, organisation)

    def add(count: int) -> None:
        for i in range(count):
            team = TeamFactory(organisation=organisation)
            deployment = DeploymentFactory(organisation=organisation, team=team, state=State.INTEGRATION)
            ReviewFactory(deployment=deployment, planned_on=today + timedelta(days=i + 1))
            ContractFactory(deployment=deployment, start_date=reads.previous_month(this_month), end_date=this_month)
            ContractFactory(deployment=deployment, start_date=this_month, end_date=reads.month_end(this_month))
            assignment = AssignmentFactory(deployment=deployment, start_date=this_month)
            ActivityEntryFactory(profile=assignment.profile, assignment=assignment, day=this_month)

    add(1)
    with django_assert_max_num_queries(100) as small:
        assert client.get(URL).status_code == 200
    add(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).status_code == 200
