"""`cstraject import applications|history aanvragen.xlsx --as GEBRUIKER [--errors fouten.xlsx] [--date JJJJ-MM-DD]`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from cstraject.accounts.actors import actor_for_username
from cstraject.accounts.cli import one_line, parse_date
from cstraject.core.commands import CstrajectCommand
from cstraject.operations.excel import applications_import, history_import


class Command(CstrajectCommand):
    help = "Aanvragen of historiek uit Excel. Geweigerde rijen in een foutenwerkboek."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=["applications", "history"], help="applications: aanvragen; history: bestaande dossiers"
        )
        parser.add_argument("file", help="het Excel-bestand (.xlsx)")
        parser.add_argument(
            "--as", dest="as_user", required=True, metavar="GEBRUIKER", help="handel als deze gebruiker"
        )
        parser.add_argument("--errors", help="foutenwerkboek (standaard: <bestand>-fouten.xlsx)")
        parser.add_argument("--date", dest="on_date", help="datum van de ontwerpen (JJJJ-MM-DD), standaard vandaag")

    def handle(self, *args, kind, file, as_user, errors=None, on_date=None, **options):
        errors = errors or file.removesuffix(".xlsx") + "-fouten.xlsx"
        try:
            actor = actor_for_username(as_user)
            if kind == "history":
                history = history_import(file, actor=actor, errors_path=errors)
            else:
                result = applications_import(file, actor=actor, errors_path=errors, on_date=parse_date(on_date))
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(one_line(error)) from None
        if kind == "history":
            self.stdout.write(
                f"{history.dossiers} dossiers, {history.statements} prestatiestaten, {history.payments} betalingen ingelezen."
            )
            if history.errors:
                self.stdout.write(f"{len(history.errors)} fouten; details in {errors}:")
                for item in history.errors:
                    self.stdout.write(f"  {item.sheet} rij {item.row}, kolom {item.column}: {item.message}")
            return
        self.stdout.write(f"{len(result.imported)} aanvragen ingelezen: {', '.join(result.imported) or '-'}.")
        if result.refused_rows:
            self.stdout.write(f"{result.refused_rows} rijen geweigerd; details in {errors}:")
            for row_error in result.errors:
                self.stdout.write(f"  rij {row_error.row}, kolom {row_error.column}: {row_error.message}")
