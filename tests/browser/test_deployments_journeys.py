"""Journeys of partners' requests and the deployment workflow in a real Chromium, on the demo data
of Pairs Rhône: a partner files a request, a coordinator takes it through the steps up to the
assignment (prerequisites gate included), and the partner follows it without any coordinator action.

Every page visited is axe-checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from pairs.accounts.models import User
from pairs.deployments.models import Deployment, Kind, State, Transition
from pairs.deployments.services import request_file
from pairs.partners.models import Contact, Organisation, Team
from pairs.platforms.models import Platform

from .conftest import check_a11y
from .test_journeys import main_menu, sign_in
from .test_peers_journeys import expect_h1, expect_no_sideways_scroll, expect_not_found

Account = dict[str, str]

# The reasons the coordinator writes at each move, in order (shown in the history).
MOVES = [
    ("Analyse", "Premier échange avec la cadre de santé."),
    ("Prérequis", "Besoins précisés avec l'équipe."),
    ("Sensibilisation de l'équipe", "Deux séances prévues avec l'équipe."),
]
ASSIGNMENT_REASON = "Prérequis réunis, dérogation pour le bureau."
OVERRIDE_REASON = "Le bureau sera partagé les deux premiers mois : accepté par la coordination."


# --------------------------------------------------------------------------- helpers


def rhone() -> Platform:
    return Platform.objects.get(slug="rhone")


def user_of(account: Account) -> User:
    return User.objects.get(email=account["email"])


def organisation_of(partner: Account) -> Organisation:
    """The demo partner account's organisation (the first Rhône organisation)."""
    contact = Contact.objects.select_related("organisation").get(
        membership__user__email=partner["email"], platform__slug="rhone"
    )
    return contact.organisation


def team_of(organisation: Organisation) -> Team:
    team = Team.objects.filter(organisation=organisation).order_by("name", "pk").first()
    assert team is not None, "The demo partner's organisation has at least one team"
    return team


def detail_path(deployment: Deployment) -> str:
    return reverse("deployments:detail", kwargs={"deployment_id": deployment.pk})


def current_step(page: Page) -> Locator:
    return page.locator("ol.timeline > li[aria-current='step']")


def next_step_choices(page: Page) -> Locator:
    return page.get_by_role("group", name="Étape suivante")


def advance(page: Page, target: str, reason: str) -> None:
    """Choose the next step, write the reason and submit the form of the deployment page."""
    next_step_choices(page).get_by_label(target, exact=True).check()
    page.get_by_label("Motif ou commentaire").fill(reason)
    page.get_by_role("button", name="Passer à cette étape").click()


def history_rows(page: Page) -> Locator:
    table = page.get_by_role("table", name="Changements d'étape, les plus anciens d'abord")
    return table.locator("tbody tr")


def file_request(partner: Account) -> Deployment:
    """A request filed by the demo partner, as the request form would file it."""
    organisation = organisation_of(partner)
    return request_file(
        request=None,
        platform=rhone(),
        filed_by=user_of(partner),
        organisation=organisation,
        team=team_of(organisation),
        kind=Kind.LONG_DEPLOYMENT,
        expected_hours=Decimal("7"),
        rhythm="Le mardi et le jeudi matin",
        start_date=timezone.localdate() + timedelta(days=30),
        end_date=None,
        needs="L'équipe de l'hôpital de jour souhaite accueillir un pair aidant pour les groupes du matin.",
    )


# --------------------------------------------------------------------------- a. a partner files a request


