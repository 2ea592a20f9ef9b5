from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "pairs.reporting"
    label = "reporting"
    verbose_name = "Tableaux de bord, rapport annuel et territoire"
