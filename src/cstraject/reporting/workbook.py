"""The answer to question 526 as an Excel workbook, in the active language (Dutch unless asked otherwise:
`cstraject report --lang en`).

A front sheet (title, the questions verbatim, the period, the data date,
which table answers which question), then one sheet per sub-question with
its tables laid out like the published answer: categories down, years as
column groups of "Aantal", "Bedrag" (and "Uitbetaald"), a Totaal row, and
a note with the source and the date that defines the year. Figures are
written as numbers (amounts with a euro format), never as text.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import question526
from .answer_text import part_text
from .engine import DIMENSION_HEADERS
from .statistics import SOURCE, TOTAL_LABEL, Table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SHEET_TITLES: dict[str, StrOrPromise] = {
    "1a": gettext_lazy("1a toegekende steun"),
    "1b": gettext_lazy("1b aanvragen"),
    "1c": gettext_lazy("1c steunverkrijgers"),
    "1d": gettext_lazy("1d aanvragen per bedrijf"),
    "1f": gettext_lazy("1f pakketten"),
    "1g": gettext_lazy("1g niet afgewerkt"),
    "2": gettext_lazy("2 controles"),
    "2a": gettext_lazy("2a onregelmatigheden"),
    "2b": gettext_lazy("2b terugvorderingen"),
    "2c": gettext_lazy("2c inningen"),
    "3": gettext_lazy("3 controleproces"),
    "4": gettext_lazy("4 rode vlaggen"),
    "1e": gettext_lazy("1e thema's"),
    "5": gettext_lazy("5 impact"),
}
EURO_FORMAT = '#,##0.00 "€"'
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = '0.0" %"'
SCORE_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"


def sheet_title(question: str) -> str:
    return str(SHEET_TITLES.get(question, question))[:31]


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.question = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.bold = book.add_format({"bold": True})
        self.date = book.add_format({"num_format": DATE_FORMAT, "align": "left"})
        self.header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True})
        self.year = book.add_format({"bold": True, "align": "center", "bg_color": "#DDEBF7", "border": 1})
        self.category = book.add_format({"text_wrap": True, "valign": "top"})
        self.count = book.add_format({"num_format": COUNT_FORMAT, "valign": "top"})
        self.euro = book.add_format({"num_format": EURO_FORMAT, "valign": "top"})
        self.total_label = book.add_format({"bold": True, "top": 1})
        self.total_count = book.add_format({"bold": True, "top": 1, "num_format": COUNT_FORMAT})
        self.total_euro = book.add_format({"bold": True, "top": 1, "num_format": EURO_FORMAT})
        self.percent = book.add_format({"num_format": PERCENT_FORMAT, "valign": "top"})
        self.score = book.add_format({"num_format": SCORE_FORMAT, "valign": "top"})
        self.total_percent = book.add_format({"bold": True, "top": 1, "num_format": PERCENT_FORMAT})
        self.total_score = book.add_format({"bold": True, "top": 1, "num_format": SCORE_FORMAT})
        self.mono = book.add_format({"font_name": "Consolas", "valign": "top"})
        self.note = book.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})

    def for_measure(self, measure, *, total: bool):
        """The number format of a measure: euro, count, % or score (see reporting.impact_tables.RatioMeasure)."""
        unit = getattr(measure, "unit", "") or ("euro" if measure.is_money else "count")
        name = {"euro": "euro", "count": "count", "%": "percent", "score": "score"}[unit]
        return getattr(self, f"total_{name}" if total else name)


def _number(value: Decimal | int) -> float | int:
    """Amounts to the cent survive the float Excel stores (15 significant digits)."""
    return float(value) if isinstance(value, Decimal) else int(value)


def _write_front_sheet(book, formats: _Formats, *, tables: list[Table], year_from: int, year_to: int, data_date: date):
    sheet = book.add_worksheet(_("Voorblad"))
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    sheet.set_column(2, 2, 45)
    sheet.write(0, 0, _("Antwoord op schriftelijke vraag nr. 526 - Cybersecurity verbetertrajecten"), formats.title)
    sheet.write(1, 0, question526.TITLE, formats.question)
    period = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
    row = 3
    for label, value, fmt in (
        (_("Periode"), period, None),
        (_("Gegevens tot en met"), data_date, formats.date),
        (_("Opgemaakt op"), date.today(), formats.date),
        (_("Bron"), str(SOURCE), None),
    ):
        sheet.write(row, 0, label, formats.bold)
        if isinstance(value, date):
            sheet.write_datetime(row, 1, value, fmt)
        else:
            sheet.write(row, 1, value)
        row += 1
    row += 1
    sheet.write(row, 0, _("Vraag"), formats.header)
    sheet.write(row, 1, _("Tekst van de vraag"), formats.header)
    sheet.write(row, 2, _("Beantwoord in"), formats.header)
    row += 1
    answered: dict[str, list[Table]] = {}
    for table in tables:
        answered.setdefault(table.question, []).append(table)
    for code, text in question526.QUESTIONS:
        sheet.write(row, 0, code, formats.bold)
        sheet.write(row, 1, text, formats.wrap)
        if code in answered:
            where = _("Blad '%(sheet)s': %(tables)s") % {
                "sheet": sheet_title(code),
                "tables": "; ".join(t.title for t in answered[code]),
            }
        else:
            where = str(question526.NOT_IN_THIS_REPORT.get(code, ""))
        sheet.write(row, 2, where, formats.wrap)
        sheet.set_row(row, 15 * max(_lines(text, 100), _lines(where, 45)))
        row += 1
    row += 1
    sheet.write(row, 0, _("Tabellen"), formats.heading)
    row += 1
    for header_col, header in enumerate((_("Blad"), _("Tabel"), _("Jaar bepaald door"))):
        sheet.write(row, header_col, header, formats.header)
    row += 1
    for table in tables:
        sheet.write(row, 0, sheet_title(table.question))
        sheet.write(row, 1, table.title, formats.wrap)
        sheet.write(row, 2, table.year_basis, formats.wrap)
        sheet.set_row(row, 15 * max(_lines(table.title, 100), _lines(table.year_basis, 45)))
        row += 1
    _print_layout(sheet, [])


CATEGORY_WIDTH = 55  # characters in column A
CHART_ROW_PX = 20


def _lines(text: str, width: int) -> int:
    """Lines a wrapped text needs in a column of `width` characters (roughly)."""
    return max(1, math.ceil(len(text) / max(width - 4, 1)))


def _chart_measure(table: Table):
    """The figure the chart shows: the amount, else the count; the impact tables their mean maturity gain."""
    plain = [m for m in table.measures if not getattr(m, "unit", "")]
    return next((m for m in plain if m.is_money), None) or next(
        (m for m in table.measures if m.key == "winst"), plain[0] if plain else table.measures[0]
    )


def _add_chart(book, sheet, table: Table, *, first_row: int, last_row: int, anchor_row: int, anchor_col: int) -> int:
    """A native bar chart of the table beside it (rows without Totaal, one series per year); returns its rows."""
    measure = _chart_measure(table)
    index = table.measures.index(measure)
    dims, per_year = len(table.dimensions), len(table.measures)
    chart = book.add_chart({"type": "bar"})
    for year_index, year in enumerate(table.years):
        col = dims + year_index * per_year + index
        chart.add_series(
            {
                "name": str(year),
                "categories": [sheet.name, first_row, 0, last_row, dims - 1],
                "values": [sheet.name, first_row, col, last_row, col],
                "gap": 60,
            }
        )
    chart.set_title({"name": table.title, "name_font": {"size": 10, "bold": True}})
    chart.set_x_axis({"name": measure.label, "num_font": {"size": 8}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_legend({"position": "bottom"})
    rows = last_row - first_row + 1
    height = min(max(300, 60 + rows * len(table.years) * 12), 1400)
    chart.set_size({"width": 520, "height": height})
    sheet.insert_chart(anchor_row, anchor_col, chart, {"x_offset": 10, "y_offset": 0, "object_position": 1})
    return math.ceil(height / CHART_ROW_PX)


def _write_table(book, sheet, formats: _Formats, table: Table, row: int, widths: list[int]) -> int:
    """Write one table from `row` on, with its chart beside it; returns the next free row."""
    start = row
    dims = len(table.dimensions)
    per_year = len(table.measures)
    sheet.write(row, 0, table.title, formats.heading)
    row += 1
    for col, name in enumerate(table.dimensions):
        sheet.merge_range(row, col, row + 1, col, str(DIMENSION_HEADERS.get(name, name.capitalize())), formats.header)
    for index, year in enumerate(table.years):
        first = dims + index * per_year
        if per_year > 1:
            sheet.merge_range(row, first, row, first + per_year - 1, year, formats.year)
        else:
            sheet.write(row, first, year, formats.year)
        for offset, measure in enumerate(table.measures):
            sheet.write(row + 1, first + offset, str(measure.label), formats.header)
    # Measure labels wrap in their 15-character columns: room for them.
    sheet.set_row(row + 1, 15 * max(_lines(str(m.label), 15) for m in table.measures))
    row += 2
    if table.is_empty:
        sheet.write(row, 0, _("Geen gegevens voor deze periode"), formats.category)
        row += 1
    first_data = row
    for data_row in table.all_rows():
        if data_row.is_total:
            sheet.write(row, 0, str(TOTAL_LABEL), formats.total_label)
            for col in range(1, dims):
                sheet.write_blank(row, col, None, formats.total_label)
        else:
            for col, label in enumerate(data_row.category):
                sheet.write(row, col, label, formats.category)
            lines = max(_lines(label, width) for label, width in zip(data_row.category, widths))
            if lines > 1:  # wrapped sector labels get the height they need, never overlap the row below
                sheet.set_row(row, 15 * lines)
        for index, year in enumerate(table.years):
            for offset, measure in enumerate(table.measures):
                value = data_row.value(year, measure.key)
                fmt = formats.for_measure(measure, total=data_row.is_total)
                if value is None:  # cannot be computed (no answers): an empty cell, never a misleading 0
                    sheet.write_blank(row, dims + index * per_year + offset, None, fmt)
                else:
                    sheet.write_number(row, dims + index * per_year + offset, _number(value), fmt)
        row += 1
    last_col = max(dims + len(table.years) * per_year - 1, 1)
    chart_rows = 0
    if table.rows:
        chart_rows = _add_chart(
            book, sheet, table, first_row=first_data, last_row=first_data + len(table.rows) - 1,
            anchor_row=start, anchor_col=last_col + 2,
        )  # fmt: skip
    note = _("Bron: %(source)s. %(year_basis)s") % {"source": table.source, "year_basis": table.year_basis}
    if table.note:
        note += f" {table.note}"
    sheet.merge_range(row, 0, row, last_col, note, formats.note)
    width = sum(widths[:dims]) + 15 * (last_col - dims + 1)
    sheet.set_row(row, 15 * max(2, _lines(note, width) + 1))
    return max(row + 3, start + chart_rows + 2)


def _write_question_sheet(book, formats: _Formats, question: str, tables: list[Table], all_tables) -> None:
    sheet = book.add_worksheet(sheet_title(question))
    widest = max(len(t.dimensions) for t in tables)
    # Column A for the first category; the next category columns as wide as their labels need (max 45).
    widths = [CATEGORY_WIDTH] + [
        min(45, max([12] + [len(row.category[i]) + 2 for t in tables for row in t.rows if len(row.category) > i]))
        for i in range(1, widest)
    ]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_column(widest, widest + 80, 15)
    text = dict(question526.QUESTIONS).get(question, "")
    sheet.write(0, 0, _("Vraag %(question)s") % {"question": question}, formats.title)
    span = max(widest + 5, 6)
    sheet.merge_range(1, 0, 1, span, text, formats.question)
    sheet.set_row(1, 45)
    row = 3
    for sentence in part_text(question, all_tables):  # the answer's text, generated from the figures
        sheet.merge_range(row, 0, row, span, sentence, formats.wrap)
        sheet.set_row(row, 15 * (_lines(sentence, CATEGORY_WIDTH + 15 * (span - 1)) + 1))
        row += 1
    row += 1
    breaks = []
    for index, table in enumerate(tables):
        if index:
            breaks.append(row)  # every table starts on a new printed page
        row = _write_table(book, sheet, formats, table, row, widths)
    # The print area holds the text and the tables; the charts beside them are for the screen, so the
    # printed tables, scaled to one page wide, stay legible.
    widest_table = max(len(t.dimensions) + len(t.years) * len(t.measures) for t in tables)
    _print_layout(sheet, breaks)
    sheet.print_area(0, 0, row, max(widest_table - 1, span))


def _print_layout(sheet, breaks: list[int]) -> None:
    """Landscape A4, one page wide, the sheet's title repeated on every page, a page per table."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header("&L&8cstraject - antwoord op vraag 526&R&8&A")
    sheet.set_footer("&C&8Pagina &P van &N")
    if breaks:
        sheet.set_h_pagebreaks(breaks)


