from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "cstraject.controls"
    label = "controls"
    verbose_name = "Controles en risicoscreening"
    default_auto_field = "django.db.models.BigAutoField"
