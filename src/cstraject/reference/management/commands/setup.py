"""`cstraject setup`: a working installation without demo data."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cstraject.reference.loader import load_configuration


class Command(BaseCommand):
    help = (
        "Maakt of actualiseert de databank en laadt de configuratie: NACE-codes, oproepen met hun pakketten, "
        "dienstverleners met hun catalogus. Geen dossiers; opnieuw uitvoeren verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="het databankschema niet bijwerken")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", verbosity=0, interactive=False)
        result, _calls = load_configuration()
        self.stdout.write(
            f"Configuratie geladen: {result.nace_codes} NACE-codes, {result.calls} oproepen met {result.packages} "
            f"pakketten, {result.providers} dienstverleners. Geen dossiers toegevoegd.\n"
            "Volgende stap: `cstraject users create ...` voor de accounts, `cstraject serve` voor de webtoepassing."
        )