def write_workbook(
    *, tables: list[Table], target: str | BinaryIO, year_from: int, year_to: int, data_date: date | None = None
) -> None:
    """Write the workbook to a path or a binary stream.

    `data_date`: the latest date in the records (statistics.data_date()); today if not given.
    """
    book = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties(
        {"title": question526.TITLE, "author": "cstraject", "comments": _("Bron: %(source)s") % {"source": SOURCE}}
    )
    formats = _Formats(book)
    _write_front_sheet(
        book, formats, tables=tables, year_from=year_from, year_to=year_to, data_date=data_date or date.today()
    )
    by_question: dict[str, list[Table]] = {}
    for table in tables:
        by_question.setdefault(table.question, []).append(table)
    order = [code for code, _text in question526.QUESTIONS]
    written_process = False  # question 3 is text (the control process), written where it belongs
    ordered = sorted(by_question.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    for question, question_tables in ordered:
        if not written_process and question in order and order.index(question) > order.index("3"):
            _write_control_process_sheet(book, formats)
            written_process = True
        _write_question_sheet(book, formats, question, question_tables, tables)
    if not written_process:
        _write_control_process_sheet(book, formats)
    book.close()


def _write_control_process_sheet(book, formats: _Formats) -> None:
    """Question 3: the control process, text and diagram generated from the code (cstraject.controls.answers)."""
    from cstraject.controls.answers import control_process

    process = control_process()
    sheet = book.add_worksheet(sheet_title("3"))
    sheet.set_column(0, 0, 140)
    sheet.write(0, 0, _("Vraag %(question)s") % {"question": "3"}, formats.title)
    sheet.write(1, 0, dict(question526.QUESTIONS)["3"], formats.question)
    row = 3
    sheet.write(row, 0, _("Het controleproces"), formats.heading)
    row += 1
    for paragraph in process.paragraphs:
        sheet.write(row, 0, paragraph, formats.wrap)
        sheet.set_row(row, 15 * max(2, len(paragraph) // 120 + 1))
        row += 1
    row += 1
    sheet.write(row, 0, _("Schema (gegenereerd uit de workflow en de controlesoorten)"), formats.heading)
    row += 1
    for line in process.diagram:
        sheet.write(row, 0, line, formats.mono)
        row += 1
    row += 1
    sheet.write(
        row,
        0,
        _(
            "Deze tekst en dit schema worden gemaakt uit de workflowtabel en de controlesoorten van cstraject, "
            "niet met de hand geschreven: ze beschrijven wat het systeem doet."
        ),
        formats.note,
    )
    _print_layout(sheet, [])
    sheet.print_area(0, 0, row, 0)
