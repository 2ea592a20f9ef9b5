"""Journeys of the peer worker pool (vivier) in a real Chromium, on the demo data of Pairs Rhône.

Every page visited is axe-checked. Dates are computed from today, so the journeys pass on any
day of the week: entries go on past days only (the previous week, or a week a year ago).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import Locator, Page, expect

from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import (
    ActivityEntry,
    ActivityType,
    AvailabilitySlot,
    CareerReview,
    DayPart,
    Onboarding,
    OnboardingStepTemplate,
    PeerProfile,
    PeerStatus,
)
from pairs.peers.selectors.workload import week_start
from pairs.peers.services.activity import activity_log
from pairs.peers.services.career import onboarding_start
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

from .conftest import WATCHES, check_a11y, visit_and_check
from .test_journeys import main_menu, sign_in

Account = dict[str, str]
PHONE_WIDTH = 390


# --------------------------------------------------------------------------- helpers


def french(day: date, pattern: str) -> str:
    """A date as the French pages write it ("samedi 21 novembre", "30 novembre 2026")."""
    with translation.override("fr"):
        return str(formats.date_format(day, pattern))


def rhone() -> Platform:
    return Platform.objects.get(slug="rhone")


def profile_of(account: Account) -> PeerProfile:
    return PeerProfile.objects.select_related("membership__user").get(
        membership__user__email=account["email"], membership__platform__slug="rhone"
    )


def expect_h1(page: Page, name: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def expect_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways on a phone ({width}px wide)"


def day_section(page: Page, day: date) -> Locator:
    """A day of "Mon activité": the section named by its heading ("Samedi 21 novembre · 1 h 30")."""
    return page.get_by_role("region", name=re.compile("^" + re.escape(french(day, "l j F").capitalize())))


def add_link(page: Page, day: date) -> Locator:
    return page.get_by_role("link", name=f"Ajouter une activité le {french(day, 'l j F')}", exact=True)


def expect_not_found(page: Page, path: str) -> None:
    """Open a path that must answer 404 with the site's "Page introuvable" page, then run axe.

    Chromium reports the 404 answer in the console; the page fixture would take it for a browser
    error. Only that expected message, for that exact address, is taken off the list.
    """
    response = page.goto(path)
    assert response is not None and response.status == 404, f"GET {path}: {response and response.status}"
    expect_h1(page, "Page introuvable")
    check_a11y(page)
    expected = f"console: Failed to load resource: the server responded with a status of 404 (Not Found) ({page.url})"
    watch = WATCHES[id(page)]
    for _attempt in range(20):  # console events still in flight are delivered while waiting
        if expected in watch.errors:
            break
        page.wait_for_timeout(50)
    assert expected in watch.errors, watch.errors
    watch.errors.remove(expected)


def workload_row(page: Page, name: str) -> Locator:
    table = page.get_by_role("table", name="Indicateurs de la semaine, les personnes avec des alertes d'abord")
    return table.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


# --------------------------------------------------------------------------- a. adding a peer worker


def test_coordinator_adds_a_peer_worker_with_a_tutor_and_an_onboarding_path(
    page: Page, demo_account: Callable[..., Account]
) -> None:
    coordinator = demo_account("coordinator")
    tutor = profile_of(demo_account("peer_worker"))
    tutor_name = tutor.membership.user.display_name
    today = timezone.localdate()
    email = "louna.nouvelle@test.example"

    sign_in(page, coordinator)
    check_a11y(page)
    main_menu(page).get_by_role("link", name="Vivier").click()
    expect_h1(page, "Vivier des pairs aidant·es")
    check_a11y(page)
    page.get_by_role("link", name="Ajouter un·e pair aidant·e").click()
    expect_h1(page, "Ajouter un·e pair aidant·e")
    check_a11y(page)

    page.get_by_label("Prénom ou pseudonyme").fill("Louna")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Statut", exact=True).select_option(label="Salarié·e")
    page.get_by_label("Début du statut").fill(today.isoformat())
    page.get_by_label("Heures par semaine au contrat").fill("17,5")
    page.get_by_label("Commune de résidence").select_option(label="Villeurbanne (69)")
    page.get_by_label("Tuteur ou tutrice").select_option(label=tutor_name)
    page.get_by_label("Démarrer le parcours d'intégration avec ce tuteur ou cette tutrice").check()
    page.get_by_role("button", name="Ajouter et envoyer l'invitation").click()

    expect_h1(page, "Louna")
    expect(page.get_by_text("Louna est ajouté·e au vivier. L'invitation part par e-mail.")).to_be_visible()
    details = page.locator("dl.details").first
    expect(details).to_contain_text("Salarié·e")
    expect(details).to_contain_text("17,5 h par semaine")
    expect(details).to_contain_text("Villeurbanne")
    check_a11y(page)
    profile = PeerProfile.objects.get(membership__user__email=email, platform__slug="rhone")
    assert (profile.status, profile.contract_hours, profile.status_start) == (
        PeerStatus.SALARIED,
        Decimal("17.5"),
        today,
    )

    page.get_by_role("link", name="Parcours d'intégration").click()
    expect_h1(page, "Parcours d'intégration de Louna")
    expect(page.locator("dl.details")).to_contain_text(tutor_name)
    templates = list(OnboardingStepTemplate.objects.filter(platform__slug="rhone").order_by("position", "id"))
    assert templates, "The demo platform has an onboarding template"
    steps = page.locator("ol.steps > li")
    expect(steps).to_have_count(len(templates))
    for index, template in enumerate(templates):
        due = today + timedelta(days=template.due_after_days)
        expect(steps.nth(index)).to_contain_text(template.title)
        expect(steps.nth(index)).to_contain_text(f"À faire avant le {french(due, 'j F Y')}")
    expect(page.get_by_text(re.compile(rf"^0 étapes? sur {len(templates)} faites?$"))).to_be_visible()
    check_a11y(page)

    invitation = OutgoingEmail.objects.get(to=email)
    assert (invitation.kind, invitation.status) == ("invitation", OutgoingEmail.Status.QUEUED)
    assert Onboarding.objects.get(profile=profile).tutor == tutor


# --------------------------------------------------------------------------- b. a week of activity on a phone


def test_peer_worker_logs_activity_on_a_phone_reuses_the_usual_week_and_is_told_what_is_wrong(
    phone_page: Page, demo_account: Callable[..., Account]
) -> None:
    page = phone_page
    worker = demo_account("peer_worker")
    profile = profile_of(worker)
    today = timezone.localdate()
    saturday = week_start(today) - timedelta(days=2)  # last week's Saturday: past, never in the demo data
    assert not ActivityEntry.objects.filter(profile=profile, day=saturday).exists()

    sign_in(page, worker)
    check_a11y(page)
    main_menu(page).get_by_role("link", name="Mon activité").click()
    expect_h1(page, "Mon activité")
    expect_no_sideways_scroll(page)
    check_a11y(page)

    # One entry on a past day: it shows in its day, with the day's total.
    page.get_by_role("link", name="← Semaine précédente").click()
    expect(page.locator(".week-nav-current")).to_contain_text(f"Semaine du {french(week_start(saturday), 'j F')}")
    check_a11y(page)
    add_link(page, saturday).click()
    expect_h1(page, "Ajouter une activité")
    expect(page.get_by_label("Date", exact=True)).to_have_value(saturday.isoformat())
    expect_no_sideways_scroll(page)
    check_a11y(page)
    page.get_by_label("Type d'activité").select_option(label="Groupe")
    page.get_by_label("Durée de l'activité").select_option(label="1 h 30")
    page.get_by_label("Lieu de travail").fill("GEM Lyon 8")
    page.get_by_label("Temps de trajet, en minutes").fill("20")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("L'activité est enregistrée.")).to_be_visible()
    saturday_section = day_section(page, saturday)
    expect(saturday_section.get_by_role("heading", level=2)).to_have_text(
        f"{french(saturday, 'l j F').capitalize()} · 1 h 30"
    )
    expect(saturday_section).to_contain_text("Groupe · 1 h 30")
    expect(saturday_section).to_contain_text("GEM Lyon 8 · trajet 20 min")
    check_a11y(page)
    saved = ActivityEntry.objects.get(profile=profile, day=saturday)
    assert (saved.duration_minutes, saved.workplace, saved.travel_minutes) == (90, "GEM Lyon 8", 20)

    # Bad input: a day in the future and more than 24 hours. French messages, values kept, nothing saved.
    count = ActivityEntry.objects.filter(profile=profile).count()
    add_link(page, saturday).click()
    expect_h1(page, "Ajouter une activité")
    check_a11y(page)
    page.get_by_label("Date", exact=True).fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("Ou durée exacte, en minutes").fill("1500")
    page.get_by_label("Lieu de travail").fill("CMP Villeurbanne")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.get_by_text("Cette date est dans le futur : on ne note que ce qui a eu lieu.")).to_be_visible()
    expect(page.get_by_text("Une activité ne peut pas durer plus de 24 heures.")).to_be_visible()
    expect(page.get_by_label("Ou durée exacte, en minutes")).to_have_value("1500")
    expect(page.get_by_label("Lieu de travail")).to_have_value("CMP Villeurbanne")
    check_a11y(page)
    assert ActivityEntry.objects.filter(profile=profile).count() == count

    # The usual week on an empty week: a year and a bit ago, before the demo's twelve months.
    empty = week_start(today) - timedelta(weeks=60)
    assert profile.is_active_on(empty)
    assert not ActivityEntry.objects.filter(profile=profile, day__gte=empty - timedelta(days=7)).filter(
        day__lte=empty + timedelta(days=6)
    )
    slots = list(
        AvailabilitySlot.objects.filter(profile=profile, part__in=[DayPart.MORNING, DayPart.AFTERNOON]).order_by(
            "weekday", "id"
        )
    )
    assert len(slots) >= 2, "The demo worker has several usual half-days"
    visit_and_check(page, f"{reverse('peers:my_week')}?semaine={empty.isoformat()}")
    expect(page.get_by_text("Rien n'est encore noté cette semaine.")).to_be_visible()
    page.get_by_role("link", name="Reprendre ma semaine type").click()
    expect_h1(page, "Reprendre ma semaine type")
    expect(page.get_by_text("La semaine précédente est vide")).to_be_visible()
    boxes = page.get_by_role("checkbox", name=re.compile("^Garder l'activité "))
    expect(boxes).to_have_count(len(slots))
    expect_no_sideways_scroll(page)
    check_a11y(page)
    first_day = empty + timedelta(days=slots[0].weekday)
    # Each proposed line is numbered: untick the first one.
    first_line = f"Garder l'activité 1 : {french(first_day, 'l j F')}, Accompagnement individuel"
    page.get_by_role("checkbox", name=first_line).uncheck()
    page.get_by_role("button", name="Enregistrer les activités cochées").click()

    kept = len(slots) - 1
    expect(page.get_by_text(re.compile(rf"^{kept} activités? (est|sont) enregistrées?\.$"))).to_be_visible()
    expect(page.locator(".week-nav-current")).to_contain_text(f"Semaine du {french(empty, 'j F')}")
    expect(page.locator("li.entry")).to_have_count(kept)
    check_a11y(page)
    logged = ActivityEntry.objects.filter(profile=profile, day__gte=empty, day__lte=empty + timedelta(days=6))
    assert logged.count() == kept
    same_day = sum(1 for slot in slots if slot.weekday == slots[0].weekday)
    assert logged.filter(day=first_day).count() == same_day - 1, "The unticked line was not saved"


# --------------------------------------------------------------------------- c. the workplace alert


def test_coordinator_sees_the_workplace_alert_once_a_fourth_workplace_is_logged_in_a_week(
    page: Page, phone_page: Page, demo_account: Callable[..., Account]
) -> None:
    platform = rhone()
    monday = week_start(timezone.localdate()) - timedelta(weeks=1)  # last week: every day is past
    email = "noe.quatre-lieux@test.example"
    user = UserFactory(email=email, first_name="Noé", last_name="Quatrelieux")
    membership = MembershipFactory(user=user, platform=platform, role=Role.PEER_WORKER)
    villeurbanne = Commune.objects.get(name="Villeurbanne", department_code="69")
    worker = PeerProfile.objects.create(
        platform=platform,
        membership=membership,
        status=PeerStatus.SALARIED,
        status_start=monday - timedelta(weeks=30),
        contract_hours=Decimal("24"),
        home_commune=villeurbanne,
    )
    support = ActivityType.objects.get(platform=platform, code="individual_support")
    for offset, place in enumerate(["CMP Villeurbanne", "GEM Lyon 8", "Centre social Villefranche"]):
        activity_log(
            request=None,
            profile=worker,
            day=monday + timedelta(days=offset),
            duration_minutes=120,
            activity_type=support,
            commune=villeurbanne,
            workplace=place,
        )
    name = user.display_name

    # The coordinator: three workplaces last week, no workplace alert.
    sign_in(page, demo_account("coordinator"))
    check_a11y(page)
    main_menu(page).get_by_role("link", name="Charge de travail").click()
    expect_h1(page, re.compile("^Charge de travail et alertes"))
    check_a11y(page)
    page.get_by_role("link", name="← Semaine précédente").click()
    expect(page.locator(".week-nav-current")).to_contain_text(f"Semaine du {french(monday, 'j F')}")
    check_a11y(page)
    row = workload_row(page, name)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(row).not_to_contain_text("lieux de travail différents")

    # The worker logs a fourth place on Thursday, from their phone.
    sign_in(phone_page, {"email": email, "password": TEST_PASSWORD})
    check_a11y(phone_page)
    main_menu(phone_page).get_by_role("link", name="Mon activité").click()
    expect_h1(phone_page, "Mon activité")
    check_a11y(phone_page)
    phone_page.get_by_role("link", name="← Semaine précédente").click()
    check_a11y(phone_page)
    thursday = monday + timedelta(days=3)
    add_link(phone_page, thursday).click()
    expect_h1(phone_page, "Ajouter une activité")
    check_a11y(phone_page)
    phone_page.get_by_label("Type d'activité").select_option(label="Accompagnement individuel")
    phone_page.get_by_label("Durée de l'activité").select_option(label="2 h")
    phone_page.get_by_label("Lieu de travail").fill("Café associatif Croix-Rousse")
    phone_page.get_by_role("button", name="Enregistrer").click()
    expect(phone_page.get_by_text("L'activité est enregistrée.")).to_be_visible()
    expect(day_section(phone_page, thursday)).to_contain_text("Café associatif Croix-Rousse")
    check_a11y(phone_page)

    # The coordinator reloads the week: the alert is there, in words.
    page.reload()
    check_a11y(page)
    row = workload_row(page, name)
    expect(row.locator("td").nth(1)).to_have_text("4")
    expect(row).to_contain_text("4 lieux de travail différents dans la semaine (repère : 3 au plus).")


# --------------------------------------------------------------------------- d. career reviews stay private


def test_peer_worker_cannot_open_a_colleagues_career_reviews_even_as_their_tutor(
    page: Page, demo_account: Callable[..., Account]
) -> None:
    worker = demo_account("peer_worker")
    own = profile_of(worker)
    today = timezone.localdate()
    colleague = (
        PeerProfile.objects.filter(platform__slug="rhone", status_start__lte=today, status_end__isnull=True)
        .filter(career_reviews__isnull=False, onboarding__isnull=True)
        .exclude(pk=own.pk)
        .select_related("membership__user")
        .order_by("pk")
        .first()
    )
    assert colleague is not None, "The demo data has a colleague with a career review"
    onboarding_start(request=None, profile=colleague, tutor=own, started_on=today)
    review = CareerReview.objects.filter(profile=colleague).first()
    assert review is not None

    sign_in(page, worker)
    check_a11y(page)
    # As the tutor, the worker follows the colleague's onboarding...
    visit_and_check(page, reverse("peers:onboarding", kwargs={"profile_id": colleague.pk}))
    expect_h1(page, f"Parcours d'intégration de {colleague.membership.user.display_name}")

    # ... but never their career reviews: "Page introuvable", as for a page that does not exist.
    for path in (
        reverse("peers:career_reviews", kwargs={"profile_id": colleague.pk}),
        reverse("peers:career_review", kwargs={"review_id": review.pk}),
    ):
        expect_not_found(page, path)
        expect(page.get_by_text(review.wishes)).to_have_count(0)

    # Their own reviews open.
    visit_and_check(page, reverse("peers:career_reviews", kwargs={"profile_id": own.pk}))
    expect_h1(page, "Mes entretiens professionnels")
