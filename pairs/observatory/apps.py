from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "pairs.observatory"
    label = "observatory"
    verbose_name = "Observatoire du rétablissement"
