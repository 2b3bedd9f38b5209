"""`cstraject backup -o FILE`: the database and the uploaded documents in one archive."""

from pathlib import Path

from django.core.management.base import CommandError

from cstraject.accounts.actors import cli_operator_actor
from cstraject.core.commands import CstrajectCommand
from cstraject.operations.backup import BackupError, backup_create


class Command(CstrajectCommand):
    help = (
        "Back-up van databank en documenten. Maakt een back-up van de databank (SQLite: online backup-API; PostgreSQL: pg_dump) en van de "
        "opgeladen documenten, in één archief (tar.gz) met een manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="het archief dat geschreven wordt (.tar.gz)")

    def handle(self, *args, **options):
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"Map {output.parent} bestaat niet.")
        try:
            manifest = backup_create(output=output, actor=cli_operator_actor())
        except BackupError as error:
            raise CommandError(str(error))
        counts = manifest["counts"]
        self.stdout.write(
            f"Back-up geschreven naar {output}: {counts.get('dossiers.dossier', 0)} dossiers, "
            f"{counts.get('payments.payment', 0)} betalingen, {counts.get('audit.auditevent', 0)} auditgebeurtenissen, "
            f"{len(manifest['documents'])} documenten ({manifest['database']['vendor']})."
        )
