"""The CSV, the workbook, write_report() and the `report` command, on real files."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cstraject.dossiers.models import DossierStatus
from cstraject.reporting.csv_export import HEADER
from cstraject.reporting.impact_tables import measure_unit
from cstraject.reporting.report import write_report
from cstraject.reporting.statistics import question_tables
from cstraject.reporting.workbook import sheet_title
from tests.factories import CompanyFactory, DossierFactory, NaceCodeFactory
from tests.reporting.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers():
    """A handful of dossiers over two years, provinces, sizes, packages, outcomes, with payments."""
    consultancy = NaceCodeFactory(code="70220", label_nl="Overige adviesbureaus op het gebied van bedrijfsbeheer")
    specs = [
        ("2000", "micro", "basis", "30000.00", date(2021, 3, 1), DossierStatus.APPROVED),
        ("2000", "klein", "light", "18000.00", date(2021, 9, 1), DossierStatus.FINISHED),
        ("9000", "middelgroot", "basis+uitbreiding", "25150.01", date(2021, 11, 5), DossierStatus.IN_PROGRESS),
        ("3500", "micro", "light+uitbreiding", "20000.00", date(2022, 2, 7), DossierStatus.APPROVED),
        ("8000", "groot", "basis", "30000.00", date(2021, 4, 1), DossierStatus.REJECTED),
    ]
    made = []
    for index, (postal_code, size, mix, quote, decided, status) in enumerate(specs):
        company = CompanyFactory(postal_code=postal_code, **({"nace_code": consultancy} if index % 2 else {}))
        made.append(
            DossierFactory(
                company=company,
                size_class=size,
                package_mix=mix,
                quote_excl_vat=Decimal(quote),
                status=status,
                submitted_date=date(decided.year, 1, 10),
                decided_date=decided,
                lines=False,
            )
        )
    PaymentFactory(dossier=made[1], tranche=1, amount=Decimal("5880.60"), payment_date=date(2021, 12, 15))
    PaymentFactory(dossier=made[1], tranche=2, amount=Decimal("3920.40"), payment_date=date(2022, 3, 1))
    return made


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def csv_figures(rows: list[dict]) -> dict[tuple, str]:
    return {(r["table"], r["category"], r["year"], r["measure"]): r["value"] for r in rows}


def workbook_figures(path, tables) -> dict[tuple, object]:
    """Every figure of the workbook, located by reading its sheets (labels, years, measures from the cells)."""
    book = openpyxl.load_workbook(path)
    found = {}
    for table in tables:
        sheet = book[sheet_title(table.question)]
        cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
        start = next(i for i, row in enumerate(cells) if row[0] == table.title)
        dims, per_year = len(table.dimensions), len(table.measures)
        year_row, measure_row = cells[start + 1], cells[start + 2]
        columns = []
        for col in range(dims, dims + len(table.years) * per_year):
            year = year_row[dims + (col - dims) // per_year * per_year]
            columns.append((col, str(year), measure_row[col]))
        index = start + 3
        while not table.is_empty:
            row = cells[index]
            is_total = row[0] == "Totaal"
            category = "Totaal" if is_total else ",".join(str(v) for v in row[:dims])
            keys = {m.label: m.key for m in table.measures}
            for col, year, measure_label in columns:
                found[(table.key, category, year, keys[measure_label])] = sheet.cell(index + 1, col + 1)
            index += 1
            if is_total:
                break
        note = cells[index][0] if not table.is_empty else cells[index + 1][0]
        assert note.startswith("Bron: cstraject, eigen dossiers."), note
        assert table.year_basis in note
    return found


def test_csv_is_tidy_long_form(dossiers, tmp_path):
    target = tmp_path / "cijfers.csv"
    write_report(year_from=2021, year_to=2022, target=target, fmt="csv")
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "question,table,dimension,category,year,measure,value"
    rows = read_csv(text)
    assert list(rows[0]) == HEADER
    for row in rows:
        assert re.fullmatch(r"1[a-g]|2a?|4|5", row["question"])  # 2, 2a: controls; 4: the red flags
        if row["question"] in (
            "1e",
            "4",
            "5",
        ):  # themes, red flags, impact: counts, amounts, shares, scores; empty = n/a
            assert re.fullmatch(r"(-?\d+(\.\d\d)?)?", row["value"]), row
            continue
        counts = {"aantal", "onregelmatigheid", "fraude"}
        assert row["measure"] in counts | {"bedrag", "uitbetaald"}
        pattern = r"\d+" if row["measure"] in counts else r"\d+\.\d\d"
        assert re.fullmatch(pattern, row["value"]), row
        assert (row["dimension"] == "totaal") == (row["category"] == "Totaal")
    figures = csv_figures(rows)
    assert figures[("1a_toegekend_provincie", "Antwerpen", "2021", "bedrag")] == "26136.00"
    assert figures[("1a_toegekend_provincie", "Totaal", "2022", "uitbetaald")] == "3920.40"
    assert figures[("1f_pakket_grootte", "basis,micro", "2021", "aantal")] == "1"
    cross = [r for r in rows if r["table"] == "1f_pakket_grootte" and r["category"] == "basis,micro"]
    assert {r["dimension"] for r in cross} == {"pakket,grootte"}
    assert figures[("1b_aanvragen_grootte", "groot,afgewezen", "2021", "aantal")] == "1"


def test_workbook_figures_equal_the_csv_figures(dossiers, tmp_path):
    xlsx, csv_path = tmp_path / "antwoord.xlsx", tmp_path / "cijfers.csv"
    tables = write_report(year_from=2021, year_to=2022, target=xlsx, fmt="xlsx")
    write_report(year_from=2021, year_to=2022, target=csv_path, fmt="csv")
    from_csv = csv_figures(read_csv(csv_path.read_text(encoding="utf-8")))
    from_book = workbook_figures(xlsx, tables)
    assert set(from_book) == set(from_csv)
    assert len(from_csv) > 100
    units = {(t.key, m.key): measure_unit(m) for t in tables for m in t.measures}
    for key, cell in from_book.items():
        assert cell.data_type == "n", key  # a number, not text
        unit = units[(key[0], key[3])]
        if from_csv[key] == "":  # not computable (e.g. no answers): an empty cell, not 0
            assert cell.value is None, key
        elif unit == "count":
            assert cell.value == int(from_csv[key]), key
            assert cell.number_format == "#,##0"
        else:
            assert Decimal(repr(cell.value)).quantize(Decimal("0.01")) == Decimal(from_csv[key]), key
            assert {"euro": "€", "%": "%", "score": "0.00"}[unit] in cell.number_format, key


def test_workbook_front_sheet_has_the_questions_the_period_and_the_data_date(dossiers, tmp_path):
    target = tmp_path / "antwoord.xlsx"
    write_report(year_from=2021, year_to=2022, target=target, fmt="xlsx")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Voorblad",
        "1a toegekende steun",
        "1b aanvragen",
        "1c steunverkrijgers",
        "1d aanvragen per bedrijf",
        "1e thema's",
        "1f pakketten",
        "1g niet afgewerkt",
        "2 controles",
        "2a onregelmatigheden",
        "2b terugvorderingen",
        "2c inningen",
        "3 controleproces",
        "4 rode vlaggen",
        "5 impact",
    ]
    front = {row[0]: row[1:] for row in book["Voorblad"].iter_rows(values_only=True) if row[0]}
    assert front["Periode"][0] == "2021-2022"
    # The latest date in the records: the second tranche paid on 1 March 2022.
    assert front["Gegevens tot en met"][0].date() == date(2022, 3, 1)
    assert front["1d"][0].startswith(
        "De hoeveelheid aanvragen per bedrijf per subsidie. I.e. een bedrijf dat meerdere keren"
    )
    assert front["1a"][1].startswith("Blad '1a toegekende steun'")
    assert front["1e"][1].startswith("Blad '1e thema's'") and front["5"][1].startswith("Blad '5 impact'")
    size_sheet = [row for row in book["1a toegekende steun"].iter_rows(values_only=True) if row[0]]
    assert any("935.757,61" in str(row[0]) and "exact" in str(row[0]) for row in size_sheet)


def test_empty_period_writes_empty_tables_with_a_note(tmp_path):
    target = tmp_path / "leeg.xlsx"
    tables = write_report(year_from=2030, year_to=2030, target=target, fmt="xlsx")
    assert all(table.is_empty for table in tables)
    values = [row[0] for row in openpyxl.load_workbook(target)["1a toegekende steun"].iter_rows(values_only=True)]
    assert "Geen gegevens voor deze periode" in values
    stream = io.StringIO()
    write_report(year_from=2030, year_to=2030, target=stream, fmt="csv")
    assert stream.getvalue() == ",".join(HEADER) + "\n"


def test_write_report_to_a_binary_stream_and_refuses_unknown_format(dossiers):
    stream = io.BytesIO()
    write_report(year_from=2021, year_to=2021, target=stream, fmt="xlsx")
    assert openpyxl.load_workbook(io.BytesIO(stream.getvalue())).sheetnames[0] == "Voorblad"
    with pytest.raises(ValueError, match="formaat"):
        write_report(year_from=2021, year_to=2021, target=stream, fmt="pdf")


def test_report_command_writes_xlsx_and_csv(dossiers, tmp_path):
    xlsx, csv_path = tmp_path / "antwoord.xlsx", tmp_path / "cijfers.csv"
    out = io.StringIO()
    call_command("report", "--from", "2021", "--to", "2022", "-o", str(xlsx), stdout=out)
    call_command(
        "report",
        "--from",
        "2021",
        "--to",
        "2022",
        "--format",
        "csv",
        "--sector-level",
        "division",
        "-o",
        str(csv_path),
        stdout=out,
    )
    assert "34 tabellen" in out.getvalue()  # 28 of questions 1, 2b, 2c and 5; 5 of 2 and 2a; 1 of 4
    assert openpyxl.load_workbook(xlsx)["1a toegekende steun"]["A1"].value == "Vraag 1a"
    rows = read_csv(csv_path.read_text(encoding="utf-8"))
    sectors = {r["category"] for r in rows if r["table"] == "1a_toegekend_sector"}
    assert sectors == {
        "62 Computer programming, consultancy and related activities",
        "70 Activities of head offices; management consultancy activities",
        "Totaal",
    }


def test_report_command_says_when_it_cannot_write(tmp_path):
    with pytest.raises(CommandError, match="Kan .*geen-map/x.xlsx niet schrijven"):
        call_command("report", "--from", "2021", "--to", "2022", "-o", str(tmp_path / "geen-map" / "x.xlsx"))


def test_question_tables_match_the_csv_for_division_level(dossiers):
    tables = question_tables(year_from=2021, year_to=2022, sector_level="division")
    stream = io.StringIO()
    from cstraject.reporting.csv_export import write_csv

    count = write_csv(tables=tables, target=stream)
    assert count == sum(1 for table in tables for _ in table.figures())


def test_report_in_english_when_asked(dossiers, tmp_path):
    """`report --lang en`: sheets, titles, headers, labels and notes in English, figures the English way;
    without --lang the workbook stays Dutch (and so does the language active afterwards)."""
    target = tmp_path / "answer.xlsx"
    out = io.StringIO()
    call_command("report", "--from", "2021", "--to", "2022", "-o", str(target), "--lang", "en", stdout=out)
    assert "2021-2022" in out.getvalue()  # the command itself speaks Dutch, the report is English
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["Cover sheet", "1a granted support", "1b applications"]
    assert "3 control process" in book.sheetnames
    front = {row[0]: row[1:] for row in book["Cover sheet"].iter_rows(values_only=True) if row[0]}
    assert front["Period"][0] == "2021-2022" and front["Source"][0] == "cstraject, own dossiers"
    assert front["1a"][1].startswith("Sheet '1a granted support': Granted and paid support per province")
    cells = [str(c) for row in book["1a granted support"].iter_rows(values_only=True) for c in row if c]
    assert "Granted and paid support per company size" in cells
    assert {"Province", "Size", "Number", "Amount", "Paid out", "Total"} <= set(cells)
    assert "Antwerp" in cells and "Antwerpen" not in cells  # provinces by their English name
    assert any("935,757.61" in c and "exact to the cent" in c for c in cells)
    assert not any("Toegekende" in c or c == "Totaal" for c in cells)
    outcomes = {str(row[0]) for row in book["1b applications"].iter_rows(values_only=True) if row[0]}
    assert "granted" in outcomes and "toegekend" not in outcomes

    dutch = tmp_path / "antwoord.xlsx"
    call_command("report", "--from", "2021", "--to", "2022", "-o", str(dutch), stdout=io.StringIO())
    assert openpyxl.load_workbook(dutch).sheetnames[:2] == ["Voorblad", "1a toegekende steun"]


def test_report_in_english_as_a_word_document(dossiers, tmp_path):
    import docx

    target = tmp_path / "answer.docx"
    write_report(year_from=2021, year_to=2022, target=target, fmt="docx", language="en")
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Answer to written question no. 526" in text and "Question 1a" in text
    assert "In 2021, 3 dossiers were granted for a total of EUR" in text
    with pytest.raises(ValueError, match="Onbekende taal 'fr'"):
        write_report(year_from=2021, year_to=2022, target=target, fmt="docx", language="fr")


def test_report_command_refuses_an_unknown_language(tmp_path):
    with pytest.raises(CommandError, match="Onbekende taal 'de'; kies uit nl, en"):
        call_command("report", "--from", "2021", "--to", "2022", "-o", str(tmp_path / "x.xlsx"), "--lang", "de")
