"""The report engine: how the figures of a statistics table are computed.

What a table shows is declared as data elsewhere (`reporting.tables`: id,
question, title, dimensions, measures, which date defines the year, source);
this module only knows how to compute any such table, exactly and fast.

How it works, per report (one period):

1. **Sources, fetched once.** A `Source` is a narrow projection of one model
   (a queryset with a few named columns: the year a row counts in, the
   categories, flags, amounts in whole cents). Each source that one of the
   requested tables needs is read once, with one SELECT through Django's own
   connection (so tests, transactions and both databases behave the same):
   on SQLite the rows are streamed to a temporary CSV file, on PostgreSQL the
   database writes that CSV itself with `COPY (SELECT ...) TO STDOUT`.
2. **Aggregated in DuckDB.** The CSV files are loaded into an in-process,
   in-memory DuckDB (a columnar engine) as one table per source, and every
   table of the answer is one `GROUP BY GROUPING SETS ((year, categories),
   (year))` per source it uses: the category rows and the Totaal row in one
   scan of a column store, instead of two scans of the database per table.
3. **Exact money.** Amounts leave the database as whole cents (integers:
   `CAST(ROUND(amount * 100) AS BIGINT)`, exact on PostgreSQL's numeric and
   on SQLite's binary floats below 2^53) and DuckDB sums integers exactly
   (HUGEINT). A Totaal is its own aggregate (grouping set), never a sum of
   rounded rows; a distinct count's Totaal is the distinct count over all rows.
4. **Output proportional to the categories**, never to the dossiers: Python
   only sees the grouped rows (a few thousand figures).

Why this design: see docs/performance.md (measured against one query per
table and against the pandas script an analyst would write).

How to add a table (for example from a new app's model):

1. If the rows live in a model no source reads yet, declare a `Source` in
   `reporting/sources.py` and add it to `SOURCES`:

       CONTROLS = Source(
           name="controls",                      # the DuckDB table; Part.source names it
           rows=Control.objects.all,             # the engine keeps rows with a year in the period
           columns=(
               year("performed_year", "performed_date"),   # which date defines the year
               text("size_class", "dossier__size_class"),  # a dimension's column, through the relation
               integer("dossier_id"),                      # for distinct("dossier_id")
               cents("cents", "amount"),                   # money: whole cents, exact
               flag("irregular", Q(outcome="irregular")),  # a filter, computed by the database
           ),
       )

   Column helpers: `year(name, date_path)` (NULL outside the period: such a
   row counts in no year; a row with no year in the period is not read),
   `moment_year(name, timestamp_path, when=Q(...))` for a timestamp's local
   year, `text`, `integer`, `cents`, `flag(name, Q)` and
   `choice(name, column, {label: [values]})`, `one_of(name, column, values)`,
   `derived(name, duck_type, sql)` (computed by DuckDB from the fetched
   columns). A column a dimension groups by carries the dimension's column
   name: `province`, `size_class`, `package_mix`, `sector_version` and
   `sector_code`, `outcome`, `stage` (see `reporting.dimensions`).
2. Declare the table in `reporting/tables.py` and put it in `TABLES` where it
   belongs in the answer's order:

       GroupedTable(
           key="2_controles_grootte",          # stable: the CSV's `table` column
           question="2",
           title="Controles per grootte van de onderneming",
           dimensions=("grootte",),            # names in reporting.dimensions
           parts=(Part("controls", year="performed_year",
                       measures=((COUNT_CONTROLS, COUNT), (AMOUNT_CONTROLLED, total("cents")))),),
           note="...",                         # Dutch; a function of the Period if it depends on it
       )

   A `Part` is what one source contributes: its year column, an optional
   `where` (a DuckDB condition over the source's columns, e.g. `"irregular"`)
   and its measures: a `Measure` (CSV key, Dutch label, money or not, which
   date defines its year, in Dutch) with `COUNT`, `total(column)` or
   `distinct(column)`. A table may have parts from several sources (1a: the
   grants and the payments). A new dimension goes in `reporting/dimensions.py`.
3. A new question needs its sheet title in `workbook.SHEET_TITLES` (and its
   line in `question526.NOT_IN_THIS_REPORT` removed), and a test in
   tests/reporting that checks the table's figures on a few factory-made rows
   (see tests/reporting/test_engine.py for a table over a source of its own).
"""

