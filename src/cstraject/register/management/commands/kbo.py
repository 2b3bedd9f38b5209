"""`cstraject kbo import KboOpenData_<n>_<date>_Full.zip|_Update.zip [--skip-invalid] [--force]`
and `cstraject kbo show 0403.170.701`."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.actors import cli_operator_actor
from cstraject.accounts.cli import one_line, to_json
from cstraject.core.commands import CstrajectCommand, dutch_help
from cstraject.core.enterprise_number import format_enterprise_number, normalize_enterprise_number
from cstraject.core.numbers import format_date
from cstraject.register.kbo import KboImportError, Progress, kbo_import
from cstraject.register.selectors import register_enterprise
from cstraject.register.services import register_sync_companies

COUNT_LABELS = {"rows": "rijen", "deleted": "geschrapt", "inserted": "ingevoegd"}


class Command(CstrajectCommand):
    help = "Ondernemingsregister (KBO) inlezen. Volledig extract of maandelijkse bijwerking."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTIE")
        imp = dutch_help(sub.add_parser("import", help="KboOpenData_<n>_<datum>_Full.zip of _Update.zip inlezen"))
        imp.add_argument("file", help="het zipbestand zoals de FOD Economie het publiceert")
        imp.add_argument(
            "--skip-invalid",
            action="store_true",
            help="een foute rij overslaan en doorgaan (standaard: stoppen bij de eerste foute rij, niets toegepast)",
        )
        imp.add_argument("--force", action="store_true", help="ook een extract dat al toegepast is opnieuw inlezen")
        imp.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
        show = dutch_help(sub.add_parser("show", help="wat het register over één onderneming zegt"))
        show.add_argument("enterprise_number", help="ondernemingsnummer, bv. 0403.170.701")
        show.add_argument("--json", action="store_true", help="uitvoer als JSON")

    def handle(self, *args, **options):
        try:
            if options["action"] == "import":
                self.do_import(**options)
            else:
                self.do_show(**options)
        except KboImportError as error:
            raise CommandError(error.located()) from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(one_line(error)) from None

    def do_import(self, *, file, skip_invalid, force, quiet, **options):
        result = kbo_import(
            file,
            actor=cli_operator_actor(),
            skip_invalid=skip_invalid,
            force=force,
            progress=Progress(stream=self.stderr._out, enabled=not quiet),
            after_switch=register_sync_companies,
        )
        meta = result.meta
        if not result.applied:
            self.stdout.write(
                _("Extract %(number)s (%(kind)s) is al toegepast; niets gewijzigd (--force om opnieuw).")
                % {"number": meta.number, "kind": meta.kind}
            )
            return
        self.stdout.write(
            _("Extract %(number)s (%(kind)s, %(snapshot_date)s) ingelezen in %(seconds)s s.")
            % {
                "number": meta.number,
                "kind": meta.kind,
                "snapshot_date": format_date(meta.snapshot_date),
                "seconds": format(result.seconds, ".1f"),
            }
        )
        for name, counts in result.counts.items():
            self.stdout.write(
                f"  {name:<14} " + ", ".join(f"{COUNT_LABELS.get(key, key)} {value:,}" for key, value in counts.items())
            )
        self.stdout.write(f"  ondernemingen bijgewerkt: {result.companies_updated}")
        if result.skipped_count:
            self.stdout.write(f"  {result.skipped_count} rijen overgeslagen:")
            for line in result.skipped:
                self.stdout.write(f"    {line}")

    def do_show(self, *, enterprise_number, **options):
        record = register_enterprise(normalize_enterprise_number(enterprise_number))
        if record is None:
            raise CommandError(
                _("%(enterprise_number)s staat niet in het ingelezen ondernemingsregister.")
                % {"enterprise_number": enterprise_number}
            )
        if options.get("json"):
            self.stdout.write(
                json.dumps(record, default=lambda o: getattr(o, "__dict__", None) or to_json(o), ensure_ascii=False)
            )
            return
        seat = record.seat
        main = record.main_activity("2008")
        self.stdout.write(f"{format_enterprise_number(record.enterprise_number)}  {record.name}")
        self.stdout.write(
            f"  rechtsvorm: {record.juridical_form_label or '-'}  status: {record.status_label or record.status}"
        )
        self.stdout.write(f"  begindatum: {record.start_date or '-'}")
        if seat:
            self.stdout.write(
                f"  zetel: {seat.street} {seat.house_number}, {seat.postal_code} {seat.municipality} ({seat.province or '-'})"
            )
        if main:
            self.stdout.write(f"  hoofdactiviteit: {main.code[:2]}.{main.code[2:]} {main.label_nl}")
        for activity in record.activities:
            self.stdout.write(
                f"  NACE-BEL {activity.version} {activity.classification} {activity.code} {activity.label_nl}"
            )
