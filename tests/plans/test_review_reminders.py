"""The daily review reminders: to the facilitating peer worker, the referent if different, and the
person when they consented to e-mail contact; once per due review; never any content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from pairs.notifications.models import OutgoingEmail
from pairs.plans.models import CrisisPlan, PlanStatus
from pairs.plans.services.editor import plan_review_reminders_send
from pairs.platforms.models import Platform
from pairs.support.models import ConsentKind, PersonStatus
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import SAMPLE, plan_for
from tests.support.factories import consent, person_of


def due_plan(platform: Platform, **kwargs: object) -> CrisisPlan:
    person = person_of(platform, email="alex.plan@example.org")
    plan = plan_for(person, **kwargs)
    CrisisPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.FINALISED, review_due_on=timezone.localdate() - timedelta(days=1)
    )
    plan.refresh_from_db()
    return plan


def recipients() -> set[str]:
    return set(OutgoingEmail.objects.filter(kind="plan_review_reminder").values_list("to", flat=True))


def test_the_facilitator_the_referent_and_the_consenting_person_are_reminded(platform: Platform) -> None:
    facilitator = PeerProfileFactory(membership__platform=platform)
    plan = due_plan(platform, facilitator=facilitator)
    referent = plan.person.peer
    assert referent is not None
    consent(plan.person, ConsentKind.CONTACT_EMAIL)
    assert plan_review_reminders_send(today=timezone.localdate()) == 1
    assert recipients() == {facilitator.membership.user.email, referent.membership.user.email, plan.person.email}
    plan.refresh_from_db()
    assert plan.review_reminded_on == timezone.localdate()
    # Once per due review.
    assert plan_review_reminders_send(today=timezone.localdate()) == 0
    assert OutgoingEmail.objects.count() == 3


def test_the_e_mail_holds_no_content(platform: Platform) -> None:
    plan = due_plan(platform)
    consent(plan.person, ConsentKind.CONTACT_EMAIL)
    plan_review_reminders_send(today=timezone.localdate())
    emails = list(OutgoingEmail.objects.all())
    assert len(emails) == 2  # the referent facilitates: one worker e-mail, and the person's
    for email in emails:
        for section in SAMPLE.values():
            for value in section.values():
                assert value not in email.body and value not in email.subject
        assert plan.person.pseudonym not in email.body
        assert "relecture" in email.subject
    to_person = OutgoingEmail.objects.get(to=plan.person.email)
    assert "/mon-plan/" in to_person.body
    assert plan.person.peer is not None
    to_worker = OutgoingEmail.objects.get(to=plan.person.peer.membership.user.email)
    assert f"/plans/{plan.pk}/" in to_worker.body


def test_without_consent_the_person_gets_nothing(platform: Platform) -> None:
    plan = due_plan(platform)
    consent(plan.person, ConsentKind.CONTACT_SMS)
    withdrawn = consent(plan.person, ConsentKind.CONTACT_EMAIL)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    plan_review_reminders_send(today=timezone.localdate())
    assert plan.person.email not in recipients() and len(recipients()) == 1


def test_plans_not_due_or_revoked_are_left_alone(platform: Platform) -> None:
    later = due_plan(platform)
    CrisisPlan.objects.filter(pk=later.pk).update(review_due_on=timezone.localdate() + timedelta(days=3))
    revoked = due_plan(platform)
    CrisisPlan.objects.filter(pk=revoked.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    never = due_plan(platform)
    CrisisPlan.objects.filter(pk=never.pk).update(review_due_on=None)
    assert plan_review_reminders_send(today=timezone.localdate()) == 0
    assert not OutgoingEmail.objects.exists()


def test_a_closed_record_reminds_only_the_consenting_person(platform: Platform) -> None:
    plan = due_plan(platform)
    plan.person.status = PersonStatus.CLOSED
    plan.person.save()
    consent(plan.person, ConsentKind.CONTACT_EMAIL)
    plan_review_reminders_send(today=timezone.localdate())
    assert recipients() == {plan.person.email}


def test_a_crisis_after_a_reminder_brings_a_new_one(platform: Platform) -> None:
    plan = due_plan(platform)
    earlier = timezone.localdate() - timedelta(days=30)
    CrisisPlan.objects.filter(pk=plan.pk).update(review_due_on=earlier, review_reminded_on=earlier)
    assert plan_review_reminders_send(today=timezone.localdate()) == 0
    CrisisPlan.objects.filter(pk=plan.pk).update(review_due_on=timezone.localdate())  # as after a crisis
    assert plan_review_reminders_send(today=timezone.localdate()) == 1


def test_the_daily_job_runs_the_reminders(platform: Platform) -> None:
    from procrastinate.contrib.django import app

    from pairs.plans.tasks import plan_review_reminders

    assert "plan_review_reminders" in app.tasks
    periodic = [p for p in app.periodic_registry.periodic_tasks.values() if p.periodic_id == "plan_review_reminders"]
    assert len(periodic) == 1
    due_plan(platform)
    timestamp = int(datetime.now(tz=UTC).timestamp())
    assert plan_review_reminders(timestamp=timestamp) == 1
    assert plan_review_reminders(timestamp=timestamp) == 0
