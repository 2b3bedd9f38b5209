from django.apps import AppConfig


class RegisterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cstraject.register"
    verbose_name = "Ondernemingsregister (KBO)"
