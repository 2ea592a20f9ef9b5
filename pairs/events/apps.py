from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "pairs.events"
    label = "events"
    verbose_name = "Formation, événements et cercle d'intervision"
