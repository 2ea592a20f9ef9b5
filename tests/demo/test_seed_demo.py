from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command

from pairs.accounts.models import User
from pairs.demo.generator import generate
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune


def test_seed_demo_creates_two_platforms_one_account_per_role_and_the_accounts_file(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--wet-run", "--seed", "7")
    assert sorted(Platform.objects.values_list("name", flat=True)) == ["Pairs Isère", "Pairs Rhône"]
    accounts = json.loads((tmp_path / "demo-accounts.json").read_text(encoding="utf-8"))
    assert len(accounts) == 12
    assert {a["role"] for a in accounts} == {r.value for r in Role}
    assert set(accounts[0]) >= {"role", "platform", "email", "password"}
    for account in accounts:
        user = User.objects.get(email=account["email"])
        assert user.check_password(account["password"])
        assert Membership.objects.filter(user=user, role=account["role"], platform__name=account["platform"]).exists()
    assert Commune.objects.filter(insee_code="69264", name="Villefranche-sur-Saône").exists()
    assert Commune.objects.filter(department_code="38").count() > 500
    from pairs.peers.models import PeerProfile

    assert PeerProfile.objects.filter(platform__slug="rhone").count() == 25
    assert PeerProfile.objects.filter(platform__slug="isere").count() == 8


def _snapshot() -> tuple[list[tuple[str, str, str]], list[tuple[str, int, int]]]:
    from django.db.models import Count, Sum

    from pairs.peers.models import ActivityEntry, PeerProfile

    users = list(User.objects.order_by("email").values_list("email", "first_name", "last_name"))
    # Grouped on one table, then named in Python: right after a bulk load inside a transaction the
    # planner has no statistics, and a four-table join can take minutes.
    emails = dict(PeerProfile.objects.values_list("id", "membership__user__email"))
    per_profile = (
        ActivityEntry.objects.values("profile_id")
        .annotate(n=Count("id"), minutes=Sum("duration_minutes"))
        .values_list("profile_id", "n", "minutes")
    )
    activity = sorted((emails[profile], n, minutes) for profile, n, minutes in per_profile)
    return users, activity


def test_seed_demo_is_deterministic(db: Any) -> None:
    from django.db import transaction

    with transaction.atomic():
        generate(seed=11, scale=1)
        first = _snapshot()
        transaction.set_rollback(True)
    generate(seed=11, scale=1)
    assert _snapshot() == first
    assert first[1], "the demo pool has activity"


def test_seed_demo_is_a_dry_run_by_default(db: Any) -> None:
    before = Platform.objects.count()
    call_command("seed_demo")
    assert Platform.objects.count() == before
