"""`cstraject restore FILE`: an archive of `cstraject backup` into an empty installation."""

from pathlib import Path

from django.core.management.base import CommandError

from cstraject.accounts.actors import cli_operator_actor
from cstraject.core.commands import CstrajectCommand
from cstraject.operations.backup import BackupError, restore_archive


class Command(CstrajectCommand):
    help = (
        "Back-up terugzetten in een lege installatie. Herstelt een back-up van `cstraject backup` in een lege installatie (lege databank, lege "
        "documentenmap); een installatie met gegevens wordt geweigerd. Stop eerst elke `cstraject serve`."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="het archief van cstraject backup")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive} bestaat niet.")
        try:
            result = restore_archive(archive=archive, actor=cli_operator_actor())
        except BackupError as error:
            raise CommandError(str(error))
        counts = result.manifest["counts"]
        self.stdout.write(
            f"Hersteld uit {archive} (back-up van {result.manifest['created_at']}): "
            f"{counts.get('dossiers.dossier', 0)} dossiers, {counts.get('payments.payment', 0)} betalingen, "
            f"{counts.get('audit.auditevent', 0)} auditgebeurtenissen, {result.documents} documenten."
        )
