from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "pairs.journal"
    label = "journal"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
