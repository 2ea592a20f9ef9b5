"""The questionnaires of an event through the Observatoire: the feedback questionnaire opened when the
attendance is validated and e-mailed to the people present; for a training, the « avant » beliefs
questionnaire e-mailed to the registrants, then the « après » one linked to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.events.models import Event, Kind, RegistrationStatus
from pairs.events.services import attendance as writes
from pairs.events.services.feedback import beliefs_before_open
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.observatory.models import Campaign, CampaignLink, Purpose
from pairs.observatory.selectors.campaigns import answer_url
from pairs.platforms.models import Platform
from tests.events.factories import EventFactory, RegistrationFactory
from tests.events.test_attendance import client_of, past_event, peer, roll, url
from tests.factories import commune
from tests.observatory.factories import demo_instrument

FEEDBACK = "satisfaction-evenement-demo"
BELIEFS = "croyances-professionnels-demo"


def link_of(campaign: Campaign) -> str:
    return answer_url(CampaignLink.objects.get(campaign=campaign).token)


def test_validating_opens_the_feedback_questionnaire_and_sends_its_link(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer], feedback_instrument=demo_instrument(platform, FEEDBACK))
    present = RegistrationFactory(event=event, name="Alice Martin")
    no_mail = RegistrationFactory(event=event, email="")
    absent = RegistrationFactory(event=event)
    client = client_of(trainer)  # a peer worker validates: the coordination chose the questionnaire
    assert client.post(url(event), roll(present, no_mail, action="close")).status_code == 302

    event.refresh_from_db()
    campaign = Campaign.objects.get()
    assert event.feedback_campaign == campaign
    assert campaign.title == f"Avis — {event.title}"
    assert campaign.purpose == Purpose.TRAINING and campaign.team is None and campaign.wave == 0
    assert campaign.perspectives == ["participants"] and campaign.previous is None
    assert campaign.opens_on == timezone.localdate()
    assert campaign.closes_on == timezone.localdate() + timedelta(days=14)
    assert campaign.created_by == trainer.membership.user

    mails = OutgoingEmail.objects.filter(kind="events_feedback")
    assert [m.to for m in mails] == [present.email]
    assert link_of(campaign) in mails[0].body and "anonymes" in mails[0].body
    assert not OutgoingEmail.objects.filter(to=absent.email).exists()
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="events.event")
    assert entry.fields == ["attendance_closed_at", "feedback_campaign"]
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="observatory.campaign").exists()

    # Validated twice: no second campaign, no second e-mail.
    client.post(url(event), roll(present, action="close"))
    assert Campaign.objects.count() == 1 and mails.count() == 1


def test_no_questionnaire_without_an_instrument(platform: Platform) -> None:
    trainer = peer(platform)
    event = past_event(platform, trainers=[trainer])
    RegistrationFactory(event=event, attended=True)
    writes.attendance_close(request=None, event=event)
    assert not Campaign.objects.exists() and not OutgoingEmail.objects.filter(kind="events_feedback").exists()


def training(platform: Platform, **kwargs: object) -> Event:
    event = EventFactory(
        platform=platform,
        kind=Kind.TRAINING,
        title="Formation au rétablissement",
        beliefs_instrument=demo_instrument(platform, BELIEFS),
        commune=commune(),
        **kwargs,
    )
    return event


def test_the_before_questionnaire_goes_to_the_registrants(platform: Platform) -> None:
    event = training(platform)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=event, email="")

    campaign = beliefs_before_open(request=None, event=event)
    assert campaign.title == "Formation au rétablissement — Avant"
    assert campaign.purpose == Purpose.TRAINING and campaign.team is None and campaign.wave == 0
    assert campaign.perspectives == ["professionnels"]
    assert campaign.opens_on == timezone.localdate()
    assert campaign.closes_on == timezone.localdate(event.starts_at)
    event.refresh_from_db()
    assert event.beliefs_before == campaign

    mails = OutgoingEmail.objects.filter(kind="events_beliefs_before").order_by("pk")
    assert [m.to for m in mails] == [confirmed.email, waiting.email]
    assert all(link_of(campaign) in m.body for m in mails)
    assert JournalEntry.objects.filter(action=Action.UPDATE, object_type="events.event", fields=["beliefs_before"])

    with pytest.raises(ValidationError, match="déjà ouvert"):
        beliefs_before_open(request=None, event=event)
    assert Campaign.objects.count() == 1


def test_the_before_questionnaire_needs_an_instrument_and_an_event_to_come(platform: Platform) -> None:
    without = EventFactory(platform=platform, kind=Kind.TRAINING)
    with pytest.raises(ValidationError, match="Choisissez d'abord le questionnaire avant / après"):
        beliefs_before_open(request=None, event=without)
    start = timezone.now() - timedelta(days=2)
    past = training(platform, starts_at=start, ends_at=start + timedelta(hours=2))
    with pytest.raises(ValidationError, match="déjà eu lieu"):
        beliefs_before_open(request=None, event=past)
    assert not Campaign.objects.exists()


def test_validating_a_training_opens_the_after_questionnaire(platform: Platform) -> None:
    trainer = peer(platform)
    event = training(platform, feedback_instrument=demo_instrument(platform, FEEDBACK))
    event.trainers.set([trainer])
    present = RegistrationFactory(event=event, name="Alice Martin")
    before = beliefs_before_open(request=None, event=event)

    # The training took place: it ended an hour ago.
    start = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    client = client_of(trainer)
    response = client.post(url(event), roll(present, action="close"))
    assert response.status_code == 302, response.content.decode()

    event.refresh_from_db()
    after = event.beliefs_after
    assert after is not None and after.previous == before and after.wave == 1
    assert after.title == "Formation au rétablissement — Après" and after.perspectives == ["professionnels"]
    assert after.instrument == before.instrument and after.team is None
    assert event.feedback_campaign is not None and event.feedback_campaign != after
    mail = OutgoingEmail.objects.get(kind="events_feedback")
    assert mail.to == present.email
    assert link_of(after) in mail.body and link_of(event.feedback_campaign) in mail.body
