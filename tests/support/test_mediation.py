"""Mediation with a professional: recorded by peer workers and coordinators, only with the person's
consent to share information with a named professional."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import ConsentKind, Mediation, PersonStatus
from pairs.support.views.notes import person_context
from tests.conftest import login_client, platform_request
from tests.factories import MembershipFactory
from tests.support.factories import consent, person_of
from tests.support.test_notes import body, peer_client

NO_CONSENT = (
    "Sans le consentement « Partage d'informations avec un·e professionnel·le nommé·e », "
    "cette action n'est pas possible."
)


def text(response: Any) -> str:
    """The page as read (entities decoded)."""
    return html.unescape(body(response))


def data(**extra: Any) -> dict[str, Any]:
    return {
        "held_on": timezone.localdate().isoformat(),
        "professional": "Dr Garnier, psychiatre du CMP",
        "purpose": "Préparer ensemble le rendez-vous de suivi.",
        "outcome": "Le traitement sera rediscuté dans un mois.",
        "about_crisis_plan": "on",
        **extra,
    }


def url(person_id: int) -> str:
    return f"/accompagnement/personnes/{person_id}/mediations/"


def test_without_the_sharing_consent_no_mediation(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    consent(person, ConsentKind.CONTACT_SMS)
    page = text(client.get(url(person.pk)))
    assert NO_CONSENT in page and 'name="purpose"' not in page
    response = client.post(url(person.pk), data())
    assert response.status_code == 200 and NO_CONSENT in text(response)
    assert not Mediation.objects.exists()


def test_a_withdrawn_consent_no_longer_counts(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    consent(person, ConsentKind.SHARE_PROFESSIONAL, withdrawn_at=timezone.now())
    assert NO_CONSENT in text(client.post(url(person.pk), data()))
    assert not Mediation.objects.exists()


def test_a_peer_worker_records_a_mediation_with_consent(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    consent(person, ConsentKind.SHARE_PROFESSIONAL, professional="Dr Garnier, psychiatre du CMP")
    page = body(client.get(url(person.pk)))
    assert 'name="purpose"' in page and 'name="peer"' not in page
    response = client.post(url(person.pk), data())
    assert response.status_code == 302 and response["Location"].endswith("#mediations")
    mediation = Mediation.objects.get()
    assert mediation.peer == referent and mediation.about_crisis_plan and mediation.person == person
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.mediation")
    assert "purpose" in entry.fields and "Garnier" not in entry.detail
    request = platform_request(client.get("/").wsgi_request)
    context = person_context(request, person)
    assert context["mediations"] == [mediation]


def test_a_coordinator_names_the_peer_worker(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    _peer_client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    consent(person, ConsentKind.SHARE_PROFESSIONAL)
    page = body(client.get(url(person.pk)))
    assert f'<option value="{referent.pk}" selected>' in page
    client.post(url(person.pk), data(peer=referent.pk))
    assert Mediation.objects.get().peer == referent
    response = client.post(url(person.pk), data(peer=""))
    assert "Choisissez le ou la pair aidant·e qui a mené la médiation." in body(response)
    assert Mediation.objects.count() == 1


def test_bad_input_is_refused_in_french_and_kept(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    consent(person, ConsentKind.SHARE_PROFESSIONAL)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = body(client.post(url(person.pk), data(held_on=tomorrow)))
    assert "la date ne peut pas être dans le futur" in page and "Dr Garnier" in page
    page = body(client.post(url(person.pk), data(professional="", purpose="")))
    assert "Indiquez le nom et la fonction du ou de la professionnel·le." in page
    assert "Indiquez l&#x27;objet de la médiation." in page  # escaped in the page source
    assert not Mediation.objects.exists()


def test_a_closed_record_takes_no_mediation(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent, status=PersonStatus.CLOSED)
    consent(person, ConsentKind.SHARE_PROFESSIONAL)
    response = client.post(url(person.pk), data())
    assert response.status_code == 302 and not Mediation.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Cet accompagnement est clos : on n'y ajoute plus de médiation."
    ]


def test_roles_and_scope(platform: Platform, other_platform: Platform) -> None:
    client, _peer = peer_client(platform)
    stranger = person_of(platform)
    consent(stranger, ConsentKind.SHARE_PROFESSIONAL)
    assert client.get(url(stranger.pk)).status_code == 404
    assert client.get(url(person_of(other_platform).pk)).status_code == 404
    for role in (Role.PERSON, Role.PARTNER_CONTACT, Role.FUNDER):
        other = login_client(Client(), MembershipFactory(platform=platform, role=role))
        assert other.post(url(stranger.pk), data()).status_code == 403
    assert not Mediation.objects.exists()
