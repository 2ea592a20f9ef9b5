from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "pairs.deployments"
    label = "deployments"
