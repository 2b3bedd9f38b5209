"""Questions 1e (themes) and 5 (impact): their tables, computed in the database.

Every figure comes from a handful of GROUP BY queries (SQL run on SQLite or
PostgreSQL alike); Python only sees grouped rows, never one row per dossier.

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
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from cstraject.companies.models import NaceCode
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier, DossierStatus, SizeClass
from cstraject.impact.models import (
    FinalReport,
    FollowUp,
    FollowUpItem,
    FunctionMaturity,
    PlannedTheme,
    Theme,
)
from cstraject.providers.models import ServiceProvider

from .engine import NO_DATA, TOTAL_LABEL, Measure, Row, Run, Table

YEAR_GRANTED = "het jaar van de beslissing tot toekenning (beslist op)"
YEAR_FINISHED = "het jaar waarin het traject werd afgerond (afgerond op)"
NO_THEME = "geen thema geregistreerd"
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


def _sql(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tables() -> dict[str, str]:
    return {
        "dossier": Dossier._meta.db_table,
        "planned": PlannedTheme._meta.db_table,
        "theme": Theme._meta.db_table,
        "report": FinalReport._meta.db_table,
        "maturity": FunctionMaturity._meta.db_table,
        "followup": FollowUp._meta.db_table,
        "item": FollowUpItem._meta.db_table,
        "provider": ServiceProvider._meta.db_table,
        "nace": NaceCode._meta.db_table,
    }


def _date_param(day: date):
    return connection.ops.adapt_datefield_value(day)


def _year_case(column: str, years: range) -> tuple[str, list]:
    """The year of a date column as CASE on ranges (no EXTRACT: portable and fast on SQLite)."""
    whens = " ".join(f"WHEN {column} < %s THEN {year}" for year in years)
    return f"CASE {whens} END", [_date_param(date(year + 1, 1, 1)) for year in years]


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
    notes = [note] if rows else [NO_DATA, note]
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
    """Dutch names of the themes by code (the latest framework version wins)."""
    names = {}
    for code, name in Theme.objects.order_by("version__code").values_list("code", "name_nl"):
        names[code] = name
    return names


# --------------------------------------------------------------------------- 1e


DOSSIERS_THEME = Measure("dossiers", "Dossiers met dit thema", False, YEAR_GRANTED)
SHARE_THEME = RatioMeasure("aandeel_dossiers", "% van de dossiers", False, YEAR_GRANTED)
DOSSIERS_MAIN = Measure("hoofdthema", "Dossiers met dit hoofdthema", False, YEAR_GRANTED)
SHARE_MAIN = RatioMeasure("aandeel_hoofdthema", "% hoofdthema", False, YEAR_GRANTED)
AMOUNT_THEME = Measure("bedrag", "Toegekend bedrag (verdeeld)", True, YEAR_GRANTED)
SHARE_AMOUNT = RatioMeasure("aandeel_bedrag", "% van het bedrag", False, YEAR_GRANTED)
MEASURES_1E = (DOSSIERS_THEME, SHARE_THEME, DOSSIERS_MAIN, SHARE_MAIN, AMOUNT_THEME, SHARE_AMOUNT)

ALLOCATION_NOTE = (
    "Thema's volgens CyberFundamentals (NIST CSF 2.0), door de dienstverlener vastgelegd in de offerte met hun "
    "mensdagen. Bedrag: het toegekende bedrag van een dossier verdeeld over zijn thema's naar verhouding van de "
    "mensdagen, in centen; de resterende centen gaan één per één naar de grootste resten, zodat de delen optellen "
    "tot het bedrag van het dossier. Een dossier telt één keer per thema dat het bevat (die aandelen tellen op tot "
    "meer dan 100 %) en één keer voor zijn hoofdthema, het thema met de meeste mensdagen (die aandelen tellen op "
    "tot 100 %). Dossiers zonder geregistreerde thema's (o.a. de oproep 2021-2022) staan in een eigen rij."
)


def _allocation_sql(level: str, by_size: bool, period: range) -> tuple[str, list]:
    """Grouped allocation per (year, theme[, size]): covering dossiers, main-theme dossiers, allocated cents."""
    t = _tables()
    year_sql, year_params = _year_case("d.decided_date", period)
    statuses = [str(s) for s in GRANTED_STATUSES]
    placeholders = ", ".join(["%s"] * len(statuses))
    group = "pl.function_code" if level == "function" else "pl.theme_code"
    size = ", a.size_class" if by_size else ""
    sql = f"""
        WITH granted AS (
            SELECT d.id AS dossier_id, d.size_class, {year_sql} AS year,
                   CAST(ROUND(d.subsidy_amount * 100) AS BIGINT) AS cents
            FROM {t["dossier"]} d
            WHERE d.status IN ({placeholders}) AND d.decided_date >= %s AND d.decided_date < %s
        ),
        planned AS (
            SELECT p.dossier_id, th.code AS theme_code, fn.code AS function_code,
                   CASE WHEN p.is_main = %s THEN 1 ELSE 0 END AS is_main,
                   CAST(ROUND(p.man_days * 10) AS BIGINT) AS tenths
            FROM {t["planned"]} p
            JOIN {t["theme"]} th ON th.id = p.theme_id
            JOIN {t["theme"]} fn ON fn.id = th.parent_id
        ),
        weighted AS (
            SELECT g.dossier_id, g.year, g.size_class, g.cents, pl.theme_code, pl.function_code, pl.is_main,
                   pl.tenths, CAST(SUM(pl.tenths) OVER (PARTITION BY g.dossier_id) AS BIGINT) AS all_tenths
            FROM granted g JOIN planned pl ON pl.dossier_id = g.dossier_id
        ),
        floored AS (
            SELECT w.*, (w.cents * w.tenths - (w.cents * w.tenths) %% w.all_tenths) / w.all_tenths AS base,
                   (w.cents * w.tenths) %% w.all_tenths AS remainder
            FROM weighted w
        ),
        ranked AS (
            SELECT f.*, f.cents - CAST(SUM(f.base) OVER (PARTITION BY f.dossier_id) AS BIGINT) AS leftover,
                   ROW_NUMBER() OVER (PARTITION BY f.dossier_id ORDER BY f.remainder DESC, f.theme_code) AS rank
            FROM floored f
        ),
        allocated AS (
            SELECT r.*, r.base + CASE WHEN r.rank <= r.leftover THEN 1 ELSE 0 END AS part FROM ranked r
        )
        SELECT a.year, {group.replace("pl.", "a.")}{size},
               COUNT(DISTINCT a.dossier_id), SUM(a.is_main), SUM(a.part)
        FROM allocated a
        GROUP BY a.year, {group.replace("pl.", "a.")}{size}
    """
    if level == "detail":  # per dossier and theme: for tests and audits of the rule, never for the tables
        sql = sql[: sql.index("SELECT a.year")] + "SELECT a.dossier_id, a.theme_code, a.part FROM allocated a"
    return sql, [*year_params, *statuses, *_period_params(period), True]


def allocation_detail(*, year_from: int, year_to: int) -> dict[int, dict[str, Decimal]]:
    """{dossier id: {theme code: allocated euro}}: the allocation rule per dossier (tests, audits)."""
    found: dict[int, dict[str, Decimal]] = {}
    for dossier_id, theme, part in _sql(*_allocation_sql("detail", False, range(year_from, year_to + 1))):
        found.setdefault(dossier_id, {})[theme] = _euro(part)
    return found


def _period_params(period: range) -> list:
    return [_date_param(date(period.start, 1, 1)), _date_param(date(period.stop, 1, 1))]


def _granted_totals(period: range, by_size: bool) -> list[tuple]:
    """Per (year[, size]): granted dossiers, their cents, and those without themes (count, cents)."""
    t = _tables()
    year_sql, year_params = _year_case("d.decided_date", period)
    statuses = [str(s) for s in GRANTED_STATUSES]
    placeholders = ", ".join(["%s"] * len(statuses))
    size = ", d.size_class" if by_size else ""
    sql = f"""
        SELECT {year_sql} AS year{size}, COUNT(*), SUM(CAST(ROUND(d.subsidy_amount * 100) AS BIGINT)),
               SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM {t["planned"]} p WHERE p.dossier_id = d.id) THEN 1 ELSE 0 END),
               SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM {t["planned"]} p WHERE p.dossier_id = d.id)
                        THEN CAST(ROUND(d.subsidy_amount * 100) AS BIGINT) ELSE 0 END)
        FROM {t["dossier"]} d
        WHERE d.status IN ({placeholders}) AND d.decided_date >= %s AND d.decided_date < %s
        GROUP BY 1{", 2" if by_size else ""}
    """
    return _sql(sql, [*year_params, *statuses, *_period_params(period)])


def _size_order(value: str) -> tuple:
    order = {v: i for i, v in enumerate(SizeClass.values)}
    return (order.get(value, len(order)), value or "")


def _size_label(value: str) -> str:
    try:
        return str(SizeClass(value).label)
    except ValueError:
        return value or "onbekend"


def tables_1e(*, year_from: int, year_to: int) -> list[Table]:
    period = range(year_from, year_to + 1)
    years = tuple(str(y) for y in period)
    names = _function_names()
    tables = []
    for level, key, title in (
        ("function", "1e_thema_functie", "Toegekende dossiers en steun per thema (CyFun-functie)"),
        ("category", "1e_thema_categorie", "Toegekende dossiers en steun per thema (CyFun-categorie)"),
    ):
        grouped = _sql(*_allocation_sql(level, False, period))
        totals = {str(row[0]): row[1:] for row in _granted_totals(period, False)}
        tables.append(_build_1e(key, title, ("thema",), years, grouped, totals, names, by_size=False))
    grouped = _sql(*_allocation_sql("function", True, period))
    totals = {(str(row[0]), row[1]): row[2:] for row in _granted_totals(period, True)}
    tables.append(
        _build_1e(
            "1e_thema_grootte",
            "Toegekende dossiers en steun per thema (CyFun-functie) en grootte van de onderneming",
            ("thema", "grootte"),
            years,
            grouped,
            totals,
            names,
            by_size=True,
        )
    )
    return tables


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
        label = theme if theme == NO_THEME else f"{theme} {names.get(theme, '')}".strip()
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
    total = Row(category=(TOTAL_LABEL,), values=total_values, is_total=True)
    note = ALLOCATION_NOTE
    if by_size:
        note += " Aandelen binnen de grootteklasse."
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


FINISHED = Measure("afgerond", "Afgeronde trajecten", False, YEAR_FINISHED)
REPORTS = Measure("eindverslag", "Met medeondertekend eindverslag", False, YEAR_FINISHED)
SHARE_GAIN = RatioMeasure("aandeel_winst", "% met maturiteitswinst", False, YEAR_FINISHED)
MEAN_GAIN = RatioMeasure("winst", "Gemiddelde winst (punten)", False, YEAR_FINISHED, unit="score")
SATISFACTION = RatioMeasure("tevredenheid", "Tevredenheid (1-5)", False, YEAR_FINISHED, unit="score")
RECOMMEND = RatioMeasure("aanbevelen", "% zou aanbevelen", False, YEAR_FINISHED)
PRACTICE = RatioMeasure("praktijk", "% praktijk veranderd", False, YEAR_FINISHED)
FOLLOW_UPS = Measure("opvolging", "Opvolgingen verstuurd", False, YEAR_FINISHED)
RESPONSE = RatioMeasure("respons", "% opvolging beantwoord", False, YEAR_FINISHED)
RETENTION = RatioMeasure("behoud", "% verbeteringen behouden", False, YEAR_FINISHED)
COST_PER_POINT = RatioMeasure("kost_per_punt", "Steun per maturiteitspunt", True, YEAR_FINISHED, unit="euro")
MEASURES_5 = (
    FINISHED,
    REPORTS,
    SHARE_GAIN,
    MEAN_GAIN,
    SATISFACTION,
    RECOMMEND,
    PRACTICE,
    FOLLOW_UPS,
    RESPONSE,
    RETENTION,
    COST_PER_POINT,
)

N_FUNCTION = Measure("trajecten", "Trajecten", False, YEAR_FINISHED)
BEFORE = RatioMeasure("voor", "Maturiteit voor", False, YEAR_FINISHED, unit="score")
AFTER = RatioMeasure("na", "Maturiteit na", False, YEAR_FINISHED, unit="score")
GAIN = RatioMeasure("winst", "Gemiddelde winst", False, YEAR_FINISHED, unit="score")
CI_LOW = RatioMeasure("bi_laag", "95 %-BI onder", False, YEAR_FINISHED, unit="score")
CI_HIGH = RatioMeasure("bi_hoog", "95 %-BI boven", False, YEAR_FINISHED, unit="score")
MEASURES_FUNCTION = (N_FUNCTION, BEFORE, AFTER, GAIN, CI_LOW, CI_HIGH)

IMPACT_NOTE = (
    "Trajecten tellen in het jaar waarin ze afgerond werden. Impact volgens de gestructureerde eindverslagen die "
    "de kmo medeondertekende: maturiteitswinst = gemiddelde over de CyFun-functies van (maturiteit na - maturiteit "
    "voor), op de schaal 1-5. Tevredenheid en aanbeveling uit de feedback van de kmo. Opvolging: bevraging 12 "
    "maanden na het einde; behoud = aandeel van de (gedeeltelijk) gerealiseerde verbeterpunten dat nog van kracht "
    "is. Steun per maturiteitspunt = toegekende steun van de trajecten met eindverslag gedeeld door de som van hun "
    "maturiteitswinst. Leeg: niet te berekenen (geen antwoorden)."
)
FUNCTION_NOTE = (
    "Gemiddelde maturiteit voor en na per CyFun-functie (schaal 1-5) over de trajecten met een medeondertekend "
    "gestructureerd eindverslag, met het 95 %-betrouwbaarheidsinterval (t-verdeling) van de gemiddelde winst. "
    "Totaal: de winst per traject (gemiddelde over de functies). Leeg: minder dan twee trajecten."
)

DIMENSIONS_5 = {
    "jaar": None,
    "grootte": "f.size_class",
    "sector": "f.division",
    "dienstverlener": "f.provider",
}


def _impact_ctes(period: range) -> tuple[str, list]:
    t = _tables()
    year_sql, year_params = _year_case("d.finished_date", period)
    sql = f"""
        WITH finished AS (
            SELECT d.id AS dossier_id, {year_sql} AS year, d.size_class, pr.name AS provider,
                   SUBSTR(nc.code, 1, 2) AS division, CAST(ROUND(d.subsidy_amount * 100) AS BIGINT) AS cents
            FROM {t["dossier"]} d
            JOIN {t["provider"]} pr ON pr.id = d.provider_id
            JOIN {t["nace"]} nc ON nc.id = d.nace_code_id
            WHERE d.status = %s AND d.finished_date >= %s AND d.finished_date < %s
        ),
        reports AS (
            SELECT r.id AS report_id, r.dossier_id, r.satisfaction,
                   CASE WHEN r.would_recommend IS NULL THEN NULL WHEN r.would_recommend = %s THEN 1 ELSE 0 END
                       AS recommend,
                   CASE WHEN r.changed_practice IS NULL THEN NULL WHEN r.changed_practice = %s THEN 1 ELSE 0 END
                       AS practice
            FROM {t["report"]} r
            WHERE r.is_structured = %s AND r.sme_signed_at IS NOT NULL
        ),
        gains AS (
            SELECT m.final_report_id AS report_id, SUM(m.after - m.before) * 1.0 / COUNT(*) AS gain
            FROM {t["maturity"]} m GROUP BY m.final_report_id
        ),
        followups AS (
            SELECT fu.final_report_id AS report_id, CASE WHEN fu.answered_at IS NULL THEN 0 ELSE 1 END AS answered,
                   COUNT(i.id) AS items, SUM(CASE WHEN i.still_in_place = %s THEN 1 ELSE 0 END) AS kept
            FROM {t["followup"]} fu LEFT JOIN {t["item"]} i ON i.follow_up_id = fu.id
            GROUP BY fu.final_report_id, fu.answered_at
        ),
        trajectories AS (
            SELECT f.*, r.report_id, r.satisfaction, r.recommend, r.practice, g.gain,
                   CASE WHEN fu.report_id IS NULL THEN 0 ELSE 1 END AS sent, fu.answered, fu.items, fu.kept
            FROM finished f
            LEFT JOIN reports r ON r.dossier_id = f.dossier_id
            LEFT JOIN gains g ON g.report_id = r.report_id
            LEFT JOIN followups fu ON fu.report_id = r.report_id
        )
    """
    params = [*year_params, str(DossierStatus.FINISHED), *_period_params(period), True, True, True, True]
    return sql, params


_AGGREGATES_5 = """
    COUNT(*), COUNT(t.report_id), SUM(CASE WHEN t.gain > 0 THEN 1 ELSE 0 END), SUM(t.gain),
    SUM(t.satisfaction), COUNT(t.satisfaction), SUM(t.recommend), COUNT(t.recommend), SUM(t.practice),
    COUNT(t.practice), SUM(t.sent), SUM(t.answered), SUM(t.items), SUM(t.kept),
    SUM(CASE WHEN t.report_id IS NOT NULL THEN t.cents ELSE 0 END)
