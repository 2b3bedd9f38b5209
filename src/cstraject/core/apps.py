from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cstraject.core"
    label = "core"
