"""Factories of the events: events (in a week, two hours, public), programmes, registrations, circle
members. Fake data only."""

from __future__ import annotations

import secrets
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.events.models import (
    CircleMember,
    CircleStatus,
    Event,
    Kind,
    Programme,
    Registration,
    RegistrationStatus,
    Visibility,
)
from tests.factories import PlatformFactory, UserFactory


def _token() -> str:
    return secrets.token_urlsafe(24)


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    platform = factory.SubFactory(PlatformFactory)
    title = factory.Sequence(lambda n: f"Programme de formation fictif {n}")
    created_by = factory.SubFactory(UserFactory)


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    platform = factory.SubFactory(PlatformFactory)
    kind = Kind.INFO_SESSION
    title = factory.Sequence(lambda n: f"Réunion d'information fictive {n}")
    description = "Découvrir le métier de pair aidant·e."
    place = "1 rue de l'Exemple"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10
    visibility = Visibility.PUBLIC
    token = factory.LazyFunction(_token)
    created_by = factory.SubFactory(UserFactory)


class RegistrationFactory(DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    platform = factory.LazyAttribute(lambda o: o.event.platform)
    name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.test")
    status = RegistrationStatus.CONFIRMED
    token = factory.LazyFunction(_token)


class CircleMemberFactory(DjangoModelFactory[CircleMember]):
    class Meta:
        model = CircleMember

    platform = factory.SubFactory(PlatformFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"cercle{n}@exemple.test")
    status = CircleStatus.VOLUNTEER
    consent_at = factory.LazyFunction(timezone.now)
    token = factory.LazyFunction(_token)
