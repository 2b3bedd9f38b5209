"""Questions 2b and 2c: recovery orders and collections, by size class and year."""

from datetime import date
from decimal import Decimal

import pytest

from cstraject.payments.models import Collection, Recovery
from cstraject.reporting.statistics import NO_DATA, question_tables
from tests.factories import DossierFactory


def table(key, year_from=2022, year_to=2023):
    return next(t for t in question_tables(year_from=year_from, year_to=year_to) if t.key == key)


@pytest.fixture
def recoveries(db):
    micro = DossierFactory(size_class="micro")
    klein = DossierFactory(size_class="klein")
    # Two orders on one micro dossier in 2022: one dossier, both amounts.
    first = Recovery.objects.create(
        dossier=micro, amount=Decimal("1000.10"), reason="niet-kmo", issued_date=date(2022, 3, 1)
    )
    Recovery.objects.create(dossier=micro, amount=Decimal("200.05"), reason="correctie", issued_date=date(2022, 9, 1))
    later = Recovery.objects.create(
        dossier=klein, amount=Decimal("5000.00"), reason="stopgezet", issued_date=date(2023, 2, 1)
    )
    Collection.objects.create(recovery=first, amount=Decimal("400.00"), collected_date=date(2022, 4, 1))
    Collection.objects.create(recovery=first, amount=Decimal("600.10"), collected_date=date(2023, 1, 15))
    Collection.objects.create(recovery=later, amount=Decimal("2500.00"), collected_date=date(2023, 3, 1))
    # Outside the period: must not count.
    Recovery.objects.create(dossier=klein, amount=Decimal("99.99"), reason="oud", issued_date=date(2021, 12, 31))


def test_recovery_orders_count_dossiers_once_and_sum_amounts(recoveries):
    result = table("2b_terugvorderingen_grootte")
    rows = {row.label: row for row in result.rows}
    assert rows["micro"].value("2022", "aantal") == 1
    assert rows["micro"].value("2022", "bedrag") == Decimal("1200.15")
    assert rows["klein"].value("2023", "bedrag") == Decimal("5000.00")
    assert rows["klein"].value("2022", "aantal") == 0
    assert result.total.value("2022", "bedrag") == Decimal("1200.15")
    assert result.total.value("2023", "aantal") == 1


def test_collections_by_year_of_collection_including_partial_ones(recoveries):
    result = table("2c_inningen_grootte")
    rows = {row.label: row for row in result.rows}
    assert rows["micro"].value("2022", "geind") == Decimal("400.00")
    assert rows["micro"].value("2023", "geind") == Decimal("600.10")
    assert result.total.value("2023", "geind") == Decimal("3100.10")


def test_every_total_is_the_sum_of_its_rows(recoveries):
    for key in ("2b_terugvorderingen_grootte", "2c_inningen_grootte"):
        result = table(key)
        for year in result.years:
            for measure in result.measures:
                assert result.total.value(year, measure.key) == sum(row.value(year, measure.key) for row in result.rows)


def test_no_recoveries_gives_an_empty_table_with_a_note(db):
    result = table("2b_terugvorderingen_grootte")
    assert result.rows == () and str(NO_DATA) in result.note


@pytest.mark.django_db
def test_reference_period_has_no_recoveries_as_the_published_answer_says(reference_db):
    """Answer 526, question 2: the two non-SMEs were stopped before any payment, so nothing was recovered."""
    for key in ("2b_terugvorderingen_grootte", "2c_inningen_grootte"):
        assert table(key, 2021, 2022).rows == ()
