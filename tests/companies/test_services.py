import pytest
from django.core.exceptions import ValidationError

from cstraject.companies.models import Company
from cstraject.companies.services import annual_accounts_record, company_upsert
from tests.factories import NaceCodeFactory

VALID = dict(
    enterprise_number="0403.170.701",
    name="Voorbeeld BV",
    legal_form="bv",
    nace_code="62.010",
    postal_code="9000",
    municipality="Gent",
)


@pytest.fixture
def nace(db):
    return NaceCodeFactory()


def test_company_gets_province_and_region_from_postal_code(nace):
    company = company_upsert(**VALID)
    assert (company.enterprise_number, company.province, company.region) == (
        "0403170701",
        "oost-vlaanderen",
        "vlaanderen",
    )
    assert company.display_enterprise_number == "0403.170.701"


def test_upsert_on_same_number_updates(nace):
    company_upsert(**VALID)
    company_upsert(**{**VALID, "name": "Nieuwe naam BV", "postal_code": "2000", "municipality": "Antwerpen"})
    company = Company.objects.get()
    assert (company.name, company.province) == ("Nieuwe naam BV", "antwerpen")


@pytest.mark.parametrize(
    "field, value",
    [
        ("enterprise_number", "0403.170.702"),
        ("postal_code", "75001"),
        ("legal_form", "sarl"),
        ("nace_code", "99.999"),
        ("name", " "),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(nace, field, value):
    with pytest.raises(ValidationError) as error:
        company_upsert(**{**VALID, field: value})
    assert field in error.value.message_dict
    assert Company.objects.count() == 0


def test_all_bad_fields_reported_together(nace):
    with pytest.raises(ValidationError) as error:
        company_upsert(**{**VALID, "enterprise_number": "123", "postal_code": "0"})
    assert {"enterprise_number", "postal_code"} <= set(error.value.message_dict)


@pytest.mark.parametrize(
    "field, value", [("turnover", "-1"), ("turnover", "veel"), ("headcount", "-2"), ("balance_sheet_total", "1.001")]
)
def test_bad_accounts_are_refused(nace, field, value):
    company = company_upsert(**VALID)
    figures = dict(year=2020, headcount="5", turnover="100000", balance_sheet_total="50000", equity="-100")
    with pytest.raises(ValidationError) as error:
        annual_accounts_record(company=company, **{**figures, field: value})
    assert field in error.value.message_dict
