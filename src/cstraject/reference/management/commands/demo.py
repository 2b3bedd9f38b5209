"""`cstraject demo`: the main job on the embedded database.

Builds (or brings up to date) the SQLite database, loads the reference data
of answer 526, creates the demo users, writes the parliamentary workbook and
CSV, then serves the web application.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cstraject.reference.loader import load_reference, reference_data
from cstraject.reference.oversight_demo import load_oversight_demo
from cstraject.reporting.report import write_report
from cstraject.web.demo_users import create_demo_users


class Command(BaseCommand):
    help = "Bouwt de ingebedde databank met de referentiedata, schrijft het antwoord op vraag 526 en start de webtoepassing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=".", help="Map voor antwoord.xlsx en cijfers.csv (standaard: huidige map)."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Alleen de databank en het rapport maken, niet serveren."
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        self.stdout.write(f"Databank: {database['NAME']} ({database['ENGINE'].rsplit('.', 1)[-1]})")
        call_command("migrate", verbosity=0, interactive=False)
        result = load_reference()
        self.stdout.write(
            f"Referentiedata: {result.dossiers_created} dossiers toegevoegd, {result.dossiers_skipped} waren er al.\n"
            f"  {reference_data()['meta']['notice']}"
        )
        demo = load_oversight_demo()
        self.stdout.write(
            f"Demodata controles en risicoscreening 2023-2025: {demo.dossiers_created} dossiers toegevoegd.\n"
            f"  {demo.notice}"
        )

        output_dir = Path(options["output_dir"])
        output_dir.mkdir(parents=True, exist_ok=True)
        workbook = output_dir / "antwoord.xlsx"
        figures = output_dir / "cijfers.csv"
        write_report(year_from=2021, year_to=2022, target=workbook, fmt="xlsx")
        write_report(year_from=2021, year_to=2022, target=figures, fmt="csv")
        self.stdout.write(
            f"Antwoord op vraag 526 (2021-2022): {workbook.resolve()}\nZelfde cijfers als CSV: {figures.resolve()}"
        )

        users = create_demo_users()
        self.stdout.write("Demo-accounts (alleen voor deze lokale demo):")
        for username, password, _role, description in users:
            self.stdout.write(f"  {username:<14} {password:<22} {description}")

        if options["no_serve"]:
            return
        self.stdout.write(f"Webtoepassing: http://{options['host']}:{options['port']}/  (Ctrl+C stopt)")
        call_command("serve", host=options["host"], port=options["port"])
