from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pairs.plans"
    label = "plans"
    verbose_name = "Plans de crise et directives anticipées"