from __future__ import annotations

import csv
import operator
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from django.db import connection, models
from django.db.models import Case, F, Func, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Round
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cstraject.core.money import CENT, ZERO

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Labels in the active language (Dutch unless a report or a request asks for English): lazy here,
# made text when a Table or Row is built (their __post_init__).
SOURCE = gettext_lazy("cstraject, eigen dossiers")
NO_DATA = gettext_lazy("Geen gegevens voor deze periode.")
TOTAL_LABEL = gettext_lazy("Totaal")
TOTAL_DIMENSION = "totaal"
DISPLAY_SEPARATOR = " · "  # between the labels of a cross table's category on a page (the CSV keeps ",")
# The header of a dimension's column(s), by dimension name (the names are Dutch keys).
DIMENSION_HEADERS: dict[str, StrOrPromise] = {
    "provincie": gettext_lazy("Provincie"),
    "grootte": gettext_lazy("Grootte"),
    "sector": gettext_lazy("Sector (NACE-BEL)"),
    "pakket": gettext_lazy("Pakket"),
    "uitkomst": gettext_lazy("Uitkomst"),
    "stand": gettext_lazy("Stand"),
    "aanvragen": gettext_lazy("Aanvragen"),
    "toekenningen": gettext_lazy("Toekenningen"),
    "soort": gettext_lazy("Soort controle"),
    "aanleiding": gettext_lazy("Aanleiding"),
    "bevinding": gettext_lazy("Categorie van de bevinding"),
    "categorie": gettext_lazy("Categorie"),
    "indicator": gettext_lazy("Indicator"),
    "thema": gettext_lazy("Thema (CyFun / NIST CSF 2.0)"),
    "jaar": gettext_lazy("Jaar"),
    "functie": gettext_lazy("Functie"),
    "dienstverlener": gettext_lazy("Dienstverlener"),
}


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Measure:
    """One figure per year column: `key` names it in the CSV, `label` in the workbook."""

    key: str
    label: StrOrPromise  # text once the measure is in a Table (resolved())
    is_money: bool
    year_basis: StrOrPromise  # which date defines the year of the figure, in the active language

    def resolved(self) -> Measure:
        """The same measure with its label and year basis as text in the active language."""
        if isinstance(self.label, str) and isinstance(self.year_basis, str):
            return self
        return replace(self, label=str(self.label), year_basis=str(self.year_basis))

    @property
    def zero(self) -> Decimal | int:
        return ZERO if self.is_money else 0


@dataclass(frozen=True)
class Row:
    """One category (one label per dimension) with a figure per (year, measure key)."""

    category: tuple[str, ...]
    # None: no figure (a ratio over nothing, in the impact tables of question 5); shown as an empty cell
    values: dict[tuple[str, str], Decimal | int | None]
    is_total: bool = False

    def __post_init__(self) -> None:
        if not all(isinstance(text, str) for text in self.category):
            object.__setattr__(self, "category", tuple(str(text) for text in self.category))

    @property
    def label(self) -> str:
        """The category as one key, for the CSV ("basis,micro")."""
        return ",".join(str(text) for text in self.category)

    @property
    def display_label(self) -> str:
        """The category as a reader sees it on a page: "1 aanvraag · 0 toekenningen"."""
        return DISPLAY_SEPARATOR.join(str(text) for text in self.category)

    def value(self, year: str | int, measure: str) -> Decimal | int | None:
        return self.values[(str(year), measure)]

    def figure(self, year: str | int, measure: str) -> Decimal | int:
        """A figure that always exists: a count or an amount (only ratios over nothing are None)."""
        value = self.value(year, measure)
        if value is None:
            raise ValueError(f"{self.label}, {year}, {measure}: no figure where one always exists")
        return value


