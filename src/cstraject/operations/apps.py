from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "cstraject.operations"
    label = "operations"
    verbose_name = "Operations"
