from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cstraject.web"
    label = "web"
    verbose_name = "Webtoepassing"
