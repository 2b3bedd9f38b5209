"""Questions 1e (themes) and 5 (impact): their sources and tables for the report engine.

The sources (`IMPACT_SOURCES`: planned themes, granted dossiers, finished
trajectories, maturities, follow-ups) are read once per report into DuckDB
(see `reporting.engine`); every figure is a GROUP BY there (window functions
for the allocation). Python only sees grouped rows, never one row per dossier.

1e: the relative distribution of the granted projects by theme
--------------------------------------------------------------
Themes are the CyberFundamentals (CyFun) / NIST CSF 2.0 categories the
provider planned in the quote, with man-days (`impact.PlannedTheme`). The
year is the year of the decision to grant. Allocation rule:
- **Amount**: a dossier's granted amount is split over its themes in
  proportion to the quoted man-days per theme, in whole cents; the cents
  left after rounding down go one each to the themes with the largest
  remainders (ties: theme code), so a dossier's parts add up exactly to its
  amount and the amounts per theme add up to the granted total. At function
  level the amount is the sum of its categories.
- **Dossiers per theme**: a dossier counts once for every theme it covers
  (these shares add up to more than 100 %), and once for its **main theme**
  (the theme with the most man-days; ties: theme code), whose shares add up
  to 100 %. Granted dossiers without registered themes form their own row
  ("geen thema geregistreerd"), so every table adds up to the granted total
  of 1a.

5: impact, per cohort of trajectories finished in a year
--------------------------------------------------------
A trajectory counts in the year it was finished (`Dossier.finished_date`).
Impact figures use the structured final reports co-signed by the SME:
- maturity gain of a trajectory = the mean over the CyFun functions of
  (maturity after - maturity before), on CyFun's 1-5 scale; "with a gain"
  means that mean is above 0;
- the mean gain per function comes with a 95 % confidence interval
  (Student t, n - 1 degrees of freedom) over the trajectories;
- satisfaction is the mean score (1-5) of the SME's feedback; recommend and
  changed practice are shares of the SMEs answering yes;
- follow-up: surveys sent twelve months after the end, the share answered,
  and retention = the share of (partly) realised improvement points the SME
  says are still in place;
- cost per maturity point = the granted amount of the trajectories with a
  co-signed report divided by the sum of their maturity gains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Round
from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop

from cstraject.companies.models import NaceCode
from cstraject.companies.nace import nace_label
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier, DossierStatus, SizeClass
from cstraject.impact.models import (
    FollowUp,
    FollowUpItem,
    FunctionMaturity,
    PlannedTheme,
    Theme,
)

from .engine import (
    NO_DATA,
    TOTAL_LABEL,
    Column,
    Measure,
    Period,
    Row,
    Run,
    Source,
    Table,
    cents,
    flag,
    integer,
    text,
    year,
)

YEAR_GRANTED = gettext_lazy("het jaar van de beslissing tot toekenning (beslist op)")
YEAR_FINISHED = gettext_lazy("het jaar waarin het traject werd afgerond (afgerond op)")
NO_THEME = gettext_noop("geen thema geregistreerd")  # a key; its label is gettext(NO_THEME)
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


@dataclass(frozen=True)
class RatioMeasure(Measure):
    """A figure that is no count or amount: a share in % (`unit` "%") or a mean score ("score").

    Its value may be None where it cannot be computed (no answers, no gain): empty in the workbook and CSV.
    """

    unit: str = "%"


def measure_unit(measure: Measure) -> str:
    """ "euro", "count", "%" or "score": how a figure is formatted."""
    unit = getattr(measure, "unit", "")
    if unit:
        return unit
    return "euro" if measure.is_money else "count"


# --------------------------------------------------------------------------- helpers


def _tenths(path: str):
    """A one-decimal quantity (man-days, maturity) as whole tenths: exact integers on every backend."""
    return lambda period: Cast(Round(F(path) * 10), models.BigIntegerField())


def _yes_no(path: str):
    """1 for yes, 0 for no, NULL when not answered."""
    return lambda period: Case(
        When(**{path: True}, then=Value(1)),
        When(**{path: False}, then=Value(0)),
        default=Value(None),
        output_field=models.IntegerField(),
    )


# The sources 1e and 5 read (see reporting.engine): one narrow projection per model, read once per report.
THEMES = Source(
    name="themes",
    rows=lambda: PlannedTheme.objects.filter(dossier__status__in=GRANTED_STATUSES),
    columns=(
        integer("dossier_id"),
        year("decided_year", "dossier__decided_date"),
        text("size_class", "dossier__size_class"),
        cents("cents", "dossier__subsidy_amount"),
        text("theme_code", "theme__code"),
        text("function_code", "theme__parent__code"),
        flag("is_main", Q(is_main=True)),
        Column("tenths", "BIGINT", _tenths("man_days")),
    ),
)
GRANTED = Source(
    name="granted",
    rows=lambda: Dossier.objects.filter(status__in=GRANTED_STATUSES),
    columns=(
        year("decided_year", "decided_date"),
        text("size_class"),
        cents("cents", "subsidy_amount"),
        flag("themed", Q(Exists(PlannedTheme.objects.filter(dossier=OuterRef("pk"))))),
    ),
)
_REPORTED = Q(final_report__is_structured=True, final_report__sme_signed_at__isnull=False)
TRAJECTORIES = Source(
    name="trajectories",
    rows=lambda: Dossier.objects.filter(status=DossierStatus.FINISHED),
    columns=(
        integer("dossier_id", "id"),
        year("finished_year", "finished_date"),
        text("size_class"),
        text("provider", "provider__name"),
        text("sector_version", "nace_code__version"),
        text("sector_code", "nace_code__code"),
        cents("cents", "subsidy_amount"),
        flag("reported", _REPORTED),
        integer("satisfaction", "final_report__satisfaction"),
        Column("recommend", "BIGINT", _yes_no("final_report__would_recommend")),
        Column("practice", "BIGINT", _yes_no("final_report__changed_practice")),
    ),
)
_REPORT_OF_FINISHED = {
    "final_report__dossier__status": DossierStatus.FINISHED,
    "final_report__is_structured": True,
    "final_report__sme_signed_at__isnull": False,
}
MATURITIES = Source(
    name="maturities",
    rows=lambda: FunctionMaturity.objects.filter(**_REPORT_OF_FINISHED),
    columns=(
        integer("dossier_id", "final_report__dossier_id"),
        year("finished_year", "final_report__dossier__finished_date"),
        text("function_code", "function__code"),
        Column("before_tenths", "BIGINT", _tenths("before")),
        Column("after_tenths", "BIGINT", _tenths("after")),
    ),
)
FOLLOW_UPS = Source(
    name="followups",
    rows=lambda: FollowUp.objects.filter(**_REPORT_OF_FINISHED),
    columns=(
        integer("dossier_id", "final_report__dossier_id"),
        year("finished_year", "final_report__dossier__finished_date"),
        flag("answered", Q(answered_at__isnull=False)),
    ),
)
FOLLOW_UP_ITEMS = Source(
    name="followup_items",
    rows=lambda: FollowUpItem.objects.filter(
        **{f"follow_up__{key}": value for key, value in _REPORT_OF_FINISHED.items()}
    ),
    columns=(
        integer("dossier_id", "follow_up__final_report__dossier_id"),
        year("finished_year", "follow_up__final_report__dossier__finished_date"),
        flag("kept", Q(still_in_place=True)),
    ),
)
IMPACT_SOURCES = {s.name: s for s in (THEMES, GRANTED, TRAJECTORIES, MATURITIES, FOLLOW_UPS, FOLLOW_UP_ITEMS)}


def _euro(cents) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(TWO_DECIMALS)


def _dec(value, places: Decimal = TWO_DECIMALS) -> Decimal:
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return _dec(Decimal(part) * 100 / Decimal(whole), ONE_DECIMAL)


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """`total` whole units split in proportion to `weights`, rounded down, the rest one each to the
    largest remainders (ties: the earlier weight). Parts add up exactly to `total`.

    The SQL of `theme_allocation` applies the same rule per dossier; this is its reference for tests,
    and it rounds the shares of a partition (tenths of a percent) so they add up to 100.0 %.
    """
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [0] * len(weights)
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _partition_shares(counts: dict, total: int) -> dict:
    """Shares in % with one decimal that add up to exactly 100.0 (largest remainder on tenths)."""
    keys = sorted(counts)
    if not total:
        return dict.fromkeys(keys)
    tenths = largest_remainder(1000, [int(counts[k]) for k in keys])
    return {k: Decimal(t) / 10 for k, t in zip(keys, tenths)}


# Student t quantiles for a two-sided 95 % interval (0.975), by degrees of freedom.
_T975 = {
    1: "12.706", 2: "4.303", 3: "3.182", 4: "2.776", 5: "2.571", 6: "2.447", 7: "2.365", 8: "2.306", 9: "2.262",
    10: "2.228", 11: "2.201", 12: "2.179", 13: "2.160", 14: "2.145", 15: "2.131", 16: "2.120", 17: "2.110",
    18: "2.101", 19: "2.093", 20: "2.086", 21: "2.080", 22: "2.074", 23: "2.069", 24: "2.064", 25: "2.060",
    26: "2.056", 27: "2.052", 28: "2.048", 29: "2.045", 30: "2.042", 40: "2.021", 60: "2.000", 120: "1.980",
}  # fmt: skip


def t_quantile(df: int) -> Decimal:
    """The 0.975 quantile of Student's t with `df` degrees of freedom (table; conservative between rows)."""
    if df < 1:
        raise ValueError("df >= 1")
    if df in _T975:
        return Decimal(_T975[df])
    if df > 120:
        return Decimal("1.960")
    return Decimal(_T975[max(k for k in _T975 if k <= df)])


