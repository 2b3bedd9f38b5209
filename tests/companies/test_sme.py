"""The SME test over the whole chain of linked and partner enterprises (companies/sme.py):
exact boundaries, indirect links over two and three levels, cycles, and properties."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cstraject.companies.models import AnnualAccounts
from cstraject.companies.sme import (
    Figures,
    Relation,
    sme_status,
    undertaking_aggregate,
)
from cstraject.dossiers.eligibility import eligibility_check
from cstraject.dossiers.models import DossierStatus
from tests.factories import (
    ALL_DECLARATIONS,
    CallFactory,
    CompanyFactory,
    CompanyRelationFactory,
    DossierFactory,
    offering_provider,
)

SMALL_MONEY = Decimal("1000000.00")


def fig(headcount, turnover=SMALL_MONEY, balance=SMALL_MONEY) -> Figures:
    return Figures(headcount=Decimal(headcount), turnover=Decimal(turnover), balance_sheet_total=Decimal(balance))


def rel(holder, held, share) -> Relation:
    return Relation(holder=holder, held=held, share_pct=Decimal(share))


# --- exact arithmetic at the ceilings -------------------------------------------------------------


@pytest.mark.parametrize(
    "own, expected_total, expected_class",
    [("247.6", "249.975", "middelgroot"), ("247.7", "250.075", "groot"), ("47.6", "49.975", "klein")],
)
def test_partner_shares_are_not_rounded_before_the_sum(own, expected_total, expected_class):
    result = undertaking_aggregate(
        applicant="X", relations=[rel("X", "P", "25.00")], figures={"X": fig(own), "P": fig("9.5")}
    )
    assert result.headcount == Decimal(expected_total)
    assert result.size_class == expected_class


def test_turnover_is_compared_exactly():
    # 9,000,000.00 + 25.37 % x 3,941,663.39 = 10,000,000.000043... : above 10 M, so not small on turnover.
    result = undertaking_aggregate(
        applicant="X",
        relations=[rel("X", "P", "25.37")],
        figures={"X": fig("20", "9000000.00", "20000000.00"), "P": fig("1", "3941663.39", "0")},
    )
    assert result.turnover == Decimal("9000000.00") + Decimal("0.2537") * Decimal("3941663.39")
    assert result.turnover > Decimal("10000000.00")
    assert result.size_class == "middelgroot"


# --- indirect links -------------------------------------------------------------------------------


def test_sister_company_through_a_common_parent_two_levels():
    # X is 60 % owned by parent P; P owns 80 % of F (400 FTE): F is linked to X, indirectly.
    result = undertaking_aggregate(
        applicant="X",
        relations=[rel("P", "X", "60"), rel("P", "F", "80")],
        figures={"X": fig("10"), "P": fig("2"), "F": fig("400")},
    )
    assert result.headcount == Decimal("412")
    assert result.size_class == "groot"
    f_part = next(p for p in result.parts if p.company == "F")
    assert (f_part.kind, f_part.weight, f_part.via) == ("linked", 1, ("X", "P", "F"))


def test_three_levels_of_links_and_the_partners_around_them():
    # X <-60- P <-70- G -90-> F; G has a partner H at 30 %; X has a partner Q at 40 %, linked to R at 75 %;
    # Q's own partner S (30 %) does not count (only a partner's linked enterprises do, art. 6(3)).
    relations = [
        rel("P", "X", "60"),
        rel("G", "P", "70"),
        rel("G", "F", "90"),
        rel("H", "G", "30"),
        rel("Q", "X", "40"),
        rel("Q", "R", "75"),
        rel("Q", "S", "30"),
    ]
    figures = {
        "X": fig("10"),
        "P": fig("1"),
        "G": fig("2"),
        "F": fig("100"),
        "H": fig("50"),
        "Q": fig("20"),
        "R": fig("30"),
        "S": fig("1000"),
    }
    result = undertaking_aggregate(applicant="X", relations=relations, figures=figures)
    kinds = {p.company: (p.kind, p.weight) for p in result.parts}
    assert kinds == {
        "X": ("eigen", 1),
        "P": ("linked", 1),
        "G": ("linked", 1),
        "F": ("linked", 1),
        "H": ("partner_of_linked", Decimal("0.30")),
        "Q": ("partner", Decimal("0.40")),
        "R": ("linked_of_partner", Decimal("0.40")),
    }
    # 10 + 1 + 2 + 100 + 30 % x 50 + 40 % x 20 + 40 % x 30 = 148
    assert result.headcount == Decimal("148")
    assert next(p for p in result.parts if p.company == "F").via == ("X", "P", "G", "F")


def test_a_cycle_of_ownership_counts_each_enterprise_once():
    relations = [
        rel("A", "B", "60"),
        rel("B", "C", "60"),
        rel("C", "A", "60"),
        rel("C", "D", "30"),
        rel("D", "C", "40"),
    ]
    figures = {"A": fig("10"), "B": fig("20"), "C": fig("30"), "D": fig("100")}
    result = undertaking_aggregate(applicant="A", relations=relations, figures=figures)
    assert sorted(p.company for p in result.parts) == ["A", "B", "C", "D"]
    # D is a partner of linked C both ways; the larger share (40 %) counts, once.
    assert result.headcount == Decimal("60") + Decimal("40")


def test_holdings_under_25_percent_do_not_count_and_missing_accounts_are_named():
    result = undertaking_aggregate(
        applicant="X",
        relations=[rel("X", "Y", "24.99"), rel("X", "Z", "30")],
        figures={"X": fig("5"), "Y": fig("1000")},
    )
    assert [p.company for p in result.parts] == ["X", "Z"]
    assert result.missing == ["Z"] and result.headcount == Decimal("5")


# --- properties -----------------------------------------------------------------------------------

NAMES = ["X", "A", "B", "C", "D", "E"]
shares = st.sampled_from(["10", "25", "30", "50", "50.01", "75", "100"])
relations_strategy = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), shares).filter(lambda t: t[0] != t[1]),
    max_size=10,
    unique_by=lambda t: (t[0], t[1]),
)
staff_strategy = st.integers(min_value=0, max_value=3000).map(lambda n: Decimal(n) / 10)


def _figures(values):
    return {name: fig(v, Decimal(v) * 1000, Decimal(v) * 1000) for name, v in zip(NAMES, values)}


@settings(max_examples=150, deadline=None)
@given(relations_strategy, st.lists(staff_strategy, min_size=len(NAMES), max_size=len(NAMES)), st.randoms())
def test_order_of_the_relations_does_not_change_the_result(triples, values, random):
    relations = [rel(*t) for t in triples]
    shuffled = list(relations)
    random.shuffle(shuffled)
    a = undertaking_aggregate(applicant="X", relations=relations, figures=_figures(values))
    b = undertaking_aggregate(applicant="X", relations=shuffled, figures=_figures(values))
    assert a == b


@settings(max_examples=150, deadline=None)
@given(
    relations_strategy,
    st.lists(staff_strategy, min_size=len(NAMES), max_size=len(NAMES)),
    st.sampled_from(NAMES),
    st.sampled_from(["25", "30", "50"]),
    st.booleans(),
)
def test_adding_a_tiny_partner_never_decreases_the_figures(triples, values, anchor, share, upstream):
    relations = [rel(*t) for t in triples]
    figures = _figures(values)
    before = undertaking_aggregate(applicant="X", relations=relations, figures=figures)
    tiny = rel("TINY", anchor, share) if upstream else rel(anchor, "TINY", share)
    after = undertaking_aggregate(applicant="X", relations=[*relations, tiny], figures={**figures, "TINY": fig("0.1")})
    assert after.headcount >= before.headcount
    assert after.turnover >= before.turnover


@settings(max_examples=150, deadline=None)
@given(relations_strategy, st.lists(staff_strategy, min_size=len(NAMES), max_size=len(NAMES)))
def test_each_enterprise_counts_once_between_nothing_and_in_full(triples, values):
    figures = _figures(values)
    result = undertaking_aggregate(applicant="X", relations=[rel(*t) for t in triples], figures=figures)
    companies = [p.company for p in result.parts]
    assert len(companies) == len(set(companies)) and companies[0] == "X"
    assert all(0 < p.weight <= 1 for p in result.parts)
    assert figures["X"].headcount <= result.headcount <= sum(f.headcount for f in figures.values())
    assert result.headcount == sum(p.headcount for p in result.parts)


# --- through the database and the eligibility check ------------------------------------------------


def _accounts(company, headcount, years=(2019, 2020)):
    for year in years:
        AnnualAccounts.objects.create(
            company=company,
            year=year,
            headcount=Decimal(headcount),
            turnover=SMALL_MONEY,
            balance_sheet_total=SMALL_MONEY,
            equity=Decimal("1000.00"),
        )


def _sme_result(company):
    call = CallFactory()
    dossier = DossierFactory(
        call=call,
        company=company,
        provider=offering_provider(call),
        status=DossierStatus.SUBMITTED,
        declarations=ALL_DECLARATIONS,
        decided_date=None,
    )
    results = {r.criterion: r for r in eligibility_check(dossier=dossier, stage="submission", on_date=date(2021, 3, 1))}
    dossier.refresh_from_db()
    return dossier, results["sme"]


def test_249_975_fte_is_an_sme_and_every_step_is_shown(db):
    company, partner = CompanyFactory(), CompanyFactory()
    _accounts(company, "247.6")
    _accounts(partner, "9.5")
    CompanyRelationFactory(company=company, related_company=partner, share_pct=Decimal("25.00"))
    dossier, result = _sme_result(company)
    assert result.outcome == "pass"
    assert (dossier.size_class, dossier.size_headcount) == ("middelgroot", Decimal("249.975"))
    assert "25 % x 9,5 = 2,375 VTE" in result.reason and "249,975 VTE" in result.reason
    year = result.data["years"][-1]
    assert year["headcount"] == "249.975"
    assert [(p["company"], p["kind"], p["headcount"]) for p in year["parts"]] == [
        (company.enterprise_number, "eigen", "247.6"),
        (partner.enterprise_number, "partner", "2.375"),
    ]


def test_parent_of_a_large_sister_makes_the_applicant_large(db):
    company, parent, sister = CompanyFactory(), CompanyFactory(), CompanyFactory()
    _accounts(company, "10")
    _accounts(parent, "2")
    _accounts(sister, "400")
    CompanyRelationFactory(company=parent, related_company=company, share_pct=Decimal("60"))
    CompanyRelationFactory(company=parent, related_company=sister, share_pct=Decimal("80"))
    dossier, result = _sme_result(company)
    assert result.outcome == "fail" and dossier.size_class == "groot"
    assert sister.enterprise_number in result.reason and "412,0 VTE" in result.reason


def test_a_cycle_in_the_database_terminates(db):
    a, b, c = CompanyFactory(), CompanyFactory(), CompanyFactory()
    for company in (a, b, c):
        _accounts(company, "10")
    CompanyRelationFactory(company=a, related_company=b, share_pct=Decimal("60"))
    CompanyRelationFactory(company=b, related_company=c, share_pct=Decimal("60"))
    CompanyRelationFactory(company=c, related_company=a, share_pct=Decimal("60"))
    status = sme_status(company=a, on_date=date(2021, 3, 1))
    assert status.size_class == "klein" and status.basis.headcount == Decimal("30.0")
