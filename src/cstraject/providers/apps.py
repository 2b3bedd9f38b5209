from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "cstraject.providers"
    label = "providers"
