"""Intake from JSON (docs/intake-format.md) and the draft services."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cstraject.accounts.models import Role
from cstraject.companies.models import AnnualAccounts, Company, CompanyRelation, DeMinimisAid
from cstraject.dossiers.intake import dossier_intake
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.services import dossier_update_draft
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import NaceCodeFactory, actor

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json"


@pytest.fixture
def example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def provider(db):
    NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2023"])
    return provider


def test_example_file_creates_a_draft_with_everything(provider, example):
    dossier = dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=example)
    company = Company.objects.get(enterprise_number="0403170701")
    assert dossier.company == company and dossier.status == "draft"
    assert (dossier.province, dossier.nace_code.code) == ("oost-vlaanderen", "62010")
    assert (dossier.quote_excl_vat, dossier.quote_man_days, dossier.subsidy_amount) == (
        Decimal("19850.00"),
        Decimal("16.5"),
        Decimal("12009.25"),
    )
    assert dossier.package_mix == "medium"
    # What the provider declares is the application's declaration, never the company's master data.
    assert not AnnualAccounts.objects.exists()
    assert not CompanyRelation.objects.exists() and not DeMinimisAid.objects.exists()
    assert dossier.declared_accounts.filter(company=company).count() == 2
    assert dossier.declared_accounts.filter(company__name="Van Acker Holding NV").count() == 2
    relation = dossier.declared_relations.get(company=company)
    assert (relation.related_company.name, relation.share_pct) == ("Van Acker Holding NV", Decimal("30.00"))
    assert dossier.declared_de_minimis_aid.get(company=company).amount == Decimal("12500.00")
    assert dossier.declarations["de_minimis"] is True


def test_intake_errors_name_the_json_path_and_save_nothing(provider, example):
    bad = copy.deepcopy(example)
    bad["company"]["annual_accounts"][1]["turnover"] = "2710000.001"
    bad["company"]["relations"][0]["company"]["enterprise_number"] = "0712.345.631"
    bad["quote_lines"][0]["package"] = "BASIS"
    with pytest.raises(ValidationError) as error:
        dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=bad)
    fields = error.value.message_dict
    assert "company.annual_accounts[1].turnover" in fields
    assert "company.relations[0].company.enterprise_number" in fields
    assert not Dossier.objects.exists() and not Company.objects.exists() and not AnnualAccounts.objects.exists()


def test_intake_quote_errors(provider, example):
    bad = copy.deepcopy(example)
    bad["quote_lines"][0]["package"] = "BASIS"
    with pytest.raises(ValidationError) as error:
        dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=bad)
    assert "MEDIUM, PLUS, START" in error.value.message_dict["quote_lines[0].package"][0]
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d.update(call="CS-1999"), "call"),
        (lambda d: d.update(provider="Q"), "provider"),
        (lambda d: d.update(quote_lines="veel"), "quote_lines"),
        (lambda d: d["declarations"].update(kmo=True), "declarations.kmo"),
        (lambda d: d["declarations"].update(de_minimis="ja"), "declarations.de_minimis"),
        (lambda d: d["company"].pop("postal_code"), "company.postal_code"),
        (
            lambda d: d["company"]["de_minimis_aid"][0].update(granted_date="12/05/2023"),
            "company.de_minimis_aid[0].granted_date",
        ),
    ],
)
def test_intake_refuses_bad_fields(provider, example, change, field):
    change(example)
    with pytest.raises(ValidationError) as error:
        dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=example)
    assert field in error.value.message_dict
    assert not Dossier.objects.exists()


def test_update_draft_recomputes_the_subsidy(provider, example):
    provider_actor = actor(Role.PROVIDER, provider=provider)
    dossier = dossier_intake(actor=provider_actor, data=example)
    dossier_update_draft(
        actor=provider_actor,
        dossier=dossier,
        quote_lines=[{"package": "PLUS", "amount_excl_vat": "30000.00", "man_days": "24"}],
        declarations={"de_minimis": False},
    )
    dossier.refresh_from_db()
    assert (dossier.package_mix, dossier.subsidy_amount) == ("plus", Decimal("18150.00"))
    assert dossier.declarations["de_minimis"] is False and dossier.declarations["sme_status"] is True
    assert list(dossier.quote_lines.values_list("package__code", flat=True)) == ["PLUS"]


def test_only_drafts_can_be_updated(provider, example):
    from datetime import date

    from cstraject.dossiers.services import dossier_submit

    provider_actor = actor(Role.PROVIDER, provider=provider)
    dossier = dossier_intake(actor=provider_actor, data=example)
    dossier_submit(actor=provider_actor, dossier=dossier, on_date=date(2024, 2, 1))
    with pytest.raises(ValidationError, match="niet meer in ontwerp"):
        dossier_update_draft(actor=provider_actor, dossier=dossier, declarations={"de_minimis": False})


# --- the documentation's examples and its rules for numbers ---------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.json")), ids=lambda p: p.name)
def test_every_example_in_docs_goes_through_the_intake(provider, path):
    data = json.loads(path.read_text(encoding="utf-8"))
    dossier = dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=data)
    assert dossier.status == "draft" and dossier.quote_lines.count() == len(data["quote_lines"])


def test_json_numbers_for_headcount_and_man_days_as_documented(provider):
    data = json.loads((DOCS / "examples" / "aanvraag-getallen.json").read_text(encoding="utf-8"))
    dossier = dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=data)
    assert dossier.quote_man_days == Decimal("12.5")
    # Declared with the application: stored on the dossier, not as the company's master data.
    accounts = dossier.declared_accounts.get(company=dossier.company, year=2023)
    assert (accounts.headcount, accounts.turnover, accounts.equity) == (
        Decimal("7.5"),
        Decimal("1250000.00"),
        Decimal("-15000.50"),
    )
    assert dossier.declared_relations.get(company=dossier.company).share_pct == Decimal("60")
    assert not AnnualAccounts.objects.exists() and not CompanyRelation.objects.exists()


@pytest.mark.parametrize(
    "path, value, field",
    [
        (("quote_lines", 0, "man_days"), 12.25, "quote_lines[0].man_days"),
        (("company", "annual_accounts", 0, "headcount"), 0.1 + 0.2, "company.annual_accounts[0].headcount"),
        (("company", "annual_accounts", 0, "turnover"), 1250000.5, "company.annual_accounts[0].turnover"),
        (("quote_lines", 0, "amount_excl_vat"), 19850.5, "quote_lines[0].amount_excl_vat"),
    ],
)
def test_json_numbers_beyond_the_documented_precision_are_refused(provider, example, path, value, field):
    target = example
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError) as error:
        dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=example)
    assert field in error.value.message_dict
    assert not Dossier.objects.exists()
