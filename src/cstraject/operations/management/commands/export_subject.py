"""`cstraject export-subject --enterprise N | --user U [-o FILE]`: everything held about one subject."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from cstraject.accounts.actors import cli_operator_actor
from cstraject.operations.subject_export import subject_export


class Command(BaseCommand):
    help = (
        "Exporteer alles wat over één onderneming (--enterprise ondernemingsnummer) of één contactpersoon "
        "(--user gebruikersnaam) bewaard wordt, als JSON (recht op inzage). Wachtwoorden niet; documenten "
        "met naam, grootte en SHA-256."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--enterprise", help="ondernemingsnummer, bv. 0123.456.749")
        who.add_argument("--user", help="gebruikersnaam van de contactpersoon")
        parser.add_argument("-o", "--output", help="JSON-bestand (standaard: de uitvoer)")

    def handle(self, *args, **options):
        try:
            export = subject_export(
                actor=cli_operator_actor(), enterprise_number=options["enterprise"], username=options["user"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages))
        text = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            summary = ", ".join(f"{model}: {n}" for model, n in export["counts"].items())
            self.stdout.write(f"Geschreven naar {options['output']}: {summary}")
        else:
            self.stdout.write(text)