def test_partner_files_a_long_term_deployment_request_and_sees_it_at_the_request_step(
    page: Page, demo_account: Callable[..., Account]
) -> None:
    partner = demo_account("partner_contact")
    organisation = organisation_of(partner)
    team = team_of(organisation)
    start = timezone.localdate() + timedelta(days=21)
    needs = "Nous souhaitons un pair aidant pour les entretiens d'accueil et le groupe du mercredi."
    before = set(Deployment.objects.filter(organisation=organisation).values_list("pk", flat=True))

    sign_in(page, partner)
    expect_h1(page, re.compile(r"^Bonjour "))
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Faire une demande").click()
    expect_h1(page, "Faire une demande")
    expect(page.get_by_text(f"Une demande au nom de {organisation.name}.")).to_be_visible()
    check_a11y(page)

    page.get_by_role("group", name="Type de demande").get_by_label("Déploiement au long cours").check()
    page.get_by_label("Service ou équipe concerné").select_option(label=team.name)
    page.get_by_label("Heures prévues par semaine").fill("3,5")
    page.get_by_label("Rythme souhaité").fill("Deux demi-journées par semaine")
    page.get_by_label("Début souhaité").fill(start.isoformat())
    page.get_by_label("Vos besoins, dans vos mots").fill(needs)
    page.get_by_role("button", name="Envoyer la demande").click()

    expect(page.get_by_text("Votre demande est enregistrée. La coordination vous répondra.")).to_be_visible()
    expect_h1(page, re.compile(rf"^Déploiement au long cours\s*· {re.escape(organisation.name)}$"))
    expect(page.get_by_text("Étape actuelle : Demande.")).to_be_visible()
    expect(current_step(page)).to_contain_text("Demande")
    expect(current_step(page)).to_contain_text("Étape en cours")
    expect(page.get_by_text("La coordination n'a pas encore pris en compte cette demande.")).to_be_visible()
    details = page.locator("dl.details")
    expect(details).to_contain_text(team.name)
    expect(details).to_contain_text("Deux demi-journées par semaine")
    expect(page.locator("blockquote.needs")).to_have_text(needs)
    check_a11y(page)

    created = Deployment.objects.exclude(pk__in=before).get(organisation=organisation)
    assert page.url.endswith(detail_path(created))
    assert (created.kind, created.state, created.team, created.expected_hours, created.start_date) == (
        Kind.LONG_DEPLOYMENT,
        State.REQUEST,
        team,
        Decimal("3.5"),
        start,
    )
    assert created.filed_by == user_of(partner)
    assert created.acknowledged_at is None


# --------------------------------------------------------------------------- b + c. the workflow, both sides


