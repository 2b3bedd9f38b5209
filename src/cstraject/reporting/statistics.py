"""The figures of written question 526: the entry point of the statistics.

`question_tables()` answers the sub-questions of question 1 (1a, 1b, 1c, 1d,
1f, 1g) and 2b, 2c from the system's own dossiers and payments. The tables
are declared as data in `reporting.tables`, read from the projections in
`reporting.sources`, grouped by `reporting.dimensions`, and computed by
`reporting.engine` (each source read once, aggregated in DuckDB, exact to the
cent). The web page, the CSV, the workbook and the CLI all call this.

Rules that hold for every table:
- A table says which date defines its year (`Table.year_basis`): granted
  support counts in the year of the decision (`Dossier.decided_date`),
  applications in the year they were submitted (`submitted_date`), payments
  in the year they were paid (`Payment.payment_date`).
- Amounts are Decimal euro to the cent, summed as whole cents: a total is the
  exact sum of the amounts it covers.
- The Totaal row is its own aggregate, never a sum of the rounded rows; for
  distinct counts (unique beneficiaries) it is the distinct count over all
  rows, which is what the question asks.
- Sectors are grouped by NACE code (version and code), never by label text,
  so one activity is one row even when its label was typed differently.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Min
from django.utils.translation import gettext as _

from cstraject.dossiers.models import Dossier
from cstraject.payments.models import Payment

from .dimensions import SECTOR_LEVELS, dimensions, sector_dimension
from .engine import NO_DATA, SOURCE, TOTAL_DIMENSION, TOTAL_LABEL, Measure, Period, Row, Table, compute
from .sources import SOURCES
from .tables import PUBLISHED_YEARS, TABLES

__all__ = [
    "NO_DATA",
    "PUBLISHED_YEARS",
    "SECTOR_LEVELS",
    "SOURCE",
    "TOTAL_DIMENSION",
    "TOTAL_LABEL",
    "Measure",
    "Row",
    "Table",
    "data_date",
    "question_tables",
    "validate_period",
    "years_with_data",
]


def validate_period(*, year_from: int, year_to: int) -> None:
    for name, year in (("van", year_from), ("tot", year_to)):
        if isinstance(year, bool) or not isinstance(year, int):
            raise ValueError(
                _("Jaar '%(name)s' moet een getal zijn, niet %(year)s.") % {"name": name, "year": repr(year)}
            )
        if not 2000 <= year <= 2100:
            raise ValueError(_("Jaar %(year)s ligt buiten 2000-2100.") % {"year": year})
    if year_from > year_to:
        raise ValueError(
            _("Beginjaar %(year_from)s ligt na eindjaar %(year_to)s.") % {"year_from": year_from, "year_to": year_to}
        )


def question_tables(*, year_from: int, year_to: int, sector_level: str = "subclass") -> list[Table]:
    """Every table that answers written question 526 from the records (1a-1d, 1f, 1g, 2b, 2c), for the years given."""
    validate_period(year_from=year_from, year_to=year_to)
    sector_dimension(sector_level)  # refuses an unknown level before any work
    return compute(TABLES, period=Period(year_from, year_to), sources=SOURCES, dimensions=dimensions(sector_level))


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


def years_with_data() -> tuple[int, int] | None:
    """The first and the last year in which the records have a date (submission, decision, start,
    end, payment): the period a statistics page shows unless asked otherwise. None without records."""
    fields = ("submitted_date", "decided_date", "started_date", "finished_date", "stopped_date", "withdrawn_date")
    aggregates: dict[str, Min | Max] = {}
    for field in fields:
        aggregates[f"first_{field}"] = Min(field)
        aggregates[f"last_{field}"] = Max(field)
    found = Dossier.objects.aggregate(**aggregates)
    paid = Payment.objects.aggregate(first=Min("payment_date"), last=Max("payment_date"))
    firsts = [d for d in (*(found[f"first_{f}"] for f in fields), paid["first"]) if d is not None]
    lasts = [d for d in (*(found[f"last_{f}"] for f in fields), paid["last"]) if d is not None]
    if not firsts:
        return None
    return min(firsts).year, max(lasts).year
