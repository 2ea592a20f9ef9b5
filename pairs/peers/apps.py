from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "pairs.peers"
    label = "peers"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
