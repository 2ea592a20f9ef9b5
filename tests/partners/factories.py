"""Factories of the partners directory. Fake data only."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from pairs.partners.models import Contact, Organisation, Sector, Team
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune
from tests.factories import MembershipFactory, PlatformFactory, commune


def grenoble() -> Commune:
    return commune("38185", "Grenoble", 45.187, 5.726)


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


def partner_of(organisation: Organisation) -> tuple[Membership, Contact]:
    """A partner-contact account linked to an organisation (as its contact)."""
    membership = MembershipFactory(platform=organisation.platform, role=Role.PARTNER_CONTACT)
    return membership, ContactFactory(organisation=organisation, membership=membership)


def organisation_in(platform: Platform, **kwargs: object) -> Organisation:
    return OrganisationFactory(platform=platform, **kwargs)
