"""The demo territorial resource: twelve months of events of every type, a four-session programme, a
full information session with people waiting, intervision with the circle's external members,
certificates sent, 30 library documents findable in French, job offers, DU interns."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.utils import timezone

from pairs.demo.generator import STEPS, generate, seed_observatory, seed_territorial_resource
from pairs.events.models import Event, Kind, Programme, Registration, RegistrationStatus
from pairs.peers.models import ActivityEntry, InternRecord
from pairs.resources.models import Document, JobOffer


def test_the_demo_shows_every_part_of_the_territorial_resource(db: Any) -> None:
    generate(seed=2026, scale=1)
    rhone = Event.objects.filter(platform__slug="rhone")
    assert {event.kind for event in rhone} == set(Kind.values)
    now = timezone.now()
    assert rhone.filter(starts_at__lt=now - timezone.timedelta(days=240)).exists()  # months of history
    assert rhone.filter(starts_at__gt=now + timezone.timedelta(days=30)).exists()  # and what is coming
    programme = Programme.objects.get(platform__slug="rhone")
    assert programme.sessions.count() == 4
    full = rhone.get(title__endswith="(complet)")
    assert full.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == full.capacity
    assert full.registrations.filter(status=RegistrationStatus.WAITING).count() == 3
    intervision = Registration.objects.filter(event__kind=Kind.INTERVISION, circle_member__isnull=False)
    assert intervision.exists()
    assert Registration.objects.filter(attended=True, certificate_sent_at__isnull=False).count() > 100
    closed = rhone.filter(attendance_closed_at__isnull=False)
    assert closed.exists() and not closed.filter(starts_at__gt=now).exists()
    # One past event of the demo peer worker waits for its roll call.
    waiting_roll = rhone.filter(ends_at__lt=now, attendance_closed_at__isnull=True, programme__isnull=True)
    assert waiting_roll.filter(trainers__membership__user__email__startswith="pair-aidant.rhone@").count() == 1
    # The trainers' hours of past events are in their activity log.
    assert ActivityEntry.objects.filter(platform__slug="rhone", activity_type__code="training_given").exists()
    documents = Document.objects.filter(platform__slug="rhone")
    assert documents.count() == 30
    found = documents.filter(search=SearchQuery("retablissement", config="pairs_french"))
    assert found.filter(title="Rétablissement et emploi").exists()
    assert JobOffer.objects.filter(platform__slug="rhone", apply_by__gte=timezone.localdate()).exists()
    assert InternRecord.objects.filter(platform__slug="rhone").count() == 2


def test_the_events_step_runs_last() -> None:
    assert STEPS[-1] is seed_territorial_resource
    assert STEPS.index(seed_observatory) < STEPS.index(seed_territorial_resource)
