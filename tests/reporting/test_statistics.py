"""question_tables() on small datasets built with factories."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cstraject.companies.models import NaceCode
from cstraject.dossiers.models import DossierStatus
from cstraject.reporting.statistics import NO_DATA, question_tables
from tests.factories import CompanyFactory, DossierFactory, NaceCodeFactory
from tests.reporting.factories import PaymentFactory
from tests.reporting.tables import by_key, categories, figures

pytestmark = pytest.mark.django_db

ANTWERPEN, GENT, HASSELT, LEUVEN, BRUGGE = "2000", "9000", "3500", "3000", "8000"


def granted(*, postal_code=GENT, decided=date(2021, 3, 20), company=None, **kwargs):
    """A dossier (granted unless `status` says otherwise) of a company in `postal_code`."""
    company = company or CompanyFactory(
        postal_code=postal_code, **({"nace_code": kwargs.pop("nace")} if "nace" in kwargs else {})
    )
    submitted = kwargs.pop("submitted", date(decided.year if decided else 2021, 1, 15))
    return DossierFactory(company=company, decided_date=decided, submitted_date=submitted, **kwargs)


def test_granted_support_by_province_counts_and_sums_per_year_of_decision():
    granted(postal_code=ANTWERPEN, quote_excl_vat=Decimal("30000.00"))  # 16,335.00
    granted(postal_code=ANTWERPEN, quote_excl_vat=Decimal("25150.01"))  # 13,694.18
    granted(postal_code=GENT, decided=date(2022, 2, 1), quote_excl_vat=Decimal("18000.00"))  # 9,801.00
    # Filed in 2021 but decided in 2022: counts in 2022.
    granted(postal_code=HASSELT, submitted=date(2021, 12, 20), decided=date(2022, 1, 10))
    # Not granted: not in 1a.
    granted(postal_code=BRUGGE, status=DossierStatus.REJECTED)
    granted(postal_code=BRUGGE, status=DossierStatus.SUBMITTED, decided=None)
    # Outside the period.
    granted(postal_code=LEUVEN, decided=date(2020, 12, 31))

    table = by_key(question_tables(year_from=2021, year_to=2022), "1a_toegekend_provincie")

    assert categories(table) == ["Antwerpen", "Limburg", "Oost-Vlaanderen"]
    rows = figures(table)
    assert rows["Antwerpen"][("2021", "aantal")] == 2
    assert rows["Antwerpen"][("2021", "bedrag")] == Decimal("30029.18")
    assert rows["Antwerpen"][("2022", "aantal")] == 0
    assert rows["Oost-Vlaanderen"][("2022", "bedrag")] == Decimal("9801.00")
    assert rows["Limburg"][("2022", "aantal")] == 1
    assert rows["Totaal"][("2021", "aantal")] == 2
    assert rows["Totaal"][("2022", "bedrag")] == Decimal("26136.00")
    assert table.year_basis.startswith("Jaar van aantal en bedrag: het jaar van de beslissing")


def test_paid_amounts_count_in_the_year_of_payment():
    dossier = granted(postal_code=ANTWERPEN, size_class="klein")  # granted 2021, 16,335.00
    PaymentFactory(dossier=dossier, tranche=1, amount=Decimal("9801.00"), payment_date=date(2021, 10, 1))
    PaymentFactory(dossier=dossier, tranche=2, amount=Decimal("6534.00"), payment_date=date(2022, 4, 2))
    # Granted in 2020, paid in 2021: its payment is in the period, its grant is not.
    old = granted(postal_code=HASSELT, decided=date(2020, 11, 5), size_class="middelgroot")
    PaymentFactory(dossier=old, tranche=1, amount=Decimal("9801.00"), payment_date=date(2021, 2, 1))

    tables = question_tables(year_from=2021, year_to=2022)
    provinces = figures(by_key(tables, "1a_toegekend_provincie"))
    assert provinces["Antwerpen"][("2021", "uitbetaald")] == Decimal("9801.00")
    assert provinces["Antwerpen"][("2022", "uitbetaald")] == Decimal("6534.00")
    assert provinces["Limburg"][("2021", "aantal")] == 0
    assert provinces["Limburg"][("2021", "uitbetaald")] == Decimal("9801.00")
    assert provinces["Totaal"][("2021", "uitbetaald")] == Decimal("19602.00")
    assert provinces["Totaal"][("2021", "aantal")] == 1

    sizes = by_key(tables, "1a_toegekend_grootte")
    assert categories(sizes) == ["klein", "middelgroot"]
    assert figures(sizes)["middelgroot"][("2021", "uitbetaald")] == Decimal("9801.00")
    assert "uitbetaald" in [m.key for m in sizes.measures]


def test_size_classes_are_in_size_order_and_only_those_with_data():
    for size in ("middelgroot", "micro", "middelgroot", "klein"):
        granted(size_class=size)
    table = by_key(question_tables(year_from=2021, year_to=2021), "1a_toegekend_grootte")
    assert categories(table) == ["micro", "klein", "middelgroot"]
    assert figures(table)["middelgroot"][("2021", "aantal")] == 2
    assert table.years == ("2021",)


def test_sectors_are_grouped_by_code_not_by_label_text():
    consultancy = NaceCodeFactory(code="70220", label_nl="Overige adviesbureaus op het gebied van bedrijfsbeheer")
    granted(nace=consultancy)
    granted(nace=consultancy)
    # The label of the code is corrected (one space less) after some dossiers: still one activity.
    NaceCode.objects.filter(pk=consultancy.pk).update(
        label_nl="Overige adviesbureaus op het gebied van  bedrijfsbeheer"
    )
    granted(nace=consultancy)
    # Two different codes that happen to carry the same text stay two rows.
    same_text = "Computerconsultancy-activiteiten"
    granted(nace=NaceCodeFactory(code="62020", label_nl=same_text))
    granted(nace=NaceCodeFactory(code="62030", label_nl=same_text))

    table = by_key(question_tables(year_from=2021, year_to=2021), "1a_toegekend_sector")

    assert categories(table) == [
        "62.020 Computerconsultancy-activiteiten",
        "62.030 Computerconsultancy-activiteiten",
        "70.220 Overige adviesbureaus op het gebied van  bedrijfsbeheer",
    ]
    assert figures(table)["70.220 Overige adviesbureaus op het gebied van  bedrijfsbeheer"][("2021", "aantal")] == 3


def test_division_level_groups_by_the_first_two_digits_with_the_division_label():
    granted(nace=NaceCodeFactory(code="62010"))
    granted(nace=NaceCodeFactory(code="62020", label_nl="Computerconsultancy-activiteiten"))
    granted(nace=NaceCodeFactory(code="70220", label_nl="Overige adviesbureaus"))
    NaceCodeFactory(
        code="62", level="division", label_nl="Computerprogrammering, consultancy en aanverwante activiteiten"
    )

    table = by_key(question_tables(year_from=2021, year_to=2021, sector_level="division"), "1a_toegekend_sector")

    # Division 70 has no NaceCode row: python-stdnum's (English) NACE Rev. 2 label is the fallback.
    assert categories(table) == [
        "62 Computerprogrammering, consultancy en aanverwante activiteiten",
        "70 Activities of head offices; management consultancy activities",
    ]
    rows = figures(table)
    assert rows["62 Computerprogrammering, consultancy en aanverwante activiteiten"][("2021", "bedrag")] == Decimal(
        "32670.00"
    )
    assert rows["Totaal"][("2021", "aantal")] == 3


def test_unknown_sector_level_is_refused():
    with pytest.raises(ValueError, match="sectorniveau"):
        question_tables(year_from=2021, year_to=2021, sector_level="section")


@pytest.mark.parametrize(
    ("year_from", "year_to", "message"),
    [
        (2022, 2021, "na eindjaar"),
        (1999, 2021, "buiten 2000-2100"),
        (2021, 2101, "buiten 2000-2100"),
        ("2021", 2022, "getal"),
    ],
)
def test_invalid_period_is_refused(year_from, year_to, message):
    with pytest.raises(ValueError, match=message):
        question_tables(year_from=year_from, year_to=year_to)


def test_empty_period_gives_empty_tables_with_a_note():
    granted()
    tables = question_tables(year_from=2030, year_to=2031)
    assert tables
    for table in tables:
        assert table.rows == ()
        assert table.total is None
        assert str(NO_DATA) in table.note
        assert list(table.figures()) == []


def test_applications_include_every_outcome_with_the_requested_amount():
    granted(size_class="micro")
    granted(size_class="groot", status=DossierStatus.REJECTED, decided=date(2021, 5, 1))
    granted(size_class="groot", status=DossierStatus.REJECTED, decided=date(2021, 6, 1))
    granted(size_class="klein", status=DossierStatus.WITHDRAWN, decided=None)
    granted(size_class="klein", status=DossierStatus.SUBMITTED, decided=None, submitted=date(2022, 11, 30))
    # A draft was never submitted: it is no application (it is in 1g).
    DossierFactory(status=DossierStatus.DRAFT, submitted_date=None, decided_date=None)

    tables = question_tables(year_from=2021, year_to=2022)
    outcomes = by_key(tables, "1b_aanvragen_uitkomst")
    assert categories(outcomes) == ["toegekend", "afgewezen", "ingetrokken", "in behandeling"]
    rows = figures(outcomes)
    assert rows["afgewezen"][("2021", "aantal")] == 2
    assert rows["afgewezen"][("2021", "bedrag")] == Decimal("32670.00")
    assert rows["in behandeling"][("2022", "aantal")] == 1
    assert rows["Totaal"][("2021", "aantal")] == 4

    sizes = by_key(tables, "1b_aanvragen_grootte")
    assert sizes.dimension == "grootte,uitkomst"
    assert categories(sizes) == ["micro,toegekend", "klein,ingetrokken", "klein,in behandeling", "groot,afgewezen"]
    assert figures(sizes)["groot,afgewezen"][("2021", "aantal")] == 2


def test_unique_beneficiaries_count_a_company_once_per_year():
    company = CompanyFactory(postal_code=ANTWERPEN)
    granted(company=company, size_class="micro")
    granted(company=company, size_class="klein", decided=date(2021, 9, 1))  # grew between its two dossiers
    granted(postal_code=GENT, size_class="micro")

    tables = question_tables(year_from=2021, year_to=2021)
    sizes = figures(by_key(tables, "1c_steunverkrijgers_grootte"))
    assert sizes["micro"][("2021", "aantal")] == 2
    assert sizes["klein"][("2021", "aantal")] == 1
    # The total counts distinct companies, not the sum of the rows (3).
    assert sizes["Totaal"][("2021", "aantal")] == 2
    provinces = figures(by_key(tables, "1c_steunverkrijgers_provincie"))
    assert provinces["Antwerpen"][("2021", "aantal")] == 1


def test_companies_by_number_of_applications_and_grants():
    twice = CompanyFactory()
    granted(company=twice, status=DossierStatus.REJECTED, submitted=date(2021, 2, 1))
    granted(company=twice, decided=date(2022, 5, 1))
    granted()
    granted()
    granted(status=DossierStatus.WITHDRAWN, decided=None)

    tables = question_tables(year_from=2021, year_to=2022)
    applications = by_key(tables, "1d_bedrijven_aanvragen")
    assert applications.years == ("2021-2022",)
    assert figures(applications) == {
        "1 aanvraag": {("2021-2022", "aantal"): 3},
        "2 aanvragen": {("2021-2022", "aantal"): 1},
        "Totaal": {("2021-2022", "aantal"): 4},
    }
    grants = figures(by_key(tables, "1d_bedrijven_toekenningen"))
    assert grants["1 toekenning"][("2021-2022", "aantal")] == 3
    cross = figures(by_key(tables, "1d_bedrijven_aanvragen_toekenningen"))
    assert cross["2 aanvragen,1 toekenning"][("2021-2022", "aantal")] == 1
    assert cross["1 aanvraag,0 toekenningen"][("2021-2022", "aantal")] == 1
    assert cross["1 aanvraag,1 toekenning"][("2021-2022", "aantal")] == 2


def test_package_mix_in_catalogue_order_by_year_and_size():
    for mix in ("light+uitbreiding", "basis", "light", "basis+uitbreiding", "basis"):
        granted(package_mix=mix, size_class="klein" if mix == "basis" else "micro", lines=False)
    tables = question_tables(year_from=2021, year_to=2021)
    packages = by_key(tables, "1f_pakket")
    assert categories(packages) == ["basis", "light", "basis+uitbreiding", "light+uitbreiding"]
    assert figures(packages)["basis"][("2021", "aantal")] == 2
    cross = by_key(tables, "1f_pakket_grootte")
    assert cross.dimension == "pakket,grootte"
    assert categories(cross)[0] == "basis,klein"


def test_abandoned_applications_drafts_and_withdrawn():
    DossierFactory(
        status=DossierStatus.DRAFT, submitted_date=None, decided_date=None, company=CompanyFactory(postal_code=BRUGGE)
    )
    granted(status=DossierStatus.WITHDRAWN, decided=None, postal_code=BRUGGE)
    granted()
    this_year = date.today().year
    tables = question_tables(year_from=2021, year_to=max(this_year, 2021))
    provinces = figures(by_key(tables, "1g_niet_afgewerkt_provincie"))
    # The draft counts in the year it was created (today), the withdrawn one in the year it was filed.
    assert provinces["West-Vlaanderen,niet ingediend"][(str(this_year), "aantal")] == 1
    assert provinces["West-Vlaanderen,ingetrokken"][("2021", "aantal")] == 1
    assert "Oost-Vlaanderen,ingetrokken" not in provinces


def test_the_number_of_queries_does_not_grow_with_the_number_of_dossiers(django_assert_max_num_queries):
    def queries_for(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(n):
            granted(
                postal_code=(ANTWERPEN, GENT, HASSELT, LEUVEN, BRUGGE)[i % 5],
                size_class=("micro", "klein", "middelgroot")[i % 3],
                nace=NaceCodeFactory(code=f"{62010 + (i % 7) * 10}"),
                decided=date(2021 + i % 2, 1 + i % 12, 1),
            )
        with CaptureQueriesContext(connection) as context:
            question_tables(year_from=2021, year_to=2022)
        return len(context.captured_queries)

    small = queries_for(5)
    large = queries_for(45)  # 50 dossiers in all
    assert small == large
    with django_assert_max_num_queries(small):
        question_tables(year_from=2021, year_to=2022)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([ANTWERPEN, GENT, HASSELT]), amounts), min_size=1, max_size=8))
def test_every_total_is_the_exact_sum_of_its_rows(dossiers):
    from django.db import transaction

    with transaction.atomic():  # each example starts from an empty database
        for postal_code, amount in dossiers:
            granted(postal_code=postal_code, subsidy_amount=amount)
        tables = question_tables(year_from=2021, year_to=2021)
        transaction.set_rollback(True)
    for table in tables:
        # Distinct counts (1c) are not additive by nature: a company can be in two rows.
        if table.is_empty or table.question == "1c":
            continue
        for year in table.years:
            for measure in table.measures:
                assert sum(row.value(year, measure.key) for row in table.rows) == table.total.value(year, measure.key)
    provinces = figures(by_key(tables, "1a_toegekend_provincie"))
    assert provinces["Totaal"][("2021", "bedrag")] == sum((amount for _, amount in dossiers), Decimal("0.00"))


def test_companies_with_ten_or_more_applications_share_one_row():
    many = CompanyFactory()
    for month in range(1, 12):
        granted(company=many, status=DossierStatus.REJECTED, submitted=date(2021, month, 1))
    granted()
    rows = figures(by_key(question_tables(year_from=2021, year_to=2021), "1d_bedrijven_aanvragen"))
    assert rows == {
        "1 aanvraag": {("2021", "aantal"): 1},
        "10 of meer aanvragen": {("2021", "aantal"): 1},
        "Totaal": {("2021", "aantal"): 2},
    }


def test_the_rounding_note_of_the_published_size_table_only_where_it_applies():
    granted()
    assert "935.757,61" in by_key(question_tables(year_from=2021, year_to=2021), "1a_toegekend_grootte").note
    assert "935.757,61" not in by_key(question_tables(year_from=2023, year_to=2024), "1a_toegekend_grootte").note


def test_sector_labels_official_then_published_in_answer_526_then_the_nace_class():
    # Imported from the KBO code table: the official label.
    granted(nace=NaceCodeFactory(code="62020", label_nl="Computerconsultancy-activiteiten (officieel)"))
    # No imported label, but answer 526 published one for this code: the published text.
    granted(nace=NaceCodeFactory(code="69102", label_nl=""))
    # Neither: python-stdnum's label of the NACE class (English).
    granted(nace=NaceCodeFactory(code="10711", label_nl=""))

    table = by_key(question_tables(year_from=2021, year_to=2021), "1a_toegekend_sector")

    assert categories(table) == [
        "10.711 Manufacture of bread; manufacture of fresh pastry goods and cakes",
        "62.020 Computerconsultancy-activiteiten (officieel)",
        "69.102 Activiteiten van notarissen",
    ]