def test_coordinator_takes_a_request_to_assignment_and_the_partner_follows_each_step(
    page: Page, phone_page: Page, demo_account: Callable[..., Account]
) -> None:
    coordinator, partner = demo_account("coordinator"), demo_account("partner_contact")
    coordinator_name = user_of(coordinator).display_name
    deployment = file_request(partner)
    organisation = deployment.organisation
    labels = list(deployment.prerequisites.order_by("position", "id").values_list("label", flat=True))
    assert len(labels) >= 2, "The platform's checklist has several items"

    # ---- b. The coordinator finds the new request and acknowledges it.
    sign_in(page, coordinator)
    check_a11y(page)
    main_menu(page).get_by_role("link", name="Déploiements").click()
    expect_h1(page, "Demandes et déploiements")
    check_a11y(page)
    page.get_by_label("Partenaire").fill(organisation.name)
    page.get_by_role("button", name="Filtrer").click()
    expect_h1(page, "Demandes et déploiements")
    check_a11y(page)
    newest = page.get_by_role("table", name=re.compile("^Demandes et déploiements")).locator("tbody tr").first
    expect(newest).to_contain_text("Nouvelle")
    expect(newest).to_contain_text("déposée aujourd'hui")
    newest.get_by_role("link", name="Déploiement au long cours").click()
    expect_h1(page, re.compile(rf"^Déploiement au long cours\s*· {re.escape(organisation.name)}$"))
    assert page.url.endswith(detail_path(deployment))
    check_a11y(page)

    page.get_by_role("button", name="Prendre en compte la demande").click()
    expect(page.get_by_text("La demande est prise en compte.")).to_be_visible()
    expect(page.get_by_text("La coordination n'a pas encore pris en compte cette demande.")).to_have_count(0)
    check_a11y(page)

    # ---- Analysis, prerequisites, sensitisation: allowed moves.
    for target, reason in MOVES:
        advance(page, target, reason)
        expect(page.get_by_text(f"Le déploiement est passé à l'étape « {target} ».")).to_be_visible()
        expect(current_step(page)).to_contain_text(target)
        check_a11y(page)

    # ---- Assignment is refused while required prerequisites are open, with the list of them.
    advance(page, "Affectation", ASSIGNMENT_REASON)
    refusal = page.get_by_text(re.compile("^Des prérequis obligatoires ne sont ni cochés ni dérogés : "))
    expect(refusal).to_be_visible()
    for label in labels:
        expect(refusal).to_contain_text(label)
    expect(page.get_by_label("Motif ou commentaire")).to_have_value(ASSIGNMENT_REASON)
    expect(current_step(page)).to_contain_text("Sensibilisation de l'équipe")
    check_a11y(page)
    deployment.refresh_from_db()
    assert deployment.state == State.SENSITISATION

    # ---- Tick every item but the last, override the last one with a written reason.
    for label in labels[:-1]:
        page.get_by_role("button", name=f"Cocher : {label}", exact=True).click()
        expect(page.get_by_text(f"Prérequis « {label} » : enregistré.")).to_be_visible()
        check_a11y(page)
    last = labels[-1]
    page.get_by_text(f"Déroger avec un motif : {last}").click()
    page.get_by_label("Motif de la dérogation").fill(OVERRIDE_REASON)
    page.get_by_role("button", name="Enregistrer la dérogation").click()
    expect(page.get_by_text(f"Prérequis « {last} » : enregistré.")).to_be_visible()
    prerequisites = page.locator("ul.prerequisites > li")
    expect(prerequisites.filter(has_text="Dérogation accordée")).to_have_count(1)
    expect(prerequisites.filter(has_text="Dérogation accordée")).to_contain_text(OVERRIDE_REASON)
    expect(prerequisites.filter(has=page.locator(".badge-done"))).to_have_count(len(labels) - 1)
    check_a11y(page)

    # ---- Now the assignment goes through, and the history tells who moved it and why.
    advance(page, "Affectation", ASSIGNMENT_REASON)
    expect(page.get_by_text("Le déploiement est passé à l'étape « Affectation ».")).to_be_visible()
    expect(current_step(page)).to_contain_text("Affectation")
    rows = history_rows(page)
    steps = ["Demande", *(target for target, _reason in MOVES), "Affectation"]
    reasons = [reason for _target, reason in MOVES] + [ASSIGNMENT_REASON]
    expect(rows).to_have_count(len(reasons))
    for index, reason in enumerate(reasons):
        expect(rows.nth(index)).to_contain_text(f"{steps[index]} → {steps[index + 1]}")
        expect(rows.nth(index)).to_contain_text(coordinator_name)
        expect(rows.nth(index)).to_contain_text(reason)
    check_a11y(page)

    deployment.refresh_from_db()
    assert deployment.state == State.ASSIGNMENT
    assert deployment.acknowledged_by == user_of(coordinator)
    moves = list(Transition.objects.filter(deployment=deployment).values_list("to_state", "by__email", "reason"))
    assert moves == [
        (State.ANALYSIS, coordinator["email"], MOVES[0][1]),
        (State.PREREQUISITES, coordinator["email"], MOVES[1][1]),
        (State.SENSITISATION, coordinator["email"], MOVES[2][1]),
        (State.ASSIGNMENT, coordinator["email"], ASSIGNMENT_REASON),
    ]

    # ---- c. The partner, on a phone, follows every step and can act on none.
    mobile = phone_page
    sign_in(mobile, partner)
    check_a11y(mobile)
    mobile.get_by_role("link", name="Suivre les demandes de mon organisation").click()
    expect_h1(mobile, organisation.name)
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)
    link = mobile.locator(f"ul.partners-requests a[href='{detail_path(deployment)}']")
    expect(link).to_have_count(1)
    link.click()
    expect_h1(mobile, re.compile(rf"^Déploiement au long cours\s*· {re.escape(organisation.name)}$"))
    expect(mobile.get_by_text("Étape actuelle : Affectation.")).to_be_visible()
    expect(current_step(mobile)).to_contain_text("Affectation")
    timeline = mobile.locator("ol.timeline > li")
    for done in steps[:-1]:
        step = timeline.filter(has=mobile.locator(".timeline-label", has_text=re.compile(f"^{re.escape(done)}$")))
        expect(step).to_contain_text("Étape faite")
    rows = history_rows(mobile)
    expect(rows).to_have_count(len(reasons))
    for index, reason in enumerate(reasons):
        expect(rows.nth(index)).to_contain_text(f"{steps[index]} → {steps[index + 1]}")
        expect(rows.nth(index)).to_contain_text(reason)
    expect(mobile.locator("ul.prerequisites")).to_contain_text("Dérogation accordée")
    expect(mobile.get_by_text(OVERRIDE_REASON)).to_have_count(0)  # the override's reason stays internal
    for button in ("Passer à cette étape", "Prendre en compte la demande", "Enregistrer la dérogation"):
        expect(mobile.get_by_role("button", name=button)).to_have_count(0)
    expect(mobile.get_by_role("button", name=re.compile("^(Cocher|Décocher|Retirer la dérogation)"))).to_have_count(0)
    expect(mobile.get_by_role("heading", name="Faire avancer le déploiement")).to_have_count(0)
    expect(mobile.get_by_text(re.compile("^Déroger avec un motif"))).to_have_count(0)
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)

    # Another organisation's deployment does not exist for the partner.
    other = Deployment.objects.filter(platform=rhone()).exclude(organisation=organisation).order_by("pk").first()
    assert other is not None, "The demo data has deployments of other organisations"
    expect_not_found(mobile, detail_path(other))
