"""`cstraject notifications send|list`: the outbox from the command line and the scheduler."""

from django.core.management.base import BaseCommand, CommandError

from cstraject.accounts.actors import cli_operator_actor
from cstraject.accounts.permissions import Action, require
from cstraject.operations.models import Notification, NotificationStatus
from cstraject.operations.notifications import notifications_send_due


class Command(BaseCommand):
    help = (
        "Berichten (e-mail): `send` verstuurt wat wacht en probeert mislukte opnieuw wanneer hun tijd gekomen "
        "is (voor de planner, bv. elke 5 minuten); `list` toont de berichten die niet afgeleverd zijn."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        send = sub.add_parser("send", help="wachtende en te herhalen berichten versturen")
        send.add_argument("--all-failed", action="store_true", help="ook mislukte berichten waarvan de wachttijd loopt")
        sub.add_parser("list", help="berichten die (nog) niet afgeleverd zijn")

    def handle(self, *args, subcommand, **options):
        actor = cli_operator_actor()
        require(actor, Action.NOTIFICATION_SEND)
        if subcommand == "send":
            counts = notifications_send_due(include_failed_now=options["all_failed"])
            self.stdout.write(f"{counts['sent']} bericht(en) afgeleverd, {counts['failed']} mislukt.")
            return
        if subcommand == "list":
            rows = Notification.objects.exclude(status=NotificationStatus.SENT).select_related("dossier")
            for n in rows.order_by("created_at", "pk"):
                self.stdout.write(
                    f"{n.pk}\t{n.dossier.reference if n.dossier_id else '-'}\t{n.kind}\t{n.to_address}\t"
                    f"{n.status}\t{n.attempts}\t{n.last_error}"
                )
            return
        raise CommandError(f"Onbekend: {subcommand}")
