from django.core.management.base import BaseCommand

from cstraject.reference.loader import load_reference, reference_data
from cstraject.reference.oversight_demo import load_oversight_demo


class Command(BaseCommand):
    help = "Laadt de (synthetische) referentiedata van antwoord 526 in; opnieuw laden verandert niets."

    def handle(self, *args, **options):
        result = load_reference()
        notice = reference_data()["meta"]["notice"]
        self.stdout.write(
            f"Referentiedata: {result.dossiers_created} dossiers toegevoegd, {result.dossiers_skipped} waren er al; "
            f"{result.companies} ondernemingen, {result.providers} dienstverleners.\n{notice}"
        )
        demo = load_oversight_demo()
        self.stdout.write(
            f"Demodata controles 2023-2025: {demo.dossiers_created} dossiers toegevoegd, {demo.dossiers_skipped} "
            f"waren er al; {demo.controls} controles.\n{demo.notice}"
        )
