from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cstraject.audit"
    label = "audit"
