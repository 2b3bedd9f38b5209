"""`cstraject api-schema [-o docs/openapi.json]`: the OpenAPI schema the API serves at /api/v1/openapi.json."""

import json

from django.utils.translation import gettext as _

from cstraject.api.api import api
from cstraject.core.commands import CstrajectCommand


class Command(CstrajectCommand):
    help = "OpenAPI-schema van de API. Zoals /api/v1/openapi.json het geeft."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="bestand, bv. docs/openapi.json")

    def handle(self, *args, output=None, **options):
        text = json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(_("Schema geschreven naar %(output)s.") % {"output": output})
        else:
            self.stdout.write(text, ending="")
