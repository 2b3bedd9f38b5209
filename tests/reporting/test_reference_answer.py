"""The reference dataset reproduces every published figure of answer 526, and adds up."""

import re
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

import pytest

from cstraject.reference.published import published_526
from cstraject.reporting.statistics import question_tables
from tests.reporting.tables import by_key, figures

HAS_REFERENCE = (resources.files("cstraject.reference") / "data" / "antwoord526.json").is_file()

pytestmark = [
    pytest.mark.skipif(not HAS_REFERENCE, reason="reference/data/antwoord526.json has not landed yet"),
    pytest.mark.usefixtures("reference_db"),
]

D = Decimal

# The published figures, from the one data file the reference derivation reads too.
PUBLISHED = published_526()
YEARS = sorted(PUBLISHED.total)

# Table 1a by province: {province: {year: (count, amount)}}; a province without grants in a year has (0, "0.00").
PROVINCES = {
    province: {str(year): PUBLISHED.province[year].get(province, (0, "0.00")) for year in YEARS}
    for province in dict.fromkeys(p for year in YEARS for p in PUBLISHED.province[year])
}
TOTALS = {str(year): (count, D(amount)) for year, (count, amount) in PUBLISHED.total.items()}

# The size table: counts exact, amounts in whole euros.
SIZES = {
    size: {str(year): PUBLISHED.size[year][size] for year in YEARS}
    for size in dict.fromkeys(s for year in YEARS for s in PUBLISHED.size[year])
}

# The sector table by label (the two printed "Overige adviesbureaus" rows of 2021 are one activity).
SECTORS = {
    str(year): {
        label: (count, amount)
        for _code, label, entries in PUBLISHED.sectors
        for y, count, amount in entries
        if y == year
    }
    for year in YEARS
}
SECTORS_2021, SECTORS_2022 = SECTORS["2021"], SECTORS["2022"]

# Package mixes as the report labels them (lower case).
PACKAGES = {
    package.lower(): {str(year): PUBLISHED.packages[year][package] for year in YEARS}
    for package in PUBLISHED.packages[YEARS[0]]
}


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.fixture
def tables():
    return question_tables(year_from=2021, year_to=2022)


def test_the_transcribed_published_tables_add_up_to_the_published_totals():
    """A check on this test's own data: the sector rows above sum to the published totals."""
    for year, sectors in (("2021", SECTORS_2021), ("2022", SECTORS_2022)):
        assert sum(count for count, _ in sectors.values()) == TOTALS[year][0]
        assert sum(D(amount) for _, amount in sectors.values()) == TOTALS[year][1]


def test_granted_support_by_province_and_year_to_the_cent(tables):
    table = by_key(tables, "1a_toegekend_provincie")
    rows = figures(table)
    assert [row.label for row in table.rows] == list(PROVINCES)
    for province, years in PROVINCES.items():
        for year, (count, amount) in years.items():
            assert rows[province][(year, "aantal")] == count, (province, year)
            assert rows[province][(year, "bedrag")] == D(amount), (province, year)
    for year, (count, amount) in TOTALS.items():
        assert rows["Totaal"][(year, "aantal")] == count
        assert rows["Totaal"][(year, "bedrag")] == amount


def test_granted_support_by_size_matches_the_published_whole_euros(tables):
    table = by_key(tables, "1a_toegekend_grootte")
    rows = figures(table)
    assert [row.label for row in table.rows] == list(SIZES)
    for size, years in SIZES.items():
        for year, (count, euros) in years.items():
            assert rows[size][(year, "aantal")] == count, (size, year)
            assert rows[size][(year, "bedrag")].quantize(D("1"), rounding=ROUND_HALF_UP) == euros, (size, year)
    # Exact, unlike the published 935,758: the total is the sum of the amounts, not of rounded rows.
    for year, (count, amount) in TOTALS.items():
        assert rows["Totaal"][(year, "aantal")] == count
        assert rows["Totaal"][(year, "bedrag")] == amount
    assert "935.757,61" in table.note