def mean_ci(n: int, total: float, squares: float) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Mean and 95 % confidence interval from n, the sum and the sum of squares (None where undefined)."""
    if not n:
        return None, None, None
    mean = total / n
    if n < 2:
        return _dec(mean), None, None
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    half = float(t_quantile(n - 1)) * math.sqrt(variance / n)
    return _dec(mean), _dec(mean - half), _dec(mean + half)


def _empty(years, measures) -> dict:
    return {(year, m.key): m.zero if not isinstance(m, RatioMeasure) else None for year in years for m in measures}


def _table(*, question, key, title, dimensions, years, measures, rows, total, note) -> Table:
    notes = [str(note)] if rows else [str(NO_DATA), str(note)]
    return Table(
        question=question,
        key=key,
        title=title,
        dimensions=dimensions,
        years=years,
        measures=tuple(measures),
        rows=tuple(rows),
        total=total if rows else None,
        note=" ".join(notes),
    )


def _function_names() -> dict[str, str]:
    """Names of the themes by code in the active language (English where the framework has it; the latest
    framework version wins)."""
    english = get_language() == "en"
    names = {}
    for code, name_nl, name_en in Theme.objects.order_by("version__code").values_list("code", "name_nl", "name_en"):
        names[code] = name_en if english and name_en else name_nl
    return names


# --------------------------------------------------------------------------- 1e


DOSSIERS_THEME = Measure("dossiers", gettext_lazy("Dossiers met dit thema"), False, YEAR_GRANTED)
SHARE_THEME = RatioMeasure("aandeel_dossiers", gettext_lazy("% van de dossiers"), False, YEAR_GRANTED)
DOSSIERS_MAIN = Measure("hoofdthema", gettext_lazy("Dossiers met dit hoofdthema"), False, YEAR_GRANTED)
# xgettext:no-python-format
SHARE_MAIN = RatioMeasure("aandeel_hoofdthema", gettext_lazy("% hoofdthema"), False, YEAR_GRANTED)
AMOUNT_THEME = Measure("bedrag", gettext_lazy("Toegekend bedrag (verdeeld)"), True, YEAR_GRANTED)
SHARE_AMOUNT = RatioMeasure("aandeel_bedrag", gettext_lazy("% van het bedrag"), False, YEAR_GRANTED)
MEASURES_1E = (DOSSIERS_THEME, SHARE_THEME, DOSSIERS_MAIN, SHARE_MAIN, AMOUNT_THEME, SHARE_AMOUNT)

ALLOCATION_NOTE = gettext_lazy(
    "Thema's volgens CyberFundamentals (NIST CSF 2.0), door de dienstverlener vastgelegd in de offerte met hun "
    "mensdagen. Bedrag: het toegekende bedrag van een dossier verdeeld over zijn thema's naar verhouding van de "
    "mensdagen, in centen; de resterende centen gaan één per één naar de grootste resten, zodat de delen optellen "
    "tot het bedrag van het dossier. Een dossier telt één keer per thema dat het bevat (die aandelen tellen op tot "
    "meer dan 100 %) en één keer voor zijn hoofdthema, het thema met de meeste mensdagen (die aandelen tellen op "
    "tot 100 %). Dossiers zonder geregistreerde thema's (o.a. de oproep 2021-2022) staan in een eigen rij."
)


_ALLOCATION = """
    WITH weighted AS (
        SELECT dossier_id, decided_year AS year, size_class, cents, theme_code, function_code, is_main, tenths,
               sum(tenths) OVER (PARTITION BY dossier_id) AS all_tenths
        FROM themes WHERE decided_year IS NOT NULL
    ),
    floored AS (
        SELECT *, (cents * tenths) // all_tenths AS base, (cents * tenths) % all_tenths AS remainder FROM weighted
    ),
    ranked AS (
        SELECT *, cents - sum(base) OVER (PARTITION BY dossier_id) AS leftover,
               row_number() OVER (PARTITION BY dossier_id ORDER BY remainder DESC, theme_code) AS rank
        FROM floored
    ),
    allocated AS (SELECT *, base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END AS part FROM ranked)
