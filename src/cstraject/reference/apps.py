from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "cstraject.reference"
    label = "reference"
