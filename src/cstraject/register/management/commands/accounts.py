"""`cstraject accounts import jaarrekeningen.csv [--skip-invalid]`: annual accounts as filed with the NBB."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.actors import cli_operator_actor
from cstraject.accounts.cli import one_line
from cstraject.core.commands import CstrajectCommand, dutch_help
from cstraject.register.annual_accounts import annual_accounts_import
from cstraject.register.kbo import KboImportError


class Command(CstrajectCommand):
    help = "Neergelegde jaarrekeningen inlezen. NBB-rubrieken 9087, 70, 20/58, 10/15."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTIE")
        imp = dutch_help(
            sub.add_parser("import", help="een CSV-bestand met één regel per onderneming en boekjaar inlezen")
        )
        imp.add_argument("file", help="het CSV-bestand (docs/annual-accounts-format.md)")
        imp.add_argument(
            "--skip-invalid",
            action="store_true",
            help="een foute regel overslaan en doorgaan (standaard: stoppen, niets ingelezen)",
        )

    def handle(self, *args, file, skip_invalid, **options):
        try:
            result = annual_accounts_import(file, actor=cli_operator_actor(), skip_invalid=skip_invalid)
        except KboImportError as error:
            raise CommandError(error.located()) from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(one_line(error)) from None
        self.stdout.write(
            _(
                "%(rows)s jaarrekeningen ingelezen; %(companies_updated)s jaarrekeningen van gekende ondernemingen bijgewerkt."
            )
            % {"rows": result.rows, "companies_updated": result.companies_updated}
        )
        if result.skipped_count:
            self.stdout.write(f"{result.skipped_count} regels overgeslagen:")
            for line in result.skipped:
                self.stdout.write(f"  {line}")
