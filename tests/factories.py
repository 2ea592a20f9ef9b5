"""Factories with traits. Every value is generated and fake."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from pairs.accounts.models import User
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

TEST_PASSWORD = "Test-Password-2026!"


class PlatformFactory(DjangoModelFactory[Platform]):
    class Meta:
        model = Platform
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Plateforme test {n}")
    slug = factory.Sequence(lambda n: f"plateforme-{n}")
    department_codes = factory.List(["69"])
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.test.example")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"compte{n}@test.example")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    platform = factory.SubFactory(PlatformFactory)
    role = Role.PEER_WORKER

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        peer_worker = factory.Trait(role=Role.PEER_WORKER)
        partner = factory.Trait(role=Role.PARTNER_CONTACT)
        person = factory.Trait(role=Role.PERSON)
        funder = factory.Trait(role=Role.FUNDER)
        network_admin = factory.Trait(role=Role.NETWORK_ADMIN)
        inactive = factory.Trait(is_active=False)


def commune(
    insee: str = "69264", name: str = "Villefranche-sur-Saône", lat: float = 45.989, lon: float = 4.718
) -> Commune:
    """A commune of the reference table (the shipped CSV is not loaded in unit tests)."""
    obj, _created = Commune.objects.get_or_create(
        insee_code=insee,
        defaults={"name": name, "department_code": insee[:2], "population": 1000, "latitude": lat, "longitude": lon},
    )
    return obj
