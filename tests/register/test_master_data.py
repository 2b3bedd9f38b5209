"""The register's data are master data: intake and company_register create a company from it, and a
provider's different values are refused, never written."""

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cstraject.accounts.actors import system_actor
from cstraject.accounts.models import Role
from cstraject.companies.models import Company
from cstraject.companies.services import company_register
from cstraject.dossiers.intake import dossier_intake
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from cstraject.register.kbo import kbo_import
from cstraject.register.services import register_sync_companies
from tests.factories import actor

from . import extract
from .extract import BAKERY, PERSON, digits

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json").read_text())


@pytest.fixture
def provider(db, tmp_path):
    kbo_import(extract.write_full(tmp_path), actor=system_actor("test"), after_switch=register_sync_companies)
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2023"])
    return provider


def application(company):
    data = copy.deepcopy(EXAMPLE)
    data["company"] = company
    return data


def test_an_application_needs_only_the_enterprise_number_of_a_registered_company(provider):
    dossier = dossier_intake(
        actor=actor(Role.PROVIDER, provider=provider), data=application({"enterprise_number": BAKERY})
    )
    assert (dossier.company.name, dossier.company.nace_code.code, dossier.province) == (
        "Bakkerij Peeters",
        "10711",
        "antwerpen",
    )


def test_a_providers_different_value_for_a_registered_company_is_refused_and_not_written(provider):
    with pytest.raises(ValidationError) as error:
        dossier_intake(
            actor=actor(Role.PROVIDER, provider=provider),
            data=application({"enterprise_number": BAKERY, "name": "Andere Naam BV", "postal_code": "9000"}),
        )
    assert set(error.value.message_dict) == {"company.name", "company.postal_code"}
    assert "Bakkerij Peeters" in error.value.message_dict["company.name"][0]
    assert not Company.objects.filter(name="Andere Naam BV").exists()


def test_company_register_creates_from_the_register_and_a_sole_trader_is_an_eenmanszaak(provider):
    company = company_register(actor=actor(Role.PROVIDER, provider=provider), enterprise_number=PERSON)
    assert (company.name, company.legal_form, company.province) == ("Jan Janssens", "eenmanszaak", "limburg")
    assert company.enterprise_number == digits(PERSON)
