"""`cstraject setup`: a working installation without demo data."""

from django.core.management import call_command
from django.utils.translation import gettext as _

from cstraject.core.commands import CstrajectCommand
from cstraject.reference.loader import load_configuration


class Command(CstrajectCommand):
    help = (
        "Installatie zonder demodata. Maakt of actualiseert de databank en laadt de "
        "configuratie: NACE-codes, oproepen met hun pakketten, dienstverleners met hun catalogus. Geen dossiers; "
        "opnieuw uitvoeren verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="het databankschema niet bijwerken")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", verbosity=0, interactive=False)
        result, _calls = load_configuration()
        self.stdout.write(
            _(
                "Configuratie geladen: %(nace_codes)s NACE-codes, %(calls)s oproepen met %(packages)s pakketten, %(providers)s dienstverleners. Geen dossiers toegevoegd.\nVolgende stap: `cstraject users create ...` voor de accounts, `cstraject serve` voor de webtoepassing."
            )
            % {
                "nace_codes": result.nace_codes,
                "calls": result.calls,
                "packages": result.packages,
                "providers": result.providers,
            }
        )
