"""`cstraject report --from 2021 --to 2022 -o antwoord.xlsx [--format csv|docx] [--sector-level division]`."""

import sys

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from cstraject.core.commands import CstrajectCommand, schema_ensure
from cstraject.reporting.report import FORMATS, LANGUAGES, report_format, write_report
from cstraject.reporting.statistics import SECTOR_LEVELS


def _parse_error(message: str):
    """Any parse error (unknown option, missing value) becomes one CommandError line."""
    raise CommandError(_("Ongeldige opdracht: %(message)s") % {"message": message})


def _year(value: str, option: str) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise CommandError(
            _("%(option)s moet een jaartal zijn, niet '%(value)s'.") % {"option": option, "value": value}
        )
    year = int(text)
    if not 2000 <= year <= 2100:
        raise CommandError(_("%(option)s %(year)s ligt buiten 2000-2100.") % {"option": option, "year": year})
    return year


class Command(CstrajectCommand):
    help = (
        "Antwoord op vraag 526 als werkboek, CSV of Word. Berekend uit de eigen dossiers; het formaat "
        "volgt uit de bestandsnaam: -o antwoord.xlsx, -o cijfers.csv of -o antwoord.docx."
    )
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
            self.stderr.write(_("CommandError: %(error)s") % {"error": error})
            sys.exit(error.returncode)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="year_from", required=True, metavar="JAAR", help="eerste jaar, bv. 2021")
        parser.add_argument("--to", dest="year_to", required=True, metavar="JAAR", help="laatste jaar, bv. 2022")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="BESTAND",
            help="te schrijven bestand: .xlsx (werkboek), .csv of .docx (Word)",
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            default=None,
            metavar="FORMAAT",
            help=(
                _("%(formats)s; alleen nodig als de bestandsnaam niet op een van die extensies eindigt")
                % {"formats": ", ".join(FORMATS)}
            ),
        )
        parser.add_argument(
            "--lang",
            dest="language",
            default="nl",
            metavar="TAAL",
            help=(
                _("taal van titels, labels, noten en getallen: %(languages)s (standaard nl)")
                % {"languages": " of ".join(LANGUAGES)}
            ),
        )
        parser.add_argument(
            "--sector-level",
            default="subclass",
            metavar="NIVEAU",
            help=(
                _("%(sector_levels)s: NACE-subklasse (standaard) of -afdeling")
                % {"sector_levels": " of ".join(SECTOR_LEVELS)}
            ),
        )

    def handle(self, *args, **options):
        year_from = _year(options["year_from"], "--from")
        year_to = _year(options["year_to"], "--to")
        if year_from > year_to:
            raise CommandError(
                _("--from %(year_from)s ligt na --to %(year_to)s.") % {"year_from": year_from, "year_to": year_to}
            )
        try:
            fmt = report_format(options["output"], options["fmt"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["sector_level"] not in SECTOR_LEVELS:
            raise CommandError(
                _("Onbekend sectorniveau '%(sector_level)s'; kies uit %(sector_levels)s.")
                % {"sector_level": options["sector_level"], "sector_levels": ", ".join(SECTOR_LEVELS)}
            )
        if options["language"] not in LANGUAGES:
            raise CommandError(
                _("Onbekende taal '%(language)s'; kies uit %(languages)s.")
                % {"language": options["language"], "languages": ", ".join(LANGUAGES)}
            )
        schema_ensure(stderr=self.stderr)
        try:
            tables = write_report(
                year_from=year_from,
                year_to=year_to,
                target=options["output"],
                fmt=fmt,
                sector_level=options["sector_level"],
                language=options["language"],
            )
        except OSError as error:
            raise CommandError(
                _("Kan %(output)s niet schrijven: %(value)s.")
                % {"output": options["output"], "value": error.strerror or error}
            ) from None
        empty = sum(1 for table in tables if table.is_empty)
        self.stdout.write(
            (
                _("%(output)s: %(n_tables)s tabellen voor %(year_from)s-%(year_to)s")
                % {"output": options["output"], "n_tables": len(tables), "year_from": year_from, "year_to": year_to}
            )
            + ((_(" (%(empty)s zonder gegevens).") % {"empty": empty}) if empty else ".")
        )
