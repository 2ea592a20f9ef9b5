"""Consents: noted on the person page, withdrawn at any time (the row stays as history), both
journaled; actions that need a consent are refused without it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Consent, ConsentKind, PersonStatus
from pairs.support.selectors.persons import active_consent_kinds
from pairs.support.services import persons as services
from tests.factories import UserFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, consent, person_of

SHARE = ConsentKind.SHARE_PROFESSIONAL


def add_url(person_id: int) -> str:
    return f"/accompagnement/personnes/{person_id}/consentements/"


def withdraw_url(consent_id: int) -> str:
    return f"/accompagnement/consentements/{consent_id}/retrait/"


def form(kind: str, **extra: Any) -> dict[str, Any]:
    given = timezone.localtime() - timedelta(hours=1)
    return {"kind": kind, "method": "oral", "given_at": given.strftime("%Y-%m-%dT%H:%M"), **extra}


def test_referent_notes_a_consent_and_the_journal_says_so(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    sam = person_of(platform, peer=PeerProfileFactory(membership=membership))
    response = client.post(add_url(sam.pk), form(ConsentKind.CONTACT_SMS))
    assert response.status_code == 302 and response["Location"].endswith("#consentements")
    saved = Consent.objects.get(person=sam)
    assert saved.kind == ConsentKind.CONTACT_SMS and saved.recorded_by == membership.user and saved.active
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.consent", object_id=str(saved.pk))
    assert entry.fields == ["given_at", "kind", "method"] and entry.platform == platform
    text = client.get(f"/accompagnement/personnes/{sam.pk}/").content.decode()
    assert "Être contacté·e par SMS" in text and "En vigueur" in text and "À l&#x27;oral" in text
    assert active_consent_kinds(sam) == {ConsentKind.CONTACT_SMS}


def test_sharing_needs_the_professional_named(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform)
    response = client.post(add_url(sam.pk), form(SHARE))
    assert response.status_code == 200
    assert "indiquez le nom et la fonction" in response.content.decode()
    assert not Consent.objects.exists()
    client.post(add_url(sam.pk), form(SHARE, professional="Dr Martin, psychiatre du CMP"))
    assert Consent.objects.get(person=sam).professional == "Dr Martin, psychiatre du CMP"


def test_a_consent_in_force_is_not_noted_twice_and_a_future_date_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform)
    consent(sam, ConsentKind.DATA_KEPT)
    response = client.post(add_url(sam.pk), form(ConsentKind.DATA_KEPT))
    assert "déjà noté et en vigueur" in response.content.decode()
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(add_url(sam.pk), form(ConsentKind.CONTACT_SMS, given_at=future))
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert Consent.objects.filter(person=sam).count() == 1


def test_withdrawal_stops_the_consent_keeps_the_row_and_is_journaled(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform)
    given = consent(sam, ConsentKind.CONTACT_SMS)
    response = client.post(withdraw_url(given.pk), follow=True)
    assert "est retiré. Ce qu&#x27;il permettait s&#x27;arrête dès maintenant" in response.content.decode()
    given.refresh_from_db()
    assert given.withdrawn_at is not None and given.withdrawn_by == membership.user
    assert JournalEntry.objects.get(action=Action.UPDATE, object_type="support.consent").fields == ["withdrawn_at"]
    text = client.get(f"/accompagnement/personnes/{sam.pk}/").content.decode()
    assert "Retiré le" in text
    assert active_consent_kinds(sam) == set()
    response = client.post(withdraw_url(given.pk), follow=True)
    assert "déjà retiré" in response.content.decode()
    assert client.get(withdraw_url(given.pk)).status_code == 405


def test_who_may_note_or_withdraw(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    sam = person_of(platform)
    given = consent(sam)
    other_client, other_membership = client_as(Role.PEER_WORKER, platform)
    other = PeerProfileFactory(membership=other_membership)
    assert other_client.post(withdraw_url(given.pk)).status_code == 404  # does not follow the person
    MeetingFactory(person=sam, peer=other)
    assert other_client.post(withdraw_url(given.pk)).status_code == 403  # meets, but is not the referent
    assert other_client.post(add_url(sam.pk), form(ConsentKind.DATA_KEPT)).status_code == 403
    person_client, _ = client_as(Role.PERSON, platform)
    assert person_client.post(withdraw_url(given.pk)).status_code == 403
    elsewhere, _ = client_as(Role.COORDINATOR, other_platform)
    assert elsewhere.post(withdraw_url(given.pk)).status_code == 404
    assert elsewhere.post(add_url(sam.pk), form(ConsentKind.DATA_KEPT)).status_code == 404
    given.refresh_from_db()
    assert given.active


def test_closed_record_refuses_new_consents_but_a_withdrawal_stays_possible(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform, status=PersonStatus.CLOSED, closed_on=timezone.localdate())
    given = consent(sam)
    response = client.post(add_url(sam.pk), form(ConsentKind.DATA_KEPT), follow=True)
    assert "Cet accompagnement est clos" in response.content.decode()
    with pytest.raises(ValidationError, match="Cet accompagnement est clos"):
        services.consent_add(
            request=None, person=sam, kind=ConsentKind.DATA_KEPT, method="oral", given_at=timezone.now(), by=None
        )
    client.post(withdraw_url(given.pk))
    given.refresh_from_db()
    assert not given.active


# ---- Gating


def test_require_consent_refuses_without_it_with_a_french_message(platform: Platform) -> None:
    sam = person_of(platform)
    with pytest.raises(ValidationError) as refused:
        services.require_consent(sam, ConsentKind.CONTACT_SMS)
    assert refused.value.message_dict == {
        "__all__": [
            "Sans le consentement « Être contacté·e par SMS (rappels de rendez-vous) », "
            "cette action n'est pas possible."
        ]
    }
    given = consent(sam, ConsentKind.CONTACT_SMS)
    services.require_consent(sam, ConsentKind.CONTACT_SMS)
    services.consent_withdraw(request=None, consent=given, by=UserFactory())
    with pytest.raises(ValidationError):
        services.require_consent(sam, ConsentKind.CONTACT_SMS)


def test_sharing_is_allowed_only_with_the_professional_named(platform: Platform) -> None:
    sam = person_of(platform)
    consent(sam, SHARE, professional="Dr Émilie Martin, psychiatre du CMP")
    services.require_consent(sam, SHARE)  # any sharing consent in force
    services.require_consent(sam, SHARE, professional="dr emilie martin")
    services.require_consent(sam, SHARE, professional="Dr Émilie Martin – psychiatre du CMP")
    with pytest.raises(ValidationError) as refused:
        services.require_consent(sam, SHARE, professional="M. Durand, assistant social", field="professional")
    assert refused.value.message_dict == {
        "professional": [
            "Sans le consentement « Partage d'informations avec un·e professionnel·le nommé·e » pour "
            "M. Durand, assistant social, cette action n'est pas possible."
        ]
    }
    with pytest.raises(ValidationError):
        services.require_consent(sam, SHARE, professional="Martine")
