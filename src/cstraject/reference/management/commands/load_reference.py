from cstraject.core.commands import CstrajectCommand, schema_ensure
from cstraject.reference.loader import load_reference, reference_data


class Command(CstrajectCommand):
    help = "Laadt de (synthetische) referentiedata van antwoord 526 in; opnieuw laden verandert niets."

    def handle(self, *args, **options):
        schema_ensure(stderr=self.stderr)
        result = load_reference()
        notice = reference_data()["meta"]["notice"]
        self.stdout.write(
            f"Referentiedata: {result.dossiers_created} dossiers toegevoegd, {result.dossiers_skipped} waren er al; "
            f"{result.companies} ondernemingen, {result.providers} dienstverleners.\n{notice}"
        )
