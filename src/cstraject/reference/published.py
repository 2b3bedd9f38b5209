"""The figures of the published answer to written question 526, read from one data file.

`data/published_526.json` is the only place they are typed. The reference
derivation (`cstraject.reference.derivation`) builds the synthetic dataset
to reproduce them; the tests (`tests/reporting/test_reference_answer.py`)
check the reports against them. Years are ints, amounts the printed strings
(EUR, two decimals) so every reader chooses its own exact type.
"""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

PUBLISHED_FILE = "published_526.json"


@dataclass(frozen=True)
class Published526:
    source: str
    # {year: {province: (count, amount)}}; a province without grants in a year is absent.
    province: dict[int, dict[str, tuple[int, str]]]
    # {year: (count, amount)}: the exact totals of the province and sector tables.
    total: dict[int, tuple[int, str]]
    # {year: euros}: the totals as printed under the size table, rounded.
    total_printed_rounded: dict[int, int]
    # {year: {size class: (count, whole euros)}}: the size table is printed in whole euros.
    size: dict[int, dict[str, tuple[int, int]]]
    # {year: {package mix: count}}, package mixes as BASIS, LIGHT, BASIS+UITBREIDING, ...
    packages: dict[int, dict[str, int]]
    # [(NACE-BEL 2008 subclass, label, [(year, count, amount)])], 70.220 of 2021 merged.
    sectors: list[tuple[str, str, list[tuple[int, int, str]]]]
    # The two 2021 rows of 70.220 as printed: [(count, amount)].
    sector_70220_2021_as_printed: list[tuple[int, str]]


@cache
def published_526() -> Published526:
    raw = json.loads((resources.files("cstraject.reference") / "data" / PUBLISHED_FILE).read_text(encoding="utf-8"))

    def by_year(table: dict, read) -> dict:
        return {int(year): read(rows) for year, rows in table.items()}

    return Published526(
        source=raw["source"],
        province=by_year(
            raw["granted_by_province"], lambda rows: {p: (v["count"], v["amount"]) for p, v in rows.items()}
        ),
        total=by_year(raw["granted_total"], lambda v: (v["count"], v["amount"])),
        total_printed_rounded=by_year(raw["granted_total_printed_rounded"], int),
        size=by_year(
            raw["granted_by_size"], lambda rows: {s: (v["count"], v["amount_euros"]) for s, v in rows.items()}
        ),
        packages=by_year(raw["granted_by_package"], dict),
        sectors=[
            (
                row["nace"],
                row["label"],
                [(int(year), v["count"], v["amount"]) for year, v in row["years"].items()],
            )
            for row in raw["granted_by_sector"]
        ],
        sector_70220_2021_as_printed=[(v["count"], v["amount"]) for v in raw["sector_70220_2021_as_printed"]],
    )
