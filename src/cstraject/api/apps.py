from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cstraject.api"
    verbose_name = "API voor dienstverleners"
