from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "pairs.support"
    label = "support"
    verbose_name = "Accompagnement direct"
