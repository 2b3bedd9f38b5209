import logging

from django.utils.translation import gettext as _

from cstraject.core.commands import CstrajectCommand, schema_ensure
from cstraject.reference.loader import impact_data, load_reference, reference_data
from cstraject.reference.oversight_demo import load_oversight_demo


class Command(CstrajectCommand):
    help = (
        "Laadt de (synthetische) referentiedata in. Antwoord 526 (2021-2022) en de dossiers 2023-2025 met "
        "thema's, eindverslagen en opvolging; opnieuw laden verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--zonder-impact",
            dest="without_impact",
            action="store_true",
            help="Alleen de dossiers 2021-2022 van antwoord 526, niet de synthetische dossiers 2023-2025.",
        )

    def handle(self, *args, **options):
        # Loading writes thousands of audit events; their one-line logs are for a running server,
        # not for this command's output (the events themselves are recorded as always).
        logging.getLogger("cstraject.events").setLevel(logging.WARNING)
        schema_ensure(stderr=self.stderr)
        result = load_reference(include_impact=not options["without_impact"])
        notices = [reference_data()["meta"]["notice"]]
        if not options["without_impact"]:
            notices.append(impact_data()["meta"]["notice"])
        self.stdout.write(
            (
                _(
                    "Referentiedata: %(dossiers_created)s dossiers toegevoegd, %(dossiers_skipped)s waren er al; %(companies)s ondernemingen, %(providers)s dienstverleners.\n"
                )
                % {
                    "dossiers_created": result.dossiers_created,
                    "dossiers_skipped": result.dossiers_skipped,
                    "companies": result.companies,
                    "providers": result.providers,
                }
            )
            + "\n".join(notices)
        )
        demo = load_oversight_demo()
        self.stdout.write(
            _(
                "Demodata controles 2023-2025: %(dossiers_created)s dossiers toegevoegd, %(dossiers_skipped)s waren er al; %(controls)s controles.\n%(notice)s"
            )
            % {
                "dossiers_created": demo.dossiers_created,
                "dossiers_skipped": demo.dossiers_skipped,
                "controls": demo.controls,
                "notice": demo.notice,
            }
        )
