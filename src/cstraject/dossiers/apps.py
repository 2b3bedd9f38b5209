from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cstraject.dossiers"
    label = "dossiers"
