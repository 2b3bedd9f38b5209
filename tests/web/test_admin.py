"""The Django admin cannot bypass the workflow; configuration changes are audited; one login throttle."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cstraject.audit.models import AuditEvent
from cstraject.companies.models import NaceCode
from cstraject.dossiers.models import Dossier
from cstraject.payments.models import Payment, PaymentRequest

from .conftest import PASSWORD


@pytest.fixture
def admin_client(world, client):
    client.force_login(world["users"]["admin"])
    return client


def test_a_dossiers_status_or_amount_cannot_be_changed_through_the_admin(admin_client, dossier_a):
    subsidy = dossier_a.subsidy_amount
    url = reverse("admin:dossiers_dossier_change", args=[dossier_a.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    data = {
        "reference": dossier_a.reference,
        "call": dossier_a.call_id,
        "provider": dossier_a.provider_id,
        "company": dossier_a.company_id,
        "status": "finished",
        "province": dossier_a.province,
        "nace_code": dossier_a.nace_code_id,
        "subsidy_amount": "999999.00",
        "quote_excl_vat": "1.00",
        "quote_man_days": "1.0",
        "package_mix": "basis",
    }
    assert admin_client.post(url, data).status_code == 403
    assert admin_client.post(reverse("admin:dossiers_dossier_add"), data).status_code == 403
    assert (
        admin_client.post(reverse("admin:dossiers_dossier_delete", args=[dossier_a.pk]), {"post": "yes"}).status_code
        == 403
    )
    dossier_a.refresh_from_db()
    assert dossier_a.status == "submitted" and dossier_a.subsidy_amount == subsidy
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "dossiers_eligibilityresult",
        "dossiers_quoteline",
        "dossiers_dossierdocument",
        "payments_performancestatement",
        "payments_paymentrequest",
        "payments_payment",
        "payments_recovery",
        "payments_collection",
        "audit_auditevent",
        "impact_finalreport",
        "jobs_backgroundjob",
    ],
)
def test_workflow_and_money_models_are_read_only(admin_client, name):
    assert admin_client.post(reverse(f"admin:{name}_add"), {}).status_code == 403
    changelist = admin_client.get(reverse(f"admin:{name}_changelist"))
    assert changelist.status_code == 200
    assert reverse(f"admin:{name}_add") not in changelist.content.decode()


def test_a_payment_cannot_be_changed_through_the_admin(admin_client, world):
    dossier = Dossier.objects.create(
        reference="CS-2023-0950",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="in_progress",
        province=world["company_a"].province,
        nace_code=world["company_a"].nace_code,
        quote_excl_vat=Decimal("30000.00"),
        quote_man_days=Decimal("22.0"),
        subsidy_amount=Decimal("18150.00"),
    )
    payment = Payment.objects.create(dossier=dossier, tranche=1, amount=Decimal("10890.00"), payment_date="2025-01-02")
    url = reverse("admin:payments_payment_change", args=[payment.pk])
    response = admin_client.post(
        url, {"dossier": dossier.pk, "tranche": 1, "amount": "18150.00", "payment_date": "2025-01-02"}
    )
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.amount == Decimal("10890.00") and not PaymentRequest.objects.exists()


def test_configuration_changes_are_audited_with_before_and_after(admin_client, world):
    nace = NaceCode.objects.create(version="2008", code="99991", level="subclass", label_nl="Oud label")
    url = reverse("admin:companies_nacecode_change", args=[nace.pk])
    data = {"version": "2008", "code": "99991", "level": nace.level, "label_nl": "Nieuw label"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="configuration")
    assert event.actor_label == "root" and event.channel == "web"
    assert event.data["model"] == "companies.NaceCode"
    assert event.data["changes"] == {"label_nl": {"voor": "Oud label", "na": "Nieuw label"}}


def test_password_change_in_the_admin_is_audited_without_the_hash(admin_client, world):
    user = world["users"]["policy"]
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url, {"password1": "Nieuw-en-lang-2026!", "password2": "Nieuw-en-lang-2026!", "usable_password": "true"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="configuration")
    assert event.data["changes"] == {"password": {"gewijzigd": True}}
    assert "pbkdf2" not in str(event.data) and "md5" not in str(event.data)


def test_only_the_administrator_role_uses_the_admin(world, client):
    handler = world["users"]["case_handler"]
    handler.is_staff = True
    handler.save()
    client.force_login(handler)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin login: no access


def _fail(client, url, username, times):
    for _ in range(times):
        client.post(url, {"username": username, "password": "fout", "this_is_the_login_form": "1", "next": "/admin/"})


@pytest.mark.parametrize(
    "guessed_on, then_tried_on",
    [("/admin/login/", "/aanmelden/"), ("/aanmelden/", "/admin/login/")],
)
def test_one_login_throttle_for_every_login_form(world, client, guessed_on, then_tried_on):
    _fail(client, guessed_on, "root", 5)
    response = client.post(
        then_tried_on, {"username": "root", "password": PASSWORD, "this_is_the_login_form": "1", "next": "/admin/"}
    )
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.get(username="root").is_superuser
