"""E-mail reminders of the joint follow-up reviews: who gets them, when, once, and what they say."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from pairs.deployments.models import Deployment, DeploymentSettings, Kind, Review, State
from pairs.deployments.services.followup import review_reminders_send
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import AssignmentFactory, DeploymentFactory, ReviewFactory, partner_of
from tests.factories import MembershipFactory
from tests.partners.factories import ContactFactory, OrganisationFactory
from tests.peers.factories import PeerProfileFactory

TODAY = date(2027, 3, 1)
KIND = "deployment_review_reminder"


def _people(platform: Platform) -> tuple[Deployment, dict[str, str]]:
    """A deployment with everyone who should, or should not, hear about its reviews."""
    organisation = OrganisationFactory(platform=platform, name="Clinique du Test")
    deployment = DeploymentFactory(
        organisation=organisation,
        state=State.INTEGRATION,
        kind=Kind.LONG_DEPLOYMENT,
        needs="Texte libre du besoin, jamais dans un e-mail.",
    )
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    MembershipFactory(platform=platform, role=Role.COORDINATOR, is_active=False)  # a former coordinator
    partner, _contact = partner_of(platform, organisation)
    gone_partner, _gone = partner_of(platform, organisation)
    Membership.objects.filter(pk=gone_partner.pk).update(is_active=False)
    ContactFactory(organisation=organisation, email="sans-compte@test.example")  # a contact without an account
    partner_of(platform)  # another organisation's partner
    worker = PeerProfileFactory(membership__platform=platform)
    AssignmentFactory(deployment=deployment, profile=worker, start_date=date(2026, 9, 1))
    former = PeerProfileFactory(membership__platform=platform)
    AssignmentFactory(deployment=deployment, profile=former, start_date=date(2026, 9, 1), end_date=date(2027, 1, 31))
    return deployment, {
        "coordinator": coordinator.user.email,
        "partner": partner.user.email,
        "worker": worker.membership.user.email,
    }


def test_the_people_of_a_review_coming_within_a_week_are_reminded_once(
    platform: Platform, other_platform: Platform
) -> None:
    deployment, emails = _people(platform)
    MembershipFactory(platform=other_platform, role=Role.COORDINATOR)
    review = ReviewFactory(deployment=deployment, planned_on=TODAY + timedelta(days=7))
    ReviewFactory(deployment=deployment, planned_on=TODAY + timedelta(days=8))  # not yet
    ReviewFactory(deployment=deployment, planned_on=TODAY + timedelta(days=2), held_on=TODAY)  # already held
    ReviewFactory(deployment=deployment, planned_on=TODAY - timedelta(days=1))  # passed
    ReviewFactory(
        deployment=deployment, planned_on=TODAY + timedelta(days=3), reminder_sent_on=TODAY - timedelta(days=4)
    )

    assert review_reminders_send(today=TODAY) == 1

    sent = OutgoingEmail.objects.filter(kind=KIND)
    assert sorted(sent.values_list("to", flat=True)) == sorted(emails.values())
    review.refresh_from_db()
    assert review.reminder_sent_on == TODAY
    assert review_reminders_send(today=TODAY) == 0
    assert review_reminders_send(today=TODAY + timedelta(days=1)) == 1  # the review of the 9th is now within a week
    assert OutgoingEmail.objects.filter(kind=KIND).count() == 6


def test_the_e_mail_says_when_and_with_whom_and_nothing_else(platform: Platform) -> None:
    deployment, emails = _people(platform)
    ReviewFactory(deployment=deployment, planned_on=date(2027, 3, 4), decisions="Décision confidentielle")

    review_reminders_send(today=TODAY)

    to_partner = OutgoingEmail.objects.get(kind=KIND, to=emails["partner"])
    assert to_partner.subject == "Point de suivi conjoint le 4 mars 2027 – Clinique du Test"
    assert "Un point de suivi conjoint est prévu le 4 mars 2027 avec Clinique du Test" in to_partner.body
    assert "Déploiement au long cours" in to_partner.body
    assert f"/deploiements/{deployment.pk}/" in to_partner.body
    to_worker = OutgoingEmail.objects.get(kind=KIND, to=emails["worker"])
    assert "/mes-affectations/" in to_worker.body and f"/deploiements/{deployment.pk}/" not in to_worker.body
    for email in OutgoingEmail.objects.filter(kind=KIND):
        assert "confidentielle" not in email.body and "Texte libre" not in email.body


def test_the_platform_sets_how_early_the_reminder_leaves(platform: Platform, other_platform: Platform) -> None:
    DeploymentSettings.objects.create(platform=platform, reminder_days=14)
    here = ReviewFactory(deployment__organisation__platform=platform, planned_on=TODAY + timedelta(days=14))
    there = ReviewFactory(deployment__organisation__platform=other_platform, planned_on=TODAY + timedelta(days=14))
    MembershipFactory(platform=platform, role=Role.COORDINATOR)
    MembershipFactory(platform=other_platform, role=Role.COORDINATOR)

    assert review_reminders_send(today=TODAY) == 1

    here.refresh_from_db()
    there.refresh_from_db()
    assert here.reminder_sent_on == TODAY and there.reminder_sent_on is None


def test_no_reminder_for_a_finished_deployment_or_an_inactive_platform(platform: Platform) -> None:
    MembershipFactory(platform=platform, role=Role.COORDINATOR)
    ended = ReviewFactory(deployment__organisation__platform=platform, deployment__state=State.ENDED, planned_on=TODAY)
    abandoned = ReviewFactory(
        deployment__organisation__platform=platform, deployment__state=State.ABANDONED, planned_on=TODAY
    )
    closed = ReviewFactory(deployment__organisation__platform__is_active=False, planned_on=TODAY)

    assert review_reminders_send(today=TODAY) == 0

    assert not OutgoingEmail.objects.filter(kind=KIND).exists()
    assert not Review.objects.filter(pk__in=[ended.pk, abandoned.pk, closed.pk], reminder_sent_on__isnull=False)


def test_a_person_with_two_roles_gets_one_e_mail(platform: Platform) -> None:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    partner = MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT, user=coordinator.user)
    ContactFactory(organisation=deployment.organisation, membership=partner)
    ReviewFactory(deployment=deployment, planned_on=TODAY)

    assert review_reminders_send(today=TODAY) == 1

    assert list(OutgoingEmail.objects.filter(kind=KIND).values_list("to", flat=True)) == [coordinator.user.email]


def test_the_daily_job_sends_the_reminders(platform: Platform, run_jobs: Any) -> None:
    from procrastinate.contrib.django import app

    from pairs.deployments.tasks import deployment_review_reminders

    assert "deployment_review_reminders" in app.tasks
    assert any(p.periodic_id == "deployment_review_reminders" for p in app.periodic_registry.periodic_tasks.values())
    deployment, emails = _people(platform)
    ReviewFactory(deployment=deployment, planned_on=TODAY + timedelta(days=3))
    timestamp = int(datetime(2027, 3, 1, 7, 0, tzinfo=UTC).timestamp())

    deployment_review_reminders.configure().defer(timestamp=timestamp)  # as the worker does each morning
    deployment_review_reminders.configure().defer(timestamp=timestamp)  # as the worker does each morning
    assert run_jobs() == 2

    assert sorted(OutgoingEmail.objects.filter(kind=KIND).values_list("to", flat=True)) == sorted(emails.values())
