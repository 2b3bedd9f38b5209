"""The synthetic 2023-2025 demo data: loaded through the services, idempotent, made by its seeded script,
and leaving the published 2021-2022 tables as they were."""

import csv
import importlib.util
import io
import json
from pathlib import Path

from cstraject.controls.models import Control, Finding, IndicatorHit
from cstraject.dossiers.models import Dossier
from cstraject.reference.loader import DATA
from cstraject.reference.oversight_demo import DEMO_FILE, demo_data, load_oversight_demo
from cstraject.reporting.report import write_report

ROOT = Path(__file__).resolve().parents[2]


def published(year_from=2021, year_to=2022) -> list[dict]:
    stream = io.StringIO()
    write_report(year_from=year_from, year_to=year_to, target=stream, fmt="csv")
    return [row for row in csv.DictReader(io.StringIO(stream.getvalue())) if row["question"] != "4"]


def test_demo_loads_idempotently_and_leaves_2021_2022_alone(reference_db):
    before = published()
    result = load_oversight_demo()
    data = demo_data()
    assert data["meta"]["synthetic"] is True and "SYNTHETIC" in result.notice
    assert result.dossiers_created == len(data["dossiers"]) == 80
    references = [d["reference"] for d in data["dossiers"]]
    assert min(references) == "CS-2023-0501" and all(int(r[-4:]) >= 501 for r in references)
    assert Dossier.objects.filter(reference__startswith="CS-2023-").count() == 80
    assert published() == before
    again = load_oversight_demo()
    assert (again.dossiers_created, again.dossiers_skipped, again.controls) == (0, 80, 0)
    assert Control.objects.filter(trigger="random").count() == 8
    assert Finding.objects.filter(recovery__isnull=False).exists()
    assert Control.objects.filter(outcome="suspected_fraud", findings__fraud_referred=True).exists()
    fired = set(IndicatorHit.objects.filter(run__is_current=True).values_list("indicator", flat=True))
    assert {"A1_GROOTTE_NABIJ_PLAFOND", "Q1_OFFERTE_AAN_PLAFOND", "R1_PRESTATIE_SPRONG_NAAR_DREMPEL"} <= fired
    assert {"D2_EINDVERSLAG_BIJNA_IDENTIEK", "F1_DEMINIMIS_ZELFDE_DOEL", "F3_HERHAALDE_STEUN"} <= fired


def test_the_file_is_what_the_seeded_script_makes():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "scripts" / "generate_oversight_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.Generator().build() == json.loads((DATA / DEMO_FILE).read_text(encoding="utf-8"))
