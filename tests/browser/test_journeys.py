"""User journeys in a real Chromium, on the demo data of Pairs Rhône. Every page visited is axe-checked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from pairs.accounts.models import User
from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Membership

from .conftest import check_a11y, visit_and_check

Account = dict[str, str]
ISERE_SUFFIX = ".isere@demo.pairs-ressources.example"
TOTP_STEP = 30


# --------------------------------------------------------------------------- helpers


def first_name(account: Account) -> str:
    return User.objects.get(email=account["email"]).first_name


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu principal")


def open_sign_in_form(page: Page) -> None:
    """From the landing page, follow the header's "Se connecter" link."""
    visit_and_check(page, "/")
    page.get_by_role("banner").get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1, name="Se connecter")).to_be_visible()
    check_a11y(page)


def submit_credentials(page: Page, email: str, password: str) -> None:
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def sign_in(page: Page, account: Account) -> None:
    open_sign_in_form(page)
    submit_credentials(page, account["email"], account["password"])


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e. À bientôt.")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    check_a11y(page)


def totp(secret_b32: str, counter: int) -> str:
    """RFC 6238 code (HMAC-SHA1, 6 digits) for a time-step counter, as an authenticator app shows it."""
    secret = secret_b32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def current_step() -> int:
    return int(time.time()) // TOTP_STEP


# Role -> (main heading, distinctive text of pairs/core/templates/core/home_<role>.html).
HOMES: dict[str, tuple[str | None, str]] = {
    "coordinator": (None, "Les comptes actifs de la plateforme"),
    "peer_worker": (None, "Votre espace de pair aidant·e sur Pairs Rhône."),
    "partner_contact": (None, "Votre espace partenaire sur Pairs Rhône."),
    "person": (None, "Votre espace personnel sur Pairs Rhône."),
    "funder": ("Indicateurs de Pairs Rhône", "aucune donnée personnelle n'est visible dans cet espace"),
    "network_admin": ("Le réseau des plateformes", "Plateformes du réseau"),
}


def expect_home(page: Page, account: Account) -> None:
    heading, distinctive = HOMES[account["role"]]
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or f"Bonjour {first_name(account)}")
    expect(page.get_by_text(distinctive).first).to_be_visible()


# --------------------------------------------------------------------------- the helper itself