@dataclass(frozen=True)
class Table:
    """One table of the answer: rows by category, years as column groups, a Totaal row."""

    question: str  # "1a"
    key: str  # stable identifier, e.g. "1a_provincie"
    title: str  # in the active language
    dimensions: tuple[str, ...]  # ("provincie",), ("pakket", "grootte")
    years: tuple[str, ...]  # column groups: "2021", "2022"; "2021-2022" for figures over the period
    measures: tuple[Measure, ...]
    rows: tuple[Row, ...]
    total: Row | None
    note: str = ""
    source: str = ""  # empty: SOURCE in the active language (__post_init__)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", str(self.title))
        object.__setattr__(self, "note", str(self.note))
        object.__setattr__(self, "source", str(SOURCE) if self.source == "" else str(self.source))
        object.__setattr__(self, "measures", tuple(measure.resolved() for measure in self.measures))

    @property
    def dimension(self) -> str:
        return ",".join(self.dimensions)

    @property
    def dimension_label(self) -> str:
        """The dimensions' headers in the active language, as a reader sees them: "Grootte · Uitkomst"."""
        return DISPLAY_SEPARATOR.join(str(DIMENSION_HEADERS.get(name, name.capitalize())) for name in self.dimensions)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def year_basis(self) -> str:
        """Which date defines the year of the figures, in Dutch."""
        bases: dict[str, list[str]] = {}
        for measure in self.measures:
            bases.setdefault(str(measure.year_basis), []).append(str(measure.label).lower())
        if len(bases) == 1:
            return gettext("Jaar: %(basis)s.") % {"basis": next(iter(bases))}
        return " ".join(
            gettext("Jaar van %(measures)s: %(basis)s.") % {"measures": gettext(" en ").join(labels), "basis": basis}
            for basis, labels in bases.items()
        )

    def all_rows(self) -> tuple[Row, ...]:
        return self.rows + ((self.total,) if self.total is not None else ())

    def figures(self) -> Iterator[tuple[Row, str, Measure, Decimal | int | None]]:
        """Every figure, rows then Totaal, years then measures: what the CSV writes."""
        for row in self.all_rows():
            for year in self.years:
                for measure in self.measures:
                    yield row, year, measure, row.value(year, measure.key)


def euro(cents) -> Decimal:
    """Whole cents (as summed by the engine) to Decimal euro."""
    if cents is None:
        return ZERO
    return (Decimal(int(cents)) / 100).quantize(CENT)


# --------------------------------------------------------------------------- the period


@dataclass(frozen=True)
class Period:
    year_from: int
    year_to: int

    @property
    def range(self) -> range:
        return range(self.year_from, self.year_to + 1)

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(str(year) for year in self.range)

    @property
    def label(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}-{self.year_to}"

    def overlaps(self, first: int, last: int) -> bool:
        return self.year_from <= last and self.year_to >= first


def _start_of(year: int, moment: bool):
    return timezone.make_aware(datetime(year, 1, 1)) if moment else date(year, 1, 1)


# --------------------------------------------------------------------------- sources


class _NotIndexed(Func):
    """A column the planner must not look up by index: on SQLite `+column`, elsewhere the column.

    A report reads most rows of a table: SQLite would otherwise walk a date
    index and fetch every row by rowid, several times slower than one scan
    (and still slower for a one-year period). PostgreSQL's planner chooses by cost.
    """

    arity = 1
    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class _IsoDate(Func):
    """A date as 'YYYY-MM-DD' text for the CSV, whatever the server's DateStyle (PostgreSQL), and on
    SQLite as `+column`: the stored text without Django's date converter (a Python call per value)."""

    arity = 1
    template = "%(expressions)s"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra_context)


def _within(path: str, start, end) -> Q:
    value = _NotIndexed(F(path))
    return Q(GreaterThanOrEqual(value, start)) & Q(LessThan(value, end))


@dataclass(frozen=True)
class Column:
    """One column of a source.

    Fetched columns (`expression` set) are computed by the database and read
    through Django's connection; derived ones (`expression` None) are computed
    by DuckDB from the fetched ones (`sql`). `in_period`: a row is read when
    any of its columns with an `in_period` condition lies in the period.
    """

    name: str
    duck_type: str  # VARCHAR, BIGINT, DATE, BOOLEAN: the type in DuckDB
    expression: Callable[[Period], Combinable] | None = None
    sql: Callable[[Period], str] | None = None  # DuckDB SQL of the final value (fetched: over the raw value)
    in_period: Callable[[Period], Q] | None = None

    @property
    def fetched(self) -> bool:
        return self.expression is not None

    def duck_sql(self, period: Period) -> str:
        """DuckDB SQL of the final value: `sql` when given, else the column as fetched."""
        return self.sql(period) if self.sql is not None else self.name


