"""Questions 1e (themes) and 5 (impact): the allocation rule, shares, means and intervals, on factory-made rows."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cstraject.accounts.actors import system_actor
from cstraject.dossiers.models import Dossier
from cstraject.impact.services import final_report_cosign, final_report_submit, follow_up_answer, follow_ups_send
from cstraject.impact.themes import planned_themes_set
from cstraject.reporting.impact_tables import (
    NO_THEME,
    allocation_detail,
    largest_remainder,
    mean_ci,
    t_quantile,
    tables_1e,
    tables_5,
)
from tests.factories import CallFactory, DossierFactory, ServiceProviderFactory
from tests.impact.helpers import maturity, points, with_framework
from tests.reporting.tables import by_key, figures

D = Decimal
SYSTEM = system_actor("test")


@pytest.fixture
def call(db):
    call = CallFactory()
    with_framework(call)
    return call


def themed(call, subsidy, themes, *, decided=date(2023, 3, 1), size="micro", **kwargs):
    kwargs.setdefault("quote_man_days", D("100.0"))
    dossier = DossierFactory(
        call=call,
        subsidy_amount=D(subsidy),
        decided_date=decided,
        submitted_date=date(decided.year, 1, 2),
        size_class=size,
        **kwargs,
    )
    if themes:
        planned_themes_set(
            actor=SYSTEM, dossier=dossier, themes=[{"theme": t, "man_days": str(d)} for t, d in themes.items()]
        )
    return dossier


def test_largest_remainder_reference():
    assert largest_remainder(10000, [1, 1, 1]) == [3334, 3333, 3333]
    assert largest_remainder(1000, [0, 0]) == [0, 0]
    assert largest_remainder(7, [5, 3]) == [4, 3]


@given(total=st.integers(0, 10**9), weights=st.lists(st.integers(1, 5000), min_size=1, max_size=8))
def test_largest_remainder_adds_up_and_stays_within_one_unit(total, weights):
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights):
        exact = D(total) * weight / sum(weights)
        assert exact - 1 < part < exact + 1


def test_amount_split_by_man_days_in_exact_cents(call):
    a = themed(call, "100.00", {"RC.RP": "1", "PR.AA": "1", "ID.AM": "1"})
    b = themed(call, "16335.00", {"PR.AA": "7.5", "DE.CM": "2.5"})
    detail = allocation_detail(year_from=2023, year_to=2023)
    # 10,000 cents / 3: 3,333 each and one cent left; equal remainders, so the first theme code (ID.AM) gets it.
    assert detail[a.pk] == {"ID.AM": D("33.34"), "PR.AA": D("33.33"), "RC.RP": D("33.33")}
    assert detail[b.pk] == {"PR.AA": D("12251.25"), "DE.CM": D("4083.75")}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cents=st.integers(1, 5_000_000),
    days=st.lists(st.integers(1, 400), min_size=1, max_size=6),
)
def test_sql_allocation_equals_the_reference_rule(db, cents, days):
    call = CallFactory()
    if not hasattr(call, "framework"):
        with_framework(call)
    codes = ["DE.CM", "GV.OC", "ID.AM", "PR.AA", "PR.DS", "RC.RP"][: len(days)]
    dossier = themed(call, D(cents) / 100, {c: D(d) / 10 for c, d in zip(codes, days)}, quote_man_days=D("9999.0"))
    found = allocation_detail(year_from=2023, year_to=2023)[dossier.pk]
    expected = largest_remainder(cents, days)  # codes are in sorted order, as the SQL breaks ties
    assert found == {code: D(part) / 100 for code, part in zip(codes, expected)}
    assert sum(found.values()) == dossier.subsidy_amount


def test_1e_counts_shares_and_the_row_without_themes(call):
    themed(call, "1000.00", {"PR.AA": "6", "PR.DS": "2", "ID.AM": "2"})  # main PR.AA
    themed(call, "3000.00", {"ID.AM": "5", "GV.PO": "5"}, size="klein")  # tie: main GV.PO
    themed(call, "500.00", {})  # no themes
    themed(call, "9999.99", {"PR.AA": "1"}, decided=date(2024, 5, 1))  # another year
    DossierFactory(call=call, status="rejected", subsidy_amount=D("777.00"), decided_date=date(2023, 4, 1))
    function, category, by_size = tables_1e(year_from=2023, year_to=2024)
    rows = figures(function)
    assert set(rows) == {"GV Besturen", "ID Identificeren", "PR Beschermen", NO_THEME, "Totaal"}
    assert rows["PR Beschermen"][("2023", "dossiers")] == 1
    assert rows["ID Identificeren"][("2023", "dossiers")] == 2
    assert rows["ID Identificeren"][("2023", "aandeel_dossiers")] == D("66.7")  # 2 of 3 granted
    assert rows["ID Identificeren"][("2023", "hoofdthema")] == 0
    assert rows["GV Besturen"][("2023", "hoofdthema")] == 1
    assert rows["PR Beschermen"][("2023", "bedrag")] == D("800.00")
    assert rows["ID Identificeren"][("2023", "bedrag")] == D("1700.00")
    assert rows[NO_THEME][("2023", "bedrag")] == D("500.00")
    assert rows["Totaal"][("2023", "dossiers")] == 3 and rows["Totaal"][("2023", "bedrag")] == D("4500.00")
    for key in ("aandeel_hoofdthema", "aandeel_bedrag"):
        assert sum(r[("2023", key)] for label, r in rows.items() if label != "Totaal") == D("100.0")
    assert rows["GV Besturen"][("2024", "aandeel_dossiers")] == D("0.0")
    assert rows["PR Beschermen"][("2024", "aandeel_bedrag")] == D("100.0")
    cats = figures(category)
    assert cats["PR.AA Identiteitsbeheer, authenticatie en toegangscontrole"][("2023", "bedrag")] == D("600.00")
    sizes = figures(by_size)
    assert sizes["GV Besturen,klein"][("2023", "aandeel_hoofdthema")] == D("100.0")
    assert sizes["PR Beschermen,micro"][("2023", "aandeel_hoofdthema")] == D("50.0")  # 1 of 2 micro dossiers
    assert by_size.total.value("2023", "bedrag") == D("4500.00")


def test_1e_with_no_grants_is_empty(call):
    [function, _category, _size] = tables_1e(year_from=2030, year_to=2030)
    assert function.is_empty and function.total is None


def finished(call, *, maturities, satisfaction=4, recommend=True, practice=True, subsidy="10000.00", **kwargs):
    dossier = DossierFactory(
        call=call, status="in_progress", subsidy_amount=D(subsidy), started_date=date(2023, 1, 10), **kwargs
    )
    final_report_submit(
        actor=SYSTEM,
        dossier=dossier,
        signatory="P",
        points=points(("PR.AA", "realised", "1", "3"), ("ID.AM", "partly", "1", "2")),
        function_maturity=maturities,
    )
    final_report_cosign(
        actor=SYSTEM,
        dossier=dossier,
        signatory="K",
        satisfaction=satisfaction,
        would_recommend=recommend,
        changed_practice=practice,
    )
    Dossier.objects.filter(pk=dossier.pk).update(status="finished", finished_date=date(2023, 6, 30))
    return dossier


def test_t_quantiles():
    assert t_quantile(1) == D("12.706") and t_quantile(2) == D("4.303") and t_quantile(35) == D("2.042")
    assert t_quantile(500) == D("1.960")
    assert mean_ci(0, 0, 0) == (None, None, None)
    assert mean_ci(1, 0.5, 0.25) == (D("0.50"), None, None)


def test_5_impact_figures(call):
    provider = ServiceProviderFactory(name="Dienstverlener Z")
    # Gains per trajectory (mean over the six functions): 1.0, 0.5, 0.0.
    a = finished(call, maturities=maturity("1", "2"), satisfaction=5, provider=provider)
    finished(call, maturities=maturity("2", "2.5"), satisfaction=4, recommend=False, provider=provider)
    finished(call, maturities=maturity("3", "3"), satisfaction=3, practice=False, size_class="klein")
    DossierFactory(call=call, status="finished", finished_date=date(2023, 9, 1))  # no report
    # Follow-up for the first: one of its two (partly) realised points still in place.
    [follow_up] = follow_ups_send(actor=SYSTEM, today=date(2024, 6, 30), dossier=a)
    ids = {p.theme.code: p.pk for p in follow_up.final_report.points.select_related("theme")}
    follow_up_answer(actor=SYSTEM, dossier=a, answers={ids["PR.AA"]: True, ids["ID.AM"]: False}, today=date(2024, 7, 1))
    tables = tables_5(year_from=2023, year_to=2023)
    year = figures(by_key(tables, "5_impact_jaar"))
    row = year["2023"]
    assert row[("2023", "afgerond")] == 4 and row[("2023", "eindverslag")] == 3
    assert row[("2023", "aandeel_winst")] == D("66.7")
    assert row[("2023", "winst")] == D("0.50")
    assert row[("2023", "tevredenheid")] == D("4.00")
    assert row[("2023", "aanbevelen")] == D("66.7") and row[("2023", "praktijk")] == D("66.7")
    assert row[("2023", "opvolging")] == 1 and row[("2023", "respons")] == D("100.0")
    assert row[("2023", "behoud")] == D("50.0")
    assert row[("2023", "kost_per_punt")] == D("20000.00")  # 30,000 granted / 1.5 points
    assert year["Totaal"] == row
    by_size = figures(by_key(tables, "5_impact_grootte"))
    assert by_size["2023,micro"][("2023", "eindverslag")] == 2
    assert by_size["2023,klein"][("2023", "kost_per_punt")] is None  # no gain: not computable
    by_provider = figures(by_key(tables, "5_impact_dienstverlener"))
    assert by_provider["2023,Dienstverlener Z"][("2023", "winst")] == D("0.75")
    functions = figures(by_key(tables, "5_maturiteit_functie"))
    gv = functions["2023,GV Besturen"]
    assert gv[("2023", "trajecten")] == 3 and gv[("2023", "voor")] == D("2.00") and gv[("2023", "na")] == D("2.50")
    # Gains 1.0, 0.5, 0.0: mean 0.5, sd 0.5, t(2) = 4.303: 0.5 +- 4.303 x 0.5 / sqrt(3) = 0.5 +- 1.242.
    assert (gv[("2023", "winst")], gv[("2023", "bi_laag")], gv[("2023", "bi_hoog")]) == (
        D("0.50"),
        D("-0.74"),
        D("1.74"),
    )
    assert functions["Totaal"][("2023", "trajecten")] == 3


def test_5_without_finished_trajectories_is_empty(call):
    tables = tables_5(year_from=2023, year_to=2023)
    assert all(table.is_empty for table in tables)
