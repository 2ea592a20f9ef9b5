"""Factories of the partners directory. Fake data only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from pairs.deployments.models import Deployment, Kind, State
from pairs.partners.models import Contact, Organisation, Sector, Team
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune
from tests.factories import MembershipFactory, PlatformFactory, UserFactory


def commune(insee: str = "69264", name: str = "Villefranche-sur-Saône") -> Commune:
    """A commune of the reference table (the shipped CSV is not loaded in unit tests)."""
    obj, _created = Commune.objects.get_or_create(
        insee_code=insee,
        defaults={"name": name, "department_code": insee[:2], "population": 1000, "latitude": 45.9, "longitude": 4.7},
    )
    return obj


def grenoble() -> Commune:
    return commune("38185", "Grenoble")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    platform = factory.SubFactory(PlatformFactory)
    name = factory.Sequence(lambda n: f"Centre hospitalier Saint-Exemple {n}")
    sector = Sector.PSYCHIATRIC_HOSPITAL
    address = "1 rue de l'Exemple"
    commune = factory.LazyAttribute(lambda o: grenoble() if "38" in o.platform.department_codes else commune())

    class Params:
        gem = factory.Trait(sector=Sector.GEM, name=factory.Sequence(lambda n: f"GEM Les Ailes du Nord {n}"))


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    platform = factory.LazyAttribute(lambda o: o.organisation.platform)
    name = factory.Sequence(lambda n: f"Unité fictive {n}")


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    platform = factory.LazyAttribute(lambda o: o.organisation.platform)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    job_title = "Cadre de santé"
    email = factory.Sequence(lambda n: f"contact{n}@partenaire.test.example")
    phone = "04 65 71 00 00"

    class Params:
        without_email = factory.Trait(email="")


class DeploymentFactory(DjangoModelFactory[Deployment]):
    class Meta:
        model = Deployment

    organisation = factory.SubFactory(OrganisationFactory)
    platform = factory.LazyAttribute(lambda o: o.organisation.platform)
    kind = Kind.LONG_DEPLOYMENT
    state = State.REQUEST
    expected_hours = Decimal("7")
    start_date = date(2027, 1, 4)
    needs = "Accueillir une pair aidante dans l'équipe."
    filed_by = factory.SubFactory(UserFactory)

    class Params:
        ended = factory.Trait(state=State.ENDED)
        abandoned = factory.Trait(state=State.ABANDONED)


def partner_of(organisation: Organisation) -> tuple[Membership, Contact]:
    """A partner-contact account linked to an organisation (as its contact)."""
    membership = MembershipFactory(platform=organisation.platform, role=Role.PARTNER_CONTACT)
    return membership, ContactFactory(organisation=organisation, membership=membership)


def organisation_in(platform: Platform, **kwargs: object) -> Organisation:
    return OrganisationFactory(platform=platform, **kwargs)
