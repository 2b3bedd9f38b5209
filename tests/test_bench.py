"""The benchmark's data generator keeps working as the models change (bench/report_scale.py):
rows written without model instances, indexes rebuilt, and a report over them that adds up."""

import importlib.util
from pathlib import Path

import pytest

from cstraject.dossiers.models import Dossier
from cstraject.payments.models import Collection, Payment, Recovery
from cstraject.reporting.statistics import question_tables
from tests.reporting.tables import by_key, figures

BENCH = Path(__file__).resolve().parents[1] / "bench" / "report_scale.py"


@pytest.fixture
def report_scale():
    spec = importlib.util.spec_from_file_location("report_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _index_names(connection, table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, constraint in constraints.items() if constraint["index"]}


def test_generated_data_is_complete_indexed_and_reported(db, report_scale):
    from django.db import connection

    before = _index_names(connection, "dossiers_dossier")
    assert {"dossier_queue_status_submitted", "dossier_provider_dashboard"} <= before
    counts = report_scale.generate(400)
    assert counts["dossiers"] == Dossier.objects.count() == 400
    assert counts["payments"] == Payment.objects.count() > 0
    assert counts["recoveries"] == Recovery.objects.count() > 0 and Collection.objects.exists()
    assert _index_names(connection, "dossiers_dossier") == before  # dropped for the load, built again
    assert Dossier.objects.filter(company__search_name="bedrijf 7 bv").exists()

    tables = question_tables(year_from=2021, year_to=2025)
    applied = figures(by_key(tables, "1b_aanvragen_uitkomst"))
    submitted = Dossier.objects.filter(submitted_date__year__gte=2021, submitted_date__year__lte=2025)
    assert sum(applied["Totaal"][(str(y), "aantal")] for y in range(2021, 2026)) == submitted.count()
