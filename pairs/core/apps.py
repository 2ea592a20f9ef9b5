from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pairs.core"
    label = "core"
