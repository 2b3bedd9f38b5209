"""The Word answer: parts 1a to 5 in order, generated sentences, and every table figure equal to the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document

from cstraject.reference.loader import load_reference
from cstraject.reporting.csv_export import format_value
from cstraject.reporting.docx_answer import format_cell, measure_unit, parse_cell, year_chunks
from cstraject.reporting.report import write_report
from tests.reporting.test_outputs import workbook_figures


@pytest.fixture
def answer(db, tmp_path):
    load_reference(include_impact=True)
    docx_path, csv_path = tmp_path / "antwoord.docx", tmp_path / "cijfers.csv"
    call_command(
        "report", "--from", "2021", "--to", "2025", "--format", "docx", "-o", str(docx_path), stdout=io.StringIO()
    )
    tables = write_report(year_from=2021, year_to=2025, target=csv_path, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    return Document(str(docx_path)), tables, rows


def test_format_and_parse_are_inverse():
    for value, unit, text in (
        (Decimal("935757.61"), "euro", "935.757,61"),
        (1234, "count", "1.234"),
        (Decimal("12.5"), "%", "12,5 %"),
        (Decimal("4.21"), "score", "4,21"),
        (None, "%", "–"),
    ):
        assert format_cell(value, unit) == text
        assert parse_cell(text, unit) == value


def test_docx_parts_sentences_and_every_figure_equal_to_the_csv(answer):
    document, tables, rows = answer
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    parts = [h.removeprefix("Vraag ") for h in headings if h.startswith("Vraag ")]
    assert parts == ["1", "1a", "1b", "1c", "1d", "1e", "1f", "1g", "2", "2a", "2b", "2c", "3", "4", "5"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "In 2021 werden 60 dossiers toegekend voor in totaal EUR 935.757,61; in 2022 10 dossiers voor EUR 132.412,20"
        in text
    )
    assert "CyberFundamentals" in text and "betrouwbaarheid" in text
    assert "Bron en datum" in headings and "Gegevens tot en met" in text

    from_csv = {(r["table"], r["category"], r["year"], r["measure"]): r["value"] for r in rows}
    captions = [p.text for p in document.paragraphs if p.text.startswith("Tabel ") and "(vervolg)" not in p.text]
    by_title = {f"Tabel {t.question}: {t.title}": t for t in tables}
    assert len(by_title) == len(tables)  # titles identify the tables
    written = [by_title[c] for c in captions]
    assert [t.key for t in written] == [t.key for t in tables if t.key in {w.key for w in written}]
    grids = iter(document.tables)
    checked = 0
    for table in written:
        if table.is_empty:
            continue
        for years in year_chunks(table):  # wide tables are split by years, the labels repeated
            grid = next(grids)
            dims, per_year = len(table.dimensions), len(table.measures)
            body = grid.rows[2:]
            assert len(body) == len(table.all_rows())
            for docx_row, row in zip(body, table.all_rows()):
                cells = [c.text for c in docx_row.cells]
                label = "Totaal" if row.is_total else ",".join(cells[:dims])
                assert label == row.label
                assert len(cells) == dims + len(years) * per_year
                for index, year in enumerate(years):
                    for offset, measure in enumerate(table.measures):
                        text = cells[dims + index * per_year + offset]
                        value = parse_cell(text, measure_unit(measure))
                        assert format_value(value) == from_csv[(table.key, row.label, year, measure.key)], (
                            table.key,
                            row.label,
                            year,
                            measure.key,
                        )
                        checked += 1
    assert checked == len(rows)  # every figure of the CSV is in the document


def test_every_workbook_figure_equals_the_csv_with_themes_and_impact(db, tmp_path):
    """The same check as test_outputs, on data where 1e and 5 are filled (shares, scores, empty cells)."""
    load_reference(include_impact=True)
    xlsx, csv_path = tmp_path / "antwoord.xlsx", tmp_path / "cijfers.csv"
    tables = write_report(year_from=2022, year_to=2025, target=xlsx, fmt="xlsx")
    write_report(year_from=2022, year_to=2025, target=csv_path, fmt="csv")
    from_csv = {
        (r["table"], r["category"], r["year"], r["measure"]): r["value"]
        for r in csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8")))
    }
    from_book = workbook_figures(xlsx, tables)
    assert set(from_book) == set(from_csv)
    impact = [key for key in from_csv if key[0].startswith(("1e_", "5_"))]
    assert len(impact) > 1000 and any(from_csv[key] == "" for key in impact)
    units = {(t.key, m.key): measure_unit(m) for t in tables for m in t.measures}
    for key, cell in from_book.items():
        if from_csv[key] == "":
            assert cell.value is None, key
        elif units[(key[0], key[3])] == "count":
            assert cell.value == int(from_csv[key]), key
        else:
            assert Decimal(repr(cell.value)).quantize(Decimal("0.01")) == Decimal(from_csv[key]), key
