"""The intervision circle: joining from the public page with consent (honeypot, duplicates), leaving
through the personal link, the coordination's list and a member's attendance (never any content),
invitations to an intervision sent to active members only, who may see what, constant query counts."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.events.models import CircleMember, CircleStatus, EventStatus, Kind
from pairs.events.services.circle import circle_invite
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.events.factories import CircleMemberFactory, EventFactory, RegistrationFactory

LIST = "/cercle/"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def join_url(platform: Platform) -> str:
    return f"/cercle/rejoindre/{platform.slug}/"


def leave_url(member: CircleMember) -> str:
    return f"/cercle/quitter/{member.token}/"


def member_url(member: CircleMember) -> str:
    return f"/cercle/membres/{member.pk}/"


def join_data(**extra: Any) -> dict[str, Any]:
    return {
        "first_name": "Camille",
        "last_name": "Exemple",
        "email": "camille.exemple@exemple.test",
        "phone": "06 12 34 56 78",
        "status": CircleStatus.FREELANCE,
        "employer": "",
        "consent": "on",
        **extra,
    }


def intervision(platform: Platform, **extra: Any) -> Any:
    return EventFactory(platform=platform, kind=Kind.INTERVISION, title="Intervision fictive du mardi", **extra)


# ---- Joining


def test_a_peer_worker_joins_the_circle_with_consent(platform: Platform) -> None:
    page = text(Client().get(join_url(platform)))
    assert "Rejoindre le cercle d'intervision" in page
    assert "J'accepte que la plateforme garde ces informations pour m'inviter" in page
    response = Client().post(join_url(platform), join_data(employer="Association fictive"))
    assert response.status_code == 302 and response["Location"] == f"{join_url(platform)}?merci=1"
    member = CircleMember.objects.get()
    assert (member.platform, member.first_name, member.email) == (platform, "Camille", "camille.exemple@exemple.test")
    assert member.status == CircleStatus.FREELANCE and member.employer == "Association fictive"
    assert member.active and member.consent_at is not None and abs(timezone.now() - member.consent_at).seconds < 60
    assert len(member.token) >= 40
    email = OutgoingEmail.objects.get(kind="circle_welcome")
    assert email.to == "camille.exemple@exemple.test"
    assert "Bonjour Camille" in email.body and f"/cercle/quitter/{member.token}/" in email.body
    assert JournalEntry.objects.filter(
        action=Action.CREATE, object_type="events.circlemember", platform=platform
    ).exists()
    thanks = text(Client().get(f"{join_url(platform)}?merci=1"))
    assert "Merci, vous faites partie du cercle" in thanks


def test_without_consent_nothing_is_kept_and_what_was_typed_stays(platform: Platform) -> None:
    data = join_data()
    del data["consent"]
    response = Client().post(join_url(platform), data)
    page = text(response)
    assert response.status_code == 200
    assert "Pour rejoindre le cercle, cochez la case" in page
    assert 'value="Camille"' in page and 'value="camille.exemple@exemple.test"' in page
    assert not CircleMember.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_bad_phone_or_missing_status_is_explained(platform: Platform) -> None:
    page = text(Client().post(join_url(platform), join_data(phone="12", status="")))
    assert "Ce numéro ne semble pas valable" in page and "Choisissez votre situation dans la liste." in page
    assert not CircleMember.objects.exists()


def test_an_address_already_in_the_circle_is_refused(platform: Platform, other_platform: Platform) -> None:
    existing = CircleMemberFactory(platform=platform, email="deja@exemple.test", first_name="Dominique")
    page = text(Client().post(join_url(platform), join_data(email="DEJA@exemple.test")))
    assert "Cette adresse fait déjà partie du cercle." in page and "Dominique" not in page
    assert CircleMember.objects.filter(platform=platform).count() == 1
    # The same address may join another platform's circle, and join again after leaving.
    assert Client().post(join_url(other_platform), join_data(email="deja@exemple.test")).status_code == 302
    existing.active = False
    existing.save()
    assert Client().post(join_url(platform), join_data(email="deja@exemple.test")).status_code == 302
    assert CircleMember.objects.filter(platform=platform, active=True, email="deja@exemple.test").count() == 1


def test_a_robot_filling_the_trap_is_thanked_and_nothing_is_kept(platform: Platform) -> None:
    response = Client().post(join_url(platform), join_data(site_web="http://spam.example"))
    assert response.status_code == 302
    assert not CircleMember.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_signed_in_visitor_of_another_platform_joins_the_right_circle(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.PEER_WORKER, other_platform)
    assert client.post(join_url(platform), join_data()).status_code == 302
    assert CircleMember.objects.get().platform == platform


def test_an_unknown_platform_or_link_answers_404(db: Any) -> None:
    assert Client().get("/cercle/rejoindre/inconnue/").status_code == 404
    assert Client().get("/cercle/quitter/jeton-inconnu/").status_code == 404
    assert Client().post("/cercle/quitter/jeton-inconnu/").status_code == 404


# ---- Leaving


def test_a_member_leaves_the_circle_with_their_link(platform: Platform) -> None:
    member = CircleMemberFactory(platform=platform)
    client = Client()
    page = text(client.get(leave_url(member)))
    assert "Quitter le cercle" in page and str(member.email) not in page
    response = client.post(leave_url(member), follow=True)
    assert "Vous avez quitté le cercle." in text(response)
    member.refresh_from_db()
    assert not member.active and member.left_at is not None
    left_at = member.left_at
    client.post(leave_url(member))  # twice is harmless
    member.refresh_from_db()
    assert not member.active and member.left_at == left_at
    assert "Vous ne faites plus partie du cercle" in text(client.get(leave_url(member)))


# ---- Invitations


def test_invitations_go_to_active_members_only(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    event = intervision(platform, video_link="https://visio.exemple.test/salle")
    active = [CircleMemberFactory(platform=platform) for _n in range(2)]
    CircleMemberFactory(platform=platform, active=False, left_at=timezone.now())
    CircleMemberFactory(platform=other_platform)
    response = client.post(LIST, {"event": event.pk}, follow=True)
    assert "2 invitations envoyées." in text(response)
    emails = list(OutgoingEmail.objects.filter(kind="circle_invitation").order_by("to"))
    assert sorted(email.to for email in emails) == sorted(str(member.email) for member in active)
    by_address = {email.to: email for email in emails}
    for member in active:
        body = by_address[str(member.email)].body
        assert f"Bonjour {member.first_name}" in body
        assert f"/e/{event.token}/" in body and f"/cercle/quitter/{member.token}/" in body
        assert "https://visio.exemple.test/salle" in body


def test_only_an_intervision_to_come_is_offered_to_the_circle(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    CircleMemberFactory(platform=platform)
    training = EventFactory(platform=platform, kind=Kind.TRAINING)
    response = client.post(LIST, {"event": training.pk}, follow=True)
    assert "Seules les intervisions sont proposées au cercle." in text(response)
    cancelled = intervision(platform, status=EventStatus.CANCELLED)
    past = intervision(
        platform, starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2)
    )
    for event in (cancelled, past):
        with pytest.raises(ValidationError):
            circle_invite(request=None, event=event)
    assert not OutgoingEmail.objects.exists()
    assert "Aucune intervision n'est prévue." in text(client.get(LIST))  # neither cancelled nor past ones


def test_another_platforms_event_cannot_be_offered(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    CircleMemberFactory(platform=platform)
    foreign = intervision(other_platform)
    assert client.post(LIST, {"event": foreign.pk}).status_code == 404
    assert not OutgoingEmail.objects.exists()


# ---- The coordination's pages


def test_the_coordinator_sees_active_members_and_the_link_to_share(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    CircleMemberFactory(platform=platform, first_name="Alix", last_name="Actif", employer="Association fictive")
    CircleMemberFactory(platform=platform, first_name="Lou", last_name="Partie", active=False, left_at=timezone.now())
    event = intervision(platform)
    page = text(client.get(LIST))
    assert "Alix Actif" in page and "Association fictive" in page and "Lou Partie" not in page
    assert f"http://testserver/cercle/rejoindre/{platform.slug}/" in page
    assert event.title in page and "Inviter le cercle" in page
    left = text(client.get(f"{LIST}?etat=partis"))
    assert "Lou Partie" in left and "Alix Actif" not in left


def test_a_member_page_shows_attendance_only_and_the_coordinator_removes_them(
    platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    member = CircleMemberFactory(platform=platform, email="alix@exemple.test")
    came = intervision(
        platform, starts_at=timezone.now() - timedelta(days=10), ends_at=timezone.now() - timedelta(days=9)
    )
    missed = EventFactory(platform=platform, kind=Kind.INTERVISION, title="Intervision manquée")
    training = EventFactory(platform=platform, kind=Kind.TRAINING, title="Formation suivie")
    RegistrationFactory(event=came, email="Alix@exemple.test", attended=True)
    RegistrationFactory(event=missed, email="alix@exemple.test", attended=False)
    RegistrationFactory(event=training, email="alix@exemple.test", attended=True)
    page = text(client.get(member_url(member)))
    assert came.title in page and "Intervision manquée" not in page and "Formation suivie" not in page
    assert JournalEntry.objects.filter(
        action=Action.VIEW, object_type="events.circlemember", object_id=str(member.pk)
    ).exists()
    response = client.post(member_url(member), {"action": "remove"}, follow=True)
    assert f"{member.first_name} {member.last_name} ne fait plus partie du cercle." in text(response)
    member.refresh_from_db()
    assert not member.active and member.left_at is not None


def test_only_the_coordination_sees_the_circle(platform: Platform, client_as: Any) -> None:
    member = CircleMemberFactory(platform=platform)
    peer, _membership = client_as(Role.PEER_WORKER, platform)
    assert peer.get(LIST).status_code == 403
    assert peer.get(member_url(member)).status_code == 403
    assert Client().get(LIST).status_code == 302  # to the sign-in page


def test_another_platforms_member_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    foreign = CircleMemberFactory(platform=other_platform)
    assert client.get(member_url(foreign)).status_code == 404
    assert client.post(member_url(foreign), {"action": "remove"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.active
    peer, _membership = client_as(Role.PEER_WORKER, platform)
    assert peer.get(member_url(foreign)).status_code == 404


# ---- Query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_2_or_12_members(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    for _n in range(2):
        CircleMemberFactory(platform=platform)
    intervision(platform)
    few = _count(client, LIST)
    for _n in range(10):
        CircleMemberFactory(platform=platform)
    for _n in range(3):
        intervision(platform)
    page = text(client.get(LIST))
    assert page.count('<th scope="row">') == 12
    assert _count(client, LIST) == few
