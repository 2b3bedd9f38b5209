"""`cstraject report --from 2021 --to 2022 -o antwoord.xlsx [--format csv|docx] [--sector-level division]`."""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cstraject.reporting.report import FORMATS, write_report
from cstraject.reporting.statistics import SECTOR_LEVELS


def _parse_error(message: str):
    """Any parse error (unknown option, missing value) becomes one CommandError line."""
    raise CommandError(f"Ongeldige opdracht: {message}")


def _year(value: str, option: str) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise CommandError(f"{option} moet een jaartal zijn, niet '{value}'.")
    year = int(text)
    if not 2000 <= year <= 2100:
        raise CommandError(f"{option} {year} ligt buiten 2000-2100.")
    return year


class Command(BaseCommand):
    help = "Maakt het antwoord op vraag 526 (Excel, CSV of Word) uit de eigen dossiers."
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _parse_error
        return parser

    def run_from_argv(self, argv):
        # Django parses the command line outside its CommandError handling; do it here too.
        try:
            super().run_from_argv(argv)
        except CommandError as error:
            self.stderr.write(f"CommandError: {error}")
            sys.exit(error.returncode)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="year_from", required=True, help="Eerste jaar, bv. 2021.")
        parser.add_argument("--to", dest="year_to", required=True, help="Laatste jaar, bv. 2022.")
        parser.add_argument("-o", "--output", required=True, help="Bestand om te schrijven (.xlsx, .csv of .docx).")
        parser.add_argument("--format", dest="fmt", default="xlsx", help=f"{' of '.join(FORMATS)} (standaard xlsx).")
        parser.add_argument(
            "--sector-level", default="subclass", help=f"{' of '.join(SECTOR_LEVELS)}: NACE-subklasse of -afdeling."
        )

    def handle(self, *args, **options):
        year_from = _year(options["year_from"], "--from")
        year_to = _year(options["year_to"], "--to")
        if year_from > year_to:
            raise CommandError(f"--from {year_from} ligt na --to {year_to}.")
        if options["fmt"] not in FORMATS:
            raise CommandError(f"Onbekend formaat '{options['fmt']}'; kies uit {', '.join(FORMATS)}.")
        if options["sector_level"] not in SECTOR_LEVELS:
            raise CommandError(
                f"Onbekend sectorniveau '{options['sector_level']}'; kies uit {', '.join(SECTOR_LEVELS)}."
            )
        try:
            tables = write_report(
                year_from=year_from,
                year_to=year_to,
                target=options["output"],
                fmt=options["fmt"],
                sector_level=options["sector_level"],
            )
        except OSError as error:
            raise CommandError(f"Kan {options['output']} niet schrijven: {error.strerror or error}.") from None
        empty = sum(1 for table in tables if table.is_empty)
        self.stdout.write(
            f"{options['output']}: {len(tables)} tabellen voor {year_from}-{year_to}"
            + (f" ({empty} zonder gegevens)." if empty else ".")
        )
