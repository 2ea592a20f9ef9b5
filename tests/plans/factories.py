"""Factories of crisis plans. Fake data only."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from pairs.plans.models import CrisisPlan, PlanShare, PlanStatus, PlanVersion, RecipientKind
from pairs.plans.sections import encode
from pairs.platforms.models import Platform
from pairs.support.models import Person
from tests.factories import UserFactory
from tests.support.factories import person_of

SAMPLE = {
    "trusted_person": {"name": "Claire Martin", "relation": "Ma sœur", "phone": "06 39 98 10 20"},
    "warning_signs": {"text": "Je dors moins de quatre heures, je ne réponds plus au téléphone."},
    "helps": {"during_helps": "Une pièce calme, qu'on me parle doucement."},
}


def plan_for(person: Person, *, content: dict[str, Any] | None = None, **kwargs: Any) -> CrisisPlan:
    """A plan of the person with its draft (facilitated by the person's referent)."""
    kwargs.setdefault("facilitator", person.peer)
    plan = CrisisPlan.objects.create(platform=person.platform, person=person, **kwargs)
    PlanVersion.objects.create(plan=plan, content_encrypted=encode(content if content is not None else SAMPLE))
    return plan


def make_plan(platform: Platform, **kwargs: Any) -> CrisisPlan:
    return plan_for(person_of(platform), **kwargs)


def finalise(plan: CrisisPlan, content: dict[str, Any] | None = None) -> PlanVersion:
    """Freeze a numbered version (as the service would, without its checks)."""
    number = (plan.versions.exclude(number=None).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        content_encrypted=encode(content if content is not None else SAMPLE),
        finalised_at=timezone.now(),
    )
    CrisisPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.FINALISED)
    return version


def share(plan: CrisisPlan, version: PlanVersion | None = None, **kwargs: Any) -> PlanShare:
    version = version or finalise(plan)
    defaults: dict[str, Any] = {
        "recipient_kind": RecipientKind.PROFESSIONAL,
        "name": "Inès Garnier",
        "role": "Infirmière",
        "service": "CMP Villeurbanne",
        "email": "ines.garnier@exemple.org",
        "token": secrets.token_urlsafe(32),
        "expires_at": timezone.now() + timedelta(days=90),
        "created_by": kwargs.pop("created_by", None) or UserFactory(),
    }
    defaults.update(kwargs)
    return PlanShare.objects.create(plan=plan, version=version, **defaults)
