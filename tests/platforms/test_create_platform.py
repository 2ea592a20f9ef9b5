from __future__ import annotations

from typing import Any

from django.core.management import call_command

from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role


def test_create_platform_is_a_dry_run_by_default(db: Any) -> None:
    call_command(
        "create_platform",
        "--name",
        "Pairs Drôme",
        "--slug",
        "drome",
        "--departments",
        "26",
        "--coordinator-email",
        "coord@drome.test.example",
        "--coordinator-first-name",
        "Inès",
    )
    assert not Platform.objects.filter(slug="drome").exists()


def test_create_platform_invites_the_first_coordinator(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_platform",
            "--name",
            "Pairs Drôme",
            "--slug",
            "drome",
            "--departments",
            "26, 07",
            "--coordinator-email",
            "Coord@Drome.test.example",
            "--coordinator-first-name",
            "Inès",
            "--wet-run",
        )
    platform = Platform.objects.get(slug="drome")
    assert platform.department_codes == ["26", "07"]
    assert Membership.objects.get(platform=platform).role == Role.COORDINATOR
    email = OutgoingEmail.objects.get(to="coord@drome.test.example", kind="invitation")
    assert "Pairs Drôme" in email.subject and "/connexion/mot-de-passe/" in email.body
