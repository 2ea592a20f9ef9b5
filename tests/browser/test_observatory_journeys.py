"""Journeys of the Observatoire du rétablissement in a real Chromium, on the demo data of Pairs
Rhône. The coordinator lowers the anonymity threshold to 3 and launches a campaign for a partner
team; on a phone, professionals, people supported and one relative answer through the three anonymous
links; the campaign page counts them; the results page shows the scores, a gap between the
professionals and the people supported, and the below-threshold message for the relatives; the PDF
report downloads. Then the demo person fills in a hope measure in their space and sees their chart.
Every page visited is axe-checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from pairs.observatory.models import Campaign, ImpactMeasure, Response

from .conftest import check_a11y
from .test_deployments_journeys import Account
from .test_journeys import main_menu, sign_in
from .test_peers_journeys import expect_h1, expect_no_sideways_scroll


def select_option_starting(select: Locator, start: str) -> None:
    """Choose the option of a select whose text starts with ``start``."""
    texts = [text.strip() for text in select.locator("option").all_inner_texts()]
    select.select_option(label=next(text for text in texts if text.startswith(start)))


def answer_all(page: Page, choice: str) -> None:
    """Tick the same answer (its visible label) for every question of the questionnaire."""
    questions = page.locator("ol.questionnaire > li")
    count = questions.count()
    assert count > 0
    for index in range(count):
        questions.nth(index).get_by_label(choice, exact=True).check()


def test_a_campaign_launched_answered_on_phones_and_read_by_the_coordinator(
    page: Page,
    phone_page: Page,
    demo_account: Callable[..., Account],
    live_server: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url
    coordinator = demo_account("coordinator")
    sign_in(page, coordinator)

    # ---- The coordinator sets the threshold to 3 for this small trial.
    main_menu(page).get_by_role("link", name="Observatoire").click()
    expect_h1(page, "Observatoire du rétablissement")
    check_a11y(page)
    page.get_by_role("link", name="Réglages", exact=False).first.click()
    check_a11y(page)
    page.get_by_label("Seuil d'anonymat").fill("2")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    expect(page.locator(".errorlist").first).to_contain_text("3")
    check_a11y(page)
    page.get_by_label("Seuil d'anonymat").fill("3")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    check_a11y(page)

    # ---- The coordinator launches a campaign for a partner team, three perspectives.
    main_menu(page).get_by_role("link", name="Observatoire").click()
    page.get_by_role("link", name="Lancer une campagne").first.click()
    expect_h1(page, "Lancer une campagne")
    check_a11y(page)
    team = page.get_by_label("Équipe partenaire", exact=True)
    team.select_option(index=1)
    team_name = team.locator("option:checked").inner_text()
    select_option_starting(page.get_by_label("Instrument"), "Auto-évaluation d'équipe")
    page.get_by_role("button", name="Choisir cet instrument").click()
    perspectives = page.locator("#perspectives")
    for label in ("Professionnel·les de l'équipe", "Personnes accompagnées", "Proches"):
        perspectives.get_by_label(label).check()
    page.get_by_label("Intitulé").fill("Essai de l'Observatoire — parcours")
    check_a11y(page)
    page.get_by_role("button", name="Lancer la campagne").click()
    expect_h1(page, "Essai de l'Observatoire — parcours")
    check_a11y(page)
    campaign = Campaign.objects.get(title="Essai de l'Observatoire — parcours")
    assert campaign.perspectives == ["professionnels", "personnes", "proches"]
    assert campaign.team is not None and team_name.endswith(campaign.team.name)
    links = {key: page.locator(f"#link-{key}").input_value() for key in ("professionnels", "personnes", "proches")}
    assert all(link.startswith(live_server.url + "/questionnaire/") for link in links.values())

    # ---- On a phone: three professionals agree, three people supported disagree, one relative.
    plan = [("professionnels", "Tout à fait d'accord")] * 3
    plan += [("personnes", "Plutôt pas d'accord")] * 3
    plan += [("proches", "Ni d'accord ni pas d'accord")]
    for number, (perspective, choice) in enumerate(plan):
        phone_page.goto(links[perspective])
        expect(phone_page.locator("h1")).to_contain_text("Votre avis sur l'équipe")
        expect(phone_page.get_by_text("Vos réponses sont anonymes :", exact=False)).to_be_visible()
        check_a11y(phone_page)
        if number in (0, 3, 6):
            expect_no_sideways_scroll(phone_page)
        answer_all(phone_page, choice)
        phone_page.get_by_role("button", name="Envoyer mes réponses").click()
        expect(phone_page.locator("h1")).to_contain_text("Merci")
        check_a11y(phone_page)
    assert Response.objects.filter(campaign=campaign).count() == 7
    assert not Response.objects.filter(campaign=campaign, typed_in=True).exists()

    # ---- The campaign page counts the answers per perspective.
    page.reload()
    counts = page.locator("[aria-live='polite']").first
    expect(counts).to_contain_text("3")
    check_a11y(page)

    # ---- Results: scores, the gap, the relatives below the threshold.
    page.get_by_role("link", name=re.compile("^Voir les résultats")).click()
    expect_h1(page, re.compile("^Résultats"))
    check_a11y(page)
    body = page.locator("main")
    expect(body).to_contain_text("5,00")  # the professionals' mean on every dimension
    expect(body).to_contain_text("2,00")  # the people supported's
    expect(body).to_contain_text("les intervalles de confiance ne se recouvrent pas")
    expect(body).to_contain_text("Moins de 3 réponses")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Rapport PDF")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_person_fills_in_a_hope_measure_and_sees_their_chart(
    phone_page: Page, demo_account: Callable[..., Account], live_server: Any
) -> None:
    person = demo_account("person")
    before = ImpactMeasure.objects.filter(person__membership__user__email=person["email"]).count()
    assert before >= 1
    sign_in(phone_page, person)
    main_menu(phone_page).get_by_role("link", name="Mon accompagnement").click()
    phone_page.get_by_role("link", name=re.compile("Mes mesures")).first.click()
    expect_h1(phone_page, "Mes mesures")
    expect(phone_page.locator("svg[role='img']").first).to_be_visible()
    check_a11y(phone_page)
    phone_page.get_by_role("link", name=re.compile("Remplir un questionnaire")).first.click()
    check_a11y(phone_page)
    select_option_starting(phone_page.get_by_label("Questionnaire", exact=True), "Échelle d'espoir")
    phone_page.get_by_role("button", name="Afficher les questions").click()
    answer_all(phone_page, "Plutôt d'accord")
    check_a11y(phone_page)
    phone_page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(phone_page.locator(".messages")).to_contain_text("Merci, votre mesure est enregistrée.")
    expect_h1(phone_page, "Mes mesures")
    check_a11y(phone_page)
    assert ImpactMeasure.objects.filter(person__membership__user__email=person["email"]).count() == before + 1
