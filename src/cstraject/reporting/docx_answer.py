"""The answer to question 526 as a Word document, as the minister's office would send it.

The question's parts in order (1 to 5); under each part the question verbatim, one or two generated Dutch
sentences with its main figures (`answer_text`), and its tables (caption, header rows repeated on every page,
Totaal in bold, the note with source and year basis). Parts without tables say what the records do not cover
yet; part 3 describes the control moments from the calls' parameters. A closing note gives the source and the
date of the data. Figures are formatted the way the active language writes them (Dutch unless asked otherwise)
and are the same as in the CSV (a test reads them back).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from cstraject.core.numbers import format_number

from . import question526
from .answer_text import eur, long_date, part_text
from .statistics import NO_DATA, SOURCE, TOTAL_LABEL, Table
from .workbook import DIMENSION_HEADERS

NOT_COMPUTABLE = "–"


def measure_unit(measure) -> str:
    unit = getattr(measure, "unit", "")
    return unit or ("euro" if measure.is_money else "count")


def format_cell(value, unit: str) -> str:
    """935.757,61 for amounts, 1.234 for counts, 12,5 % for shares, 4,21 for scores, – when not computable
    (in English 935,757.61, 1,234, 12.5 %, 4.21)."""
    if value is None:
        return NOT_COMPUTABLE
    if unit == "count":
        return format_number(int(value))
    if unit == "%":
        return f"{format_number(Decimal(value), places=1)} %"
    if unit == "score":
        return format_number(Decimal(value), places=2)
    return f"{'-' if Decimal(value) < 0 else ''}{format_number(abs(Decimal(value)), places=2)}"


def parse_cell(text: str, unit: str) -> Decimal | int | None:
    """The inverse of `format_cell` in the language it was written in (used by the tests that read the
    document back)."""
    text = text.strip()
    if text == NOT_COMPUTABLE:
        return None
    grouping, decimal = (",", ".") if get_format("DECIMAL_SEPARATOR") == "." else (".", ",")
    if unit == "count":
        return int(text.replace(grouping, ""))
    return Decimal(text.replace(" %", "").replace(grouping, "").replace(decimal, "."))


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cant_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _cell(cell, text: str, *, bold: bool = False, right: bool = False, size: float = 7.5) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


MAX_FIGURE_COLUMNS = 12  # per printed table; wider tables are split by years, the labels repeated
PAGE_WIDTH_CM = 26.7  # A4 landscape minus the margins
LABEL_WIDTH_CM = 3.6


def year_chunks(table: Table) -> list[tuple[str, ...]]:
    """The years of `table` in groups that fit one printed table (at least one year per group)."""
    per_chunk = max(1, MAX_FIGURE_COLUMNS // max(1, len(table.measures)))
    years = list(table.years)
    return [tuple(years[i : i + per_chunk]) for i in range(0, len(years), per_chunk)]


def _widths(grid, dims: int, figures: int) -> None:
    label = Cm(LABEL_WIDTH_CM if dims == 1 else LABEL_WIDTH_CM * 0.8)
    figure = Cm(max(1.2, (PAGE_WIDTH_CM - label.cm * dims) / max(figures, 1)))
    grid.autofit = False
    for index, column in enumerate(grid.columns):
        width = label if index < dims else figure
        column.width = width
        for cell in column.cells:
            cell.width = width


def _write_grid(document, table: Table, years: tuple[str, ...]) -> None:
    dims, per_year = len(table.dimensions), len(table.measures)
    columns = dims + len(years) * per_year
    size = 7.5 if columns <= 10 else 6.5
    grid = document.add_table(rows=2, cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    years_row, measures_row = grid.rows
    for row in (years_row, measures_row):
        _repeat_header(row)
    for col, name in enumerate(table.dimensions):
        top, bottom = years_row.cells[col], measures_row.cells[col]
        merged = top.merge(bottom)
        _cell(merged, str(DIMENSION_HEADERS.get(name, name.capitalize())), bold=True, size=size)
    for index, year in enumerate(years):
        first = dims + index * per_year
        cell = years_row.cells[first]
        if per_year > 1:
            cell = cell.merge(years_row.cells[first + per_year - 1])
        _cell(cell, year, bold=True, size=size)
        for offset, measure in enumerate(table.measures):
            _cell(measures_row.cells[first + offset], str(measure.label), bold=True, size=size)
    units = [measure_unit(m) for m in table.measures]
    for data_row in table.all_rows():
        cells = grid.add_row().cells
        _cant_split(grid.rows[-1])
        if data_row.is_total:
            _cell(cells[0], str(TOTAL_LABEL), bold=True, size=size)
        else:
            for col, label in enumerate(data_row.category):
                _cell(cells[col], label, size=size)
        for index, year in enumerate(years):
            for offset, measure in enumerate(table.measures):
                value = data_row.value(year, measure.key)
                _cell(
                    cells[dims + index * per_year + offset],
                    format_cell(value, units[offset]),
                    bold=data_row.is_total,
                    right=True,
                    size=size,
                )
    _widths(grid, dims, len(years) * per_year)


def _write_table(document, table: Table) -> None:
    caption = document.add_paragraph(style="Caption" if "Caption" in document.styles else None)
    caption.add_run(_("Tabel %(question)s: %(title)s") % {"question": table.question, "title": table.title}).bold = True
    if table.is_empty:
        document.add_paragraph(str(NO_DATA))
        _note(document, table)
        return
    chunks = year_chunks(table)
    for index, years in enumerate(chunks):
        if index:
            document.add_paragraph().add_run(
                _("Tabel %(question)s (vervolg): %(title)s") % {"question": table.question, "title": table.title}
            ).italic = True
        _write_grid(document, table, years)
    _note(document, table)


def _note(document, table: Table) -> None:
    note = document.add_paragraph()
    text = _("Bron: %(source)s. %(year_basis)s") % {"source": table.source, "year_basis": table.year_basis}
    run = note.add_run(text + (f" {table.note}" if table.note else ""))
    run.italic = True
    run.font.size = Pt(8)


def _control_process() -> list[str]:
    """Part 3, generated from the workflow table and the control kinds (cstraject.controls.answers), as in the
    workbook: the text cannot drift from what the system does."""
    from cstraject.controls.answers import control_process

    process = control_process()
    return [*process.paragraphs, _("Schema (gemaakt uit de workflow en de controlesoorten):"), *process.diagram]


def write_docx(
    *, tables: list[Table], target: str | BinaryIO, year_from: int, year_to: int, data_date: date | None = None
) -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10)
    period = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
    document.core_properties.title = question526.TITLE
    document.core_properties.author = "cstraject"

    document.add_heading(_("Antwoord op schriftelijke vraag nr. 526 - Cybersecurity verbetertrajecten"), level=0)
    document.add_paragraph(question526.TITLE)
    document.add_paragraph(
        _("Periode: %(period)s. Cijfers per jaar uit de eigen dossiers (%(source)s).")
        % {"period": period, "source": SOURCE}
    )

    by_question: dict[str, list[Table]] = {}
    for table in tables:
        by_question.setdefault(table.question, []).append(table)
    for code, question in question526.QUESTIONS:
        if not code:
            document.add_heading(_("Cijfers in Excel"), level=1)
            document.add_paragraph(
                _(
                    "Alle cijfers van dit antwoord staan ook in het Excel-werkboek (antwoord.xlsx) en, één cijfer per "
                    "rij, in cijfers.csv."
                )
            )
            continue
        document.add_heading(_("Vraag %(question)s") % {"question": code}, level=1 if len(code) == 1 else 2)
        document.add_paragraph().add_run(question).italic = True
        for sentence in part_text(code, tables):
            document.add_paragraph(sentence)
        if code == "3":
            for paragraph in _control_process():
                document.add_paragraph(paragraph)
        elif code not in by_question and code in question526.NOT_IN_THIS_REPORT:
            document.add_paragraph(str(question526.NOT_IN_THIS_REPORT[code]))
        for table in by_question.get(code, []):
            _write_table(document, table)

    document.add_heading(_("Bron en datum"), level=1)
    closing = _("Bron: %(source)s. ") % {"source": SOURCE}
    if data_date:
        closing += _("Gegevens tot en met %(date)s; ") % {"date": long_date(data_date)}
    closing += _(
        "opgemaakt op %(date)s. Bedragen zijn exact tot op de cent; elk totaal is de som van de "
        "bedragen die het dekt. Elke tabel vermeldt welke datum het jaar bepaalt."
    ) % {"date": long_date(date.today())}
    granted = next((t for t in tables if t.key == "1a_toegekend_provincie"), None)
    if granted is not None and granted.total is not None:
        amount = sum((granted.total.figure(y, "bedrag") for y in granted.years), Decimal(0))
        closing += _(" In totaal werd over %(period)s %(amount)s steun toegekend.") % {
            "period": period,
            "amount": eur(amount),
        }
    document.add_paragraph(closing)
    document.save(target)
