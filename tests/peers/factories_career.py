"""Factories and helpers of onboarding, training, supervision and career reviews. Fake data only."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.peers.models import Onboarding, OnboardingStep, OnboardingStepTemplate, PeerProfile
from pairs.platforms.models import Membership, Platform
from tests.peers.factories import PeerProfileFactory


class OnboardingFactory(DjangoModelFactory[Onboarding]):
    class Meta:
        model = Onboarding

    profile = factory.SubFactory(PeerProfileFactory)
    tutor = factory.SubFactory(PeerProfileFactory, membership__platform=factory.SelfAttribute("...profile.platform"))
    started_on = date(2026, 1, 5)


class OnboardingStepFactory(DjangoModelFactory[OnboardingStep]):
    class Meta:
        model = OnboardingStep

    onboarding = factory.SubFactory(OnboardingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Étape {n}")
    kind = OnboardingStepTemplate.Kind.OTHER
    due_on = date(2026, 2, 1)

    class Params:
        late = factory.Trait(due_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3)))
        done = factory.Trait(done_on=date(2026, 1, 20))


def profile_of(membership: Membership) -> PeerProfile:
    """The peer profile of a membership made by ``client_as`` (peer worker role)."""
    return PeerProfileFactory(membership=membership)


def peer(platform: Platform, **kwargs: object) -> PeerProfile:
    return PeerProfileFactory(membership__platform=platform, **kwargs)
