from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "pairs.partners"
    label = "partners"
