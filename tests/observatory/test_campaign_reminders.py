"""The daily job that reminds the partner three days before a campaign ends: once, only open
campaigns, only contacts with an e-mail address, counts and links but never an answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from pairs.notifications.models import OutgoingEmail
from pairs.observatory.models import Campaign
from pairs.observatory.services.campaigns import campaign_reminders_send
from pairs.platforms.models import Platform
from tests.observatory.factories import CampaignFactory, link_of, respond, uniform
from tests.partners.factories import ContactFactory

KIND = "observatory_campaign_reminder"


def _ending_in(platform: Platform, days: int, **kwargs: object) -> Campaign:
    today = timezone.localdate()
    campaign = CampaignFactory(
        platform=platform, opens_on=today - timedelta(days=20), closes_on=today + timedelta(days=days), **kwargs
    )
    ContactFactory(organisation=campaign.team.organisation, email=f"cadre{campaign.pk}@partenaire.test.example")
    ContactFactory(organisation=campaign.team.organisation, without_email=True)
    return campaign


def test_the_reminder_goes_once_three_days_before_the_end(platform: Platform) -> None:
    today = timezone.localdate()
    due = _ending_in(platform, 3, title="Observatoire fictif des Tilleuls — T1")
    _ending_in(platform, 4)
    _ending_in(platform, 2)
    closed = _ending_in(platform, 3)
    Campaign.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    respond(due, "personnes", uniform(due, "personnes", 5))

    assert campaign_reminders_send(today=today) == 1
    email = OutgoingEmail.objects.get(kind=KIND)
    assert email.to == f"cadre{due.pk}@partenaire.test.example"
    day = date_format(due.closes_on, "j F Y")
    assert email.subject == f"Observatoire : « Observatoire fictif des Tilleuls — T1 » se termine le {day}"
    assert "Personnes accompagnées : 1 réponse — encore 4 avant de pouvoir afficher ce point de vue" in email.body
    assert f"/questionnaire/{link_of(due, 'proches').token}/" in email.body
    assert "Tout à fait d'accord" not in email.body and "score" not in email.body.lower()  # never an answer
    due.refresh_from_db()
    assert due.last_reminder_on == today

    assert campaign_reminders_send(today=today) == 0  # idempotent: never twice the same day
    assert OutgoingEmail.objects.filter(kind=KIND).count() == 1


def test_a_campaign_reminded_by_hand_today_is_not_reminded_again(platform: Platform) -> None:
    today = timezone.localdate()
    campaign = _ending_in(platform, 3)
    Campaign.objects.filter(pk=campaign.pk).update(last_reminder_on=today)
    assert campaign_reminders_send(today=today) == 0
    assert not OutgoingEmail.objects.exists()


def test_the_periodic_task_is_registered_and_runs_once(platform: Platform) -> None:
    from procrastinate.contrib.django import app

    from pairs.observatory.tasks import observatory_campaign_reminders

    assert "observatory_campaign_reminders" in app.tasks
    periodic = [
        p for p in app.periodic_registry.periodic_tasks.values() if p.periodic_id == "observatory_campaign_reminders"
    ]
    assert len(periodic) == 1
    _ending_in(platform, 3)
    timestamp = int(datetime.now(tz=UTC).timestamp())
    assert observatory_campaign_reminders(timestamp=timestamp) == 1
    assert observatory_campaign_reminders(timestamp=timestamp) == 0
    assert OutgoingEmail.objects.filter(kind=KIND).count() == 1
