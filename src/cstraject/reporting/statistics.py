"""The figures of written question 526, computed in the database.

`question_tables()` answers the sub-questions of question 1 (1a, 1b, 1c, 1d,
1f, 1g) from the system's own dossiers and payments. Every figure comes from
an ORM aggregation (`values().annotate()`, i.e. GROUP BY): a table costs a
fixed handful of queries whatever the number of dossiers, and no dossier is
ever loaded into Python.

Rules that hold for every table:
- A table says which date defines its year (`Table.year_basis`): granted
  support counts in the year of the decision (`Dossier.decided_date`),
  applications in the year they were submitted (`submitted_date`), payments
  in the year they were paid (`Payment.payment_date`).
- Amounts are Decimal euro to the cent. They are summed in cents as whole
  numbers (`SUM(ROUND(amount * 100))`): exact on PostgreSQL's numeric and on
  SQLite, which stores decimals as binary floating point, so a total is the
  exact sum of the amounts it covers.
- The Totaal row is its own query (GROUP BY year only), never a sum of the
  rounded rows; for distinct counts (unique beneficiaries) it is the
  distinct count over all rows, which is what the question asks.
- Sectors are grouped by NACE code (version and code), never by label text,
  so one activity is one row even when its label was typed differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import Case, Count, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Round, Substr
from django.utils import timezone

from cstraject.calls.models import PackageKind
from cstraject.companies.models import NaceCode
from cstraject.core.geography import Province
from cstraject.core.money import CENT, ZERO
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier, DossierStatus, SizeClass
from cstraject.payments.models import Collection, Payment, Recovery

SOURCE = "cstraject, eigen dossiers"
NO_DATA = "Geen gegevens voor deze periode."
SECTOR_LEVELS = ("subclass", "division")
TOTAL_LABEL = "Totaal"
TOTAL_DIMENSION = "totaal"

YEAR_GRANTED = "het jaar van de beslissing tot toekenning (beslist op)"
YEAR_SUBMITTED = "het jaar van indiening van de aanvraag (ingediend op)"
YEAR_PAID = "het jaar van de betaling (betaaldatum)"
YEAR_RECOVERY = "het jaar waarin de terugvordering werd verstuurd (verstuurd op)"
YEAR_COLLECTED = "het jaar van de inning (geïnd op)"
YEAR_STARTED = "het jaar van indiening, of voor nooit ingediende aanvragen het jaar waarin ze werden aangemaakt"


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Measure:
    """One figure per year column: `key` names it in the CSV, `label` in the workbook."""

    key: str
    label: str
    is_money: bool
    year_basis: str

    @property
    def zero(self) -> Decimal | int:
        return ZERO if self.is_money else 0


COUNT_GRANTED = Measure("aantal", "Aantal", False, YEAR_GRANTED)
AMOUNT_GRANTED = Measure("bedrag", "Bedrag", True, YEAR_GRANTED)
AMOUNT_PAID = Measure("uitbetaald", "Uitbetaald", True, YEAR_PAID)
COUNT_APPLIED = Measure("aantal", "Aantal", False, YEAR_SUBMITTED)
AMOUNT_REQUESTED = Measure("bedrag", "Bedrag", True, YEAR_SUBMITTED)
COUNT_RECOVERY_DOSSIERS = Measure("aantal", "Dossiers", False, YEAR_RECOVERY)
AMOUNT_RECOVERED = Measure("bedrag", "Teruggevorderd", True, YEAR_RECOVERY)
AMOUNT_COLLECTED = Measure("geind", "Geïnd", True, YEAR_COLLECTED)
COUNT_STARTED = Measure("aantal", "Aantal", False, YEAR_STARTED)
AMOUNT_STARTED = Measure("bedrag", "Bedrag", True, YEAR_STARTED)


@dataclass(frozen=True)
class Row:
    """One category (one label per dimension) with a figure per (year, measure key)."""

    category: tuple[str, ...]
    values: dict[tuple[str, str], Decimal | int]
    is_total: bool = False

    @property
    def label(self) -> str:
        return ",".join(self.category)

    def value(self, year: str | int, measure: str) -> Decimal | int:
        return self.values[(str(year), measure)]


@dataclass(frozen=True)
class Table:
    """One table of the answer: rows by category, years as column groups, a Totaal row."""

    question: str  # "1a"
    key: str  # stable identifier, e.g. "1a_provincie"
    title: str  # Dutch
    dimensions: tuple[str, ...]  # ("provincie",), ("pakket", "grootte")
    years: tuple[str, ...]  # column groups: "2021", "2022"; "2021-2022" for figures over the period
    measures: tuple[Measure, ...]
    rows: tuple[Row, ...]
    total: Row | None
    note: str = ""
    source: str = SOURCE

    @property
    def dimension(self) -> str:
        return ",".join(self.dimensions)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def year_basis(self) -> str:
        """Which date defines the year of the figures, in Dutch."""
        bases: dict[str, list[str]] = {}
        for measure in self.measures:
            bases.setdefault(measure.year_basis, []).append(measure.label.lower())
        if len(bases) == 1:
            return f"Jaar: {next(iter(bases))}."
        return " ".join(f"Jaar van {' en '.join(labels)}: {basis}." for basis, labels in bases.items())

    def all_rows(self) -> tuple[Row, ...]:
        return self.rows + ((self.total,) if self.total is not None else ())

    def figures(self) -> Iterator[tuple[Row, str, Measure, Decimal | int]]:
        """Every figure, rows then Totaal, years then measures: what the CSV writes."""
        for row in self.all_rows():
            for year in self.years:
                for measure in self.measures:
                    yield row, year, measure, row.value(year, measure.key)


# --------------------------------------------------------------------------- dimensions


@dataclass
class Dimension:
    """A way to group dossiers: the expressions to GROUP BY, their Dutch label, their order.

    `expressions(path)` gives the GROUP BY expressions for a query whose
    dossier is reached through `path` ("" on Dossier, "dossier__" on Payment).
    """

    name: str
    expressions: Callable[[str], dict[str, Combinable]]
    label: Callable[[tuple], str]
    sort_key: Callable[[tuple], tuple]
    prepare: Callable[[set[tuple]], None] = lambda keys: None

    def aliases(self) -> list[str]:
        return list(self.expressions("").keys())


def _field_dimension(name: str, field_name: str, label, sort_key) -> Dimension:
    alias = f"dim_{name}"
    return Dimension(
        name=name,
        expressions=lambda path: {alias: F(f"{path}{field_name}")},
        label=lambda key: label(key[0]),
        sort_key=lambda key: sort_key(key[0]),
    )


def _province_label(value: str) -> str:
    try:
        return str(Province(value).label)
    except ValueError:
        return value or "onbekend"


PROVINCE = _field_dimension("provincie", "province", _province_label, lambda v: (_province_label(v).casefold(),))

_SIZE_ORDER = {value: index for index, value in enumerate(SizeClass.values)}


def _size_label(value: str) -> str:
    try:
        return str(SizeClass(value).label)
    except ValueError:
        return value or "onbekend"


SIZE = _field_dimension("grootte", "size_class", _size_label, lambda v: (_SIZE_ORDER.get(v, len(_SIZE_ORDER)), v))

# Catalogue order: the 2021-2022 packages first (as the published answer lists them),
# then the 2023 kinds; within a generation the single packages before combinations.
_KIND_ORDER = {kind: index for index, kind in enumerate(PackageKind.values)}
_FIRST_GENERATION = {PackageKind.BASIS, PackageKind.LIGHT, PackageKind.UITBREIDING}


def _package_sort_key(mix: str) -> tuple:
    parts = [part for part in (mix or "").split("+") if part]
    if not parts:
        return (2, 0, ())
    generation = 0 if parts[0] in _FIRST_GENERATION else 1
    return (generation, len(parts), tuple(_KIND_ORDER.get(part, len(_KIND_ORDER)) for part in parts), mix)


PACKAGE = _field_dimension("pakket", "package_mix", lambda v: v or "onbekend", _package_sort_key)


# Outcome of an application (1b): the status grouped as the question needs it.
OUTCOMES = {
    "toegekend": GRANTED_STATUSES,
    "afgewezen": [DossierStatus.REJECTED],
    "ingetrokken": [DossierStatus.WITHDRAWN],
    "in behandeling": [DossierStatus.DRAFT, DossierStatus.SUBMITTED],
}
_OUTCOME_ORDER = {label: index for index, label in enumerate(OUTCOMES)}


def _outcome_expression(path: str) -> models.Expression:
    return Case(
        *(When(**{f"{path}status__in": statuses}, then=Value(label)) for label, statuses in OUTCOMES.items()),
        default=Value("onbekend"),
        output_field=models.CharField(),
    )


OUTCOME = Dimension(
    name="uitkomst",
    expressions=lambda path: {"dim_uitkomst": _outcome_expression(path)},
    label=lambda key: key[0],
    sort_key=lambda key: (_OUTCOME_ORDER.get(key[0], len(_OUTCOME_ORDER)),),
)

# Abandoned applications (1g): started but never submitted, or withdrawn.
ABANDONED = {
    "niet ingediend": [DossierStatus.DRAFT],
    "ingetrokken": [DossierStatus.WITHDRAWN],
}
_ABANDONED_ORDER = {label: index for index, label in enumerate(ABANDONED)}
ABANDONMENT = Dimension(
    name="stand",
    expressions=lambda path: {
        "dim_stand": Case(
            *(When(**{f"{path}status__in": statuses}, then=Value(label)) for label, statuses in ABANDONED.items()),
            default=Value("onbekend"),
            output_field=models.CharField(),
        )
    },
    label=lambda key: key[0],
    sort_key=lambda key: (_ABANDONED_ORDER.get(key[0], len(_ABANDONED_ORDER)),),
)

# python-stdnum's NACE registry per NACE-BEL version (English labels, the fallback only).
_STDNUM_REVISION = {"2008": "2.0", "2025": "2.1"}


def _stdnum_label(version: str, code: str) -> str:
    revision = _STDNUM_REVISION.get(version)
    if revision is None:
        return ""
    from stdnum.eu import nace
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        return nace.get_label(code, revision=revision)
    except StdnumError:
        return ""


def _display_code(code: str) -> str:
    return f"{code[:2]}.{code[2:]}" if len(code) > 2 else code


class _SectorLabels:
    """Dutch labels of the NACE codes a report shows, one query per batch of unseen codes."""

    def __init__(self, level: str):
        self.level = level
        self.labels: dict[tuple[str, str], str] = {}

    def prepare(self, keys: set[tuple]) -> None:
        wanted = {(version, code) for version, code in keys if (version, code) not in self.labels}
        if not wanted:
            return
        query = NaceCode.objects.filter(code__in={code for _, code in wanted}, version__in={v for v, _ in wanted})
        if self.level == "division":
            query = query.filter(level="division")
        found = {(row["version"], row["code"]): row["label_nl"] for row in query.values("version", "code", "label_nl")}
        for version, code in wanted:
            label = found.get((version, code)) or _stdnum_label(version, code)
            self.labels[(version, code)] = label

    def label(self, key: tuple) -> str:
        version, code = key
        text = f"{_display_code(code)} {self.labels.get((version, code), '')}".strip()
        if version != "2008":
            text += f" (NACE-BEL {version})"
        return text


def sector_dimension(level: str) -> Dimension:
    if level not in SECTOR_LEVELS:
        raise ValueError(f"Onbekend sectorniveau '{level}'; kies uit {', '.join(SECTOR_LEVELS)}.")
    labels = _SectorLabels(level)

    def expressions(path: str) -> dict[str, Combinable]:
        code: Combinable = F(f"{path}nace_code__code")
        if level == "division":
            code = Substr(code, 1, 2)
        return {"dim_sector_version": F(f"{path}nace_code__version"), "dim_sector_code": code}

    return Dimension(
        name="sector",
        expressions=expressions,
        label=labels.label,
        sort_key=lambda key: (key[1], key[0]),
        prepare=labels.prepare,
    )


# --------------------------------------------------------------------------- queries


def _cents_sum(field_path: str) -> Sum:
    """Sum of an amount in whole cents: exact on every backend (see module docstring)."""
    return Sum(Round(F(field_path) * 100), output_field=models.IntegerField())


def _euro(cents) -> Decimal:
    if cents is None:
        return ZERO
    return (Decimal(int(cents)) / 100).quantize(CENT)


def _year_of(field_path: str, years: range, *, moment: bool = False) -> Case:
    """The year of a date (or, with `moment`, of a timestamp in local time) as plain SQL.

    Rows are already filtered to `years`, so the first year whose end lies after
    the value is its year. A CASE on ranges instead of EXTRACT(YEAR): SQLite
    runs Django's EXTRACT as a Python function per row, ten times slower.
    """

    def start_of(year: int):
        return timezone.make_aware(datetime(year, 1, 1)) if moment else date(year, 1, 1)

    return Case(
        *(When(**{f"{field_path}__lt": start_of(year + 1)}, then=Value(year)) for year in years),
        output_field=models.IntegerField(),
    )


@dataclass(frozen=True)
class _Source:
    """One aggregation feeding a table: a filtered queryset, its year, its measures."""

    queryset: QuerySet
    year: models.Expression
    path: str  # from the queryset's model to the dossier ("" or "dossier__")
    measures: dict[Measure, models.Aggregate]

    def _base(self) -> QuerySet:
        return self.queryset.annotate(year=self.year).order_by()

    def _values(self, row: dict) -> dict[str, Decimal | int]:
        values = {}
        for measure in self.measures:
            raw = row[measure.key]
            values[measure.key] = _euro(raw) if measure.is_money else int(raw or 0)
        return values

    def grouped(self, dimensions: Iterable[Dimension]) -> dict[tuple, dict[str, dict]]:
        """{category key: {year: {measure key: value}}}; one GROUP BY query."""
        expressions: dict[str, Combinable] = {}
        aliases: list[list[str]] = []
        for dimension in dimensions:
            exprs = dimension.expressions(self.path)
            expressions.update(exprs)
            aliases.append(list(exprs))
        aggregates = {measure.key: aggregate for measure, aggregate in self.measures.items()}
        query = self._base().annotate(**expressions).values("year", *expressions).annotate(**aggregates)
        result: dict[tuple, dict[str, dict]] = {}
        for row in query:
            key = tuple(tuple(row[alias] for alias in names) for names in aliases)
            result.setdefault(key, {})[str(row["year"])] = self._values(row)
        return result

    def totals(self) -> dict[str, dict]:
        """{year: {measure key: value}} over all categories; one GROUP BY year query."""
        aggregates = {measure.key: aggregate for measure, aggregate in self.measures.items()}
        query = self._base().values("year").annotate(**aggregates)
        return {str(row["year"]): self._values(row) for row in query}


def _build(
    *,
    question: str,
    key: str,
    title: str,
    dimensions: list[Dimension],
    years: tuple[str, ...],
    sources: list[_Source],
    note: str = "",
) -> Table:
    measures: list[Measure] = [measure for source in sources for measure in source.measures]
    grouped = [source.grouped(dimensions) for source in sources]
    keys = {category for result in grouped for category in result}
    for index, dimension in enumerate(dimensions):
        dimension.prepare({category[index] for category in keys})

    def empty_values() -> dict[tuple[str, str], Decimal | int]:
        return {(year, measure.key): measure.zero for year in years for measure in measures}

    def fill(values: dict, per_year: dict[str, dict]) -> None:
        for year, figures in per_year.items():
            for measure_key, value in figures.items():
                if (year, measure_key) in values:
                    values[(year, measure_key)] = value

    rows = []
    for category in sorted(keys, key=lambda c: tuple(d.sort_key(k) for d, k in zip(dimensions, c))):
        values = empty_values()
        for result in grouped:
            fill(values, result.get(category, {}))
        rows.append(Row(category=tuple(d.label(k) for d, k in zip(dimensions, category)), values=values))

    total = None
    if rows:
        values = empty_values()
        for source in sources:
            fill(values, source.totals())
        total = Row(category=(TOTAL_LABEL,), values=values, is_total=True)
    notes = [note] if note else []
    if not rows:
        notes.insert(0, NO_DATA)
    return Table(
        question=question,
        key=key,
        title=title,
        dimensions=tuple(d.name for d in dimensions),
        years=years,
        measures=tuple(measures),
        rows=tuple(rows),
        total=total,
        note=" ".join(notes),
    )


# --------------------------------------------------------------------------- the tables


def _granted_q(year_from: int, year_to: int) -> Q:
    return Q(
        status__in=GRANTED_STATUSES, decided_date__gte=date(year_from, 1, 1), decided_date__lte=date(year_to, 12, 31)
    )


def _applied_q(year_from: int, year_to: int) -> Q:
    return Q(submitted_date__gte=date(year_from, 1, 1), submitted_date__lte=date(year_to, 12, 31))


def _granted(year_from: int, year_to: int) -> QuerySet:
    return Dossier.objects.filter(_granted_q(year_from, year_to))


def _applied(year_from: int, year_to: int) -> QuerySet:
    return Dossier.objects.filter(_applied_q(year_from, year_to))


def _paid(year_from: int, year_to: int) -> QuerySet:
    return Payment.objects.filter(payment_date__gte=date(year_from, 1, 1), payment_date__lte=date(year_to, 12, 31))


@dataclass
class _Period:
    year_from: int
    year_to: int
    years: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        self.years = tuple(str(year) for year in self.range)

    @property
    def range(self) -> range:
        return range(self.year_from, self.year_to + 1)

    def overlaps(self, first: int, last: int) -> bool:
        return self.year_from <= last and self.year_to >= first

    @property
    def label(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}-{self.year_to}"

    def granted_source(self) -> _Source:
        return _Source(
            queryset=_granted(self.year_from, self.year_to),
            year=_year_of("decided_date", self.range),
            path="",
            measures={COUNT_GRANTED: Count("pk"), AMOUNT_GRANTED: _cents_sum("subsidy_amount")},
        )

    def paid_source(self) -> _Source:
        return _Source(
            queryset=_paid(self.year_from, self.year_to),
            year=_year_of("payment_date", self.range),
            path="dossier__",
            measures={AMOUNT_PAID: _cents_sum("amount")},
        )

    def applied_source(self) -> _Source:
        return _Source(
            queryset=_applied(self.year_from, self.year_to),
            year=_year_of("submitted_date", self.range),
            path="",
            measures={COUNT_APPLIED: Count("pk"), AMOUNT_REQUESTED: _cents_sum("subsidy_amount")},
        )

    def beneficiaries_source(self) -> _Source:
        return _Source(
            queryset=_granted(self.year_from, self.year_to),
            year=_year_of("decided_date", self.range),
            path="",
            measures={COUNT_GRANTED: Count("company", distinct=True)},
        )

    def _dates(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": date(self.year_from, 1, 1), f"{field_name}__lte": date(self.year_to, 12, 31)})

    def recovery_source(self) -> _Source:
        return _Source(
            queryset=Recovery.objects.filter(self._dates("issued_date")),
            year=_year_of("issued_date", self.range),
            path="dossier__",
            measures={COUNT_RECOVERY_DOSSIERS: Count("dossier", distinct=True), AMOUNT_RECOVERED: _cents_sum("amount")},
        )

    def collection_source(self) -> _Source:
        return _Source(
            queryset=Collection.objects.filter(self._dates("collected_date")),
            year=_year_of("collected_date", self.range),
            path="recovery__dossier__",
            measures={AMOUNT_COLLECTED: _cents_sum("amount")},
        )

    def abandoned_source(self) -> _Source:
        first, after = date(self.year_from, 1, 1), date(self.year_to + 1, 1, 1)
        started = Q(submitted_date__gte=first, submitted_date__lt=after) | Q(
            submitted_date__isnull=True,
            created_at__gte=timezone.make_aware(datetime(self.year_from, 1, 1)),
            created_at__lt=timezone.make_aware(datetime(self.year_to + 1, 1, 1)),
        )
        return _Source(
            queryset=Dossier.objects.filter(
                started, status__in=[s for statuses in ABANDONED.values() for s in statuses]
            ),
            year=Case(
                When(submitted_date__isnull=False, then=_year_of("submitted_date", self.range)),
                default=_year_of("created_at", self.range, moment=True),
                output_field=models.IntegerField(),
            ),
            path="",
            measures={COUNT_STARTED: Count("pk"), AMOUNT_STARTED: _cents_sum("subsidy_amount")},
        )


# The years the published answer to question 526 covered.
PUBLISHED_YEARS = (2021, 2022)
_ROUNDING_NOTE = (
    "Bedragen exact tot op de cent. Het gepubliceerde antwoord rondde deze tabel af op de euro, "
    "waardoor de rijen niet optelden tot het totaal (935.758 tegenover 935.757,61 in 2021)."
)


def _tables_1a(period: _Period, sector: Dimension) -> list[Table]:
    granted_note = (
        "Toegekend: dossiers goedgekeurd, in uitvoering, afgerond of stopgezet; bedrag = toegekende steun. "
        "Uitbetaald: betaalde schijven, in het jaar van betaling, ook voor dossiers die in een ander jaar werden toegekend."
    )
    return [
        _build(
            question="1a",
            key="1a_toegekend_provincie",
            title="Toegekende en uitbetaalde steun per provincie",
            dimensions=[PROVINCE],
            years=period.years,
            sources=[period.granted_source(), period.paid_source()],
            note=granted_note,
        ),
        _build(
            question="1a",
            key="1a_toegekend_grootte",
            title="Toegekende en uitbetaalde steun per grootte van de onderneming",
            dimensions=[SIZE],
            years=period.years,
            sources=[period.granted_source(), period.paid_source()],
            note=f"{granted_note} Grootte volgens de kmo-toets van het dossier."
            + (f" {_ROUNDING_NOTE}" if period.overlaps(*PUBLISHED_YEARS) else ""),
        ),
        _build(
            question="1a",
            key="1a_toegekend_sector",
            title="Toegekende steun per sector (hoofdactiviteit, NACE-BEL)",
            dimensions=[sector],
            years=period.years,
            sources=[period.granted_source()],
            note="Gegroepeerd op NACE-code van het dossier, niet op omschrijving: één activiteit is één rij.",
        ),
    ]


def _tables_1b(period: _Period, sector: Dimension) -> list[Table]:
    note = (
        "Alle ingediende aanvragen, wat ook de uitkomst is (toegekend, afgewezen, ingetrokken, in behandeling); "
        "bedrag = gevraagde steun volgens de offerte."
    )
    tables = [
        _build(
            question="1b",
            key="1b_aanvragen_uitkomst",
            title="Ingediende aanvragen per uitkomst",
            dimensions=[OUTCOME],
            years=period.years,
            sources=[period.applied_source()],
            note=note,
        )
    ]
    for dimension, key, title in (
        (PROVINCE, "1b_aanvragen_provincie", "Ingediende aanvragen per provincie en uitkomst"),
        (SIZE, "1b_aanvragen_grootte", "Ingediende aanvragen per grootte en uitkomst"),
        (sector, "1b_aanvragen_sector", "Ingediende aanvragen per sector en uitkomst"),
    ):
        tables.append(
            _build(
                question="1b",
                key=key,
                title=title,
                dimensions=[dimension, OUTCOME],
                years=period.years,
                sources=[period.applied_source()],
                note=note,
            )
        )
    return tables


def _tables_1c(period: _Period, sector: Dimension) -> list[Table]:
    note = (
        "Aantal verschillende ondernemingen met een toegekende steun in het jaar. Het totaal telt elke onderneming "
        "één keer, ook als ze in meer dan één rij voorkomt."
    )
    return [
        _build(
            question="1c",
            key=f"1c_steunverkrijgers_{dimension.name}",
            title=f"Unieke steunverkrijgers per {dimension.name}",
            dimensions=[dimension],
            years=period.years,
            sources=[period.beneficiaries_source()],
            note=note,
        )
        for dimension in (SIZE, sector, PROVINCE)
    ]


# Companies with ten or more applications (or grants) share one row: keeps the query a fixed size.
COUNT_CAP = 10


def _bucket_label(n: int, singular: str, plural: str) -> str:
    if n >= COUNT_CAP:
        return f"{COUNT_CAP} of meer {plural}"
    return f"{n} {singular if n == 1 else plural}"


def _bucket_q(field_name: str, n: int) -> Q:
    return Q(**{f"{field_name}__gte": n}) if n >= COUNT_CAP else Q(**{field_name: n})


def _tables_1d(period: _Period) -> list[Table]:
    """Companies by number of applications and of grants: two queries for the three tables.

    The inner query counts per company (GROUP BY company); Django wraps it as a
    subquery when aggregating over those counts, so the buckets are counted by
    the database: the first query finds the largest count, the second counts
    the companies per bucket (COUNT ... FILTER) and the totals.
    """
    applied_q, granted_q = _applied_q(period.year_from, period.year_to), _granted_q(period.year_from, period.year_to)
    per_company = (
        Dossier.objects.filter(applied_q | granted_q)
        .values("company")
        .annotate(aanvragen=Count("pk", filter=applied_q), toekenningen=Count("pk", filter=granted_q))
        .order_by()
    )
    top = per_company.aggregate(most_applications=Max("aanvragen"), most_grants=Max("toekenningen"))
    top_applications = min(top["most_applications"] or 0, COUNT_CAP)
    top_grants = min(top["most_grants"] or 0, COUNT_CAP)
    counts = {
        "total_applied": Count("company", filter=Q(aanvragen__gt=0)),
        "total_granted": Count("company", filter=Q(toekenningen__gt=0)),
        "total": Count("company"),
    }
    for a in range(top_applications + 1):
        counts[f"a{a}"] = Count("company", filter=_bucket_q("aanvragen", a))
        for g in range(top_grants + 1):
            counts[f"a{a}_g{g}"] = Count("company", filter=_bucket_q("aanvragen", a) & _bucket_q("toekenningen", g))
    for g in range(top_grants + 1):
        counts[f"g{g}"] = Count("company", filter=_bucket_q("toekenningen", g))
    found = per_company.aggregate(**counts) if top["most_applications"] is not None else {}

    year = period.label
    measure = Measure(
        "aantal",
        "Aantal",
        False,
        f"de periode {period.label} als geheel (aanvragen volgens de indieningsdatum, "
        "toekenningen volgens de datum van de beslissing)",
    )

    def table(
        key: str,
        title: str,
        dimensions: tuple[str, ...],
        cells: list[tuple[tuple[str, ...], str]],
        total: str,
        note: str,
    ):
        rows = tuple(
            Row(category=category, values={(year, measure.key): found[alias]})
            for category, alias in cells
            if found.get(alias)
        )
        notes = [note] if rows else [NO_DATA, note]
        return Table(
            question="1d",
            key=key,
            title=title,
            dimensions=dimensions,
            years=(year,),
            measures=(measure,),
            rows=rows,
            total=Row(category=(TOTAL_LABEL,), values={(year, measure.key): found[total]}, is_total=True)
            if rows
            else None,
            note=" ".join(notes),
        )

    def applications(a: int) -> str:
        return _bucket_label(a, "aanvraag", "aanvragen")

    def grants(g: int) -> str:
        return _bucket_label(g, "toekenning", "toekenningen")

    return [
        table(
            "1d_bedrijven_aanvragen",
            "Ondernemingen naar aantal ingediende aanvragen",
            ("aanvragen",),
            [((applications(a),), f"a{a}") for a in range(1, top_applications + 1)],
            "total_applied",
            "Aanvragen ingediend in de periode, wat ook de uitkomst is.",
        ),
        table(
            "1d_bedrijven_toekenningen",
            "Ondernemingen naar aantal toekenningen",
            ("toekenningen",),
            [((grants(g),), f"g{g}") for g in range(1, top_grants + 1)],
            "total_granted",
            "Steun toegekend in de periode.",
        ),
        table(
            "1d_bedrijven_aanvragen_toekenningen",
            "Ondernemingen naar aantal aanvragen en aantal toekenningen",
            ("aanvragen", "toekenningen"),
            [
                ((applications(a), grants(g)), f"a{a}_g{g}")
                for a in range(top_applications + 1)
                for g in range(top_grants + 1)
            ],
            "total",
            "Bv. '2 aanvragen,1 toekenning': ondernemingen die twee keer aanvroegen en één keer steun kregen. "
            "'0 aanvragen': de aanvraag werd vóór de periode ingediend.",
        ),
    ]


def _tables_1f(period: _Period) -> list[Table]:
    note = (
        "Pakketcombinatie volgens de offerte: een basis- of lightpakket, eventueel met uitbreiding "
        "(oproep 2021-2022); START, MEDIUM of PLUS (vanaf 2023)."
    )
    return [
        _build(
            question="1f",
            key="1f_pakket",
            title="Toegekende trajecten per pakket",
            dimensions=[PACKAGE],
            years=period.years,
            sources=[period.granted_source()],
            note=note,
        ),
        _build(
            question="1f",
            key="1f_pakket_grootte",
            title="Toegekende trajecten per pakket en grootte van de onderneming",
            dimensions=[PACKAGE, SIZE],
            years=period.years,
            sources=[period.granted_source()],
            note=note,
        ),
    ]


def _tables_1g(period: _Period, sector: Dimension) -> list[Table]:
    note = (
        "Gestarte aanvragen die niet afgewerkt werden: nooit ingediende ontwerpen en ingetrokken aanvragen; "
        "bedrag = gevraagde steun volgens de offerte. Bezoeken of 'clicks' op het formulier worden niet bijgehouden."
    )
    return [
        _build(
            question="1g",
            key=f"1g_niet_afgewerkt_{dimension.name}",
            title=f"Niet afgewerkte aanvragen per {dimension.name}",
            dimensions=[dimension, ABANDONMENT],
            years=period.years,
            sources=[period.abandoned_source()],
            note=note,
        )
        for dimension in (PROVINCE, SIZE, sector)
    ]


def _tables_2(period: _Period) -> list[Table]:
    """2b recovery orders and 2c collections, by size class as question 2 asks."""
    return [
        _build(
            question="2b",
            key="2b_terugvorderingen_grootte",
            title="Terugvorderingen per grootte van de onderneming",
            dimensions=[SIZE],
            years=period.years,
            sources=[period.recovery_source()],
            note=(
                "Dossiers waarin een terugvordering werd verstuurd, en het teruggevorderde bedrag. Een dossier met "
                "meer dan één terugvordering in een jaar telt één keer."
            ),
        ),
        _build(
            question="2c",
            key="2c_inningen_grootte",
            title="Geïnde terugvorderingen per grootte van de onderneming",
            dimensions=[SIZE],
            years=period.years,
            sources=[period.collection_source()],
            note="Bedragen effectief geïnd op terugvorderingen, ook gedeeltelijke inningen, in het jaar van de inning.",
        ),
    ]


def validate_period(*, year_from: int, year_to: int) -> None:
    for name, year in (("van", year_from), ("tot", year_to)):
        if isinstance(year, bool) or not isinstance(year, int):
            raise ValueError(f"Jaar '{name}' moet een getal zijn, niet {year!r}.")
        if not 2000 <= year <= 2100:
            raise ValueError(f"Jaar {year} ligt buiten 2000-2100.")
    if year_from > year_to:
        raise ValueError(f"Beginjaar {year_from} ligt na eindjaar {year_to}.")


def question_tables(*, year_from: int, year_to: int, sector_level: str = "subclass") -> list[Table]:
    """Every table that answers written question 526 from the records (1a-1d, 1f, 1g, 2b, 2c), for the years given."""
    validate_period(year_from=year_from, year_to=year_to)
    period = _Period(year_from, year_to)
    sector = sector_dimension(sector_level)
    return [
        *_tables_1a(period, sector),
        *_tables_1b(period, sector),
        *_tables_1c(period, sector),
        *_tables_1d(period),
        *_tables_1f(period),
        *_tables_1g(period, sector),
        *_tables_2(period),
    ]


def data_date() -> date | None:
    """The latest date in the records (decisions, submissions, progress, payments), or None."""
    dossier_dates = Dossier.objects.aggregate(
        submitted=Max("submitted_date"),
        decided=Max("decided_date"),
        started=Max("started_date"),
        finished=Max("finished_date"),
    )
    payment_date = Payment.objects.aggregate(paid=Max("payment_date"))["paid"]
    dates = [d for d in (*dossier_dates.values(), payment_date) if d is not None]
    return max(dates) if dates else None