def test_totp_helper_matches_the_rfc_6238_test_vector() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59 // TOTP_STEP) == "287082"
    assert totp(secret, 1111111109 // TOTP_STEP) == "081804"


# --------------------------------------------------------------------------- a. every role signs in and out


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_signs_in_lands_on_its_home_and_signs_out(
    page: Page, demo_account: Callable[..., Account], role: str
) -> None:
    account = demo_account(role)
    sign_in(page, account)

    expect_home(page, account)
    menu = main_menu(page)
    # The role is named in the menu: as a label, or in the space switch for several spaces.
    expect(menu).to_contain_text(account["role_label"])
    if role == "coordinator":
        expect(menu.get_by_role("link", name="Journal d'audit")).to_be_visible()
    else:
        expect(menu.get_by_role("link", name="Journal d'audit")).to_have_count(0)
    if role == "network_admin":
        platforms = page.get_by_role("table", name="Plateformes du réseau")
        expect(platforms.get_by_role("row", name=re.compile("Pairs Rhône"))).to_be_visible()
        expect(platforms.get_by_role("row", name=re.compile("Pairs Isère"))).to_be_visible()
    check_a11y(page)

    sign_out(page)
    expect(page.get_by_role("heading", level=1, name="Pairs Ressources")).to_be_visible()


# --------------------------------------------------------------------------- b. coordinator and the audit journal


def journal_count(page: Page) -> int:
    status = page.get_by_role("main").get_by_role("status").filter(has_text=re.compile(r"^\s*\d+ entrées?\s*$"))
    expect(status).to_have_count(1)
    return int(re.findall(r"\d+", status.inner_text())[0])


def test_coordinator_sees_their_own_consultation_of_a_member_in_the_audit_journal(
    page: Page, demo_account: Callable[..., Account]
) -> None:
    coordinator = demo_account("coordinator")
    sign_in(page, coordinator)
    expect_home(page, coordinator)
    check_a11y(page)

    main_menu(page).get_by_role("link", name="Journal d'audit").click()
    expect(page.get_by_role("heading", level=1, name="Journal d'audit")).to_be_visible()
    check_a11y(page)
    before = journal_count(page)
    assert before >= 1, "The coordinator's own sign-in is in the journal"

    main_menu(page).get_by_role("link", name="Comptes et rôles").click()
    expect(page.get_by_role("heading", level=1, name="Comptes et rôles")).to_be_visible()
    check_a11y(page)
    members = page.get_by_role("table", name="Comptes de la plateforme")
    rhone_count = Membership.objects.filter(platform__slug="rhone").count()
    expect(page.get_by_role("main").get_by_role("status")).to_have_text(f"{rhone_count} rôles trouvés")
    emails = [text.strip() for text in members.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert emails, "The member list shows the platform's accounts"
    assert all(email.endswith(".rhone@demo.pairs-ressources.example") for email in emails), emails
    assert not [email for email in emails if email.endswith(ISERE_SUFFIX)]

    # Searching for the other platform's accounts finds nothing.
    page.get_by_label("Rechercher un nom ou une adresse").fill("isere")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucun compte ne correspond à ces critères.")).to_be_visible()
    check_a11y(page)

    main_menu(page).get_by_role("link", name="Comptes et rôles").click()
    expect(page.get_by_role("heading", level=1, name="Comptes et rôles")).to_be_visible()
    check_a11y(page)
    first_row = members.locator("tbody tr").first
    member_email = first_row.locator("td").nth(1).inner_text().strip()
    member_name = first_row.get_by_role("link").inner_text().strip()
    first_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name=member_name)).to_be_visible()
    expect(page.get_by_text(member_email, exact=True)).to_be_visible()
    check_a11y(page)
    member_user_id = User.objects.get(email=member_email).pk

    main_menu(page).get_by_role("link", name="Journal d'audit").click()
    expect(page.get_by_role("heading", level=1, name="Journal d'audit")).to_be_visible()
    check_a11y(page)
    after = journal_count(page)
    assert after > before, f"The journal had {before} entries, now {after}"
    newest = page.get_by_role("table", name="Entrées du journal, les plus récentes d'abord").locator("tbody tr").first
    cells = newest.locator("td")
    expect(cells.nth(1)).to_contain_text(first_name(coordinator))
    expect(cells.nth(2)).to_have_text(re.compile(r"^\s*Consultation"))
    # The journal names the object type "accounts.user" by its label, "Compte".
    expect(cells.nth(3)).to_have_text(re.compile(rf"^\s*(Compte|accounts\.user) n° {member_user_id}\s*$"))
    newest_entry = JournalEntry.objects.filter(platform__slug="rhone").latest("created_at", "id")
    assert (newest_entry.action, newest_entry.object_type, newest_entry.object_id) == (
        Action.VIEW,
        "accounts.user",
        str(member_user_id),
    )


# --------------------------------------------------------------------------- c. a person signs in with a magic link


