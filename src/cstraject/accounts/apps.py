from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cstraject.accounts"
    label = "accounts"
