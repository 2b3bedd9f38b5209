"""The figures in tidy long form: one figure per row.

Header: question,table,dimension,category,year,measure,value. A cross table
has a combined dimension ("pakket,grootte") and category ("basis,micro");
its Totaal row has dimension "totaal" and category "Totaal". Counts are
whole numbers, amounts have two decimals and a dot.
"""

import csv
from decimal import Decimal
from typing import TextIO

from .statistics import TOTAL_DIMENSION, Table

HEADER = ["question", "table", "dimension", "category", "year", "measure", "value"]


def format_value(value: Decimal | int | None) -> str:
    """Counts whole, amounts and ratios with two decimals; a figure that cannot be computed is empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(int(value))


def csv_rows(tables: list[Table]):
    """The rows of the CSV, header excluded, as lists of strings."""
    for table in tables:
        for row, year, measure, value in table.figures():
            yield [
                table.question,
                table.key,
                TOTAL_DIMENSION if row.is_total else table.dimension,
                row.label,
                year,
                measure.key,
                format_value(value),
            ]


def write_csv(*, tables: list[Table], target: TextIO) -> int:
    """Write the CSV to a text stream (opened with newline=""); returns the number of figures."""
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    for values in csv_rows(tables):
        writer.writerow(values)
        count += 1
    return count
