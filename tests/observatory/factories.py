"""Factories of the Observatoire: instruments from the demo definitions, campaigns with their links,
anonymous answers recorded through the service (so they are scored by the engine). Fake data only."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pairs.observatory.engine import DEMO_INSTRUMENTS_DIR, load_definition
from pairs.observatory.models import Campaign, CampaignLink, Instrument, Response
from pairs.observatory.services.answers import response_record
from pairs.platforms.models import Platform
from tests.factories import PlatformFactory, UserFactory
from tests.partners.factories import OrganisationFactory, TeamFactory

TEAM_INSTRUMENT = "auto-evaluation-equipe-demo"
HOPE_INSTRUMENT = "espoir-demo"
SHORT_INSTRUMENT = "bien-etre-court-demo"


def demo_instrument(platform: Platform, code: str = TEAM_INSTRUMENT) -> Instrument:
    """The platform's copy of a demo instrument (created once)."""
    text = (DEMO_INSTRUMENTS_DIR / f"{code}.yaml").read_text(encoding="utf-8")
    definition = load_definition(text)
    instrument, _ = Instrument.objects.get_or_create(
        platform=platform,
        code=definition.code,
        version=definition.version,
        defaults={
            "name": definition.name,
            "language": definition.language,
            "licence": definition.licence,
            "is_demo": definition.demo,
            "definition": definition.as_dict(),
            "source_text": text,
        },
    )
    return instrument


class CampaignFactory(DjangoModelFactory[Campaign]):
    """A team campaign, open today, with one link per perspective of the instrument's versions."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    platform = factory.SubFactory(PlatformFactory)
    team = factory.LazyAttribute(lambda o: TeamFactory(organisation=OrganisationFactory(platform=o.platform)))
    title = factory.Sequence(lambda n: f"Observatoire de l'unité fictive {n} — T0")
    instrument = factory.LazyAttribute(lambda o: demo_instrument(o.platform))
    perspectives = factory.LazyAttribute(lambda o: [v["key"] for v in o.instrument.definition["versions"]])
    wave = 0
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=21))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def links(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for perspective in self.perspectives:
                CampaignLink.objects.create(
                    platform_id=self.platform_id,
                    campaign=self,
                    perspective=perspective,
                    token=secrets.token_urlsafe(24),
                )


def link_of(campaign: Campaign, perspective: str) -> CampaignLink:
    return CampaignLink.objects.get(campaign=campaign, perspective=perspective)


def respond(campaign: Campaign, perspective: str, answers: dict[str, int | str], *, typed_in: bool = False) -> Response:
    """One anonymous answer, scored by the engine, as the public link records it."""
    response = response_record(
        request=None,
        campaign=campaign,
        perspective=perspective,
        answers=answers,
        submission_key=secrets.token_urlsafe(24),
        typed_in=typed_in,
    )
    assert response is not None
    return response


def uniform(campaign: Campaign, perspective: str, value: int) -> dict[str, int | str]:
    """Every item of the perspective answered with the same value."""
    version = next(v for v in campaign.instrument.definition["versions"] if v["key"] == perspective)
    return {item["key"]: value for item in version["items"]}