def test_granted_support_by_nace_activity_and_year_to_the_cent(tables):
    table = by_key(tables, "1a_toegekend_sector")
    rows = {}
    for row in table.rows:
        code, _, label = row.label.partition(" ")
        assert re.fullmatch(r"\d\d\.\d{3}", code), row.label
        assert normalized(label) not in rows, f"activity {label} appears twice"
        rows[normalized(label)] = row
    expected_labels = {normalized(label) for label in (*SECTORS_2021, *SECTORS_2022)}
    assert set(rows) == expected_labels
    for year, sectors in (("2021", SECTORS_2021), ("2022", SECTORS_2022)):
        for label, (count, amount) in sectors.items():
            row = rows[normalized(label)]
            assert row.value(year, "aantal") == count, (label, year)
            assert row.value(year, "bedrag") == D(amount), (label, year)
    consultancy = rows[
        normalized(
            "Overige adviesbureaus op het gebied van bedrijfsbeheer; adviesbureaus op het gebied van bedrijfsvoering"
        )
    ]
    assert consultancy.label.startswith("70.220 ")
    assert consultancy.value("2021", "aantal") == 7


def test_package_mix_by_year(tables):
    rows = figures(by_key(tables, "1f_pakket"))
    assert [label for label in rows if label != "Totaal"] == list(PACKAGES)
    for package, years in PACKAGES.items():
        for year, count in years.items():
            assert rows[package][(year, "aantal")] == count, (package, year)
    assert rows["Totaal"][("2021", "aantal")] == 60
    assert rows["Totaal"][("2022", "aantal")] == 10


def test_every_total_equals_the_sum_of_its_rows(tables):
    for table in tables:
        # 1c counts distinct companies; 5 has means and shares; in 1e a dossier counts once per theme it covers.
        if table.is_empty or table.question in ("1c", "5"):
            continue
        additive = [m for m in table.measures if table.question != "1e" or m.key in ("hoofdthema", "bedrag")]
        for year in table.years:
            for measure in additive:
                assert sum(row.value(year, measure.key) for row in table.rows) == table.total.value(
                    year, measure.key
                ), (
                    table.key,
                    year,
                    measure.key,
                )


def test_applications_include_the_two_refused_non_smes_of_2021(tables):
    rows = figures(by_key(tables, "1b_aanvragen_grootte"))
    assert rows["groot,afgewezen"][("2021", "aantal")] == 2
    outcomes = figures(by_key(tables, "1b_aanvragen_uitkomst"))
    assert set(outcomes) == {"toegekend", "afgewezen", "Totaal"}
    assert outcomes["toegekend"][("2021", "aantal")] + outcomes["toegekend"][("2022", "aantal")] == 70
    assert outcomes["afgewezen"][("2021", "aantal")] == 2
    assert outcomes["Totaal"][("2021", "aantal")] + outcomes["Totaal"][("2022", "aantal")] == 72


def test_unique_beneficiaries_equal_the_grants_one_per_company(tables):
    for dimension, granted_key in (
        ("grootte", "1a_toegekend_grootte"),
        ("provincie", "1a_toegekend_provincie"),
        ("sector", "1a_toegekend_sector"),
    ):
        granted = figures(by_key(tables, granted_key))
        beneficiaries = figures(by_key(tables, f"1c_steunverkrijgers_{dimension}"))
        assert set(beneficiaries) == set(granted)
        for label, values in beneficiaries.items():
            for year in ("2021", "2022"):
                assert values[(year, "aantal")] == granted[label][(year, "aantal")], (dimension, label, year)


def test_no_company_applied_or_was_granted_twice(tables):
    applications = figures(by_key(tables, "1d_bedrijven_aanvragen"))
    assert applications == {"1 aanvraag": {("2021-2022", "aantal"): 72}, "Totaal": {("2021-2022", "aantal"): 72}}
    grants = figures(by_key(tables, "1d_bedrijven_toekenningen"))
    assert grants == {"1 toekenning": {("2021-2022", "aantal"): 70}, "Totaal": {("2021-2022", "aantal"): 70}}


def test_paid_amounts_per_year_of_payment_equal_the_payments_in_the_reference_file():
    from cstraject.reference.loader import reference_data

    expected: dict[str, Decimal] = {}
    for dossier in reference_data()["dossiers"]:
        for payment in dossier.get("payments", []):
            year = payment["payment_date"][:4]
            expected[year] = expected.get(year, D("0.00")) + D(payment["amount"])
    years = sorted(expected)
    assert years, "the reference dataset has payments"
    tables = question_tables(year_from=int(years[0]), year_to=int(years[-1]))
    for key in ("1a_toegekend_provincie", "1a_toegekend_grootte"):
        total = by_key(tables, key).total
        for year in years:
            assert total.value(year, "uitbetaald") == expected[year], (key, year)
