"""Company master data belong to the agency: an intake never rewrites a known company, and
what a provider declares lands on its own dossier, read by that dossier's eligibility only."""

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.companies.models import AnnualAccounts, Company
from cstraject.dossiers.declared import dossier_figures
from cstraject.dossiers.eligibility import eligibility_check, single_undertaking
from cstraject.dossiers.intake import dossier_intake
from cstraject.dossiers.models import DeclaredAnnualAccounts, DeclaredDeMinimisAid, DeclaredRelation, Dossier
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import AnnualAccountsFactory, CompanyFactory, NaceCodeFactory, actor

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json"
ON = date(2024, 2, 1)


@pytest.fixture
def example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def providers(db):
    nace = NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    result = {}
    for code, number in (("A", "0456.789.034"), ("B", "0403.170.701")):
        provider = provider_upsert(code=code, name=f"Dienstverlener {code}", enterprise_number=number)
        provider_offer_call(provider=provider, call=calls["CS-2023"])
        result[code] = actor(Role.PROVIDER, provider=provider)
    result["nace"] = nace
    return result


@pytest.fixture
def known(providers):
    """The applicant of the example, already in the agency's master data (other name and seat)."""
    return CompanyFactory(
        enterprise_number="0403170701",
        name="Drukkerij Van Acker BV",
        legal_form="bv",
        nace_code=providers["nace"],
        postal_code="9000",
        municipality="Gent",
    )


def _snapshot(company: Company) -> tuple:
    company.refresh_from_db()
    return (
        company.name,
        company.postal_code,
        company.municipality,
        company.legal_form,
        company.nace_code_id,
        company.public_participation_pct,
        company.is_social_enterprise,
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Concurrent Zijn Klant BV"),
        ("postal_code", "1000"),
        ("municipality", "Brussel"),
        ("legal_form", "publiekrechtelijk"),
        ("nace_code", "01.110"),
        ("public_participation_pct", "60"),
        ("is_social_enterprise", True),
    ],
)
def test_intake_cannot_change_a_known_companys_identity(providers, known, example, field, value):
    NaceCodeFactory(code="01110")
    before = _snapshot(known)
    events = AuditEvent.objects.count()
    example["company"][field] = value
    with pytest.raises(ValidationError) as error:
        dossier_intake(actor=providers["A"], data=example)
    message = error.value.message_dict[f"company.{field}"][0]
    assert "al gekend" in message and "VLAIO" in message
    assert _snapshot(known) == before
    assert not Dossier.objects.exists() and AuditEvent.objects.count() == events
    assert not DeclaredAnnualAccounts.objects.exists()


def test_intake_for_a_known_company_needs_only_its_number(providers, known, example):
    company = example["company"]
    for key in ("name", "legal_form", "nace_code", "nace_version", "postal_code", "municipality"):
        company.pop(key)
    dossier = dossier_intake(actor=providers["A"], data=example)
    assert dossier.company == known and dossier.province == "oost-vlaanderen"


def test_same_identity_in_other_spelling_is_accepted_and_changes_nothing(providers, known, example):
    before = _snapshot(known)
    example["company"]["name"] = "  DRUKKERIJ   van acker bv "
    example["company"]["postal_code"] = "B-9000"
    dossier_intake(actor=providers["A"], data=example)
    assert _snapshot(known) == before


def test_declarations_land_on_the_dossier_and_are_audited(providers, known, example):
    dossier = dossier_intake(actor=providers["A"], data=example)
    assert not AnnualAccounts.objects.exists()
    assert DeclaredAnnualAccounts.objects.filter(dossier=dossier).count() == 4  # applicant + holding, 2 years each
    assert DeclaredRelation.objects.get(dossier=dossier).share_pct == Decimal("30.00")
    assert DeclaredDeMinimisAid.objects.get(dossier=dossier).grantor == "VLAIO"
    event = AuditEvent.objects.get(dossier=dossier, reason__startswith="Gegevens verklaard")
    assert event.actor_role == Role.PROVIDER and event.company == known
    assert {row["year"] for row in event.data["annual_accounts"]} == {"2022", "2023"}


def _big(example):
    """The same application, with the figures of a large enterprise."""
    big = copy.deepcopy(example)
    big["provider"] = "B"
    for accounts in big["company"]["annual_accounts"]:
        accounts.update(headcount="400.0", turnover="90000000.00", balance_sheet_total="80000000.00")
    return big


def _outcomes(dossier):
    return {r.criterion: r for r in eligibility_check(dossier=dossier, stage="submission", on_date=ON)}


def test_each_dossier_is_checked_on_its_own_declarations(providers, known, example):
    small = dossier_intake(actor=providers["A"], data=example)
    large = dossier_intake(actor=providers["B"], data=_big(example))
    assert _outcomes(small)["sme"].outcome == "pass"
    assert _outcomes(large)["sme"].outcome == "fail"
    # The second application did not overwrite the first one's figures.
    assert _outcomes(small)["sme"].outcome == "pass"
    small.refresh_from_db()
    assert small.size_class == "klein" and small.size_headcount == Decimal("22.4")


def test_master_data_win_over_a_declaration(providers, known, example):
    for year in (2022, 2023):
        AnnualAccountsFactory(
            company=known, year=year, headcount=Decimal("5"), turnover=Decimal("300000"), equity=Decimal("-10")
        )
    dossier = dossier_intake(actor=providers["B"], data=_big(example))
    outcomes = _outcomes(dossier)
    assert outcomes["sme"].outcome == "pass"  # the agency's accounts, not the declared large figures
    assert outcomes["equity"].outcome == "fail"  # the agency's negative equity, not the declared one


def test_declared_de_minimis_aid_counts_for_that_dossier_only(providers, known, example):
    heavy = copy.deepcopy(example)
    heavy["provider"] = "B"
    heavy["company"]["de_minimis_aid"][0]["amount"] = "295000.00"
    light = dossier_intake(actor=providers["A"], data=example)
    loaded = dossier_intake(actor=providers["B"], data=heavy)
    assert _outcomes(loaded)["de_minimis"].outcome == "fail"
    assert _outcomes(light)["de_minimis"].outcome == "pass"
    assert _outcomes(light)["de_minimis"].data["declared_aid"] == "12500.00"


def test_declared_linked_enterprise_joins_the_single_undertaking(providers, known, example):
    linked = copy.deepcopy(example)
    linked["company"]["relations"][0]["share_pct"] = "75"
    dossier = dossier_intake(actor=providers["A"], data=linked)
    holding = Company.objects.get(enterprise_number="0712345630")
    assert single_undertaking(known, dossier_figures(dossier)) == {known.pk, holding.pk}
    assert single_undertaking(known) == {known.pk}  # the master data know no link


def test_duplicate_years_are_refused_not_a_crash(providers, example):
    example["company"]["annual_accounts"][1]["year"] = 2022
    with pytest.raises(ValidationError) as error:
        dossier_intake(actor=providers["A"], data=example)
    assert "company.annual_accounts[1].year" in error.value.message_dict
    assert not Company.objects.exists()


def test_new_company_from_intake_is_created_and_audited(providers, example):
    dossier = dossier_intake(actor=providers["A"], data=example)
    event = AuditEvent.objects.get(company=dossier.company, action=AuditAction.MASTER_DATA)
    assert event.dossier is None and event.data["before"] is None
    assert event.data["after"]["name"] == "Drukkerij Van Acker BV"
