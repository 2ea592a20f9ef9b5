"""Shared fixtures. Real PostgreSQL (embedded unless DATABASE_URL is set), no mocks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.test import Client

from pairs.platforms.http import PlatformRequest
from pairs.platforms.middleware import SESSION_KEY
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role

from .factories import MembershipFactory, PlatformFactory


@pytest.fixture
def platform(db: Any) -> Platform:
    return PlatformFactory(name="Pairs Test Rhône", slug="test-rhone", department_codes=["69"])


@pytest.fixture
def other_platform(db: Any) -> Platform:
    return PlatformFactory(name="Pairs Test Isère", slug="test-isere", department_codes=["38"])


@pytest.fixture
def make_member(db: Any) -> Callable[..., Membership]:
    def make(role: Role = Role.PEER_WORKER, platform: Platform | None = None, **kwargs: Any) -> Membership:
        if platform is not None:
            kwargs["platform"] = platform
        return MembershipFactory(role=role, **kwargs)

    return make


def login_client(client: Client, membership: Membership) -> Client:
    """Sign in as the membership's user, in that space, as if the password was just typed."""
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    from django.utils import timezone

    session["pairs_auth_at"] = timezone.now().timestamp()
    session.save()
    return client


@pytest.fixture
def client_as(make_member: Callable[..., Membership]) -> Callable[..., tuple[Client, Membership]]:
    def make(role: Role, platform: Platform) -> tuple[Client, Membership]:
        membership = make_member(role, platform)
        return login_client(Client(), membership), membership

    return make


@pytest.fixture
def run_jobs(db: Any) -> Callable[[], int]:
    """Run the jobs queued during this test in this process, through the real task functions."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    last_before = ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def run() -> int:
        from procrastinate.contrib.django import app

        done = 0
        for job in ProcrastinateJob.objects.filter(status="todo", id__gt=last_before).order_by("id"):
            task = app.tasks[job.task_name]
            task.func(**job.args)
            done += 1
        return done

    return run


def platform_request(request: Any) -> PlatformRequest:
    """The request a test client just made, typed as the views see it (active platform and membership set)."""
    return cast(PlatformRequest, request)
