"""Reading the result of question_tables() in tests."""

from cstraject.reporting.statistics import Table


def by_key(tables: list[Table], key: str) -> Table:
    matches = [table for table in tables if table.key == key]
    assert len(matches) == 1, f"expected one table {key}, found {[t.key for t in tables]}"
    return matches[0]


def figures(table: Table) -> dict[str, dict[tuple[str, str], object]]:
    """{category label: {(year, measure): value}}, the Totaal row under "Totaal"."""
    return {row.label: dict(row.values) for row in table.all_rows()}


def categories(table: Table) -> list[str]:
    return [row.label for row in table.rows]
