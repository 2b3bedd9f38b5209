from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cstraject.reporting"
    label = "reporting"
