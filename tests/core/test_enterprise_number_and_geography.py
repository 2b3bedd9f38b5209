import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cstraject.core.enterprise_number import check_digits, format_enterprise_number, normalize_enterprise_number
from cstraject.core.geography import Province, Region, province_for_postal_code, region_for_province


def test_valid_number_in_any_notation():
    assert normalize_enterprise_number("0403.170.701") == "0403170701"
    assert normalize_enterprise_number("BE 0403 170 701") == "0403170701"
    assert format_enterprise_number("0403170701") == "0403.170.701"


@pytest.mark.parametrize("raw", ["0403.170.702", "2403170701", "040317070", "abc", ""])
def test_invalid_numbers_name_the_field(raw):
    with pytest.raises(ValidationError) as error:
        normalize_enterprise_number(raw, field="enterprise_number")
    assert "enterprise_number" in error.value.message_dict


@given(st.integers(min_value=0, max_value=19_999_999))
def test_generated_check_digits_always_validate(n):
    first_eight = f"{n:08d}"
    assert normalize_enterprise_number(first_eight + check_digits(first_eight)) == first_eight + check_digits(
        first_eight
    )


@pytest.mark.parametrize(
    "postal_code, province, region",
    [
        ("1000", Province.BRUSSEL, Region.BRUSSEL),
        ("1300", Province.WAALS_BRABANT, Region.WALLONIE),
        ("1500", Province.VLAAMS_BRABANT, Region.VLAANDEREN),
        ("1999", Province.VLAAMS_BRABANT, Region.VLAANDEREN),
        ("2000", Province.ANTWERPEN, Region.VLAANDEREN),
        ("3000", Province.VLAAMS_BRABANT, Region.VLAANDEREN),
        ("3499", Province.VLAAMS_BRABANT, Region.VLAANDEREN),
        ("3500", Province.LIMBURG, Region.VLAANDEREN),
        ("4000", Province.LUIK, Region.WALLONIE),
        ("6600", Province.LUXEMBURG, Region.WALLONIE),
        ("7000", Province.HENEGOUWEN, Region.WALLONIE),
        ("8000", Province.WEST_VLAANDEREN, Region.VLAANDEREN),
        ("9999", Province.OOST_VLAANDEREN, Region.VLAANDEREN),
    ],
)
def test_province_and_region_from_postal_code(postal_code, province, region):
    assert province_for_postal_code(postal_code) == province
    assert region_for_province(province) == region


@pytest.mark.parametrize("raw", ["999", "0999", "10000", "75001", "abcd"])
def test_postal_code_outside_belgium_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        province_for_postal_code(raw)
    assert "postal_code" in error.value.message_dict