def text(name: str, path: str | None = None) -> Column:
    """A text field (empty and NULL both become '')."""
    return Column(name, "VARCHAR", lambda period: F(path or name), lambda period: f"coalesce({name}, '')")


def integer(name: str, path: str | None = None) -> Column:
    return Column(name, "BIGINT", lambda period: F(path or name))


def cents(name: str, path: str) -> Column:
    """An amount in whole cents: exact on every backend (see the module docstring)."""
    return Column(name, "BIGINT", lambda period: Cast(Round(F(path) * 100), models.BigIntegerField()))


def year(name: str, path: str) -> Column:
    """The year the date `path` falls in, NULL outside the period (the row counts in no year then).

    The database sends the date; DuckDB takes its year.
    """

    def sql(period: Period) -> str:
        first, after = date(period.year_from, 1, 1), date(period.year_to + 1, 1, 1)
        return f"CAST(CASE WHEN {name} >= DATE '{first}' AND {name} < DATE '{after}' THEN year({name}) END AS SMALLINT)"

    return Column(
        name,
        "DATE",
        lambda period: _IsoDate(F(path)),
        sql,
        lambda period: _within(path, date(period.year_from, 1, 1), date(period.year_to + 1, 1, 1)),
    )


def year_expression(path: str, period: Period, *, moment: bool = False) -> Case:
    """The year of a date (or, with `moment`, of a timestamp in local time) as SQL, NULL outside the period.

    A CASE on ranges instead of EXTRACT(YEAR): SQLite runs Django's EXTRACT as
    a Python function per row, many times slower.
    """
    return Case(
        When(**{f"{path}__lt": _start_of(period.year_from, moment)}, then=Value(None)),
        *(When(**{f"{path}__lt": _start_of(year + 1, moment)}, then=Value(year)) for year in period.range),
        default=Value(None),
        output_field=models.IntegerField(),
    )


def moment_year(name: str, path: str, *, when: Q | None = None) -> Column:
    """The year of a timestamp in local time (computed by the database), only where `when` holds."""

    def expression(period: Period) -> models.Expression:
        value = year_expression(path, period, moment=True)
        if when is None:
            return value
        return Case(When(when, then=value), default=Value(None), output_field=models.IntegerField())

    def in_period(period: Period) -> Q:
        within = _within(path, _start_of(period.year_from, True), _start_of(period.year_to + 1, True))
        return within if when is None else when & within

    return Column(name, "SMALLINT", expression, in_period=in_period)


def flag(name: str, condition: Q) -> Column:
    """True where the condition holds (computed by the database), for filters (`Part.where`)."""
    return Column(
        name,
        "BOOLEAN",
        lambda period: Case(When(condition, then=Value(1)), default=Value(0), output_field=models.IntegerField()),
        lambda period: f"coalesce({name} <> 0, false)",
    )


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)


def one_of(name: str, column: str, values: Iterable[str]) -> Column:
    """Derived in DuckDB: true where `column` (a fetched text column) is one of `values`."""
    listed = _sql_list(values)
    return Column(name, "BOOLEAN", sql=lambda period: f"{column} IN ({listed})")


def choice(name: str, column: str, labels: Mapping[str, Iterable[str]], default: str = "onbekend") -> Column:
    """Derived in DuckDB: the label whose values hold `column`'s value, the first that matches."""
    whens = " ".join(f"WHEN {column} IN ({_sql_list(values)}) THEN '{label}'" for label, values in labels.items())
    return Column(name, "VARCHAR", sql=lambda period: f"CASE {whens} ELSE '{default}' END")


def derived(name: str, duck_type: str, sql: str | Callable[[Period], str]) -> Column:
    """Derived in DuckDB from the source's fetched columns (and tables it `needs`), any SQL."""
    return Column(name, duck_type, sql=sql if callable(sql) else (lambda period: sql))


