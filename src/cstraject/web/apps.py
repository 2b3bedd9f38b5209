from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "cstraject.web"
    label = "web"
    verbose_name = _("Webtoepassing")

    def ready(self):
        from . import secret_key  # noqa: F401  (registers the deploy check)
