"""Journey of a deployment after its prerequisites, in a real Chromium on the demo data of Pairs
Rhône: the coordinator assigns a peer worker from the ranked suggestions, starts the integration,
records two joint reviews and the bilan, and moves the deployment to direct hiring; the peer worker
finds the assignment in their schedule; the partner, on a phone, sees each of these steps.

(The steps before — request, analysis, prerequisites with an override, sensitisation — are the
journey of test_deployments_journeys.py.) Every page visited is axe-checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from pairs.deployments.models import (
    Assignment,
    Deployment,
    Review,
    State,
    TransitionPlan,
    current_assessment,
)
from pairs.deployments.services import deployment_advance, prerequisite_set

from .conftest import check_a11y
from .test_deployments_journeys import (
    Account,
    advance,
    current_step,
    detail_path,
    file_request,
    user_of,
)
from .test_journeys import main_menu, sign_in
from .test_peers_journeys import expect_h1, expect_no_sideways_scroll

REVIEWS = [
    (
        "Le binôme avec l'infirmière référente fonctionne bien.",
        "Le bureau partagé gêne les entretiens du jeudi.",
        "Réserver une salle le jeudi matin.",
    ),
    (
        "Les groupes du matin ont trouvé leur public.",
        "Les médecins connaissent encore mal le rôle.",
        "Présenter le rôle en réunion médicale.",
    ),
]
SUMMARY = "Intégration réussie : l'équipe souhaite embaucher directement."


def deployment_at_assignment(coordinator: Account, partner: Account) -> Deployment:
    """A request of the demo partner taken, as the first journey does, to the "Affectation" step."""
    by = user_of(coordinator)
    deployment = file_request(partner)
    for prerequisite in deployment.prerequisites.all():
        prerequisite_set(request=None, prerequisite=prerequisite, by=by, done=True)
    for source, target in [
        (State.REQUEST, State.ANALYSIS),
        (State.ANALYSIS, State.PREREQUISITES),
        (State.PREREQUISITES, State.SENSITISATION),
        (State.SENSITISATION, State.ASSIGNMENT),
    ]:
        deployment_advance(request=None, deployment=deployment, by=by, expected_state=source, target=target, reason="")
    return deployment


def test_assignment_from_a_suggestion_reviews_bilan_and_direct_hiring_seen_by_the_partner(
    page: Page, phone_page: Page, demo_account: Callable[..., Account]
) -> None:
    coordinator, partner = demo_account("coordinator"), demo_account("partner_contact")
    deployment = deployment_at_assignment(coordinator, partner)
    organisation = deployment.organisation

    # ---- The coordinator opens the deployment and the ranked suggestions.
    sign_in(page, coordinator)
    page.goto(detail_path(deployment))
    expect(current_step(page)).to_contain_text("Affectation")
    check_a11y(page)
    page.get_by_role("link", name="Affecter un·e pair aidant·e (suggestions classées)").click()
    expect_h1(page, re.compile(r"^Affecter un·e pair aidant·e"))
    suggestions = page.locator("ol.assign-suggestions > li")
    expect(suggestions.first).to_be_visible()
    first = suggestions.first
    expect(first).to_contain_text("sur 100")
    reasons = first.locator("ul.assign-reasons > li")
    for criterion in ("Disponibilité", "Distance", "Compétences", "Charge de travail", "Connaissance de l'équipe"):
        expect(reasons.filter(has_text=criterion)).to_have_count(1)  # each criterion says why, in words
    name = first.locator("h3").evaluate("h => h.firstChild.textContent.trim()")
    check_a11y(page)

    # ---- Assign the best-ranked worker, with the defaults the suggestion proposes.
    first.locator("summary").click()
    first.get_by_role("button", name=f"Affecter {name}").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(detail_path(deployment))}(\?.*)?#affectations$"))
    assigned = page.locator("#affectations ~ *").filter(has_text=name).first
    expect(assigned).to_be_visible()
    check_a11y(page)
    assignment = Assignment.objects.select_related("profile__membership__user").get(deployment=deployment)
    assert assignment.profile.membership.user.display_name == name

    # ---- Integration: the joint reviews are planned at 1, 3 and 6 months.
    advance(page, "Intégration", "Pair aidant·e choisi·e avec l'équipe.")
    expect(page.get_by_text("Le déploiement est passé à l'étape « Intégration ».")).to_be_visible()
    planned = page.get_by_role("table", name="Points de suivi prévus, les plus proches d'abord").locator("tbody tr")
    expect(planned).to_have_count(3)
    check_a11y(page)

    # ---- Two reviews recorded.
    for index, (works, less, decisions) in enumerate(REVIEWS):
        page.get_by_role("link", name=re.compile("^Noter ce point")).first.click()
        expect_h1(page, re.compile(r"^Point de suivi prévu le "))
        expect(page.get_by_label("Présent·es")).to_have_value(re.compile(re.escape(name)))
        check_a11y(page)
        page.get_by_label(re.compile(r"^Ce qui fonctionne( \(facultatif\))?$")).fill(works)
        page.get_by_label("Ce qui fonctionne moins bien").fill(less)
        page.get_by_label("Décisions").fill(decisions)
        page.get_by_role("button", name="Enregistrer le point de suivi").click()
        held = page.locator("ul.followup-held > li")
        expect(held).to_have_count(index + 1)
        expect(page.locator("ul.followup-held")).to_contain_text(works)
        check_a11y(page)
    assert Review.objects.filter(deployment=deployment, held_on__isnull=False).count() == 2

    # ---- The bilan: every criterion scored, then the move to direct hiring with a target date.
    advance(page, "Bilan", "Six mois d'intégration.")
    expect(page.get_by_text("Le déploiement est passé à l'étape « Bilan ».")).to_be_visible()
    page.get_by_role("link", name="Faire le bilan").click()
    expect_h1(page, re.compile(r"^Bilan"))
    check_a11y(page)
    criteria = page.locator(".assess-criterion fieldset")
    count = criteria.count()
    assert count >= 1
    for index in range(count):
        criteria.nth(index).get_by_label("Atteint", exact=True).check()
    page.get_by_label("Synthèse").fill(SUMMARY)
    page.get_by_role("group", name="Suite proposée").get_by_label(
        "Préparer l'embauche directe par le partenaire"
    ).check()
    page.get_by_role("button", name="Enregistrer le bilan").click()
    expect(page.get_by_text("Bilan complet").first).to_be_visible()
    check_a11y(page)
    if not page.url.split("#")[0].endswith(detail_path(deployment)):
        page.goto(detail_path(deployment))
    target = timezone.localdate() + timedelta(days=60)
    page.get_by_role("group", name="Étape suivante").get_by_label(
        "Transition vers l'embauche directe", exact=True
    ).check()
    page.get_by_label("Motif ou commentaire").fill("Le partenaire crée le poste.")
    page.get_by_label("Date visée pour l'embauche directe").fill(target.isoformat())
    page.get_by_role("button", name="Passer à cette étape").click()
    expect(
        page.get_by_text("Le déploiement est passé à l'étape « Transition vers l'embauche directe ».")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Transition vers l'embauche directe", level=2)).to_be_visible()
    first_task = page.locator("#transition ~ ul.steps > li").first
    first_task.get_by_role("button", name=re.compile("^Cocher")).click()
    expect(page.get_by_text(re.compile(r"Étapes faites : 1 sur \d+\."))).to_be_visible()
    check_a11y(page)

    deployment.refresh_from_db()
    assert deployment.state == State.DIRECT_HIRE
    plan = TransitionPlan.objects.get(deployment=deployment)
    assert plan.target_date == target
    assert plan.tasks.filter(done_at__isnull=False).count() == 1
    bilan = current_assessment(deployment)
    assert bilan is not None and bilan.summary == SUMMARY

    # ---- The partner, on a phone, sees each step: assignment, reviews, bilan, transition.
    mobile = phone_page
    sign_in(mobile, partner)
    mobile.goto(detail_path(deployment))
    expect_h1(mobile, re.compile(rf"· {re.escape(organisation.name)}$"))
    expect(mobile.get_by_text("Étape actuelle : Transition vers l'embauche directe.")).to_be_visible()
    main = mobile.get_by_role("main")
    expect(main).to_contain_text(name)
    for works, _less, decisions in REVIEWS:
        expect(main).to_contain_text(works)
        expect(main).to_contain_text(decisions)
    expect(main.get_by_text("Bilan complet").first).to_be_visible()
    expect(main).to_contain_text(SUMMARY)
    expect(mobile.get_by_role("heading", name="Transition vers l'embauche directe", level=2)).to_be_visible()
    for button in ("Passer à cette étape", "Enregistrer le bilan", "Prévoir un point supplémentaire"):
        expect(mobile.get_by_role("button", name=button)).to_have_count(0)
    expect(mobile.get_by_role("link", name=re.compile("^(Noter ce point|Faire le bilan|Affecter)"))).to_have_count(0)
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)
    main_menu(mobile).get_by_role("link", name="Suivi et heures").click()
    expect_h1(mobile, re.compile("^Points de suivi et heures réalisées"))
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)


def test_peer_worker_sees_assignments_in_their_schedule_and_their_usual_week(
    page: Page, demo_account: Callable[..., Account]
) -> None:
    worker = demo_account("peer_worker")
    assignments = list(
        Assignment.objects.filter(profile__membership__user__email=worker["email"], profile__platform__slug="rhone")
        .select_related("deployment__organisation")
        .order_by("pk")
    )
    assert assignments, "The demo peer worker has assignments"

    sign_in(page, worker)
    check_a11y(page)
    main_menu(page).get_by_role("link", name="Mes affectations").click()
    expect_h1(page, re.compile("affectations", re.IGNORECASE))
    main = page.get_by_role("main")
    for assignment in assignments:
        if assignment.end_date is None or assignment.end_date >= timezone.localdate():
            expect(main).to_contain_text(assignment.deployment.organisation.name)
    expect(page.get_by_role("table").first).to_be_visible()
    check_a11y(page)