@dataclass(frozen=True)
class Source:
    """A narrow projection of one model's rows, read once per report into a DuckDB table named `name`.

    `rows`: the queryset to read from (usually `Model.objects.all`); the engine
    keeps the rows with a year in the period (the columns with `in_period`).
    `needs`: other sources loaded first, which derived columns may read
    (e.g. a small lookup table).
    """

    name: str
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    needs: tuple[str, ...] = ()

    def column_names(self) -> set[str]:
        return {column.name for column in self.columns}

    def fetched(self) -> list[Column]:
        return [column for column in self.columns if column.fetched]

    def queryset(self, period: Period) -> QuerySet:
        # Aliases with a prefix: a column may carry the name of a model field ("province").
        aliases = {f"col_{c.name}": c.expression(period) for c in self.fetched() if c.expression is not None}
        queryset = self.rows().order_by()
        conditions = [column.in_period(period) for column in self.columns if column.in_period is not None]
        if conditions:
            queryset = queryset.filter(reduce(operator.or_, conditions))
        return queryset.annotate(**aliases).values_list(*aliases)


# --------------------------------------------------------------------------- dimensions and measures


@dataclass(frozen=True)
class Dimension:
    """A way to group rows: the source columns (or DuckDB expressions) to GROUP BY, their Dutch label, their order."""

    name: str
    columns: tuple[str, ...]
    label: Callable[[tuple], str]
    sort_key: Callable[[tuple], tuple]
    prepare: Callable[[set[tuple]], None] = field(default=lambda keys: None)


@dataclass(frozen=True)
class Aggregate:
    """A DuckDB aggregate over a source's columns."""

    sql: str


COUNT = Aggregate("count(*)")


def total(column: str) -> Aggregate:
    """Sum of a column (of whole cents for money)."""
    return Aggregate(f"sum({column})")


def distinct(column: str) -> Aggregate:
    return Aggregate(f"count(DISTINCT {column})")


@dataclass(frozen=True)
class Part:
    """What one source contributes to a table: its year column, an optional filter, its measures."""

    source: str
    year: str  # the source's year column: which date defines the year
    measures: tuple[tuple[Measure, Aggregate], ...]
    where: str = ""  # a DuckDB condition over the source's columns, e.g. "granted"


Note: TypeAlias = "StrOrPromise | Callable[[Period], str]"


@dataclass(frozen=True)
class GroupedTable:
    """A table by categories (one or more dimensions) and year, with a Totaal row per year."""

    key: str
    question: str
    title: StrOrPromise
    dimensions: tuple[str, ...]  # names of dimensions (reporting.dimensions)
    parts: tuple[Part, ...]
    note: Note = ""

    def sources(self) -> set[str]:
        return {part.source for part in self.parts}

    def compute(self, run: Run) -> list[Table]:
        dimensions = [run.dimensions[name] for name in self.dimensions]
        years = run.period.years
        measures = [measure for part in self.parts for measure, _ in part.measures]
        grouped: list[dict[tuple, dict[str, dict]]] = []
        totals: list[dict[str, dict]] = []
        for part in self.parts:
            categories, per_year = run.grouped(part, dimensions)
            grouped.append(categories)
            totals.append(per_year)
        keys = {category for result in grouped for category in result}
        for index, dimension in enumerate(dimensions):
            dimension.prepare({category[index] for category in keys})

        def empty_values() -> dict[tuple[str, str], Decimal | int | None]:
            return {(year, measure.key): measure.zero for year in years for measure in measures}

        def fill(values: dict, per_year: dict[str, dict]) -> None:
            for year_label, figures in per_year.items():
                for measure_key, value in figures.items():
                    if (year_label, measure_key) in values:
                        values[(year_label, measure_key)] = value

        rows = []
        for category in sorted(keys, key=lambda c: tuple(d.sort_key(k) for d, k in zip(dimensions, c))):
            values = empty_values()
            for result in grouped:
                fill(values, result.get(category, {}))
            rows.append(Row(category=tuple(d.label(k) for d, k in zip(dimensions, category)), values=values))
        total_row = None
        if rows:
            values = empty_values()
            for per_year in totals:
                fill(values, per_year)
            total_row = Row(category=(str(TOTAL_LABEL),), values=values, is_total=True)
        note = str(self.note(run.period) if callable(self.note) else self.note)
        notes = [note] if note else []
        if not rows:
            notes.insert(0, str(NO_DATA))
        return [
            Table(
                question=self.question,
                key=self.key,
                title=str(self.title),
                dimensions=tuple(d.name for d in dimensions),
                years=years,
                measures=tuple(measures),
                rows=tuple(rows),
                total=total_row,
                note=" ".join(notes),
            )
        ]


