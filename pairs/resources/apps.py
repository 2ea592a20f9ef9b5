from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "pairs.resources"
    label = "resources"
    verbose_name = "Bibliothèque de ressources et offres d'emploi"
