"""The tranche rule in cents, and its money properties (hypothesis)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from cstraject.payments.selectors import due_total_for, tranche_compute

SIXTY = Decimal("0.6000")


def compute(subsidy, quoted, delivered, paid=None, final=False):
    return tranche_compute(
        subsidy=Decimal(subsidy),
        quoted=Decimal(quoted),
        delivered=Decimal(delivered),
        paid_tranches={k: Decimal(v) for k, v in (paid or {}).items()},
        final=final,
        tranche1_share=SIXTY,
        tranche1_threshold=SIXTY,
    )


def test_first_tranche_needs_sixty_percent_delivered():
    assert compute("16335.00", "30000.00", "17999.99").tranche is None
    due = compute("16335.00", "30000.00", "18000.00")
    assert (due.tranche, due.amount) == (1, Decimal("9801.00"))


def test_first_tranche_rounds_half_up_to_the_cent():
    # 60 % of 13,694.18 = 8,216.508 -> 8,216.51
    assert compute("13694.18", "25150.01", "25150.01").amount == Decimal("8216.51")
    # 60 % of 0.05 = 0.03 exactly; of 0.25 = 0.15; of 10.01 = 6.006 -> 6.01
    assert compute("10.01", "100.00", "60.00").amount == Decimal("6.01")


def test_second_tranche_is_the_rest_when_all_is_delivered():
    due = compute("16335.00", "30000.00", "30000.00", paid={1: "9801.00"}, final=True)
    assert (due.tranche, due.amount, due.due_total) == (2, Decimal("6534.00"), Decimal("16335.00"))
    due = compute("13694.18", "25150.01", "25150.01", paid={1: "8216.51"}, final=True)
    assert due.amount == Decimal("5477.67") and Decimal("8216.51") + due.amount == Decimal("13694.18")


def test_second_tranche_pro_rata_when_less_was_delivered():
    # 16,335.00 x 27,000 / 30,000 = 14,701.50; minus 9,801.00 = 4,900.50
    due = compute("16335.00", "30000.00", "27000.00", paid={1: "9801.00"}, final=True)
    assert (due.amount, due.due_total) == (Decimal("4900.50"), Decimal("14701.50"))
    # 13,694.18 x 20,000.00 / 25,150.01 = 10,890.00... -> rounded half-up once
    assert due_total_for(
        subsidy=Decimal("13694.18"), quoted=Decimal("25150.01"), delivered=Decimal("20000.00")
    ) == Decimal("10890.00")
    assert due_total_for(subsidy=Decimal("100.00"), quoted=Decimal("3.00"), delivered=Decimal("1.00")) == Decimal(
        "33.33"
    )
    assert due_total_for(subsidy=Decimal("100.00"), quoted=Decimal("8.00"), delivered=Decimal("1.00")) == Decimal(
        "12.50"
    )
    assert due_total_for(subsidy=Decimal("0.05"), quoted=Decimal("2.00"), delivered=Decimal("1.00")) == Decimal("0.03")


def test_no_second_tranche_before_the_end_and_never_a_third():
    assert compute("16335.00", "30000.00", "29000.00", paid={1: "9801.00"}).tranche is None
    assert compute("16335.00", "30000.00", "30000.00", paid={1: "9801.00", 2: "6534.00"}, final=True).tranche is None


def test_finished_in_the_quarter_it_passed_sixty_percent_gets_both_tranches():
    first = compute("16335.00", "30000.00", "30000.00", final=True)
    assert (first.tranche, first.amount) == (1, Decimal("9801.00"))
    second = compute("16335.00", "30000.00", "30000.00", paid={1: "9801.00"}, final=True)
    assert (second.tranche, second.amount) == (2, Decimal("6534.00"))


def test_finished_below_the_threshold_gets_one_pro_rata_tranche():
    # 16,335.00 x 15,000 / 30,000 = 8,167.50, never a first tranche of 60 % for 50 % of the work
    due = compute("16335.00", "30000.00", "15000.00", final=True)
    assert (due.tranche, due.amount) == (2, Decimal("8167.50"))


def test_overpaid_final_gives_nothing_and_says_so():
    due = compute("16335.00", "30000.00", "15000.00", paid={1: "9801.00"}, final=True)
    assert due.tranche is None and "€ 1.633,50 te veel betaald" in due.reason


cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c).scaleb(-2))
rates = st.sampled_from([Decimal("0.4500"), Decimal("0.5000"), Decimal("0.3333")])


@settings(max_examples=300, deadline=None)
@given(quoted=cents, rate=rates, data=st.data())
def test_tranches_never_exceed_the_grant_and_add_up_when_fully_delivered(quoted, rate, data):
    from cstraject.core.money import round_half_up_cents

    subsidy = round_half_up_cents(quoted * Decimal("1.21") * rate)
    first_delivered = data.draw(
        st.integers(min_value=0, max_value=int(quoted * 100)).map(lambda c: Decimal(c).scaleb(-2))
    )
    final_delivered = data.draw(
        st.one_of(
            st.just(quoted),
            st.integers(min_value=int(first_delivered * 100), max_value=int(quoted * 100)).map(
                lambda c: Decimal(c).scaleb(-2)
            ),
        )
    )
    paid = {}
    first = compute(subsidy, quoted, first_delivered)
    if first.tranche:
        assert first.tranche == 1 and first.amount <= subsidy
        paid[1] = first.amount
    for _request in range(3):  # a finished trajectory asks until nothing is due
        last = compute(subsidy, quoted, final_delivered, paid=paid, final=True)
        if not last.tranche:
            break
        assert last.tranche not in paid and last.amount > 0
        paid[last.tranche] = last.amount
    total = sum(paid.values(), Decimal("0.00"))
    assert len(paid) <= 2
    assert total <= subsidy
    assert all(v == v.quantize(Decimal("0.01")) for v in paid.values())
    if final_delivered == quoted:
        assert total == subsidy
    else:
        assert total == max(
            paid.get(1, Decimal(0)), due_total_for(subsidy=subsidy, quoted=quoted, delivered=final_delivered)
        )


@settings(max_examples=200, deadline=None)
@given(subsidy=cents, quoted=cents, a=st.integers(0, 10_000_000), b=st.integers(0, 10_000_000))
def test_due_total_is_monotone_and_bounded(subsidy, quoted, a, b):
    low, high = sorted((Decimal(a).scaleb(-2), Decimal(b).scaleb(-2)))
    due_low = due_total_for(subsidy=subsidy, quoted=quoted, delivered=low)
    due_high = due_total_for(subsidy=subsidy, quoted=quoted, delivered=high)
    assert Decimal(0) <= due_low <= due_high <= subsidy


@pytest.mark.parametrize(
    ("language", "due", "paid", "rest"),
    [("nl", "€ 12.705,00", "€ 10.890,00", "€ 1.815,00"), ("en", "€ 12,705.00", "€ 10,890.00", "€ 1,815.00")],
)
def test_tranche_explanation_writes_amounts_as_the_language_does(language, due, paid, rest):
    with translation.override(language):
        due_now = compute("18150.00", "30000.00", "21000.00", paid={1: "10890.00"}, final=True)
    assert (due_now.tranche, due_now.amount, due_now.due_total) == (2, Decimal("1815.00"), Decimal("12705.00"))
    assert f"= {due}" in due_now.reason and f"{paid} = {rest}" in due_now.reason
    assert "12705.00" not in due_now.reason
