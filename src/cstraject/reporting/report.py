"""The report as one call: the tables of question 526 to an Excel workbook, a CSV file or a Word document.

Used by `cstraject report` and `cstraject demo`.
"""

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO, cast

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .csv_export import write_csv
from .docx_answer import write_docx
from .oversight import with_answer_tables
from .statistics import SECTOR_LEVELS, Table, data_date, question_tables
from .workbook import write_workbook

FORMATS = ("xlsx", "csv", "docx")
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # "nl", "en"


def report_format(path: str | Path, fmt: str | None = None) -> str:
    """The format of a report file: its extension decides; `fmt` may only agree with it.

    A name with another extension (or none) needs `fmt`. Raises ValueError (one Dutch line) otherwise.
    """
    name = Path(path).name
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(
            _("Onbekend formaat '%(fmt)s'; kies uit %(formats)s.") % {"fmt": fmt, "formats": ", ".join(FORMATS)}
        )
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        if fmt is not None and fmt != suffix:
            raise ValueError(
                _(
                    "--format %(fmt)s spreekt de bestandsnaam %(name)s tegen; noem het bestand .%(fmt)s of laat --format weg."
                )
                % {"fmt": fmt, "name": name}
            )
        return suffix
    if fmt is None:
        raise ValueError(
            _("Kan het formaat niet afleiden uit %(name)s: noem het bestand %(suffixes)s, of geef --format.")
            % {"name": name, "suffixes": " of ".join(f".{f}" for f in FORMATS)}
        )
    return fmt


def write_report(
    *,
    year_from: int,
    year_to: int,
    target: str | Path | BinaryIO | TextIO,
    fmt: str = "xlsx",
    sector_level: str = "subclass",
    language: str = "nl",
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Table]:
    """Compute the tables for the period and write them to `target` (a path or a stream), in `language`
    (titles, labels, notes, the answer's text and the number format; Dutch unless asked otherwise).

    A stream must be binary for xlsx and docx, text for csv. Returns the tables written.
    Raises ValueError for an unknown format, sector level or language or an invalid period.
    `progress(done, total, label)`, when given, hears the three phases.
    """
    if fmt not in FORMATS:
        raise ValueError(
            _("Onbekend formaat '%(fmt)s'; kies uit %(formats)s.") % {"fmt": fmt, "formats": ", ".join(FORMATS)}
        )
    if sector_level not in SECTOR_LEVELS:
        raise ValueError(
            _("Onbekend sectorniveau '%(level)s'; kies uit %(levels)s.")
            % {"level": sector_level, "levels": ", ".join(SECTOR_LEVELS)}
        )
    if language not in LANGUAGES:
        raise ValueError(
            _("Onbekende taal '%(language)s'; kies uit %(languages)s.")
            % {"language": language, "languages": ", ".join(LANGUAGES)}
        )

    def step(done: int, label: str) -> None:
        if progress:
            progress(done, 3, label)

    step(0, _("Tabellen van vraag 526 berekenen"))
    with translation.override(language):
        tables = question_tables(year_from=year_from, year_to=year_to, sector_level=sector_level)
    step(1, _("Tabellen van de rode vlaggen en controles berekenen"))
    with translation.override(language):
        tables = with_answer_tables(tables, year_from=year_from, year_to=year_to)  # question 4 (cstraject.controls)
    step(2, _("Bestand schrijven (%(format)s)") % {"format": fmt})
    with translation.override(language):
        _write(tables, year_from=year_from, year_to=year_to, target=target, fmt=fmt)
    return tables


def _write(tables: list[Table], *, year_from: int, year_to: int, target, fmt: str) -> None:
    if fmt == "csv":
        if isinstance(target, (str, Path)):
            with open(target, "w", encoding="utf-8", newline="") as handle:
                write_csv(tables=tables, target=handle)
        else:
            write_csv(tables=tables, target=cast(TextIO, target))  # a text stream for csv, as documented
    else:
        buffer = io.BytesIO()
        writer = write_docx if fmt == "docx" else write_workbook
        writer(tables=tables, target=buffer, year_from=year_from, year_to=year_to, data_date=data_date())
        if isinstance(target, (str, Path)):
            Path(target).write_bytes(buffer.getvalue())
        else:
            cast(BinaryIO, target).write(buffer.getvalue())  # a binary stream for xlsx and docx, as documented
