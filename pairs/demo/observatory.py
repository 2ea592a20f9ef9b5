"""Demo data of the Observatoire: the three demo instruments (written for this software, not validated)
on each demo platform, imported by its coordinator through the same service as a real import. They are
free, so no permission is recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pairs.accounts.models import User
from pairs.observatory.services.instruments import demo_instruments_install
from pairs.platforms.roles import Role

if TYPE_CHECKING:
    from .generator import DemoContext


def seed_instruments(ctx: DemoContext) -> None:
    from .generator import demo_email

    for slug, platform in ctx.platforms.items():
        coordinator = User.objects.filter(email=demo_email(Role.COORDINATOR, slug)).first()
        demo_instruments_install(request=None, platform=platform, by=coordinator)
