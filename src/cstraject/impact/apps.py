from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "cstraject.impact"
    label = "impact"
    verbose_name = "Impact"
