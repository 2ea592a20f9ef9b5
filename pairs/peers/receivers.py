from typing import Any

from pairs.platforms.models import Platform
from pairs.platforms.signals import platform_created

from .services.catalogues import catalogues_seed


def on_platform_created(sender: Any, platform: Platform, **kwargs: Any) -> None:
    catalogues_seed(platform=platform)


platform_created.connect(on_platform_created, dispatch_uid="peers_catalogues_seed")
