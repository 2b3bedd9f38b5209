"""Each eligibility criterion at its boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from cstraject.companies.models import AnnualAccounts
from cstraject.dossiers.eligibility import CRITERIA, eligibility_check, single_undertaking
from cstraject.dossiers.models import DossierStatus, EligibilityResult, QuoteLine
from tests.factories import (
    ALL_DECLARATIONS,
    Call2023Factory,
    CallFactory,
    CompanyFactory,
    CompanyRelationFactory,
    DeMinimisAidFactory,
    DossierFactory,
    NaceCodeFactory,
    offering_provider,
)

ON = date(2021, 3, 1)


def figures(company, year, headcount="12", turnover="1500000.00", balance="900000.00", equity="300000.00"):
    AnnualAccounts.objects.update_or_create(
        company=company,
        year=year,
        defaults=dict(
            headcount=Decimal(headcount),
            turnover=Decimal(turnover),
            balance_sheet_total=Decimal(balance),
            equity=Decimal(equity),
        ),
    )


def make_dossier(company=None, call=None, **kwargs):
    call = call or CallFactory()
    company = company or CompanyFactory()
    provider = kwargs.pop("provider", None) or offering_provider(call)
    return DossierFactory(
        call=call,
        company=company,
        provider=provider,
        status=DossierStatus.SUBMITTED,
        declarations=kwargs.pop("declarations", ALL_DECLARATIONS),
        decided_date=None,
        **kwargs,
    )


def check(dossier, criterion, on_date=ON, stage="submission"):
    results = {r.criterion: r for r in eligibility_check(dossier=dossier, stage=stage, on_date=on_date)}
    return results[criterion]


def test_every_criterion_is_stored_with_reason_and_data(db):
    company = CompanyFactory()
    figures(company, 2019)
    figures(company, 2020)
    dossier = make_dossier(company)
    results = eligibility_check(dossier=dossier, stage="submission", on_date=ON)
    assert [r.criterion for r in results] == list(CRITERIA)
    assert {r.outcome for r in results} == {"pass"}
    assert EligibilityResult.objects.filter(dossier=dossier).count() == len(CRITERIA)
    sme = EligibilityResult.objects.get(dossier=dossier, criterion="sme")
    assert sme.data["years"][-1]["headcount"] == "12.0" and sme.data["on_date"] == "2021-03-01"
    assert "2020" in sme.reason


# --- SME size ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headcount, outcome, size",
    [("249", "pass", "middelgroot"), ("249.9", "pass", "middelgroot"), ("250", "fail", "groot")],
)
def test_staff_ceiling_249_250(db, headcount, outcome, size):
    company = CompanyFactory()
    for year in (2019, 2020):
        figures(company, year, headcount=headcount)
    dossier = make_dossier(company)
    assert check(dossier, "sme").outcome == outcome
    dossier.refresh_from_db()
    assert dossier.size_class == size


@pytest.mark.parametrize(
    "turnover, balance, size",
    [
        ("50000000.00", "45000000.00", "middelgroot"),
        ("50000000.01", "45000000.00", "groot"),
        ("50000000.01", "43000000.00", "middelgroot"),  # the balance-sheet alternative
        ("50000000.01", "43000000.01", "groot"),
    ],
)
def test_turnover_or_balance_sheet(db, turnover, balance, size):
    company = CompanyFactory()
    for year in (2019, 2020):
        figures(company, year, headcount="100", turnover=turnover, balance=balance)
    dossier = make_dossier(company)
    check(dossier, "sme")
    dossier.refresh_from_db()
    assert dossier.size_class == size
    assert dossier.size_turnover == Decimal(turnover) and dossier.size_balance_sheet_total == Decimal(balance)


@pytest.mark.parametrize(
    "headcounts, size",
    [
        (["12", "12", "300"], "klein"),  # crossed once: status unchanged
        (["12", "300", "300"], "groot"),  # crossed two consecutive years
        (["300", "300", "12"], "groot"),  # fell below once: still large
        (["300", "12", "12"], "klein"),
        (["5", "60", "5"], "micro"),  # above micro one year only
        (["5", "60", "12"], "klein"),  # above micro two years (medium, then small): small
        (["5", "60", "30"], "klein"),
    ],
)
def test_two_year_rule(db, headcounts, size):
    company = CompanyFactory()
    for year, headcount in zip((2018, 2019, 2020), headcounts):
        figures(company, year, headcount=headcount, turnover="1000000.00", balance="1000000.00")
    dossier = make_dossier(company)
    result = check(dossier, "sme")
    assert dossier.__class__.objects.get(pk=dossier.pk).size_class == size
    assert result.outcome == ("fail" if size == "groot" else "pass")


def test_only_closed_accounting_years_count(db):
    company = CompanyFactory()
    figures(company, 2019, headcount="12")
    figures(company, 2020, headcount="12")
    figures(company, 2021, headcount="400")  # the current year, not closed on 1 March 2021
    figures(company, 2022, headcount="400")
    dossier = make_dossier(company)
    assert check(dossier, "sme").outcome == "pass"


@pytest.mark.parametrize(
    "share, size", [("25.00", "groot"), ("24.99", "middelgroot"), ("50.00", "groot"), ("50.01", "groot")]
)
def test_partner_from_25_percent_pro_rata(db, share, size):
    company, partner = CompanyFactory(), CompanyFactory()
    for year in (2019, 2020):
        figures(company, year, headcount="200")
        figures(partner, year, headcount="200")
    CompanyRelationFactory(company=company, related_company=partner, share_pct=Decimal(share))
    dossier = make_dossier(company)
    result = check(dossier, "sme")
    dossier.refresh_from_db()
    assert dossier.size_class == size
    expected = {"25.00": "250", "24.99": "200", "50.00": "300", "50.01": "400"}[share]
    assert dossier.size_headcount == Decimal(expected)
    assert result.outcome == ("fail" if size == "groot" else "pass")


def test_linked_enterprise_counts_in_full(db):
    company, linked = CompanyFactory(), CompanyFactory()
    for year in (2019, 2020):
        figures(company, year, headcount="8", turnover="1000000.00", balance="1000000.00")
        figures(linked, year, headcount="8", turnover="1500000.00", balance="1500000.00")
    CompanyRelationFactory(company=company, related_company=linked, share_pct=Decimal("60"))
    dossier = make_dossier(company)
    result = check(dossier, "sme")
    dossier.refresh_from_db()
    assert (dossier.size_class, dossier.size_headcount, dossier.size_turnover) == (
        "klein",
        Decimal("16.0"),
        Decimal("2500000.00"),
    )
    assert [p["kind"] for p in result.data["years"][-1]["parts"]] == ["eigen", "linked"]


def test_missing_partner_accounts_need_review(db):
    company, partner = CompanyFactory(), CompanyFactory()
    figures(company, 2020)
    CompanyRelationFactory(company=company, related_company=partner, share_pct=Decimal("30"))
    assert check(make_dossier(company), "sme").outcome == "review"


def test_no_accounts_needs_review(db):
    assert check(make_dossier(CompanyFactory()), "sme").outcome == "review"


@pytest.mark.parametrize("excluded, outcome", [(True, "pass"), (False, "fail")])
def test_social_enterprise_exempt_where_the_call_says_so(db, excluded, outcome):
    company = CompanyFactory(is_social_enterprise=True)
    for year in (2019, 2020):
        figures(company, year, headcount="400")
    call = CallFactory(social_enterprises_excluded=excluded)
    call.social_enterprises_excluded = excluded
    call.save()
    result = check(make_dossier(company, call=call), "sme")
    assert result.outcome == outcome
    if excluded:
        assert "Maatwerkbedrijf" in result.reason


# --- frequency --------------------------------------------------------------------------


def test_once_per_company_in_the_2021_call(db):
    company = CompanyFactory()
    earlier = DossierFactory(company=company, status=DossierStatus.FINISHED, decided_date=date(2021, 2, 1))
    result = check(make_dossier(company), "frequency")
    assert result.outcome == "fail" and earlier.reference in result.reason


def test_a_pending_application_is_to_review_and_named_not_a_refusal(db):
    company = CompanyFactory()
    first = make_dossier(company, submitted_date=date(2021, 3, 1))
    second = make_dossier(company, submitted_date=date(2021, 3, 2))
    for this, other in ((first, second), (second, first)):
        result = check(this, "frequency")
        assert result.outcome == "review" and other.reference in result.reason
        assert [d["reference"] for d in result.data["pending"]] == [other.reference]
        assert result.data["granted"] == []


def test_withdrawn_or_rejected_earlier_applications_do_not_count(db):
    company = CompanyFactory()
    DossierFactory(company=company, status=DossierStatus.REJECTED)
    DossierFactory(company=company, status=DossierStatus.WITHDRAWN)
    assert check(make_dossier(company), "frequency").outcome == "pass"


@pytest.mark.parametrize("decided, outcome", [(date(2023, 3, 2), "fail"), (date(2023, 3, 1), "pass")])
def test_once_per_four_years_in_the_2023_call(db, decided, outcome):
    call = Call2023Factory()
    company = CompanyFactory()
    DossierFactory(call=call, company=company, status=DossierStatus.FINISHED, decided_date=decided, package_mix="plus")
    dossier = make_dossier(company, call=call, package_mix="plus")
    assert check(dossier, "frequency", on_date=date(2027, 3, 1)).outcome == outcome


def test_linked_enterprises_are_one_undertaking(db):
    company, sister, parent = CompanyFactory(), CompanyFactory(), CompanyFactory()
    CompanyRelationFactory(company=parent, related_company=company, share_pct=Decimal("100"))
    CompanyRelationFactory(company=parent, related_company=sister, share_pct=Decimal("51"))
    assert single_undertaking(company) == {company.pk, sister.pk, parent.pk}
    DossierFactory(company=sister, status=DossierStatus.APPROVED)
    # Default: the call counts per enterprise ("een onderneming kan slechts één maal steun verkrijgen").
    result = check(make_dossier(company), "frequency")
    assert result.outcome == "pass" and "per onderneming" in result.reason
    # As a call parameter: the group with its linked enterprises.
    call = CallFactory()
    call.frequency_scope = "undertaking"
    call.save()
    result = check(make_dossier(company, call=call), "frequency")
    assert result.outcome == "fail" and "per groep" in result.reason


# --- de minimis -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision, outcome, ceiling",
    [(date(2023, 12, 31), "fail", "200000.00"), (date(2024, 1, 1), "pass", "300000.00")],
)
def test_de_minimis_regime_on_the_decision_date(db, decision, outcome, ceiling):
    company = CompanyFactory()
    DeMinimisAidFactory(company=company, granted_date=date(2022, 6, 1), amount=Decimal("190000.00"))
    dossier = make_dossier(company)  # grant 16,335.00: 206,335.00 in total
    result = check(dossier, "de_minimis", on_date=decision, stage="decision")
    assert result.outcome == outcome
    assert result.data["ceiling"] == ceiling and result.data["total"] == "206335.00"


def test_de_minimis_exactly_at_the_ceiling_passes(db):
    company = CompanyFactory()
    DeMinimisAidFactory(company=company, granted_date=date(2022, 6, 1), amount=Decimal("183665.00"))
    assert check(make_dossier(company), "de_minimis", on_date=date(2023, 6, 1)).outcome == "pass"
    DeMinimisAidFactory(company=company, granted_date=date(2022, 7, 1), amount=Decimal("0.01"))
    assert check(make_dossier(company), "de_minimis", on_date=date(2023, 6, 1)).outcome == "fail"


@pytest.mark.parametrize(
    "aid_date, decision, counted",
    [
        (date(2021, 1, 1), date(2023, 12, 31), True),  # fiscal years 2021-2023
        (date(2020, 12, 31), date(2023, 12, 31), False),
        (date(2021, 1, 2), date(2024, 1, 1), True),  # rolling three years
        (date(2021, 1, 1), date(2024, 1, 1), False),
    ],
)
def test_de_minimis_windows(db, aid_date, decision, counted):
    company = CompanyFactory()
    DeMinimisAidFactory(company=company, granted_date=aid_date, amount=Decimal("1000.00"))
    result = check(make_dossier(company), "de_minimis", on_date=decision)
    assert result.data["declared_aid"] == ("1000.00" if counted else "0.00")


def test_de_minimis_counts_earlier_grants_of_the_scheme_and_linked_companies(db):
    company, linked = CompanyFactory(), CompanyFactory()
    CompanyRelationFactory(company=company, related_company=linked, share_pct=Decimal("75"))
    DeMinimisAidFactory(company=linked, granted_date=date(2021, 6, 1), amount=Decimal("150000.00"))
    DossierFactory(company=linked, status=DossierStatus.FINISHED, decided_date=date(2021, 3, 20))  # 16,335.00
    result = check(make_dossier(company), "de_minimis", on_date=date(2022, 1, 10))
    assert (result.data["declared_aid"], result.data["earlier_grants"], result.data["total"]) == (
        "150000.00",
        "16335.00",
        "182670.00",
    )


# --- the other criteria -----------------------------------------------------------------


@pytest.mark.parametrize("postal, outcome", [("9000", "pass"), ("1000", "fail"), ("4000", "fail"), ("1500", "pass")])
def test_seat_in_the_flemish_region(db, postal, outcome):
    assert check(make_dossier(CompanyFactory(postal_code=postal)), "region").outcome == outcome


@pytest.mark.parametrize("form, outcome", [("bv", "pass"), ("vzw", "fail"), ("publiekrechtelijk", "fail")])
def test_legal_form(db, form, outcome):
    assert check(make_dossier(CompanyFactory(legal_form=form)), "legal_form").outcome == outcome


@pytest.mark.parametrize("code, outcome", [("62010", "pass"), ("84110", "fail"), ("01110", "fail"), ("10110", "pass")])
def test_main_activity(db, code, outcome):
    company = CompanyFactory(nace_code=NaceCodeFactory(code=code, label_nl=f"code {code}"))
    assert check(make_dossier(company, nace_code=company.nace_code), "main_activity").outcome == outcome


@pytest.mark.parametrize("pct, outcome", [("24.99", "pass"), ("25.00", "fail"), ("0", "pass")])
def test_public_participation(db, pct, outcome):
    assert (
        check(make_dossier(CompanyFactory(public_participation_pct=Decimal(pct))), "public_participation").outcome
        == outcome
    )


@pytest.mark.parametrize("equity, outcome", [("0.00", "pass"), ("-0.01", "fail")])
def test_no_negative_equity_in_the_latest_year(db, equity, outcome):
    company = CompanyFactory()
    figures(company, 2019, equity="-5000.00")
    figures(company, 2020, equity=equity)
    assert check(make_dossier(company), "equity").outcome == outcome


def test_quote_outside_the_providers_catalogue(db):
    call = CallFactory()
    provider = offering_provider(call)
    provider.packages.remove(call.packages.get(code="BASIS"))
    result = check(make_dossier(call=call, provider=provider), "quote_catalogue")
    assert result.outcome == "fail" and "BASIS" in result.reason


@pytest.mark.parametrize(
    "amount, outcome", [("9199.99", "fail"), ("9200.00", "pass"), ("35000.00", "pass"), ("35000.01", "fail")]
)
def test_quote_within_the_call_range(db, amount, outcome):
    dossier = make_dossier(call=Call2023Factory(), quote_excl_vat=Decimal(amount), package_mix="plus")
    assert check(dossier, "quote_range", on_date=date(2024, 2, 1)).outcome == outcome


@pytest.mark.parametrize(
    "packages, outcome",
    [
        (["BASIS"], "pass"),
        (["BASIS", "UITBREIDING"], "pass"),
        (["LIGHT", "UITBREIDING"], "pass"),
        (["UITBREIDING"], "fail"),
        (["BASIS", "LIGHT"], "fail"),
    ],
)
def test_extension_only_with_basis_or_light(db, packages, outcome):
    dossier = make_dossier(lines=False)
    for code in packages:
        QuoteLine.objects.create(
            dossier=dossier,
            package=dossier.call.packages.get(code=code),
            amount_excl_vat=Decimal("10000"),
            man_days=Decimal("8"),
        )
    assert check(dossier, "package_combination").outcome == outcome


def test_missing_declaration_on_honour_fails(db):
    declarations = {**ALL_DECLARATIONS, "de_minimis": False}
    result = check(make_dossier(declarations=declarations), "declarations")
    assert result.outcome == "fail" and "de-minimissteun" in result.reason
