"""Factories of the resources: library documents (a link by default) and job offers. Fake data only."""

from __future__ import annotations

import secrets
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.resources.models import Audience, Contract, Document, JobOffer, Topic, Visibility
from tests.factories import PlatformFactory, UserFactory


class DocumentFactory(DjangoModelFactory[Document]):
    class Meta:
        model = Document

    platform = factory.SubFactory(PlatformFactory)
    title = factory.Sequence(lambda n: f"Guide fictif {n}")
    summary = "Un document d'exemple."
    topic = Topic.PROFESSION
    audience = Audience.EVERYONE
    visibility = Visibility.PUBLIC
    url = "https://exemple.test/guide"
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    added_by = factory.SubFactory(UserFactory)


class JobOfferFactory(DjangoModelFactory[JobOffer]):
    class Meta:
        model = JobOffer

    platform = factory.SubFactory(PlatformFactory)
    employer = "Centre hospitalier fictif"
    title = factory.Sequence(lambda n: f"Pair aidant·e professionnel·le {n}")
    description = "Un poste d'exemple."
    contract = Contract.PERMANENT
    apply_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    how_to_apply = "Envoyer une lettre à l'adresse indiquée."
    created_by = factory.SubFactory(UserFactory)
