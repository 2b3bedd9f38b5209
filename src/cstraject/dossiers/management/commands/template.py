"""`cstraject template applications -o sjabloon.xlsx`: the Excel template of `cstraject import applications`."""

from django.core.management.base import BaseCommand

from cstraject.dossiers.excel import applications_template


class Command(BaseCommand):
    help = "Schrijft het Excel-sjabloon voor het inlezen van aanvragen (één aanvraag per rij)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["applications"], help="applications: aanvragen")
        parser.add_argument("-o", "--output", required=True, help="bv. sjabloon.xlsx")

    def handle(self, *args, kind, output, **options):
        applications_template(output)
        self.stdout.write(f"Sjabloon geschreven naar {output}.")