@dataclass(frozen=True)
class Bucketed:
    """One of the tables of `CountsPerEntity`: its key, title, note and which counts it crosses."""

    key: str
    title: StrOrPromise
    note: StrOrPromise
    counts: tuple[int, ...]  # indexes into CountsPerEntity.counts: (0,), (1,) or (0, 1)


@dataclass(frozen=True)
class Count:
    """What is counted per entity: a dimension name for the bucket, a filter, the bucket's words."""

    dimension: str  # "aanvragen"
    where: str  # DuckDB condition, e.g. "submitted_year IS NOT NULL"
    singular: StrOrPromise
    plural: StrOrPromise


@dataclass(frozen=True)
class CountsPerEntity:
    """Entities (companies) by how many rows they have over the whole period (question 1d).

    Per entity the rows matching each `Count` are counted; the tables give the
    number of entities per count ("2 aanvragen") or per pair of counts, over
    the period as a whole. Counts from `cap` up share one row, so a table has
    a bounded size.
    """

    question: str
    source: str
    entity: str  # the source column identifying the entity, e.g. "company_id"
    counts: tuple[Count, ...]
    tables: tuple[Bucketed, ...]
    year_basis: Callable[[Period], str]
    cap: int = 10

    def sources(self) -> set[str]:
        return {self.source}

    def _bucket_label(self, n: int, count: Count) -> str:
        if n >= self.cap:
            return gettext("%(n)s of meer %(things)s") % {"n": self.cap, "things": count.plural}
        return f"{n} {count.singular if n == 1 else count.plural}"

    def compute(self, run: Run) -> list[Table]:
        per_entity = ", ".join(f"count(*) FILTER (WHERE {count.where}) AS n{i}" for i, count in enumerate(self.counts))
        buckets = ", ".join(f"least(n{i}, {self.cap})" for i in range(len(self.counts)))
        any_row = " OR ".join(f"({count.where})" for count in self.counts)
        cells: dict[tuple[int, ...], int] = {
            tuple(int(n) for n in row[:-1]): int(row[-1])
            for row in run.query(
                f"SELECT {buckets}, count(*) FROM (SELECT {self.entity}, {per_entity} FROM {self.source} "
                f"WHERE {any_row} GROUP BY {self.entity}) GROUP BY ALL"
            )
        }
        year_label = run.period.label
        measure = Measure("aantal", gettext("Aantal"), False, self.year_basis(run.period))
        tops = [max((cell[i] for cell in cells), default=0) for i in range(len(self.counts))]
        result = []
        for spec in self.tables:
            # Every combination of the crossed counts, 1 up for a single count, 0 up in a cross table.
            lowest = 1 if len(spec.counts) == 1 else 0
            combos: list[tuple[int, ...]] = [()]
            for index in spec.counts:
                combos = [(*combo, n) for combo in combos for n in range(lowest, tops[index] + 1)]

            def entities(combo: tuple[int, ...], spec=spec) -> int:
                return sum(
                    number
                    for cell, number in cells.items()
                    if all(cell[index] == n for index, n in zip(spec.counts, combo))
                )

            rows = []
            for combo in combos:
                number = entities(combo)
                if number:
                    category = tuple(self._bucket_label(n, self.counts[index]) for index, n in zip(spec.counts, combo))
                    rows.append(Row(category=category, values={(year_label, measure.key): number}))
            if len(spec.counts) == 1:
                index = spec.counts[0]
                everyone = sum(number for cell, number in cells.items() if cell[index] > 0)
            else:
                everyone = sum(cells.values())
            notes = [str(spec.note)] if rows else [str(NO_DATA), str(spec.note)]
            result.append(
                Table(
                    question=self.question,
                    key=spec.key,
                    title=str(spec.title),
                    dimensions=tuple(self.counts[index].dimension for index in spec.counts),
                    years=(year_label,),
                    measures=(measure,),
                    rows=tuple(rows),
                    total=Row(category=(str(TOTAL_LABEL),), values={(year_label, measure.key): everyone}, is_total=True)
                    if rows
                    else None,
                    note=" ".join(notes),
                )
            )
        return result


