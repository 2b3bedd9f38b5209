from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cstraject.core.money import format_euro, parse_amount, parse_quantity, round_half_up_cents, share_of


@pytest.mark.parametrize(
    "quote, expected",
    [("30000.00", "16335.00"), ("25150.01", "13694.18"), ("18000.00", "9801.00")],
)
def test_published_subsidies_follow_from_45_percent_of_vat_inclusive_quote(quote, expected):
    assert share_of(Decimal(quote) * Decimal("1.21"), Decimal("0.45")) == Decimal(expected)


def test_half_cent_rounds_up():
    assert round_half_up_cents(Decimal("0.005")) == Decimal("0.01")
    assert round_half_up_cents(Decimal("0.0049")) == Decimal("0.00")


@pytest.mark.parametrize("raw", ["abc", "", "1.234", "-5", "NaN", "Infinity", 1.5])
def test_bad_amounts_are_refused_with_the_field_named(raw):
    with pytest.raises(ValidationError) as error:
        parse_amount(raw, field="amount_excl_vat")
    assert "amount_excl_vat" in error.value.message_dict


def test_amount_accepts_comma_and_normalises_to_cents():
    assert parse_amount("1234,5", field="x") == Decimal("1234.50")


def test_euro_in_dutch_notation():
    assert format_euro(Decimal("935757.61")) == "€ 935.757,61"


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.decimals(min_value=0, max_value=1, places=4))
def test_share_is_within_half_a_cent_of_the_exact_product(amount, rate):
    exact = amount * rate
    assert abs(share_of(amount, rate) - exact) <= Decimal("0.005")


@given(st.text(alphabet="0123456789", min_size=13, max_size=400), st.sampled_from(["", ".5", ",25", "e3", "E-1"]))
def test_more_than_12_integer_digits_is_refused_never_a_crash(digits, tail):
    value = digits.lstrip("0") or "0"
    raw = value + tail
    try:
        amount = parse_amount(raw, field="bedrag")
    except ValidationError as error:
        assert "bedrag" in error.message_dict
    else:
        assert abs(amount) < Decimal("1000000000000")


@pytest.mark.parametrize("raw", ["1" * 40, "9" * 13, "1e999999999", "-1e30", "1000000000000.00"])
def test_huge_amounts_name_the_limit(raw):
    with pytest.raises(ValidationError) as error:
        parse_amount(raw, field="bedrag", allow_negative=True)
    assert "hoogstens 12 cijfers voor de komma" in error.value.message_dict["bedrag"][0]


def test_largest_amount_fits_the_column():
    assert parse_amount("999999999999.99", field="x") == Decimal("999999999999.99")


@given(st.text(max_size=60))
def test_any_text_is_an_amount_or_a_validation_error(raw):
    for parse in (parse_amount, parse_quantity):
        try:
            parse(raw, field="x")
        except ValidationError as error:
            assert "x" in error.message_dict


@pytest.mark.parametrize("raw, digits", [("1234567", 6), ("123456789", 8), ("1000", 3), ("1e40", 6)])
def test_quantities_respect_their_columns(raw, digits):
    with pytest.raises(ValidationError, match=f"hoogstens {digits} cijfers"):
        parse_quantity(raw, field="q", integer_digits=digits)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("19.850,00", "19850.00"),
        ("19850,00", "19850.00"),
        ("19850.00", "19850.00"),
        ("1.234.567,8", "1234567.80"),
        ("1.234.567", "1234567.00"),
        ("19 850,00", "19850.00"),
        ("19\u202f850,00", "19850.00"),
        ("19.85", "19.85"),
    ],
)
def test_amounts_typed_the_flemish_way_are_read(typed, amount):
    from cstraject.core.money import parse_amount

    assert parse_amount(typed, field="bedrag") == Decimal(amount)


@pytest.mark.parametrize("typed", ["19.850.00", "1,234,567", "19.8500,00", "19,850.00"])
def test_ambiguous_number_text_is_refused_not_guessed(typed):
    from cstraject.core.money import parse_amount

    with pytest.raises(ValidationError):
        parse_amount(typed, field="bedrag")


def test_exact_euro_keeps_the_decimals_beyond_the_cent():
    from django.utils import translation

    with translation.override("nl"):
        assert format_euro(Decimal("2447.8125"), exact=True) == "€ 2.447,8125"
        assert format_euro(Decimal("1250000.000000"), exact=True) == "€ 1.250.000,00"
        assert format_euro(Decimal("2447.8125")) == "€ 2.447,81"
    with translation.override("en"):
        assert format_euro(Decimal("-2447.8125"), exact=True) == "-€ 2,447.8125"