def test_person_signs_in_with_a_magic_link_from_the_demo_outbox(
    page: Page, demo_account: Callable[..., Account], run_jobs: Callable[[], int], live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url  # links in e-mails point at the live server
    person = demo_account("person")

    visit_and_check(page, "/")
    page.get_by_role("main").get_by_role("link", name="Recevoir un lien de connexion").click()
    expect(page.get_by_role("heading", level=1, name="Recevoir un lien de connexion")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Adresse e-mail", exact=True).fill(person["email"])
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1, name="Vérifiez vos e-mails")).to_be_visible()
    check_a11y(page)

    assert run_jobs() == 1, "One e-mail job was queued"

    page.get_by_role("link", name="Boîte d'envoi (démo)").click()
    expect(page.get_by_role("heading", level=1, name="Boîte d'envoi (démo)")).to_be_visible()
    check_a11y(page)
    email = page.locator("details.email").filter(has_text="Votre lien de connexion à Pairs Ressources")
    expect(email).to_have_count(1)
    expect(email.locator("summary")).to_contain_text(person["email"])
    email.locator("summary").click()
    link = email.get_by_role("link")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile("^" + re.escape(live_server.url) + "/connexion/lien/ouvrir/"))
    check_a11y(page)  # same document, now expanded
    link.click()

    expect(page.get_by_role("heading", level=1, name="Se connecter à votre espace")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect_home(page, person)
    expect(page.get_by_text("Votre espace personnel")).to_be_visible()
    check_a11y(page)


# --------------------------------------------------------------------------- d. on a phone


def test_on_a_phone_crisis_numbers_skip_link_and_sign_in_errors(
    phone_page: Page, demo_account: Callable[..., Account]
) -> None:
    page = phone_page
    partner = demo_account("partner_contact")
    visit_and_check(page, "/")

    crisis = page.locator(".crisis")
    expect(crisis.get_by_role("heading", name="Besoin d'aide tout de suite ?")).to_be_visible()
    expect(crisis).to_contain_text("3114")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"The landing page scrolls sideways on a phone ({width}px wide)"

    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.get_by_role("banner").get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1, name="Se connecter")).to_be_visible()
    check_a11y(page)
    for field in ("Adresse e-mail", "Mot de passe"):
        box = page.get_by_label(field, exact=True).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{field}: {box}"

    submit_credentials(page, partner["email"], "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse e-mail", exact=True)).to_have_value(partner["email"])
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("")
    check_a11y(page)

    page.get_by_label("Mot de passe", exact=True).fill(partner["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect_home(page, partner)
    check_a11y(page)


# --------------------------------------------------------------------------- e. English


def test_landing_page_switches_to_english_and_back(page: Page, demo_data: list[Account]) -> None:
    visit_and_check(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)
    main = page.get_by_role("main")
    for french in (
        "Recevoir un lien de connexion",
        "Besoin d'aide tout de suite ?",
        "Vous êtes accompagné·e ou proche",
    ):
        expect(main.get_by_text(french)).to_have_count(0, timeout=1_000)  # the page is loaded: no need to wait
    expect(page.get_by_role("banner").get_by_role("link", name=re.compile(r"sign in|log in", re.I))).to_be_visible()
    expect(page.locator(".crisis")).to_contain_text("3114")

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(main.get_by_text("Besoin d'aide tout de suite ?")).to_be_visible()
    check_a11y(page)


# --------------------------------------------------------------------------- f. staff second factor


def test_peer_worker_turns_on_two_factor_authentication_and_uses_it_at_next_sign_in(
    page: Page, demo_account: Callable[..., Account]
) -> None:
    peer = demo_account("peer_worker")
    sign_in(page, peer)
    expect_home(page, peer)
    check_a11y(page)

    main_menu(page).get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", level=1, name="Mon compte")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Double authentification").click()
    expect(page.get_by_role("heading", level=1, name="Double authentification")).to_be_visible()
    check_a11y(page)

    secret = page.locator(".secret").inner_text().replace(" ", "").strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    activation_step = current_step()
    page.get_by_label("Code à 6 chiffres, ou code de secours").fill(totp(secret, activation_step))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1, name="La double authentification est activée")).to_be_visible()
    expect(page).to_have_title(re.compile("^Codes de secours"))
    expect(page.locator("ul.codes li")).to_have_count(10)
    check_a11y(page)

    sign_out(page)
    sign_in(page, peer)
    expect(page.get_by_role("heading", level=1, name="Confirmez votre identité")).to_be_visible()
    check_a11y(page)
    # A code never used before: the server refuses to accept the activation code's time step again,
    # and accepts the next step (one step of clock drift), so no need to wait up to 30 seconds.
    fresh_step = max(current_step(), activation_step + 1)
    page.get_by_label("Code à 6 chiffres, ou code de secours").fill(totp(secret, fresh_step))
    page.get_by_role("button", name="Valider").click()
    expect_home(page, peer)
    check_a11y(page)
