from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "pairs.privacy"
    label = "privacy"
    verbose_name = "Durées de conservation et anonymisation"
