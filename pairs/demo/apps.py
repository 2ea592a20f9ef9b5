from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pairs.demo"
    label = "demo"
