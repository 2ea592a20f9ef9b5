"""Campaign pages: launching a campaign (links, journal, e-mails to the partner's contacts, licence
gate, dates, the next wave), who may do what, following it (links, counts, live refresh, reminders,
closing), paper questionnaires typed in, the A4 poster, the settings, and constant query counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.observatory.forms.questionnaire import new_submission_key
from pairs.observatory.models import (
    Campaign,
    CampaignLink,
    Instrument,
    Licence,
    LicencePermission,
    ObservatorySettings,
    Purpose,
    Response,
)
from pairs.partners.models import Organisation, Team
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.observatory.factories import (
    SHORT_INSTRUMENT,
    CampaignFactory,
    demo_instrument,
    link_of,
    respond,
    uniform,
)
from tests.partners.factories import ContactFactory, OrganisationFactory, TeamFactory, partner_of
from tests.plans.test_pdf import pages_text, require_pdf

LIST = "/observatoire/"
CREATE = "/observatoire/campagnes/nouvelle/"
SETTINGS = "/observatoire/reglages/"
PERSPECTIVES = ["professionnels", "personnes", "proches"]


def _detail(campaign: Campaign) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/"


def _counts(campaign: Campaign) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/compteurs/"


def _type_in(campaign: Campaign, perspective: str) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/saisie/{perspective}/"


def _poster(campaign: Campaign, perspective: str) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/affiche/{perspective}/"


def _organisation(platform: Platform, name: str = "Centre hospitalier du Val fictif") -> Organisation:
    return OrganisationFactory(platform=platform, name=name)


def _team(organisation: Organisation, name: str = "Unité Les Tilleuls") -> Team:
    return TeamFactory(organisation=organisation, name=name)


def _data(team: Team | None, instrument: Instrument, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "action": "create",
        "purpose": Purpose.TEAM,
        "team": team.pk if team is not None else "",
        "title": "",
        "instrument": instrument.pk,
        "perspectives": PERSPECTIVES,
        "wave": 0,
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=28)).isoformat(),
    }
    data.update(overrides)
    return data


def _page(response: Any) -> str:
    return str(response.content.decode())


def _partner(organisation: Organisation) -> tuple[Client, Membership]:
    membership, _contact = partner_of(organisation)
    return login_client(Client(), membership), membership


# ---- Launching a campaign


def test_a_coordinator_launches_a_campaign_with_one_link_per_perspective(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    organisation = _organisation(platform)
    team = _team(organisation)
    ContactFactory(organisation=organisation, email="cadre.sante@partenaire.test.example")
    ContactFactory(organisation=organisation, email="medecin.chef@partenaire.test.example")
    ContactFactory(organisation=organisation, without_email=True)
    ContactFactory(organisation=_organisation(platform, "Autre partenaire fictif"), email="autre@test.example")
    instrument = demo_instrument(platform)

    page = _page(client.get(CREATE))
    assert "Lancer une campagne" in page
    assert "Professionnel·les de l&#x27;équipe" in page  # the first instrument's perspectives, all checked

    response = client.post(CREATE, _data(team, instrument))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(campaign)
    assert campaign.title == "Observatoire — Unité Les Tilleuls — T0"
    assert campaign.created_by == coordinator.user
    assert campaign.perspectives == PERSPECTIVES
    links = list(CampaignLink.objects.filter(campaign=campaign).order_by("perspective"))
    assert [link.perspective for link in links] == sorted(PERSPECTIVES)
    assert all(len(link.token) >= 32 for link in links)
    entry = JournalEntry.objects.get(object_type="observatory.campaign", object_id=str(campaign.pk))
    assert entry.action == Action.CREATE and entry.actor == coordinator.user

    emails = list(OutgoingEmail.objects.filter(kind="observatory_campaign_opened").order_by("to"))
    assert [email.to for email in emails] == [
        "cadre.sante@partenaire.test.example",
        "medecin.chef@partenaire.test.example",
    ]
    body = emails[0].body
    assert emails[0].subject == "Observatoire : la campagne « Observatoire — Unité Les Tilleuls — T0 » est lancée"
    for link in links:
        assert f"/questionnaire/{link.token}/" in body
    assert "Proches :" in body

    page = _page(client.get(_detail(campaign)))
    assert "La campagne « Observatoire — Unité Les Tilleuls — T0 » est lancée" in page


def test_a_partner_contact_launches_a_campaign_for_a_team_of_their_organisation(platform: Platform) -> None:
    organisation = _organisation(platform)
    team = _team(organisation)
    client, membership = _partner(organisation)
    instrument = demo_instrument(platform)

    page = _page(client.get(CREATE))
    assert "Objet de la campagne" not in page  # a partner launches a team's Observatoire only
    assert "Avant et après une formation" not in page

    data = _data(team, instrument, perspectives=["professionnels"], purpose=Purpose.TRAINING)
    response = client.post(CREATE, data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.team == team and campaign.purpose == Purpose.TEAM
    assert campaign.perspectives == ["professionnels"]  # the professionals' version alone
    assert campaign.created_by == membership.user
    assert OutgoingEmail.objects.filter(to=membership.partner_contact.email).count() == 1


def test_a_partner_cannot_choose_another_organisations_team(platform: Platform) -> None:
    organisation = _organisation(platform)
    _team(organisation)
    other_team = _team(_organisation(platform, "Clinique fictive des Cèdres"), "Hôpital de jour")
    client, _membership = _partner(organisation)
    instrument = demo_instrument(platform)

    page = _page(client.get(CREATE))
    assert "Hôpital de jour" not in page
    response = client.post(CREATE, _data(other_team, instrument, title="Notre campagne"))
    assert response.status_code == 200
    page = _page(response)
    assert "Choisissez une équipe de la liste." in page
    assert 'value="Notre campagne"' in page
    assert not Campaign.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_partner_sees_only_their_organisations_campaigns(platform: Platform) -> None:
    organisation = _organisation(platform)
    own = CampaignFactory(platform=platform, team=_team(organisation), title="Campagne de mon équipe")
    other = CampaignFactory(platform=platform, title="Campagne d'un autre partenaire")
    client, _membership = _partner(organisation)

    page = _page(client.get(LIST))
    assert "Campagne de mon équipe" in page
    assert "Campagne d&#x27;un autre partenaire" not in page
    assert client.get(_detail(own)).status_code == 200
    for url in (_detail(other), _counts(other), _poster(other, "proches"), _type_in(other, "proches")):
        assert client.get(url).status_code == 404
    assert client.post(_detail(other), {"action": "close"}).status_code == 404
    assert client.get(f"{CREATE}?after={other.pk}").status_code == 404
    other.refresh_from_db()
    assert other.closed_at is None


def test_another_platforms_campaign_is_not_found(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    elsewhere = CampaignFactory(platform=other_platform)
    assert client.get(_detail(elsewhere)).status_code == 404
    assert client.get(_type_in(elsewhere, "proches")).status_code == 404


@pytest.mark.parametrize("role", [Role.PERSON, Role.PEER_WORKER, Role.FUNDER])
def test_other_roles_may_not_see_or_launch_campaigns(platform: Platform, client_as: Any, role: Role) -> None:
    client, _membership = client_as(role, platform)
    campaign = CampaignFactory(platform=platform)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(campaign.team, campaign.instrument)).status_code == 403
    assert client.get(_detail(campaign)).status_code == 403
    assert Campaign.objects.count() == 1


def test_a_partner_may_not_change_the_settings(platform: Platform) -> None:
    client, _membership = _partner(_organisation(platform))
    assert client.get(SETTINGS).status_code == 403


def test_the_licence_gate_refuses_an_instrument_without_its_permission(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    team = _team(_organisation(platform))
    instrument = demo_instrument(platform)
    Instrument.objects.filter(pk=instrument.pk).update(licence=Licence.PERMISSION)

    response = client.post(CREATE, _data(team, instrument, title="Campagne sous licence"))
    assert response.status_code == 200
    page = _page(response)
    assert "Cet instrument demande une autorisation de ses auteurs : notez-la avant de lancer une campagne." in page
    assert 'value="Campagne sous licence"' in page
    assert not Campaign.objects.exists() and not CampaignLink.objects.exists()

    LicencePermission.objects.create(
        platform=platform,
        instrument=instrument,
        reference="Accord écrit fictif des auteurs",
        granted_on=timezone.localdate() - timedelta(days=2),
        recorded_by=coordinator.user,
    )
    response = client.post(CREATE, _data(team, instrument, title="Campagne sous licence"))
    assert response.status_code == 302
    assert Campaign.objects.get().title == "Campagne sous licence"


def test_an_inactive_instrument_is_not_offered(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    team = _team(_organisation(platform))
    instrument = demo_instrument(platform)
    Instrument.objects.filter(pk=instrument.pk).update(active=False)
    response = client.post(CREATE, _data(team, instrument))
    assert "Choisissez un instrument de la liste." in _page(response)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (0, -1, "La clôture doit venir après l&#x27;ouverture."),
        (-10, -2, "Cette date de clôture est passée : choisissez une date à venir."),
    ],
)
def test_bad_dates_are_refused_and_the_typed_values_kept(
    platform: Platform, client_as: Any, opens: int, closes: int, message: str
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    team = _team(_organisation(platform))
    instrument = demo_instrument(platform)
    today = timezone.localdate()
    data = _data(
        team,
        instrument,
        title="Observatoire printemps",
        perspectives=["professionnels", "proches"],
        opens_on=(today + timedelta(days=opens)).isoformat(),
        closes_on=(today + timedelta(days=closes)).isoformat(),
    )
    response = client.post(CREATE, data)
    assert response.status_code == 200
    page = _page(response)
    assert message in page
    assert 'value="Observatoire printemps"' in page
    assert f'value="{(today + timedelta(days=closes)).isoformat()}"' in page
    assert re.search(r'value="proches"[^>]*checked', page)
    assert not re.search(r'value="personnes"[^>]*checked', page)
    assert not Campaign.objects.exists()


def test_no_perspective_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    team = _team(_organisation(platform))
    data = _data(team, demo_instrument(platform))
    del data["perspectives"]
    assert "Choisissez au moins un point de vue." in _page(client.post(CREATE, data))
    data["perspectives"] = ["personne"]  # a version of another instrument
    assert "Choisissez les points de vue parmi ceux de l&#x27;instrument choisi." in _page(client.post(CREATE, data))
    assert not Campaign.objects.exists()


def test_choosing_an_instrument_shows_its_perspectives_with_and_without_javascript(
    platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    team = _team(_organisation(platform))
    demo_instrument(platform)
    short = demo_instrument(platform, SHORT_INSTRUMENT)

    page = _page(client.get(CREATE, {"instrument": short.pk}, headers={"HX-Request": "true"}))
    assert 'id="perspectives"' in page
    assert "Personne accompagnée" in page
    assert "Proches" not in page

    data = _data(team, short, action="instrument", title="Bien-être avant l'été")
    response = client.post(CREATE, data)
    assert response.status_code == 200
    page = _page(response)
    assert 'value="Bien-être avant l&#x27;été"' in page
    assert re.search(r'value="personne"[^>]*checked', page)
    assert "form-errors" not in page
    assert not Campaign.objects.exists()


def test_a_training_campaign_may_have_no_team_and_sends_no_email(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    instrument = demo_instrument(platform)
    data = _data(None, instrument, purpose=Purpose.TRAINING, perspectives=["professionnels"])
    response = client.post(CREATE, data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.team is None and campaign.wave_label == "Avant"
    assert campaign.title.endswith("— Avant")
    assert not OutgoingEmail.objects.exists()


def test_the_next_wave_is_prefilled_from_the_previous(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    team = _team(_organisation(platform))
    today = timezone.localdate()
    first = CampaignFactory(
        platform=platform,
        team=team,
        perspectives=["professionnels", "personnes"],
        opens_on=today - timedelta(days=120),
        closes_on=today - timedelta(days=90),
    )
    page = _page(client.get(_detail(first)))
    assert f'href="{CREATE}?after={first.pk}"' in page
    assert "Voir les résultats" in page

    page = _page(client.get(CREATE, {"after": first.pk}))
    assert "Vague suivante de" in page
    assert re.search(rf'<option value="{team.pk}" selected', page)
    assert re.search(r'<option value="1" selected>T1</option>', page)
    assert re.search(r'value="personnes"[^>]*checked', page)
    assert not re.search(r'value="proches"[^>]*checked', page)
    assert f'name="previous" value="{first.pk}"' in page

    data = _data(team, first.instrument, wave=1, previous=first.pk, perspectives=["professionnels", "personnes"])
    response = client.post(CREATE, data)
    assert response.status_code == 302
    second = Campaign.objects.exclude(pk=first.pk).get()
    assert second.previous == first and second.wave == 1
    assert second.title == "Observatoire — Unité Les Tilleuls — T1"

    data.update(wave=0)  # not after the previous wave
    assert "La vague doit suivre celle de la campagne précédente (T0)." in _page(client.post(CREATE, data))
    other_team = _team(team.organisation, "Équipe mobile")
    data.update(wave=2, team=other_team.pk)
    page = _page(client.post(CREATE, data))
    assert "La vague précédente doit porter sur la même équipe et le même instrument." in page
    assert Campaign.objects.count() == 2


# ---- Following a campaign


def test_the_detail_shows_each_link_and_its_counts(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    for _n in range(2):
        respond(campaign, "professionnels", uniform(campaign, "professionnels", 4))
    respond(campaign, "professionnels", uniform(campaign, "professionnels", 2), typed_in=True)
    for _n in range(5):
        respond(campaign, "personnes", uniform(campaign, "personnes", 3))

    page = _page(client.get(_detail(campaign)))
    assert escape(campaign.title) in page
    assert "démonstration — non validé" in page
    assert "5 réponses : en dessous, un point de vue n'est pas affiché." in page
    for perspective in PERSPECTIVES:
        token = link_of(campaign, perspective).token
        assert f'/questionnaire/{token}/" readonly' in page
        assert _poster(campaign, perspective) in page
        assert _type_in(campaign, perspective) in page
    assert "Lien anonyme — Proches" in page
    assert "(dont 1 saisie papier)" in page
    assert "Encore 2 réponses avant de pouvoir afficher ce point de vue." in page
    assert "Assez de réponses pour afficher ce point de vue." in page
    assert "Encore 5 réponses avant de pouvoir afficher ce point de vue." in page
    assert 'aria-live="polite"' in page
    assert 'hx-trigger="every 20s"' in page
    assert "Voir les résultats provisoires" in page  # what the threshold allows, during the collection
    assert "Préparer la vague suivante" not in page  # not before the end


def test_the_counts_refresh_answers_nothing_new_with_204(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    response = client.get(_counts(campaign))
    assert response.status_code == 200
    page = _page(response)
    assert "<h1" not in page and "Réponses reçues par point de vue" in page
    digest = re.search(r"\?v=([0-9a-f]+)", page)
    assert digest is not None
    htmx = {"HX-Request": "true"}
    assert client.get(_counts(campaign), {"v": digest.group(1)}, headers=htmx).status_code == 204
    respond(campaign, "proches", uniform(campaign, "proches", 5))
    response = client.get(_counts(campaign), {"v": digest.group(1)}, headers=htmx)
    assert response.status_code == 200
    assert "Encore 4 réponses" in _page(response)


def test_remind_sends_once_a_day(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    ContactFactory(organisation=campaign.team.organisation, email="cadre@partenaire.test.example")
    ContactFactory(organisation=campaign.team.organisation, without_email=True)
    respond(campaign, "professionnels", uniform(campaign, "professionnels", 4))

    response = client.post(_detail(campaign), {"action": "remind"}, follow=True)
    assert "La relance est envoyée à 1 contact du partenaire." in _page(response)
    email = OutgoingEmail.objects.get(kind="observatory_campaign_reminder")
    assert email.to == "cadre@partenaire.test.example"
    assert (
        "Professionnel·les de l'équipe : 1 réponse — encore 4 avant de pouvoir afficher ce point de vue" in email.body
    )
    assert f"/questionnaire/{link_of(campaign, 'proches').token}/" in email.body
    campaign.refresh_from_db()
    assert campaign.last_reminder_on == timezone.localdate()
    assert JournalEntry.objects.filter(
        action=Action.UPDATE, object_type="observatory.campaign", actor=coordinator.user
    ).exists()

    response = client.post(_detail(campaign), {"action": "remind"}, follow=True)
    assert "Une relance est déjà partie aujourd&#x27;hui. Vous pourrez relancer à nouveau demain." in _page(response)
    assert OutgoingEmail.objects.filter(kind="observatory_campaign_reminder").count() == 1


def test_close_early_then_results_and_next_wave(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    response = client.post(_detail(campaign), {"action": "close"}, follow=True)
    page = _page(response)
    assert "La campagne est close : elle ne reçoit plus de réponses." in page
    assert "Voir les résultats" in page
    assert "Préparer la vague suivante" in page
    assert 'hx-trigger="every' not in page  # no more refreshing
    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="observatory.campaign")
    assert entry.actor == coordinator.user and entry.fields == ["closed_at"]

    response = client.post(_detail(campaign), {"action": "close"}, follow=True)
    assert "Cette campagne était déjà close : rien n&#x27;a changé." in _page(response)


def test_an_unknown_action_is_a_bad_request(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    assert client.post(_detail(campaign), {"action": "delete"}).status_code == 400


# ---- Paper questionnaires


def _paper(campaign: Campaign, perspective: str, value: int, key: str) -> dict[str, Any]:
    answers = uniform(campaign, perspective, value)
    return {"submission_key": key, **{f"item_{item}": str(answer) for item, answer in answers.items()}}


def test_a_paper_questionnaire_is_typed_in_once(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    page = _page(client.get(_type_in(campaign, "personnes")))
    assert "Saisir un questionnaire papier" in page
    assert "Personnes accompagnées" in page
    assert 'name="submission_key"' in page

    key = new_submission_key()
    response = client.post(_type_in(campaign, "personnes"), _paper(campaign, "personnes", 4, key), follow=True)
    assert "Questionnaire papier enregistré." in _page(response)
    saved = Response.objects.get()
    assert saved.typed_in and saved.perspective == "personnes"
    assert set(saved.answers.values()) == {4}
    entry = JournalEntry.objects.get(object_type="observatory.response", object_id=str(saved.pk))
    assert entry.action == Action.CREATE and entry.actor == coordinator.user

    response = client.post(_type_in(campaign, "personnes"), _paper(campaign, "personnes", 4, key), follow=True)
    assert "Ce questionnaire était déjà enregistré." in _page(response)
    assert Response.objects.count() == 1


def test_a_tampered_page_key_is_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    response = client.post(_type_in(campaign, "proches"), _paper(campaign, "proches", 3, "pas-une-cle"))
    assert "Cette page a expiré : rechargez-la." in _page(response)
    assert not Response.objects.exists()


def test_typing_in_is_accepted_during_the_grace_days_then_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    today = timezone.localdate()
    campaign = CampaignFactory(
        platform=platform, opens_on=today - timedelta(days=60), closes_on=today - timedelta(days=14)
    )
    response = client.post(_type_in(campaign, "proches"), _paper(campaign, "proches", 2, new_submission_key()))
    assert response.status_code == 302
    assert Response.objects.count() == 1

    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today - timedelta(days=15))
    response = client.post(_type_in(campaign, "proches"), _paper(campaign, "proches", 5, new_submission_key()))
    assert response.status_code == 200
    page = _page(response)
    assert "Cette campagne ne reçoit plus de réponses." in page
    assert re.search(r'value="5"[^>]*checked', page)  # the typed answers are kept
    assert Response.objects.count() == 1
    assert "la saisie des questionnaires papier est fermée" in _page(client.get(_type_in(campaign, "proches")))


def test_a_perspective_outside_the_campaign_is_not_found(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform, perspectives=["professionnels"])
    assert client.get(_type_in(campaign, "proches")).status_code == 404
    assert client.get(_poster(campaign, "proches")).status_code == 404
    assert client.get(_poster(campaign, "inconnu")).status_code == 404


# ---- The poster


def test_the_poster_is_an_a4_pdf_with_the_link_and_who_it_is_for(platform: Platform, client_as: Any) -> None:
    require_pdf()
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaign = CampaignFactory(platform=platform)
    response = client.get(_poster(campaign, "proches"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="affiche-proches.pdf"' in response["Content-Disposition"]
    pages = pages_text(response.content)
    assert len(pages) == 1  # one A4 sheet to pin up
    text = pages[0]
    token = link_of(campaign, "proches").token
    assert re.sub(r"\s", "", f"/questionnaire/{token}/") in re.sub(r"\s", "", text)
    assert "Proches" in text
    assert f"Votre avis sur l'équipe {campaign.team.name}" in text
    assert "Anonyme : ni nom, ni compte, ni adresse IP enregistrés." in text
    assert "non validé" in text
    assert "Pairs Test Rhône" in text


# ---- Settings


def test_settings_refuse_a_threshold_below_3_and_save_4(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    page = _page(client.get(SETTINGS))
    assert 'value="5"' in page and 'value="6"' in page  # the defaults

    response = client.post(SETTINGS, {"anonymity_threshold": "2", "measure_interval_months": "6"})
    assert response.status_code == 200
    page = _page(response)
    assert "Le seuil d&#x27;anonymat ne peut pas être inférieur à 3" in page
    assert 'value="2"' in page
    assert not ObservatorySettings.objects.exists()

    response = client.post(SETTINGS, {"anonymity_threshold": "4", "measure_interval_months": "3"}, follow=True)
    assert "Les réglages de l&#x27;Observatoire sont enregistrés." in _page(response)
    saved = ObservatorySettings.objects.get(platform=platform)
    assert (saved.anonymity_threshold, saved.measure_interval_months) == (4, 3)
    entry = JournalEntry.objects.get(object_type="observatory.observatorysettings")
    assert entry.action == Action.CREATE and entry.actor == coordinator.user

    client.post(SETTINGS, {"anonymity_threshold": "7", "measure_interval_months": "3"})
    saved.refresh_from_db()
    assert saved.anonymity_threshold == 7
    update = JournalEntry.objects.get(object_type="observatory.observatorysettings", action=Action.UPDATE)
    assert update.fields == ["anonymity_threshold"]


# ---- Query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_2_or_8_campaigns(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    campaigns = [CampaignFactory(platform=platform) for _n in range(2)]
    respond(campaigns[0], "proches", uniform(campaigns[0], "proches", 3))
    few = _count(client, LIST)
    for _n in range(6):
        respond(CampaignFactory(platform=platform), "proches", uniform(campaigns[0], "proches", 3))
    page = _page(client.get(LIST))
    assert page.count("<tr>") == 9  # the header and 8 rows
    assert _count(client, LIST) == few


def _with_answers(campaign: Campaign, n: int) -> None:
    for index in range(n):
        perspective = PERSPECTIVES[index % 3]
        respond(campaign, perspective, uniform(campaign, perspective, 3), typed_in=index % 2 == 0)


@pytest.mark.parametrize("page", [_detail, _counts])
def test_detail_and_counts_run_the_same_queries_for_2_or_8_answers(
    platform: Platform, client_as: Any, page: Callable[[Campaign], str]
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    few, many = CampaignFactory(platform=platform), CampaignFactory(platform=platform)
    _with_answers(few, 2)
    _with_answers(many, 8)
    assert _count(client, page(few)) == _count(client, page(many))
