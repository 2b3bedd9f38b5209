"""`cstraject demo`: the main job on the embedded database.

Builds (or brings up to date) the SQLite database, loads the reference data
of answer 526 and the synthetic 2023-2025 dossiers, creates the missing demo users
(existing accounts are never changed), writes the parliamentary workbook, CSV and Word
answer, then serves the web application. Refuses a database that holds anything but demo
data (`web.demo_users.non_demo_data`): the demo never runs against real data.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from cstraject.core.commands import CstrajectCommand
from cstraject.reference.loader import load_reference, reference_data
from cstraject.reference.oversight_demo import load_oversight_demo
from cstraject.reporting.report import write_report
from cstraject.web.demo_users import create_demo_users, non_demo_data

# The published answer covered 2021-2022; the synthetic data adds 2023-2025 with themes and impact.
YEAR_FROM, YEAR_TO = 2021, 2025


class Command(CstrajectCommand):
    help = (
        "Demo: referentiedata, antwoord 526, webtoepassing. Bouwt de ingebedde databank met de "
        "referentiedata, schrijft het antwoord op vraag 526 en start de webtoepassing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=".", help="Map voor antwoord.xlsx en cijfers.csv (standaard: huidige map)."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Alleen de databank en het rapport maken, niet serveren."
        )
        parser.add_argument("--host", default="127.0.0.1", help="adres van de webtoepassing (standaard 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="poort van de webtoepassing (standaard 8000)")

    def handle(self, *args, **options):
        # Loading writes thousands of audit events; their one-line logs are for a running server,
        # not for this command's output (the events themselves are recorded as always).
        logging.getLogger("cstraject.events").setLevel(logging.WARNING)
        database = settings.DATABASES["default"]
        self.stdout.write(
            _("Databank: %(name)s (%(rsplit)s)")
            % {"name": database["NAME"], "rsplit": database["ENGINE"].rsplit(".", 1)[-1]}
        )
        # Before migrating: the demo changes nothing in a database that is not its own.
        problems = []
        if "auth_user" in connection.introspection.table_names():
            try:
                problems = non_demo_data()
            except DatabaseError as error:
                problems = [(_("kan de inhoud niet nagaan (%(error)s)") % {"error": error})]
        if problems:
            raise CommandError(
                _(
                    "Deze databank (%(name)s) bevat gegevens die niet van de demo zijn: %(problems)s. `cstraject demo` draait alleen op een lege databank of een eerdere demo. Start het in een lege map, of wijs DATABASE_URL naar een nieuwe databank."
                )
                % {"name": database["NAME"], "problems": "; ".join(problems)}
            )
        call_command("migrate", verbosity=0, interactive=False)
        result = load_reference(include_impact=True)
        self.stdout.write(
            _(
                "Referentiedata: %(dossiers_created)s dossiers toegevoegd, %(dossiers_skipped)s waren er al.\n  %(notice)s"
            )
            % {
                "dossiers_created": result.dossiers_created,
                "dossiers_skipped": result.dossiers_skipped,
                "notice": reference_data()["meta"]["notice"],
            }
        )
        demo = load_oversight_demo()
        self.stdout.write(
            _(
                "Demodata controles en risicoscreening 2023-2025: %(dossiers_created)s dossiers toegevoegd.\n  %(notice)s"
            )
            % {"dossiers_created": demo.dossiers_created, "notice": demo.notice}
        )

        output_dir = Path(options["output_dir"])
        output_dir.mkdir(parents=True, exist_ok=True)
        workbook = output_dir / "antwoord.xlsx"
        figures = output_dir / "cijfers.csv"
        document = output_dir / "antwoord.docx"
        write_report(year_from=YEAR_FROM, year_to=YEAR_TO, target=workbook, fmt="xlsx")
        write_report(year_from=YEAR_FROM, year_to=YEAR_TO, target=figures, fmt="csv")
        write_report(year_from=YEAR_FROM, year_to=YEAR_TO, target=document, fmt="docx")
        self.stdout.write(
            _(
                "Antwoord op vraag 526 (%(year_from)s-%(year_to)s): %(resolve)s\nZelfde cijfers als CSV: %(resolve2)s\nHet antwoord als Word-document: %(resolve3)s"
            )
            % {
                "year_from": YEAR_FROM,
                "year_to": YEAR_TO,
                "resolve": workbook.resolve(),
                "resolve2": figures.resolve(),
                "resolve3": document.resolve(),
            }
        )

        users = create_demo_users()
        self.stdout.write(_("Demo-accounts (alleen voor deze lokale demo):"))
        for username, password, _role, description in users:
            shown = password or "(bestond al, niet gewijzigd)"
            self.stdout.write(f"  {username:<14} {shown:<28} {description}")

        if options["no_serve"]:
            return
        self.stdout.write(
            _("Webtoepassing: http://%(host)s:%(port)s/  (Ctrl+C stopt)")
            % {"host": options["host"], "port": options["port"]}
        )
        call_command("serve", host=options["host"], port=options["port"])
