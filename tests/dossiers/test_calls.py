"""The two real calls (reference/data/calls.json) differ through their parameters only."""

import io
import tokenize
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cstraject.accounts.models import Role
from cstraject.dossiers import services
from cstraject.dossiers.eligibility import eligibility_check
from cstraject.dossiers.models import DossierStatus
from cstraject.payments.selectors import tranche_compute
from cstraject.reference.loader import load_calls
from tests.factories import ALL_DECLARATIONS, DossierFactory, actor, eligible_company, offering_provider


@pytest.fixture
def calls(db):
    return {call.code: call for call, _providers in load_calls()}


def application(call, company, lines):
    provider = offering_provider(call)
    return services.dossier_create_draft(
        actor=actor(Role.PROVIDER, provider=provider),
        call=call,
        provider=provider,
        company=company,
        quote_lines=lines,
        declarations=ALL_DECLARATIONS,
    )


def test_parameters_as_published(calls):
    old, new = calls["CS-2021"], calls["CS-2023"]
    assert (old.subsidy_rate, new.subsidy_rate) == (Decimal("0.4500"), Decimal("0.5000"))
    assert (old.support_interval_years, new.support_interval_years) == (None, 4)
    assert (new.min_quote_excl_vat, new.max_quote_excl_vat) == (Decimal("9200.00"), Decimal("35000.00"))
    assert sorted(new.packages.values_list("code", flat=True)) == ["MEDIUM", "PLUS", "START"]


def test_same_quote_different_subsidy(calls, db):
    company = eligible_company()
    old = application(calls["CS-2021"], company, [{"package": "BASIS", "amount_excl_vat": "30000", "man_days": "22"}])
    new = application(calls["CS-2023"], company, [{"package": "PLUS", "amount_excl_vat": "30000", "man_days": "22"}])
    assert (old.subsidy_amount, new.subsidy_amount) == (Decimal("16335.00"), Decimal("18150.00"))


def test_packages_belong_to_their_call(calls, db):
    with pytest.raises(ValidationError) as error:
        application(
            calls["CS-2023"], eligible_company(), [{"package": "BASIS", "amount_excl_vat": "30000", "man_days": "22"}]
        )
    assert "MEDIUM, PLUS, START" in error.value.message_dict["quote_lines[0].package"][0]


def test_amount_range_only_in_the_2023_call(calls, db):
    company = eligible_company(accounts_years=(2022, 2023))
    old = application(calls["CS-2021"], company, [{"package": "BASIS", "amount_excl_vat": "40000", "man_days": "30"}])
    new = application(calls["CS-2023"], company, [{"package": "PLUS", "amount_excl_vat": "40000", "man_days": "30"}])
    old_range = {r.criterion: r for r in eligibility_check(dossier=old, stage="submission", on_date=date(2022, 3, 1))}[
        "quote_range"
    ]
    new_range = {r.criterion: r for r in eligibility_check(dossier=new, stage="submission", on_date=date(2024, 3, 1))}[
        "quote_range"
    ]
    assert (old_range.outcome, new_range.outcome) == ("pass", "fail")
    assert "€ 35.000,00" in new_range.reason


@pytest.mark.parametrize(
    "code, on_date, outcome",
    [
        ("CS-2021", date(2022, 6, 1), "fail"),  # once per company
        ("CS-2023", date(2025, 3, 19), "fail"),  # within four years of 2021-03-20
        ("CS-2023", date(2025, 3, 20), "pass"),
    ],
)
def test_frequency_rule_is_the_calls(calls, db, code, on_date, outcome):
    company = eligible_company()
    DossierFactory(
        call=calls["CS-2021"], company=company, status=DossierStatus.FINISHED, decided_date=date(2021, 3, 20)
    )
    package = "BASIS" if code == "CS-2021" else "PLUS"
    dossier = application(calls[code], company, [{"package": package, "amount_excl_vat": "30000", "man_days": "22"}])
    result = {r.criterion: r for r in eligibility_check(dossier=dossier, stage="submission", on_date=on_date)}[
        "frequency"
    ]
    assert result.outcome == outcome


def test_tranche_parameters_come_from_the_call(calls):
    call = calls["CS-2023"]

    def first(call):
        return tranche_compute(
            subsidy=Decimal("18150.00"),
            quoted=Decimal("30000.00"),
            delivered=Decimal("15000.00"),
            paid_tranches={},
            final=False,
            tranche1_share=call.tranche1_share,
            tranche1_threshold=call.tranche1_delivery_threshold,
        )

    assert first(call).tranche is None  # 50 % delivered, the call asks 60 %
    call.tranche1_share, call.tranche1_delivery_threshold = Decimal("0.5000"), Decimal("0.5000")
    assert (first(call).tranche, first(call).amount) == (1, Decimal("9075.00"))


RULE_MODULES = [
    "dossiers/workflow.py",
    "dossiers/eligibility.py",
    "dossiers/services.py",
    "companies/sme.py",
    "payments/selectors.py",
    "payments/services.py",
]


@pytest.mark.parametrize("module", RULE_MODULES)
def test_no_rule_hard_codes_a_year(module):
    source = (Path(services.__file__).parent.parent / module).read_text(encoding="utf-8")
    years = [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.NUMBER and tok.string.isdigit() and 1990 <= int(tok.string) <= 2100
    ]
    assert years == []
