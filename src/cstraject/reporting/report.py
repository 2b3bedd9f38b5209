"""The report as one call: the tables of question 526 to an Excel workbook, a CSV file or a Word document.

Used by `cstraject report` and `cstraject demo`.
"""

import io
from pathlib import Path
from typing import BinaryIO, TextIO

from .csv_export import write_csv
from .docx_answer import write_docx
from .statistics import SECTOR_LEVELS, Table, data_date, question_tables
from .workbook import write_workbook

FORMATS = ("xlsx", "csv", "docx")


def write_report(
    *,
    year_from: int,
    year_to: int,
    target: str | Path | BinaryIO | TextIO,
    fmt: str = "xlsx",
    sector_level: str = "subclass",
) -> list[Table]:
    """Compute the tables for the period and write them to `target` (a path or a stream).

    A stream must be binary for xlsx and docx, text for csv. Returns the tables written.
    Raises ValueError for an unknown format or sector level or an invalid period.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Onbekend formaat '{fmt}'; kies uit {', '.join(FORMATS)}.")
    if sector_level not in SECTOR_LEVELS:
        raise ValueError(f"Onbekend sectorniveau '{sector_level}'; kies uit {', '.join(SECTOR_LEVELS)}.")
    tables = question_tables(year_from=year_from, year_to=year_to, sector_level=sector_level)
    if fmt == "csv":
        if isinstance(target, (str, Path)):
            with open(target, "w", encoding="utf-8", newline="") as handle:
                write_csv(tables=tables, target=handle)
        else:
            write_csv(tables=tables, target=target)
    else:
        buffer = io.BytesIO()
        writer = write_docx if fmt == "docx" else write_workbook
        writer(tables=tables, target=buffer, year_from=year_from, year_to=year_to, data_date=data_date())
        if isinstance(target, (str, Path)):
            Path(target).write_bytes(buffer.getvalue())
        else:
            target.write(buffer.getvalue())
    return tables
