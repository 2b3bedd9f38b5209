"""The reference derivation reads the published figures from the one data file and reproduces
the committed dataset byte for byte (the latter only where the `derive` extra, PuLP, is installed)."""

from decimal import Decimal
from importlib import resources

import pytest

from cstraject.reference import published
from cstraject.reference.derivation import inputs
from cstraject.reference.derivation.verify import verify

DATA = resources.files("cstraject.reference") / "data"


def test_the_derivation_reads_the_published_figures_from_the_data_file():
    figures = published.published_526()
    assert inputs.PROVINCE_TABLE is figures.province
    assert inputs.SIZE_TABLE is figures.size
    assert inputs.NACE_TABLE is figures.sectors
    assert inputs.PACKAGE_TABLE is figures.packages
    assert (DATA / published.PUBLISHED_FILE).is_file()


def test_the_published_sector_rows_of_70220_add_up_to_the_merged_row():
    figures = published.published_526()
    [(count, amount)] = [
        (n, a) for code, _label, rows in figures.sectors if code == "70220" for y, n, a in rows if y == 2021
    ]
    printed = figures.sector_70220_2021_as_printed
    assert sum(n for n, _ in printed) == count
    assert sum(Decimal(a) for _, a in printed) == Decimal(amount)


def test_the_committed_dataset_passes_every_check_of_the_derivation(capsys):
    assert verify(inputs.JSON_PATH)
    out = capsys.readouterr().out
    assert "[FAIL]" not in out and out.count("[OK]") >= 8


# PuLP 3 announces its 4.0 API on every variable; the derivation keeps the 2.x/3.x one (extra `derive`: pulp<4).
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pulp")
def test_rerunning_the_derivation_gives_byte_identical_files(tmp_path):
    pytest.importorskip("pulp", reason="the `derive` extra (PuLP) is not installed")
    from cstraject.reference.derivation.build import build, write_files

    json_path, csv_path = tmp_path / "antwoord526.json", tmp_path / "nace_bel_2008.csv"
    write_files(build(), json_path=json_path, csv_path=csv_path)
    assert json_path.read_bytes() == inputs.JSON_PATH.read_bytes()
    assert csv_path.read_bytes() == inputs.CSV_PATH.read_bytes()
    assert verify(json_path)
