from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from pairs.accounts.validators import is_strong
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory


def test_sign_in_lands_on_the_role_home_and_is_journaled(platform: Platform) -> None:
    member = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    client = Client()
    response = client.post("/connexion/", {"email": member.user.email.upper(), "password": TEST_PASSWORD}, follow=True)
    assert "Les comptes actifs de la plateforme" in response.content.decode()
    entry = JournalEntry.objects.get(action=Action.LOGIN)
    assert entry.actor == member.user and entry.platform == platform and entry.detail == "password"


def test_wrong_password_keeps_the_email_and_is_journaled(platform: Platform) -> None:
    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    response = Client().post("/connexion/", {"email": member.user.email, "password": "mauvais"})
    body = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in body and f'value="{member.user.email}"' in body
    assert JournalEntry.objects.filter(action=Action.LOGIN_FAILED, actor=member.user, platform=platform).exists()


def test_five_failures_lock_the_account_even_with_the_right_password(platform: Platform) -> None:
    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    client = Client()
    for _ in range(5):
        client.post("/connexion/", {"email": member.user.email, "password": "mauvais"})
    response = client.post("/connexion/", {"email": member.user.email, "password": TEST_PASSWORD})
    assert "ce compte est verrouillé pendant 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    member.user.refresh_from_db()
    assert member.user.locked_until and member.user.locked_until > timezone.now()
    assert JournalEntry.objects.filter(action=Action.LOCKED_OUT, actor=member.user).exists()


