from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "cstraject.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from . import logs

        logs.connect_business_events()