"""


def _values_5(figures) -> dict[str, object]:
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
        return dict(NaceCode.objects.filter(level="division", version="2008").values_list("code", "label_nl"))
    return {}


def _label_5(dimension: str, value, labels: dict) -> str:
    if dimension == "grootte":
        return _size_label(value)
    if dimension == "sector":
        return f"{value} {labels.get(value, '')}".strip()
    return str(value)


def _sort_5(dimension: str, value) -> tuple:
    return _size_order(value) if dimension == "grootte" else (str(value),)


def tables_5(*, year_from: int, year_to: int) -> list[Table]:
    period = range(year_from, year_to + 1)
    label = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
    years = (label,)
    ctes, params = _impact_ctes(period)
    total_figures = _sql(f"{ctes} SELECT {_AGGREGATES_5} FROM trajectories t", params)[0]
    has_rows = bool(total_figures[0])
    tables = []
    titles = {
        "jaar": "Impact van de afgeronde trajecten per jaar",
        "grootte": "Impact van de afgeronde trajecten per jaar en grootte van de onderneming",
        "sector": "Impact van de afgeronde trajecten per jaar en sector (NACE-afdeling)",
        "dienstverlener": "Impact van de afgeronde trajecten per jaar en dienstverlener",
    }
    for dimension, column in DIMENSIONS_5.items():
        group = "t.year" + (f", {column.replace('f.', 't.')}" if column else "")
        grouped = _sql(f"{ctes} SELECT {group}, {_AGGREGATES_5} FROM trajectories t GROUP BY {group}", params)
        labels = _dimension_labels(dimension)
        width = 1 if column is None else 2
        sorted_rows = sorted(grouped, key=lambda r: (r[0], *(_sort_5(dimension, r[1]) if column else ())))
        rows = []
        for row in sorted_rows:
            values = {(label, k): v for k, v in _values_5(row[width:]).items()}
            category = (str(row[0]),) if column is None else (str(row[0]), _label_5(dimension, row[1], labels))
            rows.append(Row(category=category, values=values))
        total = Row(
            category=(TOTAL_LABEL,),
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
    tables.append(_function_table(period, years, ctes, params))
    return tables


def _function_table(period: range, years: tuple[str], ctes: str, params: list) -> Table:
    t = _tables()
    grouped = _sql(
        f"""{ctes}
        SELECT tr.year, fn.code, COUNT(*), SUM(m.before), SUM(m.after),
               SUM(m.after - m.before), SUM((m.after - m.before) * (m.after - m.before))
        FROM trajectories tr
        JOIN {t["maturity"]} m ON m.final_report_id = tr.report_id
        JOIN {t["theme"]} fn ON fn.id = m.function_id
        GROUP BY tr.year, fn.code""",
        params,
    )
    overall = _sql(
        f"""{ctes}
        SELECT COUNT(tr.gain), SUM(tr.gain), SUM(tr.gain * tr.gain), SUM(b.before_mean), SUM(b.after_mean)
        FROM trajectories tr
        JOIN (SELECT m.final_report_id AS report_id, SUM(m.before) * 1.0 / COUNT(*) AS before_mean,
                     SUM(m.after) * 1.0 / COUNT(*) AS after_mean
              FROM {t["maturity"]} m GROUP BY m.final_report_id) b ON b.report_id = tr.report_id""",
        params,
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

    rows = [
        Row(category=(str(year), f"{code} {names.get(code, '')}".strip()), values=values(*rest))
        for year, code, *rest in sorted(grouped, key=lambda r: (r[0], _theme_sort(r[1])))
    ]
    n, total, squares, before, after = overall
    total_row = Row(category=(TOTAL_LABEL,), values=values(n, before, after, total, squares), is_total=True)
    return _table(
        question="5",
        key="5_maturiteit_functie",
        title="Maturiteit voor en na per CyFun-functie, met 95 %-betrouwbaarheidsinterval van de winst",
        dimensions=("jaar", "functie"),
        years=years,
        measures=MEASURES_FUNCTION,
        rows=rows,
        total=total_row,
        note=FUNCTION_NOTE,
    )


@dataclass(frozen=True)
class ThemeTables:
    """The tables of 1e as an entry of `reporting.tables.TABLES`.

    Computed by `tables_1e` with SQL in the Django database (window functions for the per-dossier
    allocation), not from a DuckDB source: the engine asks no source for it.
    """

    question: str = "1e"

    def sources(self) -> set[str]:
        return set()

    def compute(self, run: Run) -> list[Table]:
        return tables_1e(year_from=run.period.year_from, year_to=run.period.year_to)


@dataclass(frozen=True)
class ImpactTables:
    """The tables of 5 as an entry of `reporting.tables.TABLES` (computed by `tables_5`, see ThemeTables)."""

    question: str = "5"

    def sources(self) -> set[str]:
        return set()

    def compute(self, run: Run) -> list[Table]:
        return tables_5(year_from=run.period.year_from, year_to=run.period.year_to)


def impact_tables(*, year_from: int, year_to: int) -> list[Table]:
    """The tables of 1e and 5 for the period, in the answer's order."""
    return [*tables_1e(year_from=year_from, year_to=year_to), *tables_5(year_from=year_from, year_to=year_to)]
