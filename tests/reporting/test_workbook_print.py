"""The workbook prints well: converted to PDF by LibreOffice, every table starts on its own page, fits one
page wide, and each row's label and figures land on the same page.

Needs Debian's `libreoffice-calc-nogui` (libreoffice --headless) and `poppler-utils` (pdftotext, pdfinfo).
"""

import re
import shutil
import subprocess

import openpyxl
import pytest

from cstraject.reference.loader import load_reference
from cstraject.reporting.report import write_report
from cstraject.reporting.workbook import sheet_title

pytestmark = pytest.mark.skipif(
    not (shutil.which("libreoffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs libreoffice-calc-nogui and poppler-utils (Debian packages)",
)


def _pdf(tmp_path, xlsx):
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "antwoord.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    return texts


def _sheet_of(text: str) -> str:
    """The sheet a page belongs to: the page header ends with the sheet's name."""
    header = text.strip().splitlines()[0]
    return re.split(r"\s{2,}", header.strip())[-1]


def _count(value: int) -> str:
    return f"{value:,}"  # LibreOffice's default (en-US) grouping of "#,##0"


def test_each_table_prints_on_its_own_page_with_labels_and_figures_together(db, tmp_path):
    load_reference()
    xlsx = tmp_path / "antwoord.xlsx"
    tables = write_report(year_from=2021, year_to=2022, target=xlsx, fmt="xlsx")
    book = openpyxl.load_workbook(xlsx)
    for name in book.sheetnames:
        setup = book[name].page_setup
        assert book[name].sheet_properties.pageSetUpPr.fitToPage, name
        assert setup.orientation == "landscape" and (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0, name
        assert book[name].print_title_rows == "$1:$1", name
    pages = _pdf(tmp_path, xlsx)
    # Every table starts on its own page: one page per table plus the front sheet, and a few continuation
    # pages for the long sector tables; before this layout the 8 sheets printed on 34 pages, labels apart.
    # Question 3 (the control process) is a sheet of text, no table: up to two pages more.
    assert len(tables) <= len(pages) <= len(tables) + 8 + 2
    previous = {}
    for table in tables:
        if table.is_empty:
            continue
        sheet = sheet_title(table.question)
        start = next(
            i
            for i, text in enumerate(pages)
            if table.title in text and _sheet_of(text) == sheet and i > previous.get(sheet, -1)
        )
        previous[sheet] = start
        page = start
        count = next((m for m in table.measures if not m.is_money and not getattr(m, "unit", "")), None)
        for row in table.all_rows():
            # The row itself (every label of a cross table), not a chart's axis label: rows start at the margin.
            labels = [re.escape(part[:24]) + (r"(?=\s|$)" if len(part) <= 24 else "") for part in row.category]
            at_margin = re.compile("(?m)^" + r".{0,90}?\s".join(labels))  # not a chart label far to the right
            found = [i for i in range(page, len(pages)) if at_margin.search(pages[i])]
            assert found, (table.key, row.label)
            page = found[0]
            if count is not None:
                line = next(x for x in pages[page].splitlines() if at_margin.match(x))
                tokens = set(line.split())
                for year in table.years:
                    assert _count(row.value(year, count.key)) in tokens, (table.key, row.label, year, page + 1)
        assert page - start <= 2, table.key  # a table spans at most three pages
