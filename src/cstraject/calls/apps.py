from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "cstraject.calls"
    label = "calls"
