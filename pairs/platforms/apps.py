from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "pairs.platforms"
    label = "platforms"
