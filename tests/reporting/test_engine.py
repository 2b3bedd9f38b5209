"""The report engine itself: a table declared as data over a source, grouping sets shared between
tables, a source read once, dates whatever the server's DateStyle, a missing column named."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cstraject.dossiers.models import Dossier
from cstraject.reporting.dimensions import dimensions
from cstraject.reporting.engine import (
    COUNT,
    GroupedTable,
    Measure,
    Part,
    Period,
    Source,
    cents,
    compute,
    integer,
    text,
    total,
    year,
)
from cstraject.reporting.sources import SOURCES
from cstraject.reporting.statistics import question_tables
from tests.factories import CompanyFactory, DossierFactory
from tests.reporting.tables import by_key, figures

pytestmark = pytest.mark.django_db

SUBMITTED = Measure("aantal", "Aantal", False, "het jaar van indiening")
REQUESTED = Measure("bedrag", "Bedrag", True, "het jaar van indiening")

# A table another app would add: a source of its own (here over the dossiers' quote) and its table.
QUOTES = Source(
    name="quotes",
    rows=Dossier.objects.all,
    columns=(
        year("submitted_year", "submitted_date"),
        text("province"),
        text("size_class"),
        integer("company_id"),
        cents("quote_cents", "quote_excl_vat"),
    ),
)
QUOTES_BY_PROVINCE_AND_SIZE = GroupedTable(
    key="x_offertes",
    question="x",
    title="Offertes per provincie en grootte",
    dimensions=("provincie", "grootte"),
    parts=(Part("quotes", year="submitted_year", measures=((SUBMITTED, COUNT), (REQUESTED, total("quote_cents")))),),
)
QUOTES_BY_SIZE_AND_PROVINCE = GroupedTable(
    key="x_offertes_omgekeerd",
    question="x",
    title="Offertes per grootte en provincie",
    dimensions=("grootte", "provincie"),
    parts=QUOTES_BY_PROVINCE_AND_SIZE.parts,
)


def _dossier(postal_code: str, size: str, quote: str, submitted: date) -> Dossier:
    return DossierFactory(
        company=CompanyFactory(postal_code=postal_code),
        size_class=size,
        quote_excl_vat=Decimal(quote),
        submitted_date=submitted,
        decided_date=None,
        status="submitted",
    )


def test_a_table_declared_over_a_new_source_is_computed_with_exact_cents_and_its_own_totals():
    _dossier("2000", "micro", "10000.10", date(2021, 5, 1))
    _dossier("2000", "micro", "0.20", date(2021, 6, 1))
    _dossier("9000", "klein", "20000.01", date(2022, 1, 2))
    _dossier("9000", "klein", "99.99", date(2020, 12, 31))  # before the period: no year, not counted

    with CaptureQueriesContext(connection) as queries:
        first, second = compute(
            [QUOTES_BY_PROVINCE_AND_SIZE, QUOTES_BY_SIZE_AND_PROVINCE],
            period=Period(2021, 2022),
            sources={**SOURCES, "quotes": QUOTES},
            dimensions=dimensions(),
        )
    rows = figures(first)
    assert rows["Antwerpen,micro"][("2021", "aantal")] == 2
    assert rows["Antwerpen,micro"][("2021", "bedrag")] == Decimal("10000.30")
    assert rows["Oost-Vlaanderen,klein"][("2022", "bedrag")] == Decimal("20000.01")
    assert rows["Totaal"][("2021", "bedrag")] == Decimal("10000.30")
    assert rows["Totaal"][("2022", "aantal")] == 1
    # The same grouping set in the other order gives the same figures, keyed the other way round.
    assert figures(second)["micro,Antwerpen"] == rows["Antwerpen,micro"]
    if connection.vendor == "sqlite":  # PostgreSQL's COPY goes around Django's query log
        assert len([q for q in queries.captured_queries if '"dossiers_dossier"' in q["sql"]]) == 1


def test_a_dimension_the_source_lacks_is_named():
    table = GroupedTable(
        key="x",
        question="x",
        title="x",
        dimensions=("pakket",),
        parts=QUOTES_BY_PROVINCE_AND_SIZE.parts,
    )
    with pytest.raises(ValueError, match="Source 'quotes' has no column \\['package_mix'\\]"):
        compute([table], period=Period(2021, 2021), sources={"quotes": QUOTES}, dimensions=dimensions())


def test_dates_are_read_whatever_the_servers_date_style(is_postgres):
    if not is_postgres:
        pytest.skip("DateStyle is a PostgreSQL setting")
    _dossier("2000", "micro", "30000.00", date(2021, 12, 31))
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        table = by_key(question_tables(year_from=2021, year_to=2022), "1b_aanvragen_uitkomst")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle = 'ISO, DMY'")
    assert figures(table)["in behandeling"][("2021", "aantal")] == 1
