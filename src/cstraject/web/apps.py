from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cstraject.web"
    label = "web"
    verbose_name = "Webtoepassing"

    def ready(self):
        from . import secret_key  # noqa: F401  (registers the deploy check)
