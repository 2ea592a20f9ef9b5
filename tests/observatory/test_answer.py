"""The anonymous questionnaire behind a campaign's link: the page of the right version, recording an
answer scored by the engine, an answer sent twice counted once, French messages on bad input, the
polite page of a closed campaign, the volume cap per link, headers and query counts."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone, translation

from pairs.core import ratelimit
from pairs.core.models import RateLimitCounter
from pairs.observatory.forms.questionnaire import submission_key_value
from pairs.observatory.models import Campaign, CampaignLink, ObservatorySettings, Purpose, Response
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.observatory.factories import CampaignFactory, link_of, respond, uniform

PERSPECTIVE = "personnes"
# Texts of the demo team instrument: one item of the people's version, one of the professionals'.
PEOPLE_ITEM = "L'équipe me parle de mes envies, pas seulement de mes difficultés."
PROFESSIONALS_ITEM = "Dans notre équipe, nous parlons avec les personnes de leurs envies"


def _url(link: CampaignLink) -> str:
    return f"/questionnaire/{link.token}/"


def _done_url(link: CampaignLink) -> str:
    return f"/questionnaire/{link.token}/merci/"


def _html(response: Any) -> str:
    """The page with its HTML entities decoded (« l'équipe » whether escaped or not)."""
    return html.unescape(response.content.decode())


def _key(client: Client, link: CampaignLink) -> str:
    """The signed submission key of the page, as the browser would send it back."""
    page = _html(client.get(_url(link)))
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _data(answers: dict[str, int | str], key: str) -> dict[str, str]:
    return {"submission_key": key, **{f"item_{item}": str(value) for item, value in answers.items()}}


def _checked(page: str, item: str, value: str) -> bool:
    return re.search(rf'<input type="radio" name="item_{item}" value="{value}"[^>]*\schecked', page) is not None


def _long_date(day: Any) -> str:
    with translation.override("fr"):
        return dateformat.format(day, "j F Y")


@pytest.fixture
def campaign(platform: Platform) -> Campaign:
    return CampaignFactory(platform=platform)


@pytest.fixture
def link(campaign: Campaign) -> CampaignLink:
    return link_of(campaign, PERSPECTIVE)


# ---- The page


def test_an_anonymous_visitor_sees_the_questions_of_the_links_version_and_the_anonymity_promise(
    campaign: Campaign, link: CampaignLink
) -> None:
    ObservatorySettings.objects.create(platform=campaign.platform, anonymity_threshold=7)
    response = Client().get(_url(link))
    assert response.status_code == 200
    page = _html(response)
    assert campaign.team is not None
    assert f"<h1>Votre avis sur l'équipe {campaign.team.name}</h1>" in page
    assert "Personnes accompagnées" in page  # who it is for: the version's label
    assert "Pensez à l'équipe qui vous accompagne." in page  # the version's instructions
    assert PEOPLE_ITEM in page
    assert PROFESSIONALS_ITEM not in page
    assert "Questionnaire de démonstration, non validé" in page
    assert (
        "Vos réponses sont anonymes : pas de nom, pas de compte, pas d'adresse IP enregistrée. "
        "L'équipe ne voit que des résultats de groupe, et seulement à partir de 7 réponses."
    ) in page
    assert "15 questions" in page
    assert '<form method="post"' in page and "csrfmiddlewaretoken" in page
    assert "Envoyer mes réponses" in page
    assert page.count("<h1") == 1


def test_the_page_tells_no_cache_no_referrer_no_indexing(link: CampaignLink) -> None:
    for response in (Client().get(_url(link)), Client().get(_done_url(link))):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Robots-Tag"] == "noindex"


def test_a_training_campaign_without_team_is_titled_by_the_campaign(platform: Platform) -> None:
    campaign = CampaignFactory(platform=platform, purpose=Purpose.TRAINING, team=None, title="Sensibilisation fictive")
    page = _html(Client().get(_url(link_of(campaign, "professionnels"))))
    assert "<h1>Sensibilisation fictive</h1>" in page


def test_a_signed_in_coordinator_can_try_the_link_without_their_account_being_attached(
    campaign: Campaign, link: CampaignLink, client_as: Any, other_platform: Platform
) -> None:
    # Signed in on the campaign's platform, and on another platform: the link alone names the campaign.
    for space in (campaign.platform, other_platform):
        client, _ = client_as(Role.COORDINATOR, space)
        response = client.get(_url(link))
        assert response.status_code == 200
        assert PEOPLE_ITEM in _html(response)
        response = client.post(_url(link), _data(uniform(campaign, PERSPECTIVE, 3), _key(client, link)))
        assert response.status_code == 303
        assert response["Location"] == _done_url(link)
    assert Response.objects.filter(campaign=campaign, typed_in=False).count() == 2


# ---- Recording an answer


def test_an_answer_is_saved_scored_by_the_engine_and_leads_to_the_thank_you_page(
    campaign: Campaign, link: CampaignLink
) -> None:
    client = Client()
    answers = uniform(campaign, PERSPECTIVE, 4)
    response = client.post(_url(link), _data(answers, _key(client, link)))
    assert response.status_code == 303
    assert response["Location"] == _done_url(link)
    saved = Response.objects.get(campaign=campaign)
    assert saved.typed_in is False
    assert saved.submitted_on == timezone.localdate()
    assert saved.perspective == PERSPECTIVE
    assert saved.answers == answers
    assert saved.values == dict.fromkeys(answers, 4)
    # Every item 4: each dimension's mean is 4.0.
    assert saved.scores == {"projets": 4.0, "participation": 4.0, "choix": 4.0, "soutiens": 4.0, "climat": 4.0}
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Merci ! Vos réponses sont enregistrées." in _html(thanks)
    assert "séance de restitution" in _html(thanks)


def test_a_mixed_answer_is_scored_by_the_definitions_rule(campaign: Campaign, link: CampaignLink) -> None:
    client = Client()
    answers: dict[str, int | str] = {
        "projets_1": 4,
        "projets_2": 5,
        "projets_3": "NA",
        "participation_1": 2,
        "choix_1": 1,
        "choix_2": 2,
        "choix_3": 4,
        "climat_1": 5,
        "climat_2": "DK",
        "climat_3": 3,
    }
    assert client.post(_url(link), _data(answers, _key(client, link))).status_code == 303
    saved = Response.objects.get(campaign=campaign)
    # The rule (mean, at least 60 % of a dimension's items, i.e. 2 of 3; "NA"/"DK"/blank are missing):
    # projets (4 + 5) / 2 = 4.5; participation 1 answer of 3 < 2: no score; choix (1 + 2 + 4) / 3 = 7/3;
    # soutiens nothing answered: no score; climat (5 + 3) / 2 = 4.0.
    assert saved.scores["projets"] == 4.5
    assert saved.scores["participation"] is None
    assert saved.scores["choix"] == pytest.approx(7 / 3)
    assert saved.scores["soutiens"] is None
    assert saved.scores["climat"] == 4.0
    assert saved.values["projets_3"] is None and saved.values["climat_2"] is None
    assert saved.values["soutiens_1"] is None and saved.values["projets_2"] == 5
    assert saved.answers == answers


def test_the_same_page_sent_twice_counts_once_and_both_end_on_the_thank_you_page(
    campaign: Campaign, link: CampaignLink
) -> None:
    client = Client()
    data = _data(uniform(campaign, PERSPECTIVE, 5), _key(client, link))
    first = client.post(_url(link), data)
    second = client.post(_url(link), data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == _done_url(link)
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_a_tampered_submission_key_saves_nothing_and_keeps_the_answers_with_a_fresh_key(
    campaign: Campaign, link: CampaignLink
) -> None:
    client = Client()
    response = client.post(_url(link), _data({"projets_1": 2, "climat_3": 5}, "not-a-key-we-drew-at-all-xxxx"))
    assert response.status_code == 200
    page = _html(response)
    assert "Cette page a expiré : rechargez-la puis répondez à nouveau." in page
    assert not Response.objects.exists()
    assert _checked(page, "projets_1", "2") and _checked(page, "climat_3", "5")
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found is not None and submission_key_value(found.group(1)) is not None
    # Sending again from that page works.
    assert client.post(_url(link), _data({"projets_1": 2, "climat_3": 5}, found.group(1))).status_code == 303
    assert Response.objects.count() == 1


def test_an_empty_questionnaire_is_refused_in_french(link: CampaignLink) -> None:
    client = Client()
    response = client.post(_url(link), _data({}, _key(client, link)))
    assert response.status_code == 200
    assert "Répondez à au moins une question avant d'envoyer." in _html(response)
    assert not Response.objects.exists()


def test_an_invalid_choice_is_refused_and_the_other_answers_stay_checked(link: CampaignLink) -> None:
    client = Client()
    response = client.post(_url(link), _data({"projets_1": 9, "projets_2": 4, "choix_1": "NA"}, _key(client, link)))
    assert response.status_code == 200
    page = _html(response)
    assert "Choisissez une des réponses proposées." in page
    assert _checked(page, "projets_2", "4") and _checked(page, "choix_1", "NA")
    assert not _checked(page, "projets_2", "5")
    assert not Response.objects.exists()


def test_a_refusal_of_the_service_is_shown_and_nothing_is_saved(platform: Platform) -> None:
    # A link whose perspective is not (any more) part of the campaign.
    campaign = CampaignFactory(platform=platform, perspectives=["professionnels"])
    link = CampaignLink.objects.create(
        platform=platform, campaign=campaign, perspective=PERSPECTIVE, token="lien-fictif-hors-campagne-0001"
    )
    client = Client()
    response = client.post(_url(link), _data(uniform(campaign, PERSPECTIVE, 3), _key(client, link)))
    assert response.status_code == 200
    assert "Ce point de vue ne fait pas partie de la campagne." in _html(response)
    assert not Response.objects.exists()


# ---- Closed, not yet open, unknown


def test_a_finished_campaign_answers_410_politely_and_saves_nothing(campaign: Campaign, link: CampaignLink) -> None:
    client = Client()
    key = _key(client, link)
    yesterday = timezone.localdate() - timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=yesterday)
    response = client.get(_url(link))
    assert response.status_code == 410
    expected = (
        f"Ce questionnaire est terminé depuis le {_long_date(yesterday)}. Merci de votre intérêt. "
        "Les résultats sont présentés à l'équipe lors d'une séance de restitution."
    )
    assert expected in _html(response)
    assert "Envoyer mes réponses" not in _html(response)
    assert response["Referrer-Policy"] == "same-origin"
    posted = client.post(_url(link), _data(uniform(campaign, PERSPECTIVE, 4), key))
    assert posted.status_code == 410
    assert not Response.objects.exists()


def test_a_campaign_closed_early_by_hand_answers_410_and_saves_nothing(campaign: Campaign, link: CampaignLink) -> None:
    client = Client()
    key = _key(client, link)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())
    response = client.get(_url(link))
    assert response.status_code == 410
    assert f"terminé depuis le {_long_date(timezone.localdate())}" in _html(response)
    assert client.post(_url(link), _data(uniform(campaign, PERSPECTIVE, 4), key)).status_code == 410
    assert not Response.objects.exists()


