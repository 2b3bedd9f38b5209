from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlsConfig(AppConfig):
    name = "cstraject.controls"
    label = "controls"
    verbose_name = _("Controles en risicoscreening")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cstraject.dossiers.signals import application_decided

        from .services import application_check_on_decision

        application_decided.connect(application_check_on_decision, dispatch_uid="controls.application_check")
