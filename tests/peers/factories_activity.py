"""Helpers for the activity log and workload tests. Fake data only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from pairs.peers.models import ActivityEntry, PeerProfile, SupervisionSession
from pairs.peers.selectors.workload import week_start
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune
from tests.conftest import login_client
from tests.factories import MembershipFactory

from .factories import ActivityEntryFactory, PeerProfileFactory, SupervisionSessionFactory, activity_type, commune


def villeurbanne() -> Commune:
    return commune("69266", "Villeurbanne", 45.766, 4.879)


def givors() -> Commune:
    return commune("69091", "Givors", 45.590, 4.769)


def this_monday() -> date:
    return week_start(timezone.localdate())


def past_monday(weeks_ago: int = 2) -> date:
    return this_monday() - timedelta(weeks=weeks_ago)


def worker(platform: Platform, *, contract_hours: str = "24", **kwargs: Any) -> PeerProfile:
    kwargs.setdefault("home_commune", villeurbanne())
    return PeerProfileFactory(
        membership=MembershipFactory(platform=platform, role=Role.PEER_WORKER),
        contract_hours=Decimal(contract_hours),
        **kwargs,
    )


def signed_in_worker(platform: Platform, **kwargs: Any) -> tuple[Client, PeerProfile]:
    profile = worker(platform, **kwargs)
    return login_client(Client(), profile.membership), profile


def entry(
    profile: PeerProfile, day: date, minutes: int = 120, code: str = "individual_support", **kwargs: Any
) -> ActivityEntry:
    kwargs.setdefault("commune", villeurbanne())
    return ActivityEntryFactory(
        profile=profile,
        day=day,
        duration_minutes=minutes,
        activity_type=activity_type(profile.platform, code),
        **kwargs,
    )


def supervision(platform: Platform, held_on: date, *profiles: PeerProfile) -> SupervisionSession:
    session = SupervisionSessionFactory(platform=platform, held_on=held_on)
    session.attendees.set(profiles)
    return session
