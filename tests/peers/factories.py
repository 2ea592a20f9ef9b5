"""Factories of the peer worker pool. Fake data only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from pairs.peers.models import (
    ActivityEntry,
    ActivityType,
    CareerReview,
    InternRecord,
    PeerProfile,
    PeerStatus,
    SupervisionSession,
    TrainingRecord,
)
from pairs.peers.services.catalogues import catalogues_seed
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory, commune


def activity_type(platform: Platform, code: str = "individual_support") -> ActivityType:
    catalogues_seed(platform=platform)
    return ActivityType.objects.get(platform=platform, code=code)


class PeerProfileFactory(DjangoModelFactory[PeerProfile]):
    class Meta:
        model = PeerProfile

    membership = factory.SubFactory(MembershipFactory, role=Role.PEER_WORKER)
    platform = factory.LazyAttribute(lambda o: o.membership.platform)
    status = PeerStatus.SALARIED
    status_start = date(2024, 1, 1)
    contract_hours = Decimal("24")


class ActivityEntryFactory(DjangoModelFactory[ActivityEntry]):
    class Meta:
        model = ActivityEntry

    profile = factory.SubFactory(PeerProfileFactory)
    platform = factory.LazyAttribute(lambda o: o.profile.platform)
    day = date(2026, 11, 2)
    duration_minutes = 120
    activity_type = factory.LazyAttribute(lambda o: activity_type(o.profile.platform))
    commune = factory.LazyFunction(commune)
    remote = False
    workplace = ""
    travel_minutes = 0


class SupervisionSessionFactory(DjangoModelFactory[SupervisionSession]):
    class Meta:
        model = SupervisionSession

    platform = factory.SubFactory("tests.factories.PlatformFactory")
    kind = SupervisionSession.Kind.SUPERVISION
    held_on = date(2026, 10, 20)
    facilitator = "Superviseur·e externe"


class TrainingRecordFactory(DjangoModelFactory[TrainingRecord]):
    class Meta:
        model = TrainingRecord

    profile = factory.SubFactory(PeerProfileFactory)
    title = "DU pair-aidance en santé mentale"
    organisation = "Université Lyon 1"
    is_diploma = True
    started_on = date(2023, 9, 1)
    ended_on = date(2024, 6, 30)
    hours = Decimal("120")


class CareerReviewFactory(DjangoModelFactory[CareerReview]):
    class Meta:
        model = CareerReview

    profile = factory.SubFactory(PeerProfileFactory)
    held_on = date(2026, 3, 10)
    wishes = "Animer des groupes"
    next_review_on = date(2027, 3, 10)


def intern_record(platform: Platform, **kwargs: object) -> InternRecord:
    """A DU intern (a profile with the intern status) and their tutor, on ``platform``."""
    intern = PeerProfileFactory(membership__platform=platform, status=PeerStatus.DU_INTERN)
    tutor = PeerProfileFactory(membership__platform=platform)
    values: dict[str, object] = {
        "platform": platform,
        "profile": intern,
        "tutor": tutor,
        "university": "Université fictive Lyon 1",
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2027, 3, 31),
        **kwargs,
    }
    return InternRecord.objects.create(**values)
