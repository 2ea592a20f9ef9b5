"""The public self-referral form: anyone may ask to meet a peer worker, without an account. Bad input
keeps what was typed and saves nothing; robots and floods are turned away; the acknowledgement page
and e-mails repeat nothing the person wrote."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Relation, SupportRequest, SupportSettings, Topic
from pairs.support.services.intake import commune_key, normalise_phone
from tests.factories import PlatformFactory, commune

FORM = "/demander-un-accompagnement/test-rhone/"
SENT = "/demander-un-accompagnement/test-rhone/envoyee/"
PSEUDONYM = "Maëlys-Test"
SECRET_TEXT = "Mon frère ne sort plus de sa chambre depuis des semaines"


def body(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'")


def input_tag(page: str, name: str, value: str) -> str:
    """The <input> of a radio button or checkbox."""
    for chunk in page.split("<input")[1:]:
        tag = chunk.split(">")[0]
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return tag
    raise AssertionError(f"no input {name}={value}")


def valid(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pseudonym": PSEUDONYM,
        "relation": Relation.RELATIVE,
        "phone": "06.39.98.00.07",
        "email": "Proche.Test@Example.org",
        "contact_times": "Le soir après 18 h",
        "commune": "villefranche sur saone",
        "topics": [Topic.RELATIVE, Topic.TALK],
        "looking_for": SECRET_TEXT,
        "language": "",
        "gender_preference": "",
        "place_preference": "",
        "mode_preference": "remote",
        "site_web": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def villefranche(db: Any) -> Any:
    return commune()


# ---- Finding the form


def test_the_landing_page_leads_to_the_form(db: Any) -> None:
    page = body(Client().get("/"))
    assert 'href="/demander-un-accompagnement/"' in page
    assert "Demander à rencontrer un·e pair aidant·e" in page


def test_a_single_platform_sends_the_visitor_straight_to_its_form(platform: Platform) -> None:
    response = Client().get("/demander-un-accompagnement/")
    assert response.status_code == 302 and response["Location"] == FORM


def test_several_platforms_are_listed_with_their_departments(platform: Platform, other_platform: Platform) -> None:
    PlatformFactory(name="Plateforme en sommeil", slug="sommeil", is_active=False)
    page = body(Client().get("/demander-un-accompagnement/"))
    assert "Où habitez-vous ?" in page
    assert "Pairs Test Rhône" in page and "Rhône (69)" in page
    assert "Pairs Test Isère" in page and "Isère (38)" in page
    assert "Plateforme en sommeil" not in page
    assert 'href="/demander-un-accompagnement/test-isere/"' in page


def test_an_unknown_or_inactive_platform_answers_404(platform: Platform) -> None:
    PlatformFactory(name="Plateforme en sommeil", slug="sommeil", is_active=False)
    assert Client().get("/demander-un-accompagnement/inconnue/").status_code == 404
    assert Client().get("/demander-un-accompagnement/sommeil/").status_code == 404
    assert Client().get("/demander-un-accompagnement/sommeil/envoyee/").status_code == 404
    assert Client().post("/demander-un-accompagnement/inconnue/", valid()).status_code == 404


def test_the_form_shows_the_crisis_numbers_what_happens_next_and_the_platform_delay(
    platform: Platform, villefranche: Any
) -> None:
    SupportSettings.objects.create(platform=platform, first_contact_days=5)
    page = body(Client().get(FORM))
    assert "La plateforme n'est pas un service d'urgence" in page
    for number in ("3114", "15", "112"):
        assert f'href="tel:{number}"' in page
    assert "Nous vous recontactons sous 5 jours ouvrés" in page
    assert "Ce que nous gardons" in page
    assert '<option value="Villefranche-sur-Saône">' in page  # suggestions of the platform's communes
    assert 'type="tel"' in page


def test_the_default_delay_is_three_working_days(platform: Platform) -> None:
    assert "Nous vous recontactons sous 3 jours ouvrés" in body(Client().get(FORM))


def test_the_robot_trap_is_hidden_from_people_and_assistive_technologies(platform: Platform) -> None:
    page = body(Client().get(FORM))
    trap = page.split('<div class="visually-hidden" aria-hidden="true">')[1].split("</div>")[0]
    assert "Ne pas remplir ce champ" in trap and 'name="site_web"' in trap and 'tabindex="-1"' in trap


# ---- Sending a request


def test_a_relative_sends_a_request_without_an_account(platform: Platform, villefranche: Any, make_member: Any) -> None:
    coordinator = make_member(Role.COORDINATOR, platform)
    make_member(Role.COORDINATOR, PlatformFactory(slug="ailleurs"))  # another platform's coordinator

    response = Client().post(FORM, valid())

    assert response.status_code == 302 and response["Location"] == SENT
    saved = SupportRequest.objects.get()
    assert saved.platform == platform
    assert (saved.pseudonym, saved.relation, saved.phone, saved.email) == (
        PSEUDONYM,
        Relation.RELATIVE,
        "06 39 98 00 07",
        "proche.test@example.org",
    )
    assert saved.commune == villefranche and saved.commune_name == "" and not saved.outside_territory
    assert saved.topics == [Topic.RELATIVE, Topic.TALK] and saved.looking_for == SECRET_TEXT
    assert saved.mode_preference == "remote" and saved.status == "new"

    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.supportrequest")
    assert entry.platform == platform and entry.actor is None
    assert "pseudonym" in entry.fields and "looking_for" in entry.fields and "language" not in entry.fields
    assert PSEUDONYM not in str(entry.fields) + entry.detail

    to_requester = OutgoingEmail.objects.get(kind="support_request_received")
    to_coordinator = OutgoingEmail.objects.get(kind="support_request_new")
    assert to_requester.to == "proche.test@example.org" and to_coordinator.to == coordinator.user.email
    assert "3 jours ouvrés" in to_requester.body and "3114" in to_requester.body
    assert f"/accompagnement/demandes/{saved.pk}/" in to_coordinator.body
    for email in (to_requester, to_coordinator):
        for secret in (PSEUDONYM, "Maëlys", SECRET_TEXT, "06 39 98 00 07", "Villefranche", "soir"):
            assert secret not in email.subject + email.body


def test_the_acknowledgement_repeats_nothing_sensitive(platform: Platform, villefranche: Any) -> None:
    client = Client()
    response = client.post(FORM, valid(), follow=True)
    page = body(response)
    assert "Votre demande est bien envoyée" in page
    assert "Nous vous recontactons sous 3 jours ouvrés" in page and 'href="tel:3114"' in page
    for secret in ("Maëlys", SECRET_TEXT, "06 39 98 00 07", "proche.test", "Villefranche"):
        assert secret not in page


def test_without_an_email_only_the_coordinators_are_told(
    platform: Platform, villefranche: Any, make_member: Any
) -> None:
    make_member(Role.COORDINATOR, platform)
    Client().post(FORM, valid(email=""))
    assert SupportRequest.objects.get().email == ""
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["support_request_new"]


def test_a_ticked_topic_is_enough_without_words(platform: Platform, villefranche: Any) -> None:
    response = Client().post(FORM, valid(looking_for="", topics=[Topic.GROUP]))
    assert response.status_code == 302
    assert SupportRequest.objects.get().topics == [Topic.GROUP]


def test_a_visitor_signed_in_to_another_platform_can_still_ask(
    platform: Platform, other_platform: Platform, villefranche: Any, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, other_platform)
    response = client.post(FORM, valid())
    assert response.status_code == 302
    assert SupportRequest.objects.get().platform == platform


# ---- Bad input: a French message, everything typed kept, nothing saved


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "Ce numéro ne semble pas valable"),
        ({"phone": "+44 20 7946 0000"}, "Ce numéro ne semble pas valable"),
        ({"email": "proche@", "phone": ""}, "Cette adresse e-mail ne semble pas valable"),
        ({"phone": "", "email": ""}, "Indiquez un téléphone ou une adresse e-mail"),
        ({"looking_for": "  ", "topics": []}, "Dites-nous en quelques mots ce que vous cherchez"),
        ({"pseudonym": ""}, "Indiquez un prénom ou un pseudonyme"),
        ({"relation": ""}, "Dites-nous si la demande est pour vous ou pour un·e proche"),
        ({"commune": ""}, "Indiquez votre commune"),
    ],
)
def test_bad_input_saves_nothing_and_keeps_what_was_typed(
    overrides: dict[str, Any], message: str, platform: Platform, villefranche: Any
) -> None:
    data = valid(**overrides)
    response = Client().post(FORM, data)

    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert "Le formulaire contient des erreurs" in page
    assert not SupportRequest.objects.exists() and not OutgoingEmail.objects.exists()
    if data["pseudonym"]:
        assert f'value="{data["pseudonym"]}"' in page
    if data["phone"]:
        assert f'value="{data["phone"]}"' in page
    if data["looking_for"].strip():
        assert SECRET_TEXT in page
    for topic in data["topics"]:
        assert "checked" in input_tag(page, "topics", topic)
    assert "checked" in input_tag(page, "mode_preference", "remote")
    assert "no-store" in response["Cache-Control"]


def test_ticked_topics_stay_ticked_after_an_error(platform: Platform) -> None:
    page = body(Client().post(FORM, valid(phone="12345")))
    assert "checked" in input_tag(page, "topics", Topic.RELATIVE)
    assert "checked" in input_tag(page, "topics", Topic.TALK)
    assert "checked" not in input_tag(page, "topics", Topic.GROUP)


# ---- Communes


def test_a_commune_is_found_whatever_the_case_and_accents(platform: Platform) -> None:
    ecully = commune("69081", "Écully")
    Client().post(FORM, valid(commune="ECULLY"))
    saved = SupportRequest.objects.get()
    assert saved.commune == ecully and not saved.outside_territory


def test_a_commune_outside_the_territory_is_accepted_and_flagged(platform: Platform) -> None:
    grenoble = commune("38185", "Grenoble", 45.18, 5.72)
    response = Client().post(FORM, valid(commune="grenoble"))
    assert response.status_code == 302
    saved = SupportRequest.objects.get()
    assert saved.commune == grenoble and saved.outside_territory


def test_an_unknown_commune_is_kept_as_typed_and_flagged(platform: Platform) -> None:
    response = Client().post(FORM, valid(commune="Saint-Quelque-Part"))
    assert response.status_code == 302
    saved = SupportRequest.objects.get()
    assert saved.commune is None and saved.commune_name == "Saint-Quelque-Part" and saved.outside_territory


def test_a_commune_of_the_territory_wins_over_a_namesake_elsewhere(platform: Platform) -> None:
    commune("38999", "Meyzieu", 45.5, 5.5)  # a fictitious namesake outside the territory
    home = commune("69282", "Meyzieu", 45.77, 5.0)
    Client().post(FORM, valid(commune="meyzieu"))
    saved = SupportRequest.objects.get()
    assert saved.commune == home and not saved.outside_territory


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Villefranche-sur-Saône", "villefranche sur saone"),
        ("  ÉCULLY ", "ecully"),
        ("Saint-Genis-l'Argentière", "saint genis l argentiere"),
        ("Lyon 3e", "lyon"),
        ("Villeurbanne (69100)", "villeurbanne"),
        ("69100 Villeurbanne", "villeurbanne"),
    ],
)
def test_commune_keys(typed: str, key: str) -> None:
    assert commune_key(typed) == key


# ---- Phone numbers


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0639980007", "06 39 98 00 07"),
        ("06 39 98 00 07", "06 39 98 00 07"),
        ("06.39.98.00.07", "06 39 98 00 07"),
        ("+33 6 39 98 00 07", "06 39 98 00 07"),
        ("+33 (0)6 39 98 00 07", "06 39 98 00 07"),
        ("0033639980007", "06 39 98 00 07"),
        ("04 72 00 00 00", "04 72 00 00 00"),
        ("063998000", None),
        ("00 39 98 00 07", None),
        ("+44 20 7946 0000", None),
        ("téléphone", None),
    ],
)
def test_french_phone_numbers(typed: str, expected: str | None) -> None:
    assert normalise_phone(typed) == expected


# ---- Robots and floods


def test_a_filled_trap_pretends_success_and_saves_nothing(platform: Platform, make_member: Any) -> None:
    make_member(Role.COORDINATOR, platform)
    response = Client().post(FORM, valid(site_web="https://spam.example"))
    assert response.status_code == 302 and response["Location"] == SENT
    assert not SupportRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not JournalEntry.objects.filter(object_type="support.supportrequest").exists()


def test_too_many_requests_from_one_address_get_the_french_429(platform: Platform, villefranche: Any) -> None:
    client = Client()
    for index in range(5):
        response = client.post(FORM, valid(pseudonym=f"Essai{index}"))
        assert response.status_code == 302
    response = client.post(FORM, valid(pseudonym="Essai6"))
    assert response.status_code == 429
    assert "Trop de demandes" in body(response)
    assert SupportRequest.objects.count() == 5
    # Another address is not concerned.
    assert Client(REMOTE_ADDR="192.0.2.10").post(FORM, valid(pseudonym="Autre")).status_code == 302


def test_corrections_of_a_form_with_errors_are_not_counted(platform: Platform, villefranche: Any) -> None:
    client = Client()
    for _attempt in range(8):
        assert client.post(FORM, valid(phone="12")).status_code == 200
    assert client.post(FORM, valid()).status_code == 302
