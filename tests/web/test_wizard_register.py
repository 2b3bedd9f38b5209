"""A company from the KBO extract applies through the wizard without typing its data."""

from django.urls import reverse

from cstraject.accounts.actors import system_actor
from cstraject.audit.models import AuditEvent
from cstraject.companies.models import Company
from cstraject.dossiers.models import Dossier
from cstraject.register.kbo import kbo_import
from cstraject.register.services import register_sync_companies
from tests.register import extract
from tests.register.extract import BAKERY, digits


def test_an_enterprise_number_from_the_register_fills_in_the_company(world, login, tmp_path):
    kbo_import(extract.write_full(tmp_path), actor=system_actor("test"), after_switch=register_sync_companies)
    client = login(world["users"]["provider"])
    response = client.post(reverse("web:provider_new"), {"enterprise_number": BAKERY})
    body = response.content.decode()
    assert response.status_code == 200
    # No form to type the company in: the register's name, seat and main activity are shown.
    assert "Bakkerij Peeters" in body and "Antwerpen" in body and "10.711" in body
    assert 'name="name"' not in body
    company = Company.objects.get(enterprise_number=digits(BAKERY))
    assert (company.legal_form, company.nace_code.code, company.province) == ("bv", "10711", "antwerpen")
    event = AuditEvent.objects.get(company=company, action="master_data")
    assert "ondernemingsregister" in event.reason
    # Step 2 goes on with that company.
    response = client.post(
        reverse("web:provider_new_packages"),
        {"packages": ["BASIS"], "amount_BASIS": "30.000,00", "man_days_BASIS": "22"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(company=company)
    assert dossier.quote_excl_vat == 30000 and dossier.nace_code.code == "10711"
