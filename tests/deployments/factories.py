"""Factories of deployments (partners come from tests.partners.factories). Fake data only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.deployments.models import (
    Assessment,
    AssessmentScore,
    Assignment,
    Contract,
    Deployment,
    HoursBasis,
    Kind,
    Prerequisite,
    PrerequisiteTemplate,
    Pricing,
    Review,
    State,
    TransitionPlan,
    TransitionTask,
)
from pairs.partners.models import Contact, Organisation
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory, PlatformFactory, UserFactory
from tests.partners.factories import ContactFactory, OrganisationFactory
from tests.peers.factories import PeerProfileFactory


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


class AssignmentFactory(DjangoModelFactory[Assignment]):
    """A peer worker of the deployment's platform placed in it."""

    class Meta:
        model = Assignment

    deployment = factory.SubFactory(DeploymentFactory, state=State.INTEGRATION)
    platform = factory.LazyAttribute(lambda o: o.deployment.platform)
    profile = factory.LazyAttribute(lambda o: PeerProfileFactory(membership__platform=o.deployment.platform))
    weekly_hours = Decimal("7")
    start_date = factory.LazyAttribute(lambda o: o.deployment.start_date)
    created_by = factory.SubFactory(UserFactory)


class ReviewFactory(DjangoModelFactory[Review]):
    class Meta:
        model = Review

    deployment = factory.SubFactory(DeploymentFactory, state=State.INTEGRATION)
    platform = factory.LazyAttribute(lambda o: o.deployment.platform)
    planned_on = date(2027, 2, 4)


class AssessmentFactory(DjangoModelFactory[Assessment]):
    class Meta:
        model = Assessment

    deployment = factory.SubFactory(DeploymentFactory, state=State.ASSESSMENT)
    held_on = date(2027, 7, 1)
    by = factory.SubFactory(UserFactory)


def with_scores(assessment: Assessment, *scores: int | None) -> list[AssessmentScore]:
    """Give a bilan its criteria, scored (None leaves a criterion unscored)."""
    return [
        AssessmentScore.objects.create(assessment=assessment, position=i, label=f"Critère {i}", score=score)
        for i, score in enumerate(scores, start=1)
    ]


def transition_task(platform: Platform) -> TransitionTask:
    deployment = DeploymentFactory(organisation__platform=platform, state=State.DIRECT_HIRE)
    plan = TransitionPlan.objects.create(deployment=deployment, target_date=date(2027, 9, 1), created_by=UserFactory())
    return TransitionTask.objects.create(plan=plan, position=1, label="Fiche de poste rédigée")


class ContractFactory(DjangoModelFactory[Contract]):
    class Meta:
        model = Contract

    deployment = factory.SubFactory(DeploymentFactory, state=State.INTEGRATION)
    platform = factory.LazyAttribute(lambda o: o.deployment.platform)
    reference = factory.Sequence(lambda n: f"CONV-2027-{n:03d}")
    start_date = date(2027, 1, 4)
    end_date = date(2027, 12, 31)
    hours_basis = HoursBasis.WEEKLY
    hours = Decimal("7")
    pricing = Pricing.HOURLY
    hourly_price = Decimal("45.00")
    created_by = factory.SubFactory(UserFactory)
