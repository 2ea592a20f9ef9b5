"""Journey of direct support in a real Chromium, on the demo data of Pairs Rhône: a relative asks
for support from a phone, without an account; the coordinator triages the request and chooses
the peer worker from the suggestions; the worker records the consents, books a meeting in an
accessible place (the SMS reminder shows in the demo outbox), marks it held and writes a note
shared with the person; the person opens their space from the sign-in link of the outbox, reads
the note and withdraws the SMS consent. Every page visited is axe-checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from playwright.sync_api import Page, expect

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingSMS
from pairs.support.models import (
    Confidentiality,
    Consent,
    ConsentKind,
    Meeting,
    MeetingStatus,
    Note,
    Person,
    Relation,
    RequestStatus,
    SupportRequest,
)

from .conftest import check_a11y, visit_and_check
from .test_deployments_journeys import Account, user_of
from .test_journeys import main_menu, sign_in
from .test_peers_journeys import expect_h1, expect_no_sideways_scroll

PSEUDONYM = "Maëlle"
EMAIL = "maelle.proche@exemple.org"
LOOKING_FOR = "Mon frère ne sort plus de chez lui depuis des semaines, je ne sais plus comment l'aider."
NOTE = "Ce que nous avons dit : tu peux appeler le 3114 la nuit, et on se revoit jeudi au café."


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_a_relative_asks_for_support_and_reads_the_note_shared_after_the_meeting(
    page: Page,
    phone_page: Page,
    demo_account: Callable[..., Account],
    run_jobs: Callable[[], int],
    live_server: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url  # links in e-mails point at the live server
    coordinator, worker = demo_account("coordinator"), demo_account("peer_worker")
    worker_name = user_of(worker).display_name

    # ---- a. An anonymous visitor, on a phone, asks as a relative.
    mobile = phone_page
    visit_and_check(mobile, "/")
    mobile.get_by_role("main").get_by_role("link", name="Demander à rencontrer un·e pair aidant·e").click()
    expect_h1(mobile, "Demander à rencontrer un·e pair aidant·e")
    check_a11y(mobile)
    mobile.get_by_role("link", name=re.compile("Pairs Rhône")).click()
    expect_h1(mobile, "Demander à rencontrer un·e pair aidant·e")
    expect(mobile.get_by_role("link", name="3114").first).to_be_visible()
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)

    mobile.get_by_label("Votre prénom ou un pseudonyme").fill(PSEUDONYM)
    mobile.get_by_role("radio", name=re.compile("Un·e proche")).check()
    mobile.get_by_role("textbox", name=re.compile("^Téléphone")).fill("06 39 98 12 34")
    mobile.get_by_label(re.compile("^Adresse e-mail")).fill(EMAIL)
    mobile.get_by_label(re.compile("^Quand vous joindre")).fill("Après 18 h")
    mobile.get_by_label(re.compile("^Votre commune")).fill("Villeurbanne")
    mobile.get_by_label(re.compile("^Dites-le avec vos mots")).fill(LOOKING_FOR)
    mobile.get_by_role("button", name="Envoyer ma demande").click()
    expect_h1(mobile, "Votre demande est bien envoyée")
    main = mobile.get_by_role("main")
    expect(main).not_to_contain_text(PSEUDONYM)  # nothing sensitive is repeated
    expect(main).not_to_contain_text("frère")
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)
    sent = SupportRequest.objects.get(pseudonym=PSEUDONYM)
    assert (sent.relation, sent.status, sent.outside_territory) == (Relation.RELATIVE, RequestStatus.NEW, False)

    # ---- b. The coordinator triages it and chooses the peer worker from the suggestions.
    sign_in(page, coordinator)
    main_menu(page).get_by_role("link", name="Accompagnement").click()
    expect_h1(page, "Demandes d'accompagnement")
    check_a11y(page)
    page.get_by_role("link", name=PSEUDONYM).first.click()
    expect_h1(page, f"Demande de {PSEUDONYM}")
    expect(page.get_by_role("main")).to_contain_text(LOOKING_FOR)
    check_a11y(page)
    page.get_by_role("button", name="Premier contact fait").click()
    expect_h1(page, f"Demande de {PSEUDONYM}")
    check_a11y(page)
    page.get_by_role("button", name="Accepter", exact=True).click()
    expect_h1(page, re.compile(PSEUDONYM))
    check_a11y(page)
    person = Person.objects.get(pseudonym=PSEUDONYM)
    assert person.relation == Relation.RELATIVE

    page.get_by_role("link", name="Choisir le ou la pair aidant·e référent·e").first.click()
    expect(page.locator("ol.assign-suggestions > li").first).to_be_visible()
    check_a11y(page)
    more = page.get_by_role("link", name=re.compile(r"^Voir (la suggestion suivante|les \d+ suggestions suivantes)$"))
    if more.count():
        more.click()
        check_a11y(page)
    card = page.locator("ol.assign-suggestions > li").filter(has_text=worker_name)
    expect(card.locator("ul.assign-reasons > li").first).to_be_visible()  # the reasons of the ranking
    card.get_by_role("button", name=f"Choisir {worker_name}").click()
    expect_h1(page, re.compile(PSEUDONYM))
    expect(page.get_by_role("main")).to_contain_text(worker_name)
    check_a11y(page)
    person.refresh_from_db()
    assert person.peer is not None and person.peer.membership.user.email == worker["email"]
    sign_out(page)

    # ---- c. The worker records the consents and books a meeting in an accessible place.
    sign_in(page, worker)
    main_menu(page).get_by_role("link", name="Personnes accompagnées").click()
    expect_h1(page, "Personnes accompagnées")
    check_a11y(page)
    page.get_by_role("link", name=PSEUDONYM, exact=True).click()
    expect_h1(page, re.compile(PSEUDONYM))
    for kind in (
        "Être contacté·e par SMS (rappels de rendez-vous)",
        "Être contacté·e par e-mail (rappels de rendez-vous)",
    ):
        page.get_by_label("Consentement", exact=True).select_option(label=kind)
        page.get_by_label("Comment", exact=True).select_option(label="À l'oral, noté par l'équipe")
        page.get_by_role("button", name="Noter le consentement").click()
        expect_h1(page, re.compile(PSEUDONYM))
    check_a11y(page)
    assert set(Consent.objects.filter(person=person).values_list("kind", flat=True)) == {
        ConsentKind.CONTACT_SMS,
        ConsentKind.CONTACT_EMAIL,
    }

    page.get_by_role("link", name="Prévoir une rencontre").click()
    check_a11y(page)
    page.get_by_label("En personne", exact=True).check()
    page.get_by_label(re.compile("^Lieu")).select_option(index=1)
    starts = (timezone.localtime() + timedelta(hours=3)).replace(second=0, microsecond=0)
    page.get_by_label(re.compile("^Date et heure")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Prévoir la rencontre").click()
    expect(page.get_by_role("main")).to_contain_text(starts.strftime("%H"))
    check_a11y(page)
    meeting = Meeting.objects.get(person=person)
    assert meeting.place is not None and meeting.status == MeetingStatus.PLANNED
    sms = OutgoingSMS.objects.filter(kind__contains="reminder")
    assert sms.count() == 1, "The meeting is within 24 h: the SMS reminder is queued at once"
    run_jobs()

    main_menu(page).get_by_role("link", name="Mes rencontres").click()
    expect_h1(page, "Mes rencontres")
    check_a11y(page)
    page.get_by_role("link", name="Boîte d'envoi (démo)").click()
    expect_h1(page, "Boîte d'envoi (démo)")
    reminder = page.locator("details.sms").first
    expect(reminder.locator("summary")).to_contain_text("SMS")
    reminder.locator("summary").click()
    expect(reminder).to_contain_text("Rappel : rencontre avec")
    expect(reminder).not_to_contain_text(PSEUDONYM)
    check_a11y(page)

    # ---- d. Later that day: the meeting took place; the worker marks it held and writes a note.
    begun = (timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    others = Meeting.objects.filter(peer=meeting.peer, status__in=["planned", "held"]).exclude(pk=meeting.pk)
    while others.filter(period__overlap=DateTimeTZRange(begun, begun + timedelta(minutes=60), "[)")).exists():
        begun -= timedelta(minutes=30)  # the demo worker's earlier meetings that day
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=begun, period=DateTimeTZRange(begun, begun + timedelta(minutes=60), "[)")
    )
    page.goto(f"/accompagnement/rencontres/{meeting.pk}/")
    check_a11y(page)
    page.get_by_role("button", name="Marquer comme tenue").click()
    page.get_by_role("link", name="Écrire une note").click()
    check_a11y(page)
    page.get_by_label(re.compile("^Note")).fill(NOTE)
    page.get_by_label("Partagée avec la personne").check()
    page.get_by_role("button", name="Enregistrer la note").click()
    expect_h1(page, re.compile("^Note du "))
    expect(page.get_by_role("main")).to_contain_text(NOTE)
    check_a11y(page)
    page.goto(f"/accompagnement/personnes/{person.pk}/")
    expect_h1(page, re.compile(PSEUDONYM))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    saved = Note.objects.get(person=person)
    assert saved.confidentiality == Confidentiality.PERSON
    assert NOTE.encode() not in bytes(saved.body_encrypted)  # encrypted at rest

    # ---- The worker opens the person's space, which e-mails a sign-in link.
    page.get_by_role("button", name="Ouvrir son espace et lui envoyer un lien").click()
    expect_h1(page, re.compile(PSEUDONYM))
    check_a11y(page)
    run_jobs()
    sign_out(page)

    # ---- e. The person follows the link from the outbox, reads the note, withdraws SMS consent.
    mobile.goto("/demo/boite-d-envoi/")
    expect_h1(mobile, "Boîte d'envoi (démo)")
    email = mobile.locator("details.email:not(.sms)").filter(has_text=EMAIL).first
    email.locator("summary").click()
    check_a11y(mobile)
    email.get_by_role("link").first.click()
    check_a11y(mobile)
    mobile.get_by_role("button", name="Ouvrir mon espace").click()
    main_menu(mobile).get_by_role("link", name="Mon accompagnement").click()
    expect(mobile.get_by_role("main")).to_contain_text(NOTE)
    expect_no_sideways_scroll(mobile)
    check_a11y(mobile)
    reads = JournalEntry.objects.filter(action=Action.VIEW, object_type="support.note", object_id=str(saved.pk))
    assert reads.exists(), "The person's reading of the note is journaled"

    mobile.get_by_role("button", name=re.compile("^Retirer ce consentement : Être contacté·e par SMS")).click()
    check_a11y(mobile)
    sms_consent = Consent.objects.get(person=person, kind=ConsentKind.CONTACT_SMS)
    assert sms_consent.withdrawn_at is not None
    assert Consent.objects.get(person=person, kind=ConsentKind.CONTACT_EMAIL).withdrawn_at is None
