from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "cstraject.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from . import letters, logs, notifications

        logs.connect_business_events()
        letters.connect()
        notifications.connect()
