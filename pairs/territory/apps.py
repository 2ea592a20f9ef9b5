from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "pairs.territory"
    label = "territory"
