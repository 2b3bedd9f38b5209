"""The export of everything held about one enterprise or one contact person."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.accounts.models import Role
from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.services import dossier_reject
from cstraject.payments.services import payment_import
from tests.factories import AnnualAccountsFactory, DossierFactory, actor, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    dossier = DossierFactory(reference="CS-S-0001", status=DossierStatus.SUBMITTED)
    other = DossierFactory(reference="CS-S-0002", status=DossierStatus.IN_PROGRESS)
    AnnualAccountsFactory(company=dossier.company, year=2020)
    contact = user_with_role("sme_s", Role.SME_CONTACT, company=dossier.company)
    contact.email, contact.first_name = "an.jacobs@example.be", "An"
    contact.save()
    provider_user = user_with_role("prov_s", Role.PROVIDER, provider=dossier.provider)
    provider_user.email = "staff@provider.example.be"
    provider_user.save()
    user_with_role("sme_other", Role.SME_CONTACT, company=other.company)
    dossier_reject(actor=actor(Role.CASE_HANDLER), dossier=dossier, reason="Geen kmo.")
    payment_import(
        actor=actor(Role.ADMIN), dossier=other, tranche=1, amount=Decimal("9801.00"), payment_date=date(2026, 1, 5)
    )
    return dossier


def _export(*args) -> dict:
    out = io.StringIO()
    call_command("export-subject".replace("-", "_"), *args, stdout=out)
    return json.loads(out.getvalue())


def test_enterprise_export_holds_its_records_and_nobody_elses(subject):
    export = _export("--enterprise", subject.company.enterprise_number)

    counts = export["counts"]
    assert counts["companies.company"] == 1
    assert counts["companies.annualaccounts"] == 1
    assert counts["dossiers.dossier"] == 1
    assert counts["dossiers.quoteline"] == 1
    assert counts["operations.letter"] == 1
    assert counts["audit.auditevent"] >= 1
    assert counts["auth.user"] == 1 and counts["accounts.profile"] == 1
    text = json.dumps(export)
    assert "CS-S-0001" in text and "an.jacobs@example.be" in text
    assert "CS-S-0002" not in text and "sme_other" not in text
    assert "staff@provider.example.be" not in text  # the provider's e-mail about the decision: redacted
    assert '"password"' not in text


def test_user_export_holds_the_rows_that_name_the_person(subject, tmp_path):
    target = tmp_path / "an.json"
    out = io.StringIO()
    call_command("export_subject", "--user", "sme_s", "-o", str(target), stdout=out)

    export = json.loads(target.read_text())
    assert export["subject"] == {"username": "sme_s"}
    (user,) = [r for r in export["records"] if r["model"] == "auth.user"]
    assert user["fields"]["email"] == "an.jacobs@example.be" and "password" not in user["fields"]
    assert [r["model"] for r in export["records"]].count("accounts.profile") == 1
    assert "CS-S-0002" not in json.dumps(export)
    assert "auth.user: 1" in out.getvalue()


def test_unknown_subjects_are_named_in_the_error(db):
    with pytest.raises(CommandError, match="Geen gebruiker 'nobody'"):
        _export("--user", "nobody")
    with pytest.raises(CommandError, match="Geen onderneming met nummer"):
        _export("--enterprise", "0403.170.701")
    with pytest.raises(CommandError):
        _export("--enterprise", "not-a-number")
