from django.core.management.base import BaseCommand

from cstraject.reference.loader import impact_data, load_reference, reference_data


class Command(BaseCommand):
    help = (
        "Laadt de (synthetische) referentiedata in: antwoord 526 (2021-2022) en de dossiers 2023-2025 met "
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
        result = load_reference(include_impact=not options["without_impact"])
        notices = [reference_data()["meta"]["notice"]]
        if not options["without_impact"]:
            notices.append(impact_data()["meta"]["notice"])
        self.stdout.write(
            f"Referentiedata: {result.dossiers_created} dossiers toegevoegd, {result.dossiers_skipped} waren er al; "
            f"{result.companies} ondernemingen, {result.providers} dienstverleners.\n" + "\n".join(notices)
        )
