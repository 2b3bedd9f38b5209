"""`cstraject template applications|history -o sjabloon.xlsx`: the Excel templates of `cstraject import`."""

from cstraject.core.commands import CstrajectCommand
from cstraject.operations.excel import applications_template, history_template


class Command(CstrajectCommand):
    help = "Excel-sjablonen voor import. Aanvragen of historiek."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=["applications", "history"], help="applications: aanvragen; history: bestaande dossiers"
        )
        parser.add_argument("-o", "--output", required=True, help="bv. sjabloon.xlsx")

    def handle(self, *args, kind, output, **options):
        (applications_template if kind == "applications" else history_template)(output)
        self.stdout.write(f"Sjabloon geschreven naar {output}.")
