"""`cstraject demo`: the main job on the embedded database.

Builds (or brings up to date) the SQLite database, loads the reference data
of answer 526 and the synthetic 2023-2025 dossiers, writes the parliamentary workbook, CSV
and Word answer, creates the missing demo users (existing accounts are never changed), takes
two live dossiers through the real services as those users (`web/demo_lifecycle.py`: their
e-mails go to files in `<output-dir>/berichten` unless an SMTP server is configured, their
letters are stored with the dossiers), then serves the web application. Refuses a database that holds anything but demo
data (`web.demo_users.non_demo_data`): the demo never runs against real data.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils.translation import gettext as _

from cstraject.core.commands import CstrajectCommand
from cstraject.operations.models import Letter, Notification, NotificationStatus
from cstraject.operations.notifications import notifications_send_due
from cstraject.reference.loader import load_reference, reference_data
from cstraject.reference.oversight_demo import load_oversight_demo
from cstraject.reporting.report import write_report
from cstraject.web.demo_lifecycle import lifecycle_company, load_lifecycle_demo
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

        mail_folder = self._mail_to_files(output_dir)
        lifecycle_company()  # before the accounts: the demo SME contact belongs to it
        users = create_demo_users()
        self.stdout.write(_("Demo-accounts (alleen voor deze lokale demo):"))
        for username, password, _role, description in users:
            shown = password or "(bestond al, niet gewijzigd)"
            self.stdout.write(f"  {username:<14} {shown:<28} {description}")
        self._lifecycle(options, mail_folder)

        if options["no_serve"]:
            return
        self.stdout.write(
            _("Webtoepassing: http://%(host)s:%(port)s/  (Ctrl+C stopt)")
            % {"host": options["host"], "port": options["port"]}
        )
        call_command("serve", host=options["host"], port=options["port"])

    def _mail_to_files(self, output_dir: Path) -> Path | None:
        """Without an SMTP server configured the demo writes its e-mails as files (one per message)."""
        if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
            return None
        folder = (output_dir / "berichten").resolve()
        folder.mkdir(parents=True, exist_ok=True)
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = str(folder)
        return folder

    def _lifecycle(self, options, mail_folder: Path | None) -> None:
        result = load_lifecycle_demo()
        notifications_send_due(include_failed_now=True)  # what the task queue did not send yet
        base = f"http://{options['host']}:{options['port']}"
        if result.lifecycle is None:
            self.stdout.write(
                _(
                    "Geen levende demodossiers: het account 'kmo' hoort bij een andere onderneming (een oudere "
                    "demodatabank). Start de demo in een lege map om berichten en brieven te zien."
                )
            )
            return
        dossiers = [d for d in (result.lifecycle, result.refused) if d is not None]
        messages = Notification.objects.filter(status=NotificationStatus.SENT)
        letters = Letter.objects.filter(dossier__in=dossiers)
        where = (
            _("als bestanden in %(folder)s") % {"folder": mail_folder}
            if mail_folder is not None
            else _("via %(backend)s") % {"backend": settings.EMAIL_BACKEND.rsplit(".", 2)[-2]}
        )
        self.stdout.write(
            _("Levensloop van een dossier door de echte diensten, als de demo-accounts: %(references)s.")
            % {"references": ", ".join(d.reference for d in dossiers)}
        )
        self.stdout.write(
            "  "
            + _("Berichten: %(sent)s verstuurd, %(where)s; ook op de dossierpagina (als behandelaar).")
            % {"sent": messages.count(), "where": where}
        )
        self.stdout.write(
            "  "
            + _("Brieven: %(count)s, te downloaden als dienstverlener of kmo op %(urls)s")
            % {
                "count": letters.count(),
                "urls": ", ".join(base + reverse("web:dossier_detail", args=[d.pk]) for d in dossiers),
            }
        )
