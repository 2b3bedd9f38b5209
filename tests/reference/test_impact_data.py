"""The synthetic 2023-2025 dossiers (themes, final reports, follow-ups) load through the services
and leave the published 2021-2022 tables as they were."""

import io

import pytest

from cstraject.dossiers.models import Dossier
from cstraject.impact.models import FinalReport, FollowUp, FunctionMaturity, PlannedTheme
from cstraject.reference.loader import impact_data, load_reference
from cstraject.reporting.csv_export import write_csv
from cstraject.reporting.statistics import question_tables


def test_impact_file_says_it_is_synthetic_and_keeps_to_its_references():
    data = impact_data()
    assert data["meta"]["synthetic"] is True and "Synthetic" in data["meta"]["notice"]
    numbers = [int(d["reference"].removeprefix("CS-2023-")) for d in data["dossiers"]]
    assert all(d["reference"].startswith("CS-2023-") for d in data["dossiers"])
    assert min(numbers) >= 1 and max(numbers) <= 499 and len(set(numbers)) == len(numbers)
    assert all(c["enterprise_number"].startswith("1") for c in data["companies"])


def _published_csv() -> str:
    out = io.StringIO()
    write_csv(tables=question_tables(year_from=2021, year_to=2022), target=out)
    return out.getvalue()


@pytest.mark.django_db
def test_impact_data_loads_idempotently_and_leaves_2021_2022_alone():
    load_reference()
    before = _published_csv()
    result = load_reference(include_impact=True)
    assert result.dossiers_created == len(impact_data()["dossiers"])
    assert _published_csv() == before
    again = load_reference(include_impact=True)
    assert again.dossiers_created == 0
    assert Dossier.objects.filter(reference__startswith="CS-2023-").count() == len(impact_data()["dossiers"])
    # The impact records are there and consistent.
    assert (
        PlannedTheme.objects.filter(is_main=True).count()
        == Dossier.objects.filter(planned_themes__isnull=False).distinct().count()
    )
    reports = FinalReport.objects.filter(is_structured=True)
    assert reports.count() > 200
    assert FunctionMaturity.objects.count() == 6 * reports.count()
    assert FollowUp.objects.filter(answered_at__isnull=False).exists()
    assert not FinalReport.objects.filter(dossier__reference__startswith="CS-2021-").exists()


def test_the_seeded_generator_reproduces_the_data_file(tmp_path):
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("generate_impact_data", root / "scripts/generate_impact_data.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.OUT = tmp_path / "impact.json"
    generator.main()
    shipped = root / "src/cstraject/reference/data/impact_2023_2025.json"
    assert generator.OUT.read_bytes() == shipped.read_bytes()
