"""The reference dataset loads through the services, consistently and idempotently."""

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from cstraject.audit.models import AuditEvent
from cstraject.calls.models import Call
from cstraject.companies.models import Company, NaceCode
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier, DossierStatus
from cstraject.payments.models import Payment
from cstraject.reference.loader import load_reference, reference_data


def test_reference_file_says_it_is_synthetic():
    meta = reference_data()["meta"]
    assert meta["synthetic"] is True
    assert "Synthetic" in meta["notice"]
    assert meta["derived_by"] == "scripts/derive_reference.py"


@pytest.mark.django_db
def test_loads_72_dossiers_70_granted_2_refused(reference_db):
    assert Dossier.objects.count() == 72
    assert Dossier.objects.filter(status__in=GRANTED_STATUSES).count() == 70
    refused = Dossier.objects.filter(status=DossierStatus.REJECTED)
    assert refused.count() == 2
    assert set(refused.values_list("size_class", flat=True)) == {"groot"}
    assert not Payment.objects.filter(dossier__in=refused).exists()


@pytest.mark.django_db
def test_granted_totals_per_decision_year(reference_db):
    totals = {
        row["decided_date__year"]: (row["n"], row["amount"])
        for row in Dossier.objects.filter(status__in=GRANTED_STATUSES)
        .values("decided_date__year")
        .annotate(n=Count("id"), amount=Sum("subsidy_amount"))
    }
    assert totals == {2021: (60, Decimal("935757.61")), 2022: (10, Decimal("132412.20"))}


@pytest.mark.django_db
def test_every_subsidy_follows_from_its_quote_and_the_call(reference_db):
    call = Call.objects.get(code="CS-2021")
    for quote, subsidy in Dossier.objects.values_list("quote_excl_vat", "subsidy_amount"):
        assert call.subsidy_for(quote) == subsidy


@pytest.mark.django_db
def test_payments_never_exceed_the_grant(reference_db):
    paid = Dossier.objects.annotate(paid=Sum("payments__amount")).filter(paid__gt=0)
    assert paid.exists()
    for dossier in paid:
        assert dossier.paid <= dossier.subsidy_amount


@pytest.mark.django_db
def test_each_company_once_and_in_flanders(reference_db):
    assert Company.objects.count() == 72
    assert set(Company.objects.values_list("region", flat=True)) == {"vlaanderen"}
    assert Dossier.objects.values("company").distinct().count() == 72


@pytest.mark.django_db
def test_loading_twice_changes_nothing(reference_db):
    counts = (
        Dossier.objects.count(),
        Company.objects.count(),
        Payment.objects.count(),
        AuditEvent.objects.count(),
        NaceCode.objects.count(),
    )
    result = load_reference()
    assert result.dossiers_created == 0 and result.dossiers_skipped == 72
    assert counts == (
        Dossier.objects.count(),
        Company.objects.count(),
        Payment.objects.count(),
        AuditEvent.objects.count(),
        NaceCode.objects.count(),
    )


@pytest.mark.django_db
def test_consulting_activity_is_one_code_with_seven_grants_in_2021(reference_db):
    n = Dossier.objects.filter(status__in=GRANTED_STATUSES, decided_date__year=2021, nace_code__code="70220").count()
    assert n == 7


@pytest.mark.django_db
def test_every_imported_payment_has_its_approved_request_and_statement(reference_db):
    payments = Payment.objects.select_related("request__statement")
    assert payments.exists()
    for payment in payments:
        assert payment.request is not None and payment.request.status == "approved"
        assert payment.request.statement.dossier_id == payment.dossier_id
        assert payment.request.amount == payment.amount