"""


def _allocation(run: Run, level: str, by_size: bool) -> list[tuple]:
    """Per (year, theme[, size]): covering dossiers, main-theme dossiers, allocated cents; one DuckDB query."""
    group = ("function_code" if level == "function" else "theme_code") + (", size_class" if by_size else "")
    return run.query(
        f"{_ALLOCATION} SELECT year, {group}, count(DISTINCT dossier_id), "
        f"sum(CASE WHEN is_main THEN 1 ELSE 0 END), sum(part) FROM allocated GROUP BY year, {group}"
    )


def _granted_totals(run: Run, by_size: bool) -> list[tuple]:
    """Per (year[, size]): granted dossiers, their cents, and those without themes (count, cents)."""
    size = ", size_class" if by_size else ""
    return run.query(
        f"SELECT decided_year{size}, count(*), sum(cents), sum(CASE WHEN themed THEN 0 ELSE 1 END), "
        f"sum(CASE WHEN themed THEN 0 ELSE cents END) FROM granted WHERE decided_year IS NOT NULL "
        f"GROUP BY decided_year{size}"
    )


def _run(year_from: int, year_to: int, names: set[str]) -> Run:
    from .dimensions import dimensions

    run = Run(period=Period(year_from, year_to), sources=IMPACT_SOURCES, dimensions=dimensions())
    run.load(sorted(names))
    return run


def allocation_detail(*, year_from: int, year_to: int) -> dict[int, dict[str, Decimal]]:
    """{dossier id: {theme code: allocated euro}}: the allocation rule per dossier (tests, audits)."""
    run = _run(year_from, year_to, {"themes"})
    try:
        rows = run.query(f"{_ALLOCATION} SELECT dossier_id, theme_code, part FROM allocated")
    finally:
        run.close()
    found: dict[int, dict[str, Decimal]] = {}
    for dossier_id, theme, part in rows:
        found.setdefault(dossier_id, {})[theme] = _euro(part)
    return found


def _size_order(value: str) -> tuple:
    order = {v: i for i, v in enumerate(SizeClass.values)}
    return (order.get(value, len(order)), value or "")


def _size_label(value: str) -> str:
    try:
        return str(SizeClass(value).label)
    except ValueError:
        return value or "onbekend"


def _tables_1e(run: Run) -> list[Table]:
    years = run.period.years
    names = _function_names()
    tables = []
    totals = {str(row[0]): row[1:] for row in _granted_totals(run, False)}
    for level, key, title in (
        ("function", "1e_thema_functie", gettext("Toegekende dossiers en steun per thema (CyFun-functie)")),
        ("category", "1e_thema_categorie", gettext("Toegekende dossiers en steun per thema (CyFun-categorie)")),
    ):
        grouped = _allocation(run, level, False)
        tables.append(_build_1e(key, title, ("thema",), years, grouped, totals, names, by_size=False))
    grouped = _allocation(run, "function", True)
    totals_by_size = {(str(row[0]), row[1]): row[2:] for row in _granted_totals(run, True)}
    tables.append(
        _build_1e(
            "1e_thema_grootte",
            gettext("Toegekende dossiers en steun per thema (CyFun-functie) en grootte van de onderneming"),
            ("thema", "grootte"),
            years,
            grouped,
            totals_by_size,
            names,
            by_size=True,
        )
    )
    return tables


def tables_1e(*, year_from: int, year_to: int) -> list[Table]:
    """The tables of 1e for the period (outside a full report: reads only the sources 1e needs)."""
    run = _run(year_from, year_to, ThemeTables().sources())
    try:
        return _tables_1e(run)
    finally:
        run.close()


def _theme_sort(code: str) -> tuple:
    order = ["GV", "ID", "PR", "DE", "RS", "RC"]
    head = code.split(".")[0]
    return (order.index(head) if head in order else len(order), code)


def _build_1e(key, title, dimensions, years, grouped, totals, names, *, by_size: bool) -> Table:
    """Rows per theme (and size), with 'geen thema' and Totaal; shares against the year's (size class's) total."""
    cells: dict[tuple, dict[str, tuple[int, int, int]]] = {}
    for row in grouped:
        year, theme = str(row[0]), row[1]
        size = row[2] if by_size else None
        covering, main, cents = (int(v or 0) for v in row[-3:])
        cells.setdefault((theme, size), {})[year] = (covering, main, cents)
    # Dossiers without themes, and the totals, per (year[, size]).
    for total_key, (_count, _cents, unthemed, unthemed_cents) in totals.items():
        year, size = total_key if by_size else (total_key, None)
        if unthemed:
            cells.setdefault((NO_THEME, size), {})[year] = (int(unthemed), int(unthemed), int(unthemed_cents or 0))

    def total_of(year, size):
        key_ = (year, size) if by_size else year
        found = totals.get(key_)
        return (int(found[0]), int(found[1] or 0)) if found else (0, 0)

    # Partition shares (main theme, amount) rounded to add up to 100.0 per (year, size).
    main_shares: dict[tuple, dict] = {}
    amount_shares: dict[tuple, dict] = {}
    groups = {(year, size) for (theme, size), per_year in cells.items() for year in per_year}
    for year, size in groups:
        members = {theme: per_year[year] for (theme, s), per_year in cells.items() if s == size and year in per_year}
        count, cents = total_of(year, size)
        main_shares[(year, size)] = _partition_shares({t: v[1] for t, v in members.items()}, count)
        amount_shares[(year, size)] = _partition_shares({t: v[2] for t, v in members.items()}, cents)

    def sort_key(item):
        theme, size = item
        theme_key = (1, "") if theme == NO_THEME else (0, _theme_sort(theme))
        return (_size_order(size), theme_key) if by_size else theme_key

    rows = []
    for theme, size in sorted(cells, key=sort_key):
        values = _empty(years, MEASURES_1E)
        for year in years:  # a theme absent in a year with grants has a share of 0, not an empty cell
            count, all_cents = total_of(year, size)
            if count:
                values[(year, "aandeel_dossiers")] = values[(year, "aandeel_hoofdthema")] = Decimal("0.0")
            if all_cents:
                values[(year, "aandeel_bedrag")] = Decimal("0.0")
        for year, (covering, main, cents) in cells[(theme, size)].items():
            count, _all_cents = total_of(year, size)
            values[(year, "dossiers")] = covering
            values[(year, "aandeel_dossiers")] = _pct(covering, count)
            values[(year, "hoofdthema")] = main
            values[(year, "aandeel_hoofdthema")] = (
                main_shares[(year, size)].get(theme) or values[(year, "aandeel_hoofdthema")]
            )
            values[(year, "bedrag")] = _euro(cents)
            values[(year, "aandeel_bedrag")] = (
                amount_shares[(year, size)].get(theme) or values[(year, "aandeel_bedrag")]
            )
        label = gettext(NO_THEME) if theme == NO_THEME else f"{theme} {names.get(theme, '')}".strip()
        category = (label, _size_label(size)) if by_size else (label,)
        rows.append(Row(category=category, values=values))
    total_values = _empty(years, MEASURES_1E)
    for year in years:
        sizes = {s for (_t, s) in cells} if by_size else {None}
        count = sum(total_of(year, s)[0] for s in sizes)
        cents = sum(total_of(year, s)[1] for s in sizes)
        total_values.update(
            {
                (year, "dossiers"): count,
                (year, "aandeel_dossiers"): _pct(count, count),
                (year, "hoofdthema"): count,
                (year, "aandeel_hoofdthema"): _pct(count, count),
                (year, "bedrag"): _euro(cents),
                (year, "aandeel_bedrag"): _pct(cents, cents),
            }
        )
    total = Row(category=(str(TOTAL_LABEL),), values=total_values, is_total=True)
    note = str(ALLOCATION_NOTE)
    if by_size:
        note += " " + gettext("Aandelen binnen de grootteklasse.")
    return _table(
        question="1e",
        key=key,
        title=title,
        dimensions=dimensions,
        years=years,
        measures=MEASURES_1E,
        rows=rows,
        total=total,
        note=note,
    )


# --------------------------------------------------------------------------- 5


FINISHED = Measure("afgerond", gettext_lazy("Afgeronde trajecten"), False, YEAR_FINISHED)
REPORTS = Measure("eindverslag", gettext_lazy("Met medeondertekend eindverslag"), False, YEAR_FINISHED)
SHARE_GAIN = RatioMeasure("aandeel_winst", gettext_lazy("% met maturiteitswinst"), False, YEAR_FINISHED)
MEAN_GAIN = RatioMeasure("winst", gettext_lazy("Gemiddelde winst (punten)"), False, YEAR_FINISHED, unit="score")
SATISFACTION = RatioMeasure("tevredenheid", gettext_lazy("Tevredenheid (1-5)"), False, YEAR_FINISHED, unit="score")
RECOMMEND = RatioMeasure("aanbevelen", gettext_lazy("% zou aanbevelen"), False, YEAR_FINISHED)
PRACTICE = RatioMeasure("praktijk", gettext_lazy("% praktijk veranderd"), False, YEAR_FINISHED)
FOLLOW_UPS_SENT = Measure("opvolging", gettext_lazy("Opvolgingen verstuurd"), False, YEAR_FINISHED)
# xgettext:no-python-format
RESPONSE = RatioMeasure("respons", gettext_lazy("% opvolging beantwoord"), False, YEAR_FINISHED)
RETENTION = RatioMeasure("behoud", gettext_lazy("% verbeteringen behouden"), False, YEAR_FINISHED)
COST_PER_POINT = RatioMeasure(
    "kost_per_punt", gettext_lazy("Steun per maturiteitspunt"), True, YEAR_FINISHED, unit="euro"
)
MEASURES_5 = (
    FINISHED,
    REPORTS,
    SHARE_GAIN,
    MEAN_GAIN,
    SATISFACTION,
    RECOMMEND,
    PRACTICE,
    FOLLOW_UPS_SENT,
    RESPONSE,
    RETENTION,
    COST_PER_POINT,
)

N_FUNCTION = Measure("trajecten", gettext_lazy("Trajecten"), False, YEAR_FINISHED)
BEFORE = RatioMeasure("voor", gettext_lazy("Maturiteit voor"), False, YEAR_FINISHED, unit="score")
AFTER = RatioMeasure("na", gettext_lazy("Maturiteit na"), False, YEAR_FINISHED, unit="score")
GAIN = RatioMeasure("winst", gettext_lazy("Gemiddelde winst"), False, YEAR_FINISHED, unit="score")
CI_LOW = RatioMeasure("bi_laag", gettext_lazy("95 %-BI onder"), False, YEAR_FINISHED, unit="score")
CI_HIGH = RatioMeasure("bi_hoog", gettext_lazy("95 %-BI boven"), False, YEAR_FINISHED, unit="score")
MEASURES_FUNCTION = (N_FUNCTION, BEFORE, AFTER, GAIN, CI_LOW, CI_HIGH)

IMPACT_NOTE = gettext_lazy(
    "Trajecten tellen in het jaar waarin ze afgerond werden. Impact volgens de gestructureerde eindverslagen die "
    "de kmo medeondertekende: maturiteitswinst = gemiddelde over de CyFun-functies van (maturiteit na - maturiteit "
    "voor), op de schaal 1-5. Tevredenheid en aanbeveling uit de feedback van de kmo. Opvolging: bevraging 12 "
    "maanden na het einde; behoud = aandeel van de (gedeeltelijk) gerealiseerde verbeterpunten dat nog van kracht "
    "is. Steun per maturiteitspunt = toegekende steun van de trajecten met eindverslag gedeeld door de som van hun "
    "maturiteitswinst. Leeg: niet te berekenen (geen antwoorden)."
)
FUNCTION_NOTE = gettext_lazy(
    "Gemiddelde maturiteit voor en na per CyFun-functie (schaal 1-5) over de trajecten met een medeondertekend "
    "gestructureerd eindverslag, met het 95 %-betrouwbaarheidsinterval (t-verdeling) van de gemiddelde winst. "
    "Totaal: de winst per traject (gemiddelde over de functies). Leeg: minder dan twee trajecten."
)

# The category column of each dimension of 5 (a column of the CTE `t` below); "jaar" only the year.
DIMENSIONS_5 = {
    "jaar": None,
    "grootte": "size_class",
    "sector": "division",
    "dienstverlener": "provider",
}


_TRAJECTORIES = """
    WITH gains AS (
        SELECT dossier_id, avg(after_tenths - before_tenths) / 10.0 AS gain FROM maturities
        WHERE finished_year IS NOT NULL GROUP BY dossier_id
    ),
    sent AS (
        SELECT dossier_id, 1 AS sent, max(CASE WHEN answered THEN 1 ELSE 0 END) AS answered FROM followups
        WHERE finished_year IS NOT NULL GROUP BY dossier_id
    ),
    items AS (
        SELECT dossier_id, count(*) AS items, sum(CASE WHEN kept THEN 1 ELSE 0 END) AS kept FROM followup_items
        WHERE finished_year IS NOT NULL GROUP BY dossier_id
    ),
    t AS (
        SELECT tr.finished_year AS year, tr.size_class, tr.provider, tr.sector_version,
               substr(tr.sector_code, 1, 2) AS division, tr.cents,
               CASE WHEN tr.reported THEN tr.dossier_id END AS report_id,
               CASE WHEN tr.reported THEN tr.satisfaction END AS satisfaction,
               CASE WHEN tr.reported THEN tr.recommend END AS recommend,
               CASE WHEN tr.reported THEN tr.practice END AS practice,
               CASE WHEN tr.reported THEN g.gain END AS gain,
               coalesce(s.sent, 0) AS sent, s.answered, i.items, i.kept
        FROM trajectories tr
        LEFT JOIN gains g ON g.dossier_id = tr.dossier_id
        LEFT JOIN sent s ON s.dossier_id = tr.dossier_id
        LEFT JOIN items i ON i.dossier_id = tr.dossier_id
        WHERE tr.finished_year IS NOT NULL
    )
