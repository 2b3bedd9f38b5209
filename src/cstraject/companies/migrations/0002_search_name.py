"""Company.search_name: the name lower case without accents, for the work queue's search.

Existing rows are filled here (the model fills it on every save from now on).
PostgreSQL gets a trigram index (pg_trgm) so that a partial name (LIKE '%...%')
is found by index; SQLite keeps the plain index on the column, which it scans
instead of the table.
"""

import re
import unicodedata

from django.db import migrations, models


def _search_text(value):
    # Frozen copy of cstraject.core.search.search_text as of this migration.
    decomposed = unicodedata.normalize("NFKD", str(value or ""))
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", without_accents.casefold()).strip()


def fill(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    batch = []
    for company in Company.objects.only("pk", "name").iterator(chunk_size=2000):
        company.search_name = _search_text(company.name)
        batch.append(company)
        if len(batch) == 2000:
            Company.objects.bulk_update(batch, ["search_name"])
            batch = []
    Company.objects.bulk_update(batch, ["search_name"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS companies_company_search_name_trgm "
        "ON companies_company USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS companies_company_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="search_name",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
