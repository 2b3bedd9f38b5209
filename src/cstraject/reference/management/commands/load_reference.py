import logging

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
            f"Referentiedata: {result.dossiers_created} dossiers toegevoegd, {result.dossiers_skipped} waren er al; "
            f"{result.companies} ondernemingen, {result.providers} dienstverleners.\n" + "\n".join(notices)
        )
        demo = load_oversight_demo()
        self.stdout.write(
            f"Demodata controles 2023-2025: {demo.dossiers_created} dossiers toegevoegd, {demo.dossiers_skipped} "
            f"waren er al; {demo.controls} controles.\n{demo.notice}"
        )
