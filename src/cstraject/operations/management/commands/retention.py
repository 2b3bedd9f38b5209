"""`cstraject retention apply [--dry-run]`: erase personal data whose retention period is over."""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.actors import cli_operator_actor
from cstraject.core.commands import CstrajectCommand, dutch_help
from cstraject.operations.retention import (
    RULES,
    contacts_due_count,
    notifications_due_count,
    retention_apply,
    retention_plan,
)


class Command(CstrajectCommand):
    help = (
        "Bewaartermijnen toepassen. `apply` wist de persoonsgegevens van dossiers en berichten waarvan de termijn verstreken "
        "is (documenten, brieven, verklaringen, motivering, ondertekenaars, e-mailteksten) en houdt de "
        "geanonimiseerde cijfers voor de statistiek; `--dry-run` toont alleen wat gewist zou worden; "
        "`rules` toont de regels. Opnieuw uitvoeren na een onderbreking maakt het werk af."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        apply = dutch_help(sub.add_parser("apply", help="de bewaarregels toepassen"))
        apply.add_argument("--dry-run", action="store_true", help="alleen tonen wat gewist zou worden")
        apply.add_argument("--date", type=date.fromisoformat, help="rekenen alsof het vandaag deze datum is")
        apply.add_argument("--limit", type=int, help="hoogstens zoveel dossiers in deze uitvoering")
        dutch_help(sub.add_parser("rules", help="de bewaarregels en hun termijnen"))

    def handle(self, *args, subcommand, **options):
        if subcommand == "rules":
            for rule in RULES:
                self.stdout.write(
                    f"{rule.key}\t{rule.label}\t{rule.years()} jaar na {rule.date_field} ({rule.setting})"
                )
            return
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit moet minstens 1 zijn.")
        today = options["date"]
        if options["dry_run"]:
            planned = retention_plan(today=today)
            for item in planned:
                self.stdout.write(item.describe())
            self.stdout.write(
                f"Zou wissen: {len(planned)} dossier(s), {notifications_due_count(today=today)} oud(e) bericht(en), "
                + _("%(count)s contactpersoon/-personen van kmo's") % {"count": contacts_due_count(planned=planned)}
                + ". Er is niets gewijzigd (--dry-run)."
            )
            return
        result = retention_apply(actor=cli_operator_actor(), today=today, limit=options["limit"])
        for reference in result["dossiers"]:
            self.stdout.write(f"gewist\t{reference}")
        self.stdout.write(
            f"Gewist: {len(result['dossiers'])} dossier(s), {result['notifications']} oud(e) bericht(en), "
            + _("%(count)s contactpersoon/-personen van kmo's") % {"count": result["contacts"]}
            + "."
        )
