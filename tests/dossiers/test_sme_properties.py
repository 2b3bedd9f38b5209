"""Properties of the SME size rule (companies/sme.py) with hypothesis."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cstraject.companies.sme import ORDER, relation_weight, size_class_for, status_over_years

staff = st.integers(min_value=0, max_value=5000).map(lambda n: Decimal(n) / 10)
money = st.integers(min_value=0, max_value=10**10).map(lambda c: Decimal(c).scaleb(-2))
classes = st.lists(st.sampled_from(ORDER), min_size=1, max_size=8)


@given(staff, staff, money, money, money, money)
def test_bigger_figures_never_give_a_smaller_class(h1, h2, t1, t2, b1, b2):
    small = size_class_for(headcount=min(h1, h2), turnover=min(t1, t2), balance_sheet_total=min(b1, b2))
    large = size_class_for(headcount=max(h1, h2), turnover=max(t1, t2), balance_sheet_total=max(b1, b2))
    assert ORDER.index(small) <= ORDER.index(large)


@given(classes)
def test_status_follows_two_equal_consecutive_years(years):
    status = status_over_years(years)
    if len(years) >= 2 and years[-1] == years[-2]:
        assert status == years[-1]
    if len(set(years)) == 1:
        assert status == years[0]


@given(classes)
def test_one_odd_year_never_changes_the_status(years):
    # When the last year agrees with the status, one different year after it changes nothing.
    status = status_over_years(years)
    if years[-1] == status:
        for odd in ORDER:
            assert status_over_years([*years, odd]) == status


@given(st.integers(min_value=1, max_value=10000).map(lambda n: Decimal(n) / 100))
def test_relation_weight(share):
    weight = relation_weight(share)
    if share < 25:
        assert weight == 0
    elif share <= 50:
        assert weight == share / 100
    else:
        assert weight == 1
