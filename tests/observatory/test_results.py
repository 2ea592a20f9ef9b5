"""A campaign's results page: the figures computed in SQL against values worked out by hand, the gaps
between perspectives, the lowest and highest items, the change since the previous wave, the
anonymity threshold (no figure of a small group anywhere), who may see them, and a query count that
does not grow with the answers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.observatory.models import Campaign, ObservatorySettings, Response
from pairs.observatory.selectors.results import campaign_results, effect_words
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.observatory.factories import CampaignFactory, respond, uniform
from tests.partners.factories import OrganisationFactory, partner_of

PROS, PEOPLE, RELATIVES = "professionnels", "personnes", "proches"
PROS_LABEL = "Professionnel·les de l'équipe"
RELATIVES_LABEL = "Proches"


def results_url(campaign: Campaign) -> str:
    return f"/observatoire/campagnes/{campaign.pk}/resultats/"


def body(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'")


def by_dimension(campaign: Campaign, perspective: str, **dimensions: Any) -> dict[str, int | str]:
    """Answers of one respondent: each dimension's items all given the same value (or one value per
    item in a tuple, or "NA"); dimensions not named are answered 3."""
    definition = campaign.instrument.definition
    version = next(v for v in definition["versions"] if v["key"] == perspective)
    present = [item["key"] for item in version["items"]]
    answers: dict[str, int | str] = {}
    for dimension in definition["dimensions"]:
        keys = [key for key in dimension["items"] if key in present]
        value = dimensions.get(dimension["key"], 3)
        values = value if isinstance(value, tuple) else (value,) * len(keys)
        answers.update(zip(keys, values, strict=True))
    return answers


def team_campaign(platform: Platform, **kwargs: Any) -> Campaign:
    return CampaignFactory(platform=platform, **kwargs)


def fill(campaign: Campaign) -> None:
    """The worked example.

    Professionals (5 answers):
    - Projets de vie 4, 4, 5, 3, 4: mean 4.0; sd = sqrt((0 + 0 + 1 + 1 + 0) / 4) = 0.7071;
      half-width = t(4) × sd / √5 = 2.776 × 0.7071 / 2.2361 = 0.8779 → CI [3.12 ; 4.88].
    - Choix 3, 3, 4, 2, 3: mean 3.0, same sd → CI [2.12 ; 3.88].
    - Participation: the first answered « Sans objet » (NA) to its three items, so no score: n = 4
      (below the threshold 5: the cell shows « — »).
    - Diversité des soutiens: the first answered NA to soutiens_1 only (2 items of 3 are enough): the
      score counts, the item soutiens_1 has n = 4.
    - Climat: climat_1 = 5, climat_2 = 4, climat_3 = 2 for all: score 11/3 = 3.67, sd 0.
    Items of the professionals: climat_3 2.0 is the lowest, then the choix items 3.0 (ties by order:
    choix_1, choix_2); climat_1 5.0 is the highest, then 4.0: projets_1, projets_2 (before climat_2).

    People (5 answers):
    - Projets 2, 2, 3, 2, 1: mean 2.0, sd 0.7071 → CI [1.12 ; 2.88]: below 3.12, a gap is flagged.
    - Choix 2, 3, 3, 2, 3: mean 2.6; sd = sqrt((0.36 + 0.16 + 0.16 + 0.36 + 0.16) / 4) = sqrt(0.3) = 0.5477;
      half-width = 2.776 × 0.5477 / 2.2361 = 0.6800 → CI [1.92 ; 3.28]: overlaps [2.12 ; 3.88], no gap.
    - Climat 3, 4, 3, 4, 4: mean 3.6, sd 0.5477 → CI [2.92 ; 4.28]: contains 3.67, no gap.

    Relatives (4 answers, every item 1): below the threshold 5, nothing of theirs is shown."""
    climat = (5, 4, 2)
    pros = [
        {"projets": 4, "choix": 3, "participation": "NA", "soutiens": ("NA", 3, 3)},
        {"projets": 4, "choix": 3, "participation": 4},
        {"projets": 5, "choix": 4, "participation": 4},
        {"projets": 3, "choix": 2, "participation": 4},
        {"projets": 4, "choix": 3, "participation": 4},
    ]
    for answers in pros:
        respond(campaign, PROS, by_dimension(campaign, PROS, climat=climat, **answers))
    for projets, choix, climat_value in ((2, 2, 3), (2, 3, 4), (3, 3, 3), (2, 2, 4), (1, 3, 4)):
        respond(campaign, PEOPLE, by_dimension(campaign, PEOPLE, projets=projets, choix=choix, climat=climat_value))
    for _ in range(4):
        respond(campaign, RELATIVES, uniform(campaign, RELATIVES, 1))


@pytest.fixture
def coordinator(platform: Platform, client_as: Any) -> Client:
    client, _membership = client_as(Role.COORDINATOR, platform)
    return client


# ---- The figures


def test_the_scores_intervals_and_gaps_are_the_ones_computed_by_hand(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    page = body(coordinator.get(results_url(campaign)))
    assert f"<h1>Résultats — {campaign.title}</h1>" in page.replace("&#x27;", "'")
    assert "Résultats provisoires : la campagne est encore ouverte" in page
    # Projets de vie: professionals then people.
    assert "<td>4,00</td><td>[3,12\xa0;\xa04,88]</td><td>5</td>" in page
    assert "<td>2,00</td><td>[1,12\xa0;\xa02,88]</td><td>5</td>" in page
    # Choix: 3.0 [2.12 ; 3.88] and 2.6 [1.92 ; 3.28].
    assert "<td>3,00</td><td>[2,12\xa0;\xa03,88]</td><td>5</td>" in page
    assert "<td>2,60</td><td>[1,92\xa0;\xa03,28]</td><td>5</td>" in page
    assert "<td>3,60</td><td>[2,92\xa0;\xa04,28]</td><td>5</td>" in page
    assert (
        "Projets de vie : les professionnel·les de l'équipe donnent un score plus élevé (4,00) que les personnes "
        "accompagnées (2,00) ; les intervalles de confiance ne se recouvrent pas."
    ) in page
    assert page.count("les intervalles de confiance ne se recouvrent pas.") == 1  # choix and climat overlap
    # Participation of the professionals: 4 scores only, below the threshold.
    assert "<td>—</td><td>—</td><td>—</td>" in page
    assert "moins de 5 réponses avec un score pour cette dimension" in page
    assert "Comment lire ces résultats" in page
    assert "il ne mesure rien de façon fiable" in page  # the demo instrument
    assert f'href="/observatoire/campagnes/{campaign.pk}/rapport.pdf"' in page
    assert "Rapport PDF pour la restitution" in page
    assert "Exporter les réponses anonymes (CSV)" in page


def test_the_selector_returns_the_same_figures(platform: Platform) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    results = campaign_results(Campaign.objects.select_related("instrument").get(pk=campaign.pk), threshold=5)
    assert [count.key for count in results.shown] == [PROS, PEOPLE]
    assert [(c.key, c.responses, c.shown) for c in results.counts][-1] == (RELATIVES, 4, False)
    projets = next(row for row in results.dimensions if row.key == "projets")
    pros, people = projets.cells
    assert pros.summary is not None and people.summary is not None
    assert pros.summary.mean == pytest.approx(4.0)
    assert pros.summary.sd == pytest.approx(0.70711, abs=1e-5)
    assert pros.summary.ci_low == pytest.approx(4.0 - 0.87785, abs=1e-4)
    assert people.summary.ci_high == pytest.approx(2.0 + 0.87785, abs=1e-4)
    climat = next(row for row in results.dimensions if row.key == "climat")
    assert climat.cells[0].summary is not None and climat.cells[0].summary.mean == pytest.approx(11 / 3)
    participation = next(row for row in results.dimensions if row.key == "participation")
    assert participation.cells[0].status == "few" and participation.cells[0].summary is None
    assert (results.scale_low, results.scale_high) == (1.0, 5.0)


def test_the_lowest_and_highest_items_by_perspective(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    results = campaign_results(Campaign.objects.select_related("instrument").get(pk=campaign.pk), threshold=5)
    pros = results.items[0]
    assert [(item.key, item.mean_text, item.n) for item in pros.lowest] == [
        ("climat_3", "2,00", 5),
        ("choix_1", "3,00", 5),
        ("choix_2", "3,00", 5),
    ]
    assert [(item.key, item.mean_text) for item in pros.highest] == [
        ("climat_1", "5,00"),
        ("projets_1", "4,00"),
        ("projets_2", "4,00"),
    ]
    page = body(coordinator.get(results_url(campaign)))
    assert "Les items les plus bas — Professionnel·les de l'équipe" in page
    # The item texts of the professionals' version.
    assert '<th scope="row">Quand il faut attendre, nous expliquons pourquoi et combien de temps.</th>' in page
    assert "Les items les plus hauts — Personnes accompagnées" in page


def test_missing_answers_leave_n_smaller(platform: Platform) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    results = campaign_results(Campaign.objects.select_related("instrument").get(pk=campaign.pk), threshold=3)
    participation = next(row for row in results.dimensions if row.key == "participation")
    assert participation.cells[0].n == 4 and participation.cells[0].mean_text == "4,00"
    soutiens = next(row for row in results.dimensions if row.key == "soutiens")
    assert soutiens.cells[0].n == 5  # NA on one item of three still gives a score
    pros = results.items[0]
    ranked = {item.key: item.n for item in (*pros.lowest, *pros.highest)}
    assert ranked.get("climat_3") == 5
    # soutiens_1 (n = 4) is among the 3.0 items but comes after choix_* in the order.
    assert all(n == 5 for key, n in ranked.items() if not key.startswith("participation"))


# ---- The anonymity threshold


def test_a_perspective_below_the_threshold_shows_no_figure(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    page = body(coordinator.get(results_url(campaign)))
    assert (
        "Moins de 5 réponses pour le point de vue « Proches » (4 reçues) : pas de résultat affiché, "
        "pour protéger l'anonymat."
    ) in page
    assert f'<th scope="colgroup" colspan="3">{RELATIVES_LABEL}</th>' not in page
    assert "— Proches" not in page  # no items, no change
    assert "1,00" not in page  # every answer of the relatives is 1
    assert "que les proches" not in page


def test_with_a_threshold_of_three_the_relatives_are_shown(platform: Platform, coordinator: Client) -> None:
    ObservatorySettings.objects.create(platform=platform, anonymity_threshold=3)
    campaign = team_campaign(platform)
    fill(campaign)
    page = body(coordinator.get(results_url(campaign)))
    assert "pour protéger l'anonymat." not in page.split("Comment lire")[0]
    assert f'<th scope="colgroup" colspan="3">{RELATIVES_LABEL}</th>' in page
    assert "<td>1,00</td><td>[1,00\xa0;\xa01,00]</td><td>4</td>" in page
    assert "Les items les plus bas — Proches" in page
    assert (
        "Projets de vie : les personnes accompagnées donnent un score plus élevé (2,00) que les proches (1,00)"
    ) in page
    # The professionals' participation (4 scores) is now shown too.
    assert "<td>4,00</td><td>[4,00\xa0;\xa04,00]</td><td>4</td>" in page


def test_no_perspective_above_the_threshold(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    respond(campaign, PROS, uniform(campaign, PROS, 4))
    page = body(coordinator.get(results_url(campaign)))
    assert "Moins de 5 réponses pour le point de vue « Professionnel·les de l'équipe » (1 reçue)" in page
    assert "(0 reçue" in page
    assert "Aucun point de vue n'a encore 5 réponses : pas de résultat à afficher." in page
    assert "<svg" not in page
    assert "4,00" not in page


def test_no_gap_when_the_intervals_overlap(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    for value in (3, 4, 3, 4, 4):
        respond(campaign, PROS, uniform(campaign, PROS, value))
        respond(campaign, PEOPLE, uniform(campaign, PEOPLE, value))
    page = body(coordinator.get(results_url(campaign)))
    assert "Aucun écart net entre les points de vue" in page


def test_a_closed_campaign_has_final_results(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())
    page = body(coordinator.get(results_url(campaign)))
    assert "Résultats définitifs : la campagne est close." in page
    assert "Résultats provisoires" not in page


# ---- The charts


def test_the_charts_are_accessible_svg_with_their_table(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    page = body(coordinator.get(results_url(campaign)))
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in chart and 'aria-labelledby="chart-scores-title chart-scores-desc"' in chart
    assert '<title id="chart-scores-title">' in chart and '<desc id="chart-scores-desc">' in chart
    assert "Scores par dimension et point de vue" in chart  # the table named in the description
    assert "<pattern" in chart  # the second perspective is striped, not only coloured
    assert ">4,00</text>" in chart and ">2,00</text>" in chart
    assert "Projets de vie</text>" in chart and f"{PROS_LABEL}</text>" in chart
    assert "Proches</text>" not in chart
    assert not re.search(r' (?:x|y|x1|x2|y1|y2|width|height)="[^"]*,', chart)  # coordinates are not localised
    assert re.search(r' width="\d+\.\d"', chart)
    after = page[page.index("</svg>") :]
    assert after.index('<table id="table-scores">') < after.index("<h2")


# ---- The change between waves


def previous_and_current(platform: Platform) -> tuple[Campaign, Campaign]:
    """T0: professionals' projets 3, 3, 4, 2, 3 (mean 3.0, sd 0.7071), choix 3, 3, 4, 2, 3; only three
    people (below the threshold). T1: the worked example (projets 4.0, sd 0.7071; choix 3.0).

    Projets: difference 4.0 − 3.0 = +1.00; pooled sd = sqrt((4 × 0.5 + 4 × 0.5) / 8) = 0.7071;
    d = 1 / 0.7071 = 1.41 → « important ». Choix: difference 0, d = 0 → « négligeable »."""
    before = team_campaign(platform, wave=0, title="Observatoire de l'unité fictive — T0")
    for value in (3, 3, 4, 2, 3):
        respond(before, PROS, by_dimension(before, PROS, projets=value, choix=value))
    for _ in range(3):
        respond(before, PEOPLE, uniform(before, PEOPLE, 2))
    past = timezone.localdate() - timedelta(days=200)
    Campaign.objects.filter(pk=before.pk).update(opens_on=past, closes_on=past + timedelta(days=30))
    after = team_campaign(platform, wave=1, previous=before, team=before.team, title="Observatoire — T1")
    fill(after)
    return before, after


def test_the_change_since_the_previous_wave(platform: Platform, coordinator: Client) -> None:
    _before, after = previous_and_current(platform)
    page = body(coordinator.get(results_url(after)))
    assert "Évolution depuis la vague précédente (T0 → T1)" in page
    assert "ne sont pas appariées" in page
    assert (
        '<tr><th scope="row">Projets de vie</th><td>3,00</td><td>4,00</td><td>+1,00</td><td>+1,41</td>'
        "<td>important</td></tr>"
    ) in page
    assert (
        '<tr><th scope="row">Choix et pouvoir de décider</th><td>3,00</td><td>3,00</td><td>0,00</td>'
        "<td>0,00</td><td>négligeable</td></tr>"
    ) in page
    assert (
        "Pas de comparaison pour le point de vue « Personnes accompagnées » : moins de 5 réponses "
        "à la vague précédente."
    ) in page
    assert 'aria-labelledby="chart-change-professionnels-title chart-change-professionnels-desc"' in page
    assert "chart-change-personnes" not in page
    results = campaign_results(Campaign.objects.select_related("instrument", "previous").get(pk=after.pk), threshold=5)
    (change,) = results.changes
    projets = change.rows[0]
    assert projets.d == pytest.approx(1.41421, abs=1e-4)
    assert projets.difference == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("d", "words"),
    [(None, "non calculable"), (0.19, "négligeable"), (-0.3, "faible"), (0.5, "moyen"), (-0.8, "important")],
)
def test_the_words_of_an_effect_size(d: float | None, words: str) -> None:
    assert effect_words(d) == words


# ---- Who may see them


def test_the_partner_contact_of_the_organisation_sees_the_results(platform: Platform) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    assert campaign.team is not None
    membership, _contact = partner_of(campaign.team.organisation)
    page = body(login_client(Client(), membership).get(results_url(campaign)))
    assert "<td>4,00</td><td>[3,12\xa0;\xa04,88]</td><td>5</td>" in page


def test_another_organisations_partner_does_not_find_the_campaign(platform: Platform) -> None:
    campaign = team_campaign(platform)
    fill(campaign)
    membership, _contact = partner_of(OrganisationFactory(platform=platform))
    client = login_client(Client(), membership)
    for suffix in ("resultats/", "rapport.pdf", "reponses.csv"):
        assert client.get(f"/observatoire/campagnes/{campaign.pk}/{suffix}").status_code == 404


def test_another_platforms_campaign_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    campaign = team_campaign(other_platform)
    client, _membership = client_as(Role.COORDINATOR, platform)
    for suffix in ("resultats/", "rapport.pdf", "reponses.csv"):
        assert client.get(f"/observatoire/campagnes/{campaign.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("role", [Role.PERSON, Role.PEER_WORKER, Role.FUNDER])
def test_people_and_peer_workers_are_refused(platform: Platform, client_as: Any, role: Role) -> None:
    campaign = team_campaign(platform)
    client, _membership = client_as(role, platform)
    for suffix in ("resultats/", "rapport.pdf", "reponses.csv"):
        assert client.get(f"/observatoire/campagnes/{campaign.pk}/{suffix}").status_code == 403


def test_the_results_are_read_only(platform: Platform, coordinator: Client) -> None:
    campaign = team_campaign(platform)
    assert coordinator.post(results_url(campaign)).status_code == 405
    assert Response.objects.count() == 0


# ---- Queries


def _answers(campaign: Campaign, count: int) -> None:
    for i in range(count):
        perspective = (PROS, PEOPLE, RELATIVES)[i % 3]
        respond(campaign, perspective, uniform(campaign, perspective, 1 + i % 5))


def test_the_results_page_queries_do_not_grow_with_the_answers(platform: Platform, coordinator: Client) -> None:
    before, after = previous_and_current(platform)
    few = team_campaign(platform, wave=1, previous=before, team=before.team)
    _answers(few, 6)
    many = team_campaign(platform, wave=1, previous=before, team=before.team)
    _answers(many, 40)
    coordinator.get(results_url(few))  # warm the session
    with CaptureQueriesContext(connection) as six:
        assert coordinator.get(results_url(few)).status_code == 200
    with CaptureQueriesContext(connection) as forty:
        assert coordinator.get(results_url(many)).status_code == 200
    with CaptureQueriesContext(connection) as example:
        assert coordinator.get(results_url(after)).status_code == 200
    assert len(six.captured_queries) == len(forty.captured_queries) == len(example.captured_queries)
    results_queries = [q for q in forty.captured_queries if "observatory_response" in q["sql"]]
    assert len(results_queries) == 2  # this wave, the previous wave
