from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pairs.accounts"
    label = "accounts"