class TableSpec(Protocol):
    """An entry of `reporting.tables.TABLES` (`GroupedTable`, `CountsPerEntity`, the impact tables of 1e
    and 5): the question it answers, the sources it reads and the tables it computes from them."""

    @property
    def question(self) -> str: ...

    def sources(self) -> set[str]: ...

    def compute(self, run: Run) -> list[Table]: ...


# --------------------------------------------------------------------------- running a report


# DuckDB's memory for one report; beyond it, its blocks go to the run's temporary folder.
MEMORY_LIMIT = "192MB"


class Run:
    """One report: the period, the dimensions, DuckDB with the sources loaded once."""

    def __init__(self, *, period: Period, sources: dict[str, Source], dimensions: dict[str, Dimension]):
        import duckdb

        self.period = period
        self.sources = sources
        self.dimensions = dimensions
        # CSV files and DuckDB's overflow live in one temporary folder for the run. Above the memory
        # limit DuckDB writes blocks there instead of growing: at a million dossiers the process
        # stays near 310 MiB instead of 410 MiB, for the same time (docs/performance.md).
        self._folder = tempfile.TemporaryDirectory(prefix="cstraject-report-")
        self.duck = duckdb.connect(
            config={
                "threads": max(1, min(os.cpu_count() or 1, 4)),
                "preserve_insertion_order": False,
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": str(Path(self._folder.name) / "duckdb"),
            }
        )
        self.loaded: set[str] = set()
        self._grouped: dict[tuple[Part, tuple[str, ...]], tuple[dict, dict]] = {}

    def close(self) -> None:
        self.duck.close()
        self._folder.cleanup()

    def query(self, sql: str) -> list[tuple]:
        return self.duck.execute(sql).fetchall()

    def load(self, names: Iterable[str]) -> None:
        """Read each source (and what it needs) once into a DuckDB table."""
        order: list[str] = []

        def visit(name: str) -> None:
            if name in order or name in self.loaded:
                return
            for needed in self.sources[name].needs:
                visit(needed)
            order.append(name)

        for name in names:
            visit(name)
        if not order:
            return
        folder = Path(self._folder.name)
        for name in order:
            source = self.sources[name]
            path = folder / f"{name}.csv"
            _export_csv(source.queryset(self.period), path)
            self._load_csv(source, path)
            path.unlink()
            self.loaded.add(name)

    def _load_csv(self, source: Source, path: Path) -> None:
        fetched = source.fetched()
        raw_type = {"BOOLEAN": "BIGINT"}
        types = ", ".join(f"'{c.name}': '{raw_type.get(c.duck_type, c.duck_type)}'" for c in fetched)
        # The fetched columns are stored (as DuckDB values); the derived ones are a view over them,
        # computed in each query rather than kept in memory.
        typed = ", ".join(f"{c.duck_sql(self.period)} AS {c.name}" for c in fetched)
        derived = "".join(f", {c.duck_sql(self.period)} AS {c.name}" for c in source.columns if not c.fetched)
        location = str(path).replace("'", "''")
        self.duck.execute(
            f"CREATE TABLE {source.name}_rows AS SELECT {typed} FROM read_csv('{location}', header = false, "
            f"auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {{{types}}})"
        )
        self.duck.execute(f"CREATE VIEW {source.name} AS SELECT *{derived} FROM {source.name}_rows")

    def prefetch(self, requests: Iterable[tuple[Part, tuple[str, ...]]]) -> None:
        """Group once per part for all the tables that use it: one query with a grouping set per table."""
        by_part: dict[Part, list[tuple[str, ...]]] = {}
        for part, names in requests:
            wanted = by_part.setdefault(part, [])
            if names not in wanted and (part, names) not in self._grouped:
                wanted.append(names)
        for part, sets in by_part.items():
            if sets:
                self._group(part, sets)

    def grouped(self, part: Part, dimensions: Sequence[Dimension]) -> tuple[dict[tuple, dict[str, dict]], dict]:
        """({category key: {year: {measure key: value}}}, {year: {measure key: value}})."""
        names = tuple(dimension.name for dimension in dimensions)
        if (part, names) not in self._grouped:
            self._group(part, [names])
        return self._grouped[(part, names)]

    def _group(self, part: Part, sets: list[tuple[str, ...]]) -> None:
        """One DuckDB query: GROUPING SETS ((year, categories of each set)..., (year)) for the Totaal."""
        available = self.sources[part.source].column_names()
        expressions: list[str] = []
        for names in sets:
            for name in names:
                dimension = self.dimensions[name]
                missing = [c for c in dimension.columns if c.isidentifier() and c not in available]
                if missing:
                    raise ValueError(f"Source '{part.source}' has no column {missing} for dimension '{name}'.")
                expressions.extend(c for c in dimension.columns if c not in expressions)

        # GROUPING(e, ...) has a 1 bit where e is not grouped in the row's set: it tells which set a row is.
        def mask(names: tuple[str, ...]) -> int:
            used = {c for name in names for c in self.dimensions[name].columns}
            return sum(1 << (len(expressions) - 1 - i) for i, c in enumerate(expressions) if c not in used)

        masks: dict[int, list[tuple[str, ...]]] = {}
        for names in sets:  # tables with the same columns in another order share a grouping set
            masks.setdefault(mask(names), []).append(names)
        grouping_sets = [
            "(" + ", ".join([part.year, *(c for name in same[0] for c in self.dimensions[name].columns)]) + ")"
            for same in masks.values()
        ]
        total_mask = mask(())
        aggregates = ", ".join(aggregate.sql for _, aggregate in part.measures)
        where = f"{part.year} IS NOT NULL" + (f" AND ({part.where})" if part.where else "")
        rows = self.query(
            f"SELECT {part.year}, GROUPING({', '.join(expressions)}), {', '.join(expressions)}, {aggregates} "
            f"FROM {part.source} WHERE {where} GROUP BY GROUPING SETS ({', '.join(grouping_sets)}, ({part.year}))"
        )
        results: dict[tuple[str, ...], dict[tuple, dict[str, dict]]] = {names: {} for names in sets}
        totals: dict[str, dict] = {}
        position = {c: 2 + i for i, c in enumerate(expressions)}
        first_measure = 2 + len(expressions)
        for row in rows:
            values = {
                measure.key: euro(raw) if measure.is_money else int(raw or 0)
                for (measure, _), raw in zip(part.measures, row[first_measure:])
            }
            if row[1] == total_mask:
                totals[str(row[0])] = values
                continue
            for names in masks[row[1]]:
                key = tuple(tuple(row[position[c]] for c in self.dimensions[name].columns) for name in names)
                results[names].setdefault(key, {})[str(row[0])] = dict(values)
        for names in sets:
            self._grouped[(part, names)] = (results[names], totals)


def _export_csv(queryset: QuerySet, path: Path) -> None:
    """The rows of a values_list() queryset as CSV, through Django's connection (its transaction)."""
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.ClientCursor(connection.connection) as cursor:
            statement = cursor.mogrify(sql, params)
            with open(path, "wb") as handle, cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
                for data in copy:
                    handle.write(data)
        return
    with connection.cursor() as cursor, open(path, "w", encoding="utf-8", newline="") as handle:
        cursor.execute(sql, params)
        writer = csv.writer(handle, lineterminator="\n")
        while chunk := cursor.fetchmany(20_000):
            writer.writerows(chunk)


def compute(
    specs: Sequence[TableSpec], *, period: Period, sources: dict[str, Source], dimensions: dict[str, Dimension]
) -> list[Table]:
    """Every table of `specs` for the period, in their order; each needed source read once."""
    run = Run(period=period, sources=sources, dimensions=dimensions)
    try:
        run.load(sorted({name for spec in specs for name in spec.sources()}))
        run.prefetch((part, spec.dimensions) for spec in specs if isinstance(spec, GroupedTable) for part in spec.parts)
        return [table for spec in specs for table in spec.compute(run)]
    finally:
        run.close()