def test_a_campaign_not_yet_open_gives_its_opening_date(platform: Platform) -> None:
    opens_on = timezone.localdate() + timedelta(days=3)
    campaign = CampaignFactory(platform=platform, opens_on=opens_on, closes_on=opens_on + timedelta(days=20))
    link = link_of(campaign, PERSPECTIVE)
    response = Client().get(_url(link))
    assert response.status_code == 200
    assert f"Ce questionnaire ouvrira le {_long_date(opens_on)}." in _html(response)
    assert "Envoyer mes réponses" not in _html(response)
    posted = Client().post(_url(link), {"item_projets_1": "4", "submission_key": "x"})
    assert posted.status_code == 200
    assert not Response.objects.exists()


def test_an_unknown_token_is_not_found(link: CampaignLink) -> None:
    client = Client()
    assert client.get("/questionnaire/jeton-inconnu-fictif/").status_code == 404
    assert client.post("/questionnaire/jeton-inconnu-fictif/", {"item_projets_1": "4"}).status_code == 404
    assert client.get("/questionnaire/jeton-inconnu-fictif/merci/").status_code == 404
    assert client.get(f"/questionnaire/{'x' * 80}/").status_code == 404


# ---- Volume cap and query counts


def test_after_600_answers_in_the_hour_on_a_link_the_next_one_is_refused(
    campaign: Campaign, link: CampaignLink
) -> None:
    client = Client()
    key = _key(client, link)
    scope = f"observatory-answer:{link.pk}"
    ratelimit.hit(scope, limit=600, window_seconds=3600)
    RateLimitCounter.objects.filter(key=scope).update(count=600)  # as if 600 answers came this hour
    response = client.post(_url(link), _data(uniform(campaign, PERSPECTIVE, 4), key))
    assert response.status_code == 429
    assert not Response.objects.exists()
    # The cap is per link: the other perspectives of the campaign still take answers.
    other = link_of(campaign, "proches")
    answered = client.post(_url(other), _data(uniform(campaign, "proches", 4), _key(client, other)))
    assert answered.status_code == 303


def test_the_page_runs_the_same_queries_with_2_or_30_answers(campaign: Campaign, link: CampaignLink) -> None:
    client = Client()
    for _ in range(2):
        respond(campaign, PERSPECTIVE, uniform(campaign, PERSPECTIVE, 3))
    client.get(_url(link))  # warm up (content types, settings caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(link)).status_code == 200
    for _ in range(28):
        respond(campaign, PERSPECTIVE, uniform(campaign, PERSPECTIVE, 2))
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url(link)).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