def test_too_many_sign_in_attempts_from_one_address_get_a_french_429(db: Any) -> None:
    client = Client()
    for _ in range(30):
        client.post("/connexion/", {"email": "inconnu@test.example", "password": "x"})
    response = client.post("/connexion/", {"email": "inconnu@test.example", "password": "x"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode() and response["Retry-After"] == "900"


def test_person_receives_a_single_use_magic_link(platform: Platform, django_capture_on_commit_callbacks: Any) -> None:
    person = MembershipFactory(platform=platform, role=Role.PERSON)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/connexion/lien/", {"email": person.user.email})
    assert "Vérifiez vos e-mails" in response.content.decode()
    email = OutgoingEmail.objects.get(to=person.user.email, kind="magic_link")
    link = next(line for line in email.body.splitlines() if "/connexion/lien/ouvrir/" in line)
    token = link.split("jeton=")[1].strip()
    assert "Ouvrir mon espace" in client.get(link.replace("http://127.0.0.1:8000", "")).content.decode()
    assert "_auth_user_id" not in client.session  # opening the link alone does not sign in
    response = client.post("/connexion/lien/ouvrir/", {"jeton": token}, follow=True)
    assert "Votre espace personnel" in response.content.decode()
    assert JournalEntry.objects.filter(action=Action.LOGIN, actor=person.user, detail="magic_link").exists()
    second = Client().post("/connexion/lien/ouvrir/", {"jeton": token})
    assert second.status_code == 400 and "Ce lien ne fonctionne plus" in second.content.decode()


def test_staff_never_get_a_magic_link_and_the_page_does_not_tell(platform: Platform) -> None:
    staff = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    response = Client().post("/connexion/lien/", {"email": staff.user.email})
    assert "Vérifiez vos e-mails" in response.content.decode()
    assert not OutgoingEmail.objects.exists()


@override_settings(REQUIRE_STAFF_2FA=True)
def test_staff_must_set_up_a_second_factor_in_production_mode(platform: Platform) -> None:
    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    client = Client()
    client.post("/connexion/", {"email": member.user.email, "password": TEST_PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/securite/")
    assert "activez la double authentification" in client.get(response["Location"]).content.decode()


@override_settings(REQUIRE_STAFF_2FA=True)
def test_people_in_recovery_are_not_asked_for_a_second_factor(platform: Platform) -> None:
    person = MembershipFactory(platform=platform, role=Role.PERSON)
    client = Client()
    client.post("/connexion/", {"email": person.user.email, "password": TEST_PASSWORD})
    assert client.get("/").status_code == 200


def test_totp_setup_then_sign_in_asks_for_the_code(platform: Platform) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    client = Client()
    client.post("/connexion/", {"email": member.user.email, "password": TEST_PASSWORD})
    assert "QR code" in client.get("/compte/securite/").content.decode()
    device = TOTPDevice.objects.get(user=member.user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    response = client.post("/compte/securite/", {"token": code})
    assert "Voici vos codes de secours" in response.content.decode()
    codes = response.context["codes"]
    assert len(codes) == 10
    client.post("/deconnexion/")
    client.post("/connexion/", {"email": member.user.email, "password": TEST_PASSWORD})
    assert client.get("/")["Location"].startswith("/connexion/verification/")
    client.post("/connexion/verification/", {"token": codes[0]})
    assert client.get("/").status_code == 200
    client.post("/deconnexion/")
    client.post("/connexion/", {"email": member.user.email, "password": TEST_PASSWORD})
    reused = client.post("/connexion/verification/", {"token": codes[0]})
    assert "Ce code n&#x27;est pas valable." in reused.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("password", "strong"),
    [
        ("Court-1!", False),
        ("motdepasselong", False),
        ("Abcdefgh-123", True),
        ("Abcdefghijk123", True),
        ("le chat dort sur le tapis rouge", True),
        ("Lechatdort2026", True),
    ],
)
def test_cnil_password_rule(password: str, strong: bool) -> None:
    assert is_strong(password) is strong


def test_weak_new_password_gets_the_cnil_explanation(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PEER_WORKER, platform)
    response = client.post("/compte/mot-de-passe/", {"new_password1": "petit", "new_password2": "petit"})
    assert "au moins 12 caractères" in response.content.decode()


def test_sessions_expire_after_inactivity_and_with_the_browser() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_switching_space_between_two_platforms(platform: Platform, other_platform: Platform) -> None:
    first = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    second = MembershipFactory(platform=other_platform, role=Role.PEER_WORKER, user=first.user)
    client = Client()
    client.force_login(first.user)
    assert "Coordination de Pairs Test Rhône" in client.get("/").content.decode()
    response = client.post("/compte/espace/", {"membership": second.pk}, follow=True)
    assert "Votre espace de pair aidant·e sur Pairs Test Isère" in response.content.decode()
    foreign = MembershipFactory(platform=other_platform, role=Role.COORDINATOR)
    response = client.post("/compte/espace/", {"membership": foreign.pk}, follow=True)
    assert "Cet espace n&#x27;est pas disponible." in response.content.decode()


def test_editing_my_details_is_saved_and_journaled_by_field_name(platform: Platform, client_as: Any) -> None:
    client, member = client_as(Role.PERSON, platform)
    response = client.post(
        "/compte/", {"first_name": "Camille", "last_name": "", "phone": "06 39 98 00 01"}, follow=True
    )
    assert "Vos informations sont enregistrées." in response.content.decode()
    member.user.refresh_from_db()
    assert member.user.first_name == "Camille"
    entry = JournalEntry.objects.filter(action=Action.UPDATE, object_type="accounts.user").latest("id")
    assert "phone" in entry.fields and "first_name" in entry.fields and entry.platform == platform
    assert "Camille" not in str(entry.fields) + entry.detail


def test_empty_first_name_is_refused_and_nothing_changes(platform: Platform, client_as: Any) -> None:
    client, member = client_as(Role.PERSON, platform)
    before = member.user.first_name
    response = client.post("/compte/", {"first_name": "", "last_name": "", "phone": "0639980002"})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert 'value="0639980002"' in response.content.decode()
    member.user.refresh_from_db()
    assert member.user.first_name == before and member.user.phone != "0639980002"


def test_forgotten_password_link_lets_me_choose_a_new_one_once(
    platform: Platform, django_capture_on_commit_callbacks: Any
) -> None:
    member = MembershipFactory(platform=platform, role=Role.PEER_WORKER)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/connexion/mot-de-passe-oublie/", {"email": member.user.email})
    assert "Vérifiez vos e-mails" in response.content.decode()
    body = OutgoingEmail.objects.get(to=member.user.email, kind="password_reset").body
    path = next(line for line in body.splitlines() if "/connexion/mot-de-passe/" in line).replace(
        "http://127.0.0.1:8000", ""
    )
    response = client.post(
        path, {"new_password1": "Nouveau-Secret-2026", "new_password2": "Nouveau-Secret-2026"}, follow=True
    )
    assert "Votre mot de passe est enregistré." in response.content.decode()
    assert (
        client.post("/connexion/", {"email": member.user.email, "password": "Nouveau-Secret-2026"}).status_code == 302
    )
    again = Client().get(path)
    assert again.status_code == 400 and "Ce lien ne fonctionne plus" in again.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_email(db: Any) -> None:
    response = Client().post("/connexion/mot-de-passe-oublie/", {"email": "personne@nulle-part.example"})
    assert "Vérifiez vos e-mails" in response.content.decode()
    assert not OutgoingEmail.objects.exists()


def test_a_voluntary_second_factor_can_be_switched_off(platform: Platform, client_as: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client, member = client_as(Role.PERSON, platform)
    TOTPDevice.objects.create(user=member.user, name="app", confirmed=True)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=member.user).persistent_id
    session.save()
    page = client.get("/compte/securite/").content.decode()
    assert "Désactiver la double authentification" in page
    response = client.post("/compte/securite/", {"action": "disable"}, follow=True)
    assert "La double authentification est désactivée." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=member.user, confirmed=True).exists()


@override_settings(REQUIRE_STAFF_2FA=True)
def test_staff_cannot_switch_off_a_mandatory_second_factor(platform: Platform, client_as: Any) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client, member = client_as(Role.COORDINATOR, platform)
    device = TOTPDevice.objects.create(user=member.user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert "ne peut pas être désactivée" in client.get("/compte/securite/").content.decode()
    response = client.post("/compte/securite/", {"action": "disable"}, follow=True)
    assert "Votre rôle exige la double authentification" in response.content.decode()
    assert TOTPDevice.objects.filter(user=member.user).exists()
