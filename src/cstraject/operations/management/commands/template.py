"""`cstraject template applications|history -o sjabloon.xlsx`: the Excel templates of `cstraject import`."""

from django.core.management.base import BaseCommand

from cstraject.operations.excel import applications_template, history_template


class Command(BaseCommand):
    help = "Schrijft het Excel-sjabloon voor het inlezen van aanvragen (één aanvraag per rij)."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=["applications", "history"], help="applications: aanvragen; history: bestaande dossiers"
        )
        parser.add_argument("-o", "--output", required=True, help="bv. sjabloon.xlsx")

    def handle(self, *args, kind, output, **options):
        (applications_template if kind == "applications" else history_template)(output)
        self.stdout.write(f"Sjabloon geschreven naar {output}.")
