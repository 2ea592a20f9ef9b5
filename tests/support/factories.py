"""Factories of direct support. Fake data only."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import factory
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.core.crypto import encrypt
from pairs.platforms.models import Platform
from pairs.support.models import (
    Confidentiality,
    Consent,
    ConsentKind,
    ConsentMethod,
    Group,
    GroupSession,
    Meeting,
    MeetingMode,
    Note,
    Person,
    Place,
    Relation,
    SupportRequest,
)
from tests.factories import PlatformFactory, UserFactory, commune
from tests.peers.factories import PeerProfileFactory


class PlaceFactory(DjangoModelFactory[Place]):
    class Meta:
        model = Place

    platform = factory.SubFactory(PlatformFactory)
    name = factory.Sequence(lambda n: f"Maison de la Métropole {n}")
    kind = Place.Kind.PUBLIC_SERVICE
    address = "12 rue des Tilleuls"
    commune = factory.LazyFunction(commune)
    accessibility = "Accès de plain-pied, salle calme au rez-de-chaussée."
    opening_hours = "Du lundi au vendredi, 9 h – 17 h"


class SupportRequestFactory(DjangoModelFactory[SupportRequest]):
    class Meta:
        model = SupportRequest

    platform = factory.SubFactory(PlatformFactory)
    pseudonym = factory.Sequence(lambda n: f"Camille{n}")
    phone = "06 39 98 00 01"
    relation = Relation.SELF
    commune = factory.LazyFunction(commune)
    looking_for = "J'aimerais parler avec quelqu'un qui est passé par là."


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    platform = factory.SubFactory(PlatformFactory)
    pseudonym = factory.Sequence(lambda n: f"Alex{n}")
    relation = Relation.SELF
    phone = "06 39 98 00 02"
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    opened_on = factory.LazyFunction(timezone.localdate)


def person_of(platform: Platform, **kwargs: Any) -> Person:
    """A person of the platform, followed by a peer worker of the same platform."""
    if "peer" not in kwargs:
        kwargs["peer"] = PeerProfileFactory(membership__platform=platform)
    return PersonFactory(platform=platform, **kwargs)


def consent(person: Person, kind: str = ConsentKind.CONTACT_SMS, **kwargs: Any) -> Consent:
    return Consent.objects.create(
        person=person, kind=kind, given_at=timezone.now(), method=ConsentMethod.ORAL, **kwargs
    )


class MeetingFactory(DjangoModelFactory[Meeting]):
    """A planned meeting by phone, tomorrow at 10 h, with the person's referent."""

    class Meta:
        model = Meeting

    person = factory.SubFactory(PersonFactory)
    platform = factory.LazyAttribute(lambda o: o.person.platform)
    peer = factory.LazyAttribute(lambda o: o.person.peer or PeerProfileFactory(membership__platform=o.platform))
    mode = MeetingMode.PHONE
    starts_at = factory.LazyFunction(
        lambda: (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    )
    duration_minutes = 60
    period = factory.LazyAttribute(
        lambda o: DateTimeTZRange(o.starts_at, o.starts_at + timedelta(minutes=o.duration_minutes), "[)")
    )
    created_by = factory.SubFactory(UserFactory)


def note(person: Person, *, author: Any = None, confidentiality: str = Confidentiality.TEAM, body: str = "") -> Note:
    return Note.objects.create(
        person=person,
        author=author or person.peer or PeerProfileFactory(membership__platform=person.platform),
        confidentiality=confidentiality,
        body_encrypted=encrypt(body or "Rencontre au café : projets de reprise du sport."),
    )


class GroupFactory(DjangoModelFactory[Group]):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    platform = factory.SubFactory(PlatformFactory)
    theme = factory.Sequence(lambda n: f"Groupe d'entraide {n}")
    description = "Un temps d'échange entre pairs, sans obligation de parler."
    schedule = "Le 1er et le 3e jeudi du mois, 14 h"
    capacity = 8
    registration_token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))

    @factory.post_generation
    def facilitators(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        self.facilitators.set(extracted or [PeerProfileFactory(membership__platform=self.platform)])


class GroupSessionFactory(DjangoModelFactory[GroupSession]):
    class Meta:
        model = GroupSession

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
