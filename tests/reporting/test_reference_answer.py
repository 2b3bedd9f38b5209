"""The reference dataset reproduces every published figure of answer 526, and adds up."""

import re
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

import pytest

from cstraject.reporting.statistics import question_tables
from tests.reporting.tables import by_key, figures

HAS_REFERENCE = (resources.files("cstraject.reference") / "data" / "antwoord526.json").is_file()

pytestmark = [
    pytest.mark.skipif(not HAS_REFERENCE, reason="reference/data/antwoord526.json has not landed yet"),
    pytest.mark.usefixtures("reference_db"),
]

D = Decimal

# Published table 1a by province: (count, amount) per year.
PROVINCES = {
    "Antwerpen": {"2021": (24, "373733.00"), "2022": (2, "26119.67")},
    "Limburg": {"2021": (5, "69253.60"), "2022": (0, "0.00")},
    "Oost-Vlaanderen": {"2021": (14, "241430.34"), "2022": (4, "42688.80")},
    "Vlaams-Brabant": {"2021": (11, "158361.17"), "2022": (3, "47268.73")},
    "West-Vlaanderen": {"2021": (6, "92979.50"), "2022": (1, "16335.00")},
}
TOTALS = {"2021": (60, D("935757.61")), "2022": (10, D("132412.20"))}

# Published size table: counts exact, amounts in whole euros.
SIZES = {
    "micro": {"2021": (27, 400314), "2022": (5, 66588)},
    "klein": {"2021": (21, 344229), "2022": (3, 47475)},
    "middelgroot": {"2021": (12, 191216), "2022": (2, 18350)},
}

# Published sector table (label text as published; the two "Overige adviesbureaus" rows are one activity).
SECTORS_2021 = {
    "Activiteiten van notarissen": (1, "13694.18"),
    "Beroepsopleiding": (1, "16128.77"),
    "Bouw van civieltechnische werken voor elektriciteit en telecommunicatie": (1, "16335.00"),
    "Computerconsultancy-activiteiten": (4, "62171.69"),
    "Detailhandel in computers, randapparatuur en software in gespecialiseerde winkels": (2, "28552.22"),
    "Detailhandel in kranten en kantoorbehoeften in gespecialiseerde winkels": (1, "13694.18"),
    "Diverse ondersteunende activiteiten ten behoeve van voorzieningen": (1, "16335.00"),
    "Gegevensverwerking, webhosting en aanverwante activiteiten": (1, "16335.00"),
    "Groothandel in andere voedingsmiddelen, n.e.g.": (1, "13694.18"),
    "Groothandel in auto's en lichte bestelwagens (< of = 3,5 ton)": (1, "13694.18"),
    "Groothandel in elektrisch materiaal, inclusief installatiemateriaal": (2, "31907.70"),
    "Groothandel in foto- en filmapparatuur en in andere optische artikelen": (1, "15000.71"),
    "Groothandel in groenten en fruit, m.u.v. consumptieaardappelen": (2, "29648.03"),
    "Holdings": (1, "15953.85"),
    "Markt- en opinieonderzoekbureaus": (1, "26843.85"),
    "Ontwerpen en programmeren van computerprogramma's": (15, "218151.21"),
    "Overig speur- en ontwikkelingswerk op natuurwetenschappelijk gebied": (2, "39144.11"),
    # 6 (97,481.15) + 1 (13,694.18) in the published table, whose label text differed by one space.
    "Overige adviesbureaus op het gebied van bedrijfsbeheer; adviesbureaus op het gebied van bedrijfsvoering": (
        7,
        "111175.33",
    ),
    "Overige diensten op het gebied van informatietechnologie en computer": (4, "63846.71"),
    "Overige menselijke gezondheidszorg, n.e.g.": (1, "22825.44"),
    "Overige uitgeverijen van software": (2, "32670.00"),
    "Overige vormen van onderwijs": (1, "9136.17"),
    "Overige zakelijke dienstverlening, n.e.g.": (1, "15953.85"),
    "Particuliere beveiliging": (1, "14853.96"),
    "Uitgeverijen van kranten": (1, "13694.18"),
    "Verpakkingsbedrijven": (1, "16128.77"),
    "Vervaardiging van andere chemische producten, n.e.g.": (1, "19641.20"),
    "Vervaardiging van andere machines, apparaten en werktuigen voor specifieke doeleinden, n.e.g.": (1, "14853.96"),
    "Vervaardiging van veevoeders": (1, "13694.18"),
}
SECTORS_2022 = {
    "Computerconsultancy-activiteiten": (2, "32272.52"),
    "Ontwerpen en programmeren van computerprogramma's": (2, "39231.23"),
    "Overige adviesbureaus op het gebied van bedrijfsbeheer; adviesbureaus op het gebied van bedrijfsvoering": (
        1,
        "9801.00",
    ),
    "Overige diensten op het gebied van informatietechnologie en computer": (2, "24514.07"),
    "Vervaardiging van elektronische onderdelen": (1, "9801.00"),
    "Vervaardiging van ijzer en staal en van ferrolegeringen": (1, "8548.65"),
    "Vervaardiging van papier en karton": (1, "8243.73"),
}
PACKAGES = {
    "basis": {"2021": 50, "2022": 4},
    "light": {"2021": 5, "2022": 5},
    "basis+uitbreiding": {"2021": 4, "2022": 1},
    "light+uitbreiding": {"2021": 1, "2022": 0},
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
