"""The anonymisation of support records past their retention: what goes, what stays, once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from pairs.core.crypto import decrypt
from pairs.events.models import Registration
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.observatory.models import ImpactMeasure, MeasureFiller
from pairs.peers.models import ActivityEntry
from pairs.plans.models import CrisisPlan, PlanShare, PlanStatus, PlanVersion
from pairs.plans.sections import decode
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.privacy.models import AnonymisedRecord
from pairs.privacy.retention import SUPPORT_RECORD, shift_months
from pairs.privacy.services import WARNING_KIND, anonymise_due, settings_save
from pairs.support.models import Meeting, MeetingStatus, Note, Person
from tests.events.factories import EventFactory, RegistrationFactory
from tests.observatory.factories import demo_instrument
from tests.peers.factories import ActivityEntryFactory
from tests.plans.factories import plan_for, share
from tests.support.factories import MeetingFactory, note, person_of


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _person_last_seen(platform: Platform, last_contact: date, pseudonym: str) -> Person:
    """A record opened three years ago whose last contact (a held meeting and a note) was on ``last_contact``."""
    person = person_of(
        platform, pseudonym=pseudonym, opened_on=last_contact - timedelta(days=365), contact_times="le soir"
    )
    MeetingFactory(person=person, starts_at=_at(last_contact - timedelta(days=30)), status=MeetingStatus.HELD)
    MeetingFactory(person=person, starts_at=_at(last_contact), status=MeetingStatus.HELD)
    written = note(person, body="Elle parle de son frère et de son ancien travail.")
    Note.objects.filter(pk=written.pk).update(created_at=_at(last_contact - timedelta(days=2)))
    plan = plan_for(person)
    share(plan)
    ActivityEntryFactory(profile=person.peer, day=last_contact, duration_minutes=90)
    ImpactMeasure.objects.create(
        platform=platform,
        person=person,
        instrument=demo_instrument(platform),
        perspective="person",
        answers={"q1": 4},
        values={"q1": 4},
        scores={"hope": 3.5},
        measured_on=last_contact,
        filled_by=MeasureFiller.WITH_PEER,
    )
    return person


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def old(platform: Platform, today: date) -> Person:
    """Last contact two years and one day ago: past retention."""
    return _person_last_seen(platform, shift_months(today, -24) - timedelta(days=1), "Alexandra")


@pytest.fixture
def recent(platform: Platform, today: date) -> Person:
    """Last contact two years minus one day ago: kept, but ends tomorrow."""
    return _person_last_seen(platform, shift_months(today, -24) + timedelta(days=1), "Bérénice")


@pytest.fixture
def coordinator(platform: Platform, make_member: Any) -> Any:
    return make_member(Role.COORDINATOR, platform)


def _hours(person: Person) -> int:
    return int(ActivityEntry.objects.filter(profile=person.peer).aggregate(total=Sum("duration_minutes"))["total"])


def test_a_record_past_retention_is_anonymised_and_its_numbers_stay(
    platform: Platform, today: date, old: Person, recent: Person, coordinator: Any
) -> None:
    meetings_before = Meeting.objects.filter(person=old).count()
    hours_before = _hours(old)
    scores_before = list(ImpactMeasure.objects.filter(person=old).values_list("scores", flat=True))

    report = anonymise_due(platform=platform, today=today, dry_run=False)

    assert report.counts[SUPPORT_RECORD] == 1
    old.refresh_from_db()
    assert old.pseudonym == "Personne anonymisée n° 1"
    assert (old.phone, old.email, old.contact_times, old.membership_id) == ("", "", "", None)
    assert all(decrypt(body) == "" for body in Note.objects.filter(person=old).values_list("body_encrypted", flat=True))
    assert all(
        decode(c) == {}
        for c in PlanVersion.objects.filter(plan__person=old).values_list("content_encrypted", flat=True)
    )
    assert not PlanShare.objects.filter(plan__person=old, revoked_at__isnull=True).exists()
    assert not PlanShare.objects.filter(plan__person=old).exclude(email="").exists()
    assert CrisisPlan.objects.get(person=old).status == PlanStatus.REVOKED
    # The numbers stay, linked to the anonymised record.
    assert Meeting.objects.filter(person=old).count() == meetings_before
    assert _hours(old) == hours_before
    assert list(ImpactMeasure.objects.filter(person=old).values_list("scores", flat=True)) == scores_before

    recent.refresh_from_db()
    assert recent.pseudonym == "Bérénice"
    assert recent.phone != ""
    assert decrypt(Note.objects.get(person=recent).body_encrypted) != ""


def test_a_record_ending_within_30_days_is_announced_once_without_names(
    platform: Platform, today: date, old: Person, recent: Person, coordinator: Any
) -> None:
    report = anonymise_due(platform=platform, today=today, dry_run=False)

    assert report.warned == 1
    emails = list(OutgoingEmail.objects.filter(kind=WARNING_KIND))
    assert [email.to for email in emails] == [coordinator.user.email]
    body = emails[0].subject + emails[0].body
    assert "1 dossier" in body
    assert "/confidentialite/durees/echeances/" in body
    assert "Bérénice" not in body and "Alexandra" not in body

    again = anonymise_due(platform=platform, today=today + timedelta(days=1), dry_run=False)
    assert again.warned == 0
    assert OutgoingEmail.objects.filter(kind=WARNING_KIND).count() == 1


def test_dry_run_changes_nothing(
    platform: Platform, today: date, old: Person, recent: Person, coordinator: Any
) -> None:
    journal_before = JournalEntry.objects.count()

    report = anonymise_due(platform=platform, today=today, dry_run=True)

    assert report.counts[SUPPORT_RECORD] == 1
    assert report.warned == 1
    old.refresh_from_db()
    assert old.pseudonym == "Alexandra"
    assert decrypt(Note.objects.get(person=old).body_encrypted) != ""
    assert not AnonymisedRecord.objects.exists()
    assert not OutgoingEmail.objects.filter(kind=WARNING_KIND).exists()
    assert JournalEntry.objects.count() == journal_before


def test_a_second_run_changes_nothing(platform: Platform, today: date, old: Person, coordinator: Any) -> None:
    anonymise_due(platform=platform, today=today, dry_run=False)
    old.refresh_from_db()
    updated_at = old.updated_at
    journal_before = JournalEntry.objects.count()

    report = anonymise_due(platform=platform, today=today, dry_run=False)

    assert report.total == 0
    old.refresh_from_db()
    assert old.updated_at == updated_at
    assert old.pseudonym == "Personne anonymisée n° 1"
    assert JournalEntry.objects.count() == journal_before


def test_each_anonymised_record_is_journaled_with_field_names_only(
    platform: Platform, today: date, old: Person, coordinator: Any
) -> None:
    anonymise_due(platform=platform, today=today, dry_run=False)

    entries = JournalEntry.objects.filter(object_type="support.person", object_id=str(old.pk), action=Action.UPDATE)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.platform_id == platform.pk
    assert "pseudonym" in entry.fields and "email" in entry.fields
    assert "Alexandra" not in " ".join(entry.fields) + entry.detail


def test_a_shorter_duration_chosen_by_the_platform_applies(platform: Platform, today: date, recent: Person) -> None:
    settings_save(request=None, platform=platform, months={SUPPORT_RECORD: 12})

    assert anonymise_due(platform=platform, today=today, dry_run=False).counts[SUPPORT_RECORD] == 1
    recent.refresh_from_db()
    assert recent.pseudonym.startswith("Personne anonymisée")


def test_event_registrations_past_retention_lose_name_and_email(platform: Platform, today: date) -> None:
    long_ago = _at(shift_months(today, -13))
    past = EventFactory(platform=platform, starts_at=long_ago, ends_at=long_ago + timedelta(hours=2))
    soon = EventFactory(platform=platform, starts_at=_at(today), ends_at=_at(today) + timedelta(hours=2))
    gone = RegistrationFactory(event=past, name="Jeanne Dupont", email="jeanne@example.org")
    kept = RegistrationFactory(event=soon, name="Paul Martin", email="paul@example.org")

    anonymise_due(platform=platform, today=today, dry_run=False)

    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.name, gone.email) == ("Participant·e", "")
    assert (kept.name, kept.email) == ("Paul Martin", "paul@example.org")
    assert Registration.objects.filter(event=past).count() == 1


def test_the_command_is_a_dry_run_unless_told(platform: Platform, old: Person) -> None:
    out = StringIO()
    call_command("anonymise", "--platform", platform.slug, stdout=out)

    assert "would be anonymised" in out.getvalue()
    assert "Dry run" in out.getvalue()
    old.refresh_from_db()
    assert old.pseudonym == "Alexandra"

    out = StringIO()
    call_command("anonymise", "--platform", platform.slug, "--wet-run", stdout=out)

    assert "1 record(s) were anonymised" in out.getvalue()
    old.refresh_from_db()
    assert old.pseudonym == "Personne anonymisée n° 1"


def test_the_daily_job_applies_for_every_platform(platform: Platform, old: Person) -> None:
    from procrastinate.contrib.django import app

    from pairs.privacy.tasks import privacy_anonymise

    assert any(p.periodic_id == "privacy_anonymise" for p in app.periodic_registry.periodic_tasks.values())
    assert privacy_anonymise.func(timestamp=int(timezone.now().timestamp())) >= 1
    old.refresh_from_db()
    assert old.pseudonym.startswith("Personne anonymisée")
