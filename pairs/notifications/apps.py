from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "pairs.notifications"
    label = "notifications"
