"""The demo crisis plans: every status, frozen versions, shares with accesses, one revoked share,
sessions in the activity log, and the demo person's own plan."""

from __future__ import annotations

from typing import Any

from pairs.demo.plans import COUNTS, seed_plans
from pairs.demo.support import seed_support
from pairs.plans.models import CrisisPlan, FacilitationSession, PlanAccess, PlanShare, PlanStatus, PlanVersion
from pairs.plans.sections import decode
from pairs.platforms.roles import Role
from tests.support.test_demo_support import _setup


def test_crisis_plans_demo(db: Any) -> None:
    ctx = _setup()
    platform = ctx.platforms["rhone"]
    seed_support(ctx)
    seed_plans(ctx)

    plans = CrisisPlan.objects.filter(platform=platform)
    assert plans.count() == sum(COUNTS["rhone"].values())
    assert {p.status for p in plans} == set(PlanStatus)
    for plan in plans.exclude(status=PlanStatus.DRAFT):
        frozen = PlanVersion.objects.filter(plan=plan).exclude(number=None).first()
        assert frozen is not None
        assert decode(frozen.content_encrypted)["trusted_person"]["name"]
    shares = PlanShare.objects.filter(plan__platform=platform)
    assert shares.filter(revoked_at__isnull=True).exists()
    assert shares.filter(revoked_at__isnull=False, plan__status=PlanStatus.SHARED).count() == 1
    assert PlanAccess.objects.filter(share__plan__platform=platform).exists()
    assert FacilitationSession.objects.filter(plan__platform=platform, activity_entry__isnull=False).exists()
    mine = plans.get(person__membership__role=Role.PERSON)
    assert mine.status == PlanStatus.SHARED


def test_seeding_twice_adds_nothing(db: Any) -> None:
    ctx = _setup()
    seed_support(ctx)
    seed_plans(ctx)
    count = CrisisPlan.objects.count()
    seed_plans(ctx)
    assert CrisisPlan.objects.count() == count
