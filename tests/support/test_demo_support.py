"""The demo of direct support: volumes, a queue with late requests, meetings past and upcoming,
three groups, notes at every level, and the demo person's own record."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone
from faker import Faker

from pairs.core.crypto import decrypt
from pairs.demo.generator import DemoContext, demo_email
from pairs.demo.support import VOLUMES, seed_support
from pairs.platforms.roles import Role
from pairs.support.models import (
    Confidentiality,
    Group,
    GroupSession,
    Meeting,
    MeetingStatus,
    Note,
    Person,
    Relation,
    RequestStatus,
    SupportRequest,
)
from tests.factories import MembershipFactory, PlatformFactory, UserFactory, commune
from tests.peers.factories import PeerProfileFactory


def _setup() -> DemoContext:
    platform = PlatformFactory.create(slug="rhone", name="Pairs Rhône", department_codes=["69"])
    for insee, name in (("69266", "Villeurbanne"), ("69029", "Bron"), ("69123", "Lyon"), ("38185", "Grenoble")):
        commune(insee, name, 45.76, 4.88)
    UserFactory(email=demo_email(Role.COORDINATOR, "rhone"))
    PeerProfileFactory(membership__platform=platform, membership__user__email=demo_email(Role.PEER_WORKER, "rhone"))
    for _ in range(5):
        PeerProfileFactory(membership__platform=platform)
    MembershipFactory(platform=platform, role=Role.PERSON, user=UserFactory(email=demo_email(Role.PERSON, "rhone")))
    return DemoContext(seed=3, scale=1, rng=random.Random(3), fake=Faker("fr_FR"), platforms={"rhone": platform})


def test_direct_support_demo(db: Any) -> None:
    ctx = _setup()
    platform = ctx.platforms["rhone"]
    seed_support(ctx)

    people, relatives, _queue = VOLUMES["rhone"]
    assert Person.objects.filter(platform=platform, relation=Relation.SELF).count() == people
    assert Person.objects.filter(platform=platform, relation=Relation.RELATIVE).count() == relatives
    assert Person.objects.filter(platform=platform, relation=Relation.RELATIVE, relative_of__isnull=True).exists()

    now = timezone.now()
    new = SupportRequest.objects.filter(platform=platform, status=RequestStatus.NEW)
    assert new.filter(created_at__lt=now - timedelta(days=3)).exists(), "some requests are late"
    assert new.filter(created_at__gte=now - timedelta(days=1)).exists(), "some are on time"
    assert SupportRequest.objects.filter(platform=platform, outside_territory=True).exists()

    meetings = Meeting.objects.filter(platform=platform)
    assert meetings.filter(status=MeetingStatus.HELD).exists()
    assert meetings.filter(status=MeetingStatus.PLANNED, starts_at__gte=now).exists()
    assert Group.objects.filter(platform=platform).count() == 3
    assert GroupSession.objects.filter(group__platform=platform, held=True).exists()
    for level in Confidentiality:
        assert Note.objects.filter(person__platform=platform, confidentiality=level).exists(), level

    demo = Person.objects.get(platform=platform, membership__user__email=demo_email(Role.PERSON, "rhone"))
    shared = Note.objects.filter(person=demo, confidentiality=Confidentiality.PERSON).first()
    assert shared is not None
    assert decrypt(shared.body_encrypted)
    assert Meeting.objects.filter(person=demo, starts_at__gte=now, status=MeetingStatus.PLANNED).exists()


def test_seeding_twice_adds_nothing(db: Any) -> None:
    ctx = _setup()
    seed_support(ctx)
    counts = (Person.objects.count(), Meeting.objects.count(), Note.objects.count())
    seed_support(ctx)
    assert (Person.objects.count(), Meeting.objects.count(), Note.objects.count()) == counts
