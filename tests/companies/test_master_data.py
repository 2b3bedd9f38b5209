"""Master data belong to the agency: providers register new companies only; corrections by
agency roles are audited with before and after values."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.companies.models import Company
from cstraject.companies.services import company_register, company_update_master_data
from tests.factories import NaceCodeFactory, UserFactory, actor

VALID = dict(
    enterprise_number="0403.170.701",
    name="Voorbeeld BV",
    legal_form="bv",
    nace_code="62.010",
    postal_code="9000",
    municipality="Gent",
)


@pytest.fixture
def nace(db):
    return NaceCodeFactory()


@pytest.fixture
def provider():
    return actor(Role.PROVIDER)


def test_provider_registers_a_new_company_audited_without_dossier(nace, provider):
    company = company_register(actor=provider, **VALID)
    event = AuditEvent.objects.get(company=company)
    assert (event.action, event.dossier, event.actor_role) == (AuditAction.MASTER_DATA, None, "provider")
    assert event.data["after"]["municipality"] == "Gent" and event.data["before"] is None


def test_provider_cannot_rewrite_a_known_company(nace, provider):
    company_register(actor=provider, **VALID)
    with pytest.raises(ValidationError) as error:
        company_register(actor=provider, **{**VALID, "name": "Overgenomen BV", "postal_code": "1000"})
    assert set(error.value.message_dict) == {"name", "postal_code"}
    assert "Voorbeeld BV" in error.value.message_dict["name"][0]
    company = Company.objects.get()
    assert (company.name, company.postal_code, company.region) == ("Voorbeeld BV", "9000", "vlaanderen")
    assert AuditEvent.objects.count() == 1


def test_known_company_with_matching_or_missing_identity_is_returned(nace, provider):
    first = company_register(actor=provider, **VALID)
    again = company_register(actor=provider, enterprise_number="BE0403170701", name="voorbeeld  bv")
    assert again == first and AuditEvent.objects.count() == 1


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.SME_CONTACT, Role.CONTROLLER, Role.POLICY])
def test_only_agency_roles_correct_master_data(nace, provider, role):
    company = company_register(actor=provider, **VALID)
    with pytest.raises(PermissionDenied):
        company_update_master_data(actor=actor(role), company=company, reason="x", name="Ander BV")
    assert Company.objects.get().name == "Voorbeeld BV"


@pytest.mark.parametrize("role", [Role.CASE_HANDLER, Role.ADMIN])
def test_agency_correction_is_audited_with_before_and_after(nace, provider, role):
    company = company_register(actor=provider, **VALID)
    user = UserFactory(username="corrector")
    company_update_master_data(
        actor=actor(role, user=user),
        company=company,
        reason="KBO-uittreksel 2024",
        name="Voorbeeld Gent BV",
        postal_code="2000",
        municipality="Antwerpen",
    )
    company.refresh_from_db()
    assert (company.name, company.province) == ("Voorbeeld Gent BV", "antwerpen")
    event = AuditEvent.objects.filter(company=company).latest("id")
    assert event.actor == user and event.reason == "KBO-uittreksel 2024" and event.dossier is None
    assert event.data["before"] == {"name": "Voorbeeld BV", "postal_code": "9000", "municipality": "Gent"}
    assert event.data["after"] == {"name": "Voorbeeld Gent BV", "postal_code": "2000", "municipality": "Antwerpen"}
    assert event.data["changed"] == ["name", "postal_code", "municipality"]


def test_correction_without_change_writes_nothing_and_bad_input_saves_nothing(nace, provider):
    company = company_register(actor=provider, **VALID)
    handler = actor(Role.CASE_HANDLER)
    company_update_master_data(actor=handler, company=company, reason="controle", name="Voorbeeld BV")
    assert AuditEvent.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        company_update_master_data(actor=handler, company=company, reason=" ", name="x" * 201, postal_code="75001")
    assert {"reason", "name", "postal_code"} <= set(error.value.message_dict)
    assert Company.objects.get().name == "Voorbeeld BV" and AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "field, value",
    [("name", "x" * 201), ("municipality", "y" * 101), ("name", "nul\x00teken"), ("nace_code", "6\x00")],
)
def test_text_is_length_checked_before_the_database(nace, provider, field, value):
    with pytest.raises(ValidationError) as error:
        company_register(actor=provider, **{**VALID, field: value})
    assert field in error.value.message_dict
    assert not Company.objects.exists()
