"""Factories of deployments (partners come from tests.partners.factories). Fake data only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.deployments.models import Deployment, Kind, Prerequisite, PrerequisiteTemplate, State
from pairs.partners.models import Contact, Organisation
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory, PlatformFactory, UserFactory
from tests.partners.factories import ContactFactory, OrganisationFactory


def link_partner(membership: Membership, organisation: Organisation) -> Contact:
    """Make a partner-contact account the contact of an organisation."""
    return ContactFactory(organisation=organisation, membership=membership)


class DeploymentFactory(DjangoModelFactory[Deployment]):
    class Meta:
        model = Deployment

    organisation = factory.SubFactory(OrganisationFactory)
    platform = factory.LazyAttribute(lambda o: o.organisation.platform)
    team = None
    kind = Kind.LONG_DEPLOYMENT
    state = State.REQUEST
    expected_hours = Decimal("7")
    rhythm = "Deux demi-journées par semaine"
    start_date = date(2027, 1, 4)
    needs = "L'équipe souhaite travailler avec un pair aidant sur l'accueil des nouveaux patients."
    filed_by = factory.SubFactory(UserFactory)

    class Params:
        ended = factory.Trait(state=State.ENDED)
        abandoned = factory.Trait(state=State.ABANDONED)
        acknowledged = factory.Trait(
            acknowledged_at=factory.LazyFunction(timezone.now),
            acknowledged_by=factory.SubFactory(UserFactory),
        )


class PrerequisiteFactory(DjangoModelFactory[Prerequisite]):
    class Meta:
        model = Prerequisite

    deployment = factory.SubFactory(DeploymentFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Prérequis {n}")
    required = True


class PrerequisiteTemplateFactory(DjangoModelFactory[PrerequisiteTemplate]):
    class Meta:
        model = PrerequisiteTemplate

    platform = factory.SubFactory(PlatformFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Prérequis type {n}")
    required = True


def with_prerequisites(
    deployment: Deployment, *, done: bool = False, count: int = 3, **kwargs: Any
) -> list[Prerequisite]:
    """Give a deployment its checklist, ticked or not."""
    done_at = timezone.now() if done else None
    return [PrerequisiteFactory(deployment=deployment, position=i + 1, done_at=done_at, **kwargs) for i in range(count)]


def partner_of(platform: Platform, organisation: Organisation | None = None) -> tuple[Membership, Contact]:
    """A partner-contact account linked to an organisation of the platform."""
    if organisation is None:
        organisation = OrganisationFactory.create(platform=platform)
    membership = MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT)
    return membership, link_partner(membership, organisation)
