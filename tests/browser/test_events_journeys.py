"""Journeys of the territorial resource in a real Chromium, on the demo data of Pairs Rhône: a visitor
registers for the full information session and joins the waiting list; a registrant cancels from their
personal link and the first person waiting finds the offer in the demo outbox and accepts it; a trainer
takes attendance on a phone, adds a walk-in and validates; the certificate PDF arrives through the
outbox. Every page visited is axe-checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from pairs.events.models import Event, Kind, Registration, RegistrationStatus, Visibility
from pairs.peers.models import ActivityEntry, PeerProfile

from .conftest import check_a11y, visit_and_check
from .test_deployments_journeys import Account
from .test_journeys import main_menu, sign_in
from .test_peers_journeys import expect_h1, expect_no_sideways_scroll

VISITOR = ("Camille Exemple", "camille.visiteuse@exemple.org")


def open_outbox_message(page: Page, to: str, subject: str | re.Pattern[str]) -> None:
    """In the demo outbox, open the newest message to ``to`` whose subject matches."""
    visit_and_check(page, "/demo/boite-d-envoi/")
    message = page.locator("details.email:not(.sms)").filter(has_text=to).filter(has_text=subject).first
    message.locator("summary").click()
    check_a11y(page)
    return None


def test_a_visitor_waits_a_registrant_cancels_and_the_first_waiting_accepts(
    page: Page, phone_page: Page, demo_data: Any, live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    full = Event.objects.get(platform__slug="rhone", title__endswith="(complet)")
    first_waiting = full.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at").first()
    assert first_waiting is not None

    # ---- A visitor, on a phone, finds the full session in the public agenda and joins the waiting list.
    visit_and_check(phone_page, "/agenda-public/rhone/")
    expect_no_sideways_scroll(phone_page)
    phone_page.get_by_role("link", name=full.title).first.click()
    expect_h1(phone_page, full.title)
    expect(phone_page.get_by_text("Complet — liste d'attente").first).to_be_visible()
    check_a11y(phone_page)
    phone_page.get_by_label("Prénom et nom").fill(VISITOR[0])
    phone_page.get_by_label("Adresse e-mail").fill(VISITOR[1])
    phone_page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect_h1(phone_page, "Mon inscription")
    expect(phone_page.locator("main")).to_contain_text("liste d'attente")
    check_a11y(phone_page)
    visitor = Registration.objects.get(event=full, email=VISITOR[1])
    assert visitor.status == RegistrationStatus.WAITING

    # ---- A registrant cancels from their personal link.
    leaving = full.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("created_at").first()
    assert leaving is not None
    visit_and_check(page, f"/inscription/{leaving.token}/")
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.locator("main")).to_contain_text("Vous n'êtes plus inscrit·e à cet événement.")
    check_a11y(page)

    # ---- The first person waiting finds the offer in the outbox and accepts the place.
    open_outbox_message(page, first_waiting.email, re.compile("place", re.IGNORECASE))
    page.locator("details.email[open] a[href*='/inscription/']").first.click()
    expect_h1(page, "Mon inscription")
    check_a11y(page)
    page.get_by_role("button", name="J'accepte la place").click()
    expect(page.locator("main")).to_contain_text("Vous êtes inscrit·e.")
    check_a11y(page)
    first_waiting.refresh_from_db()
    visitor.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert visitor.status == RegistrationStatus.WAITING  # still waiting, behind the others
    assert full.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == full.capacity


def test_a_trainer_takes_attendance_on_a_phone_and_the_certificate_arrives(
    phone_page: Page, page: Page, demo_account: Callable[..., Account], live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    worker = demo_account("peer_worker")
    trainer = PeerProfile.objects.get(membership__user__email=worker["email"])
    now = timezone.now().replace(microsecond=0)
    event = Event.objects.create(
        platform=trainer.platform,
        kind=Kind.SENSITISATION,
        title="Sensibilisation du jour — parcours",
        description="Découvrir la pair-aidance.",
        place="Maison des associations",
        commune=trainer.home_commune,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(minutes=30),
        capacity=10,
        visibility=Visibility.PARTNERS,
        token="parcours-appel-" + "x" * 20,
        created_by=trainer.membership.user,
    )
    event.trainers.set([trainer])
    people = [("Alix Présente", "alix@exemple.org"), ("Basile Présent", "basile@exemple.org")]
    people += [("Chloé Absente", "chloe@exemple.org")]
    for index, (name, email) in enumerate(people):
        Registration.objects.create(
            platform=event.platform,
            event=event,
            name=name,
            email=email,
            status=RegistrationStatus.CONFIRMED,
            token=f"parcours-inscription-{index}-" + "y" * 16,
        )
    minutes_before = sum(ActivityEntry.objects.filter(profile=trainer).values_list("duration_minutes", flat=True))

    # ---- The trainer opens the roll call of today's event on a phone.
    sign_in(phone_page, worker)
    main_menu(phone_page).get_by_role("link", name="Mes animations").click()
    check_a11y(phone_page)
    phone_page.get_by_role("link", name=f"Faire l'appel – {event.title}").first.click()
    check_a11y(phone_page)
    expect_h1(phone_page, re.compile("^Appel"))
    expect_no_sideways_scroll(phone_page)
    for name in ("Alix Présente", "Basile Présent"):
        phone_page.get_by_label(re.compile(name)).check()
    phone_page.get_by_role("button", name="Enregistrer l'appel").click()
    expect(phone_page.locator(".messages")).to_contain_text("Appel enregistré")
    check_a11y(phone_page)

    # ---- A walk-in is added, then the roll call is validated.
    walk_in = phone_page.locator("form").filter(has=phone_page.get_by_role("button", name="Ajouter, présent·e"))
    walk_in.get_by_label("Prénom et nom").fill("Dominique Sans-Inscription")
    walk_in.get_by_label("Adresse e-mail").fill("dominique@exemple.org")
    walk_in.get_by_role("button", name="Ajouter, présent·e").click()
    check_a11y(phone_page)
    phone_page.get_by_role("button", name="Valider l'appel et envoyer les attestations").click()
    expect(phone_page.locator("main")).to_contain_text("L'appel est validé")
    check_a11y(phone_page)
    attended = set(event.registrations.filter(attended=True).values_list("email", flat=True))
    assert attended == {"alix@exemple.org", "basile@exemple.org", "dominique@exemple.org"}
    assert event.registrations.get(email="chloe@exemple.org").attended is False
    minutes_after = sum(ActivityEntry.objects.filter(profile=trainer).values_list("duration_minutes", flat=True))
    assert minutes_after - minutes_before == 90

    # ---- The certificate arrives: a link in the e-mail, a PDF behind it.
    open_outbox_message(page, "alix@exemple.org", re.compile("attestation", re.IGNORECASE))
    link = page.locator("details.email[open] a[href$='attestation.pdf']").first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert (
        not page.locator("details.email")
        .filter(has_text="chloe@exemple.org")
        .filter(has_text=re.compile("attestation", re.IGNORECASE))
        .count()
    )
