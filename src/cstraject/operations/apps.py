from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "cstraject.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from . import letters, logs, notifications

        logs.connect_business_events()
        letters.connect()
        notifications.connect()
