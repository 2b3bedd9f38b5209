from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CliConfig(AppConfig):
    """Command-line views that combine several apps (top layer, beside `web`).

    A command that only acts within one app lives in that app; one that shows
    or ties together several layers (`cstraject dossiers show`: dossier,
    eligibility, payments, audit trail) lives here, so no lower app imports a
    higher one (see the import contracts in pyproject.toml).
    """

    name = "cstraject.cli"
    label = "cli"
    verbose_name = _("Opdrachtregel")