"""
_AGGREGATES_5 = """
    count(*), count(report_id), sum(CASE WHEN gain > 0 THEN 1 ELSE 0 END), sum(gain),
    sum(satisfaction), count(satisfaction), sum(recommend), count(recommend), sum(practice),
    count(practice), sum(sent), sum(answered), sum(items), sum(kept),
    sum(CASE WHEN report_id IS NOT NULL THEN cents ELSE 0 END)
"""


def _values_5(figures) -> dict[str, Decimal | int | None]:
    (finished, reports, with_gain, gain_sum, sat_sum, sat_n, rec_sum, rec_n, pr_sum, pr_n, sent, answered, items,
     kept, cents) = figures  # fmt: skip
    reports = int(reports or 0)
    gain_sum = float(gain_sum or 0)
    return {
        "afgerond": int(finished or 0),
        "eindverslag": reports,
        "aandeel_winst": _pct(int(with_gain or 0), reports),
        "winst": _dec(gain_sum / reports) if reports else None,
        "tevredenheid": _dec(float(sat_sum) / int(sat_n)) if sat_n else None,
        "aanbevelen": _pct(int(rec_sum or 0), int(rec_n or 0)),
        "praktijk": _pct(int(pr_sum or 0), int(pr_n or 0)),
        "opvolging": int(sent or 0),
        "respons": _pct(int(answered or 0), int(sent or 0)),
        "behoud": _pct(int(kept or 0), int(items or 0)),
        "kost_per_punt": _dec(int(cents or 0) / 100 / gain_sum) if reports and gain_sum > 0 else None,
    }


def _dimension_labels(dimension: str) -> dict:
    if dimension == "sector":
        labels = dict(NaceCode.objects.filter(level="division", version="2008").values_list("code", "label_nl"))
        if get_language() == "en":  # no official English label in the KBO: python-stdnum's NACE label
            labels = {code: nace_label("2008", code) or label for code, label in labels.items()}
        return labels
    return {}


def _label_5(dimension: str, value, labels: dict) -> str:
    if dimension == "grootte":
        return _size_label(value)
    if dimension == "sector":
        return f"{value} {labels.get(value, '')}".strip()
    return str(value)


def _sort_5(dimension: str, value) -> tuple:
    return _size_order(value) if dimension == "grootte" else (str(value),)


def _tables_5(run: Run) -> list[Table]:
    period = run.period
    label = period.label
    years = (label,)
    total_figures = run.query(f"{_TRAJECTORIES} SELECT {_AGGREGATES_5} FROM t")[0]
    has_rows = bool(total_figures[0])
    tables = []
    titles = {
        "jaar": gettext("Impact van de afgeronde trajecten per jaar"),
        "grootte": gettext("Impact van de afgeronde trajecten per jaar en grootte van de onderneming"),
        "sector": gettext("Impact van de afgeronde trajecten per jaar en sector (NACE-afdeling)"),
        "dienstverlener": gettext("Impact van de afgeronde trajecten per jaar en dienstverlener"),
    }
    for dimension, column in DIMENSIONS_5.items():
        group = "year" + (f", {column}" if column else "")
        grouped = run.query(f"{_TRAJECTORIES} SELECT {group}, {_AGGREGATES_5} FROM t GROUP BY {group}")
        labels = _dimension_labels(dimension)
        width = 1 if column is None else 2
        sorted_rows = sorted(grouped, key=lambda r: (r[0], *(_sort_5(dimension, r[1]) if column else ())))
        rows = []
        for row in sorted_rows:
            values = {(label, k): v for k, v in _values_5(row[width:]).items()}
            category = (str(row[0]),) if column is None else (str(row[0]), _label_5(dimension, row[1], labels))
            rows.append(Row(category=category, values=values))
        total = Row(
            category=(str(TOTAL_LABEL),),
            values={(label, k): v for k, v in _values_5(total_figures).items()},
            is_total=True,
        )
        dims = ("jaar",) if column is None else ("jaar", dimension)
        tables.append(
            _table(
                question="5",
                key=f"5_impact_{dimension}",
                title=titles[dimension],
                dimensions=dims,
                years=years,
                measures=MEASURES_5,
                rows=rows if has_rows else [],
                total=total,
                note=IMPACT_NOTE,
            )
        )
    tables.append(_function_table(run, years))
    return tables


def tables_5(*, year_from: int, year_to: int) -> list[Table]:
    """The tables of 5 for the period (outside a full report: reads only the sources 5 needs)."""
    run = _run(year_from, year_to, ImpactTables().sources())
    try:
        return _tables_5(run)
    finally:
        run.close()


def _function_table(run: Run, years: tuple[str]) -> Table:
    grouped = run.query(
        """SELECT finished_year, function_code, count(*), sum(before_tenths), sum(after_tenths),
                  sum(after_tenths - before_tenths), sum((after_tenths - before_tenths) * (after_tenths - before_tenths))
           FROM maturities WHERE finished_year IS NOT NULL GROUP BY finished_year, function_code"""
    )
    per_dossier = """SELECT dossier_id, avg(after_tenths - before_tenths) / 10.0 AS gain,
                            avg(before_tenths) / 10.0 AS before, avg(after_tenths) / 10.0 AS after
                     FROM maturities WHERE finished_year IS NOT NULL GROUP BY dossier_id"""
    overall = run.query(
        f"SELECT count(*), sum(gain), sum(gain * gain), sum(before), sum(after) FROM ({per_dossier}) d"
    )[0]
    names = _function_names()
    label = years[0]

    def values(n, before, after, total, squares):
        n = int(n or 0)
        mean, low, high = mean_ci(n, float(total or 0), float(squares or 0))
        return {
            (label, "trajecten"): n,
            (label, "voor"): _dec(float(before) / n) if n else None,
            (label, "na"): _dec(float(after) / n) if n else None,
            (label, "winst"): mean,
            (label, "bi_laag"): low,
            (label, "bi_hoog"): high,
        }

    rows = []
    for finished, code, n, before, after, total, squares in sorted(grouped, key=lambda r: (r[0], _theme_sort(r[1]))):
        # Sums of tenths to points: before, after and gains / 10, squared gains / 100.
        row_values = values(n, before / 10, after / 10, total / 10, squares / 100)
        rows.append(Row(category=(str(finished), f"{code} {names.get(code, '')}".strip()), values=row_values))
    n, total, squares, before, after = overall
    total_row = Row(category=(str(TOTAL_LABEL),), values=values(n, before, after, total, squares), is_total=True)
    return _table(
        question="5",
        key="5_maturiteit_functie",
        title=gettext("Maturiteit voor en na per CyFun-functie, met 95 %-betrouwbaarheidsinterval van de winst"),
        dimensions=("jaar", "functie"),
        years=years,
        measures=MEASURES_FUNCTION,
        rows=rows,
        total=total_row,
        note=FUNCTION_NOTE,
    )


@dataclass(frozen=True)
class ThemeTables:
    """The tables of 1e as an entry of `reporting.tables.TABLES`: reads the sources `themes` and `granted`
    once, computes the per-dossier allocation with window functions in DuckDB."""

    question: str = "1e"

    def sources(self) -> set[str]:
        return {"themes", "granted"}

    def compute(self, run: Run) -> list[Table]:
        return _tables_1e(run)


@dataclass(frozen=True)
class ImpactTables:
    """The tables of 5 as an entry of `reporting.tables.TABLES`: trajectories, maturities and follow-ups
    read once each, aggregated in DuckDB."""

    question: str = "5"

    def sources(self) -> set[str]:
        return {"trajectories", "maturities", "followups", "followup_items"}

    def compute(self, run: Run) -> list[Table]:
        return _tables_5(run)


def impact_tables(*, year_from: int, year_to: int) -> list[Table]:
    """The tables of 1e and 5 for the period, in the answer's order."""
    return [*tables_1e(year_from=year_from, year_to=year_to), *tables_5(year_from=year_from, year_to=year_to)]
