"""Back office: the work queue, the decision on a dossier, payments; and the provider's money forms."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cstraject.audit.models import AuditEvent
from cstraject.payments.models import Payment, PaymentRequest, PerformanceStatement
from tests.factories import CompanyFactory, DossierFactory


def _version(dossier):
    dossier.refresh_from_db()
    return dossier.updated_at.isoformat()


def test_queue_lists_submitted_with_filters_and_sort(world, login, dossier_a, dossier_b):
    client = login(world["users"]["case_handler"])
    body = client.get(reverse("web:backoffice_queue")).content.decode()
    assert dossier_a.reference in body and dossier_b.reference in body
    assert body.index(dossier_a.reference) < body.index(dossier_b.reference)  # oldest submission first
    body = client.get(reverse("web:backoffice_queue"), {"sort": "-submitted"}).content.decode()
    assert body.index(dossier_b.reference) < body.index(dossier_a.reference)
    body = client.get(reverse("web:backoffice_queue"), {"provider": world["provider_b"].pk}).content.decode()
    assert dossier_b.reference in body and dossier_a.reference not in body
    body = client.get(reverse("web:backoffice_queue"), {"province": "antwerpen"}).content.decode()
    assert dossier_b.reference in body and dossier_a.reference not in body
    body = client.get(reverse("web:backoffice_queue"), {"status": "approved"}).content.decode()
    assert dossier_a.reference not in body


def test_queue_paginates_in_the_database(world, login):
    for n in range(30):
        DossierFactory(
            reference=f"CS-2023-{n:04d}",
            call=world["call"],
            provider=world["provider_a"],
            status="submitted",
            decided_date=None,
            submitted_date=date(2025, 1, 1) + timedelta(days=n),
        )
    client = login(world["users"]["case_handler"])
    first = client.get(reverse("web:backoffice_queue")).content.decode()
    assert "CS-2023-0000" in first and "CS-2023-0024" in first and "CS-2023-0025" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(reverse("web:backoffice_queue"), {"page": 2}).content.decode()
    assert "CS-2023-0025" in second and "CS-2023-0029" in second and 'rel="next"' not in second


def _many(world, n):
    for _i in range(n):
        company = CompanyFactory()
        DossierFactory(
            call=world["call"], provider=world["provider_a"], company=company, status="submitted", decided_date=None
        )


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_queries_are_bounded(world, login, django_assert_max_num_queries, rows):
    _many(world, rows)
    client = login(world["users"]["case_handler"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:backoffice_queue"), {"sort": "reference"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_provider_dashboard_queries_are_bounded(world, login, django_assert_max_num_queries, rows):
    _many(world, rows)
    client = login(world["users"]["provider"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:provider_dashboard"))
    assert response.content.decode().count("CS-T-") >= rows


def test_approve_with_reason(world, login, submitted):
    client = login(world["users"]["case_handler"])
    page = client.get(reverse("web:dossier_detail", args=[submitted.pk])).content.decode()
    assert "Goedkeuren" in page and "Afwijzen" in page
    response = client.post(
        reverse("web:dossier_transition", args=[submitted.pk, "approve"]),
        {"approve-transition": "approve", "approve-version": _version(submitted), "approve-reason": "Alles in orde."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    submitted.refresh_from_db()
    assert submitted.status == "approved" and submitted.decided_date is not None


def test_reject_requires_a_reason(world, login, submitted):
    client = login(world["users"]["case_handler"])
    url = reverse("web:dossier_transition", args=[submitted.pk, "reject"])
    response = client.post(
        url, {"reject-transition": "reject", "reject-version": _version(submitted), "reject-reason": ""}
    )
    assert response.status_code == 400 and 'id="id_reject-reason-error"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    response = client.post(
        url, {"reject-transition": "reject", "reject-version": _version(submitted), "reject-reason": "Geen kmo."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "rejected" and submitted.decision_reason == "Geen kmo."


def test_stale_decision_is_refused(world, login, submitted):
    client = login(world["users"]["case_handler"])
    stale = _version(submitted)
    client.post(
        reverse("web:dossier_transition", args=[submitted.pk, "reject"]),
        {"reject-transition": "reject", "reject-version": stale, "reject-reason": "Geen kmo."},
    )
    response = client.post(
        reverse("web:dossier_transition", args=[submitted.pk, "approve"]),
        {"approve-transition": "approve", "approve-version": stale, "approve-reason": "ok"},
    )
    assert response.status_code == 400 and "intussen gewijzigd" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "rejected"


def test_statement_payment_request_and_payment(world, login, running):
    dossier, quarter = running
    provider = login(world["users"]["provider"])
    response = provider.post(
        reverse("web:statement_create", args=[dossier.pk]),
        {
            "version": _version(dossier),
            "quarter": str(quarter),
            "delivered_man_days": "14",
            "delivered_amount": "19000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PerformanceStatement.objects.filter(dossier=dossier, quarter=str(quarter)).exists()
    response = provider.post(
        reverse("web:payment_request_create", args=[dossier.pk]),
        {"version": _version(dossier), "quarter": str(quarter)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    payment_request = PaymentRequest.objects.get(dossier=dossier)
    assert payment_request.tranche == 1 and str(payment_request.amount) == "10890.00"  # 60 % of 18,150.00

    handler = login(world["users"]["case_handler"])
    body = handler.get(reverse("web:backoffice_payments")).content.decode()
    assert dossier.reference in body
    # The list links to the request's own page; approving there needs the confirmation and the version.
    review = reverse("web:payment_request_review", args=[payment_request.pk])
    assert f"{review}?next=queue" in body
    approve = reverse("web:payment_request_approve", args=[payment_request.pk])
    dossier.refresh_from_db()
    response = handler.post(approve, {"version": _version(dossier), "next": "queue"})
    assert response.status_code == 400 and not Payment.objects.exists()
    response = handler.post(approve, {"version": _version(dossier), "confirm": "on", "next": "queue"})
    assert response.status_code == 302 and response["Location"] == reverse("web:backoffice_payments")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.tranche == 1 and payment.amount == payment_request.amount
    # A second approval of the same request is refused with a message; no second payment.
    dossier.refresh_from_db()
    response = handler.post(approve, {"version": _version(dossier), "confirm": "on"})
    assert response.status_code == 400 and Payment.objects.filter(dossier=dossier).count() == 1


def test_statement_mistakes_get_field_messages(world, login, running):
    dossier, quarter = running
    provider = login(world["users"]["provider"])
    response = provider.post(
        reverse("web:statement_create", args=[dossier.pk]),
        {"version": _version(dossier), "quarter": "2026-3", "delivered_man_days": "x", "delivered_amount": "99999999"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_quarter-error"' in body and 'id="id_delivered_man_days-error"' in body
    response = provider.post(
        reverse("web:statement_create", args=[dossier.pk]),
        {"version": _version(dossier), "quarter": str(quarter), "delivered_man_days": "5", "delivered_amount": "99999"},
    )
    assert response.status_code == 400 and 'id="id_delivered_amount-error"' in response.content.decode()
    assert not PerformanceStatement.objects.filter(dossier=dossier).exists()


def test_payment_reject_needs_reason(world, login, running):
    from cstraject.payments.services import payment_request_create, statement_submit

    from .conftest import actor

    dossier, quarter = running
    provider_actor = actor(world["users"]["provider"])
    statement_submit(
        actor=provider_actor, dossier=dossier, quarter=str(quarter), delivered_man_days="14", delivered_amount="19000"
    )
    payment_request = payment_request_create(actor=provider_actor, dossier=dossier, quarter=str(quarter))
    handler = login(world["users"]["case_handler"])
    url = reverse("web:payment_request_reject", args=[payment_request.pk])
    response = handler.post(url, {f"pr{payment_request.pk}-reason": ""})
    assert response.status_code == 400 and f'id="id_pr{payment_request.pk}-reason-error"' in response.content.decode()
    response = handler.post(url, {f"pr{payment_request.pk}-reason": "Staat onvolledig."})
    assert response.status_code == 302
    payment_request.refresh_from_db()
    assert payment_request.status == "rejected" and not Payment.objects.exists()


def test_detail_page_queries_are_bounded(world, login, running, django_assert_max_num_queries):
    dossier, _quarter = running
    client = login(world["users"]["case_handler"])
    # 25, plus the current screening run and the dossier's controls (cstraject.controls)
    with django_assert_max_num_queries(27):
        assert client.get(reverse("web:dossier_detail", args=[dossier.pk])).status_code == 200


def test_controller_sees_recoveries_and_audit_trail(world, login, running):
    dossier, _quarter = running
    from cstraject.accounts.actors import system_actor
    from cstraject.payments.services import payment_import

    payment_import(actor=system_actor(), dossier=dossier, tranche=1, amount="10890.00", payment_date=date(2025, 1, 2))
    client = login(world["users"]["controller"])
    response = client.post(reverse("web:recovery_create", args=[dossier.pk]), {"amount": "1000", "reason": "Geen kmo."})
    assert response.status_code == 302, response.content.decode()[:3000]
    body = client.get(reverse("web:control_home")).content.decode()
    assert dossier.reference in body and "1.000,00" in body
    body = client.get(reverse("web:control_audit"), {"reference": dossier.reference}).content.decode()
    assert "Terugvordering" in body
    assert AuditEvent.objects.filter(dossier=dossier, action="recovery").count() == 1
    from cstraject.payments.models import Collection, Recovery

    recovery = Recovery.objects.get(dossier=dossier)
    url = reverse("web:collection_record", args=[recovery.pk])
    today = date.today().isoformat()
    response = client.post(url, {f"c{recovery.pk}-amount": "1500", f"c{recovery.pk}-collected_date": today})
    assert response.status_code == 400 and f'id="id_c{recovery.pk}-amount-error"' in response.content.decode()
    response = client.post(url, {f"c{recovery.pk}-amount": "400", f"c{recovery.pk}-collected_date": today})
    assert response.status_code == 302
    assert Collection.objects.get(recovery=recovery).amount == 400
    # A case handler has no collection form; a provider cannot post one.
    assert login(world["users"]["provider"]).post(url, {}).status_code == 403


def _paid_dossiers_with_requests_and_recoveries(world, n):
    from cstraject.accounts.actors import system_actor
    from cstraject.payments.models import PaymentRequest, PerformanceStatement, Recovery

    for _i in range(n):
        dossier = DossierFactory(
            call=world["call"],
            provider=world["provider_a"],
            company=CompanyFactory(),
            status="in_progress",
            started_date=date(2024, 1, 5),
        )
        statement = PerformanceStatement.objects.create(
            dossier=dossier,
            quarter="2024Q1",
            delivered_man_days=14,
            delivered_amount=19000,
            reported_date=date(2024, 4, 5),
        )
        PaymentRequest.objects.create(
            dossier=dossier, statement=statement, tranche=1, amount="10890.00", requested_date=date(2024, 4, 5)
        )
        Recovery.objects.create(dossier=dossier, amount="100.00", reason="test", issued_date=date(2024, 6, 1))
    assert system_actor()


@pytest.mark.parametrize("rows", [5, 50])
def test_payment_queue_and_control_pages_queries_are_bounded(world, login, django_assert_max_num_queries, rows):
    _paid_dossiers_with_requests_and_recoveries(world, rows)
    handler = login(world["users"]["case_handler"])
    with django_assert_max_num_queries(12):
        body = handler.get(reverse("web:backoffice_payments")).content.decode()
    assert body.count("10.890,00") == min(rows, 25)
    controller = login(world["users"]["controller"])
    with django_assert_max_num_queries(12):
        body = controller.get(reverse("web:control_home")).content.decode()
    assert body.count("€ 100,00") == min(rows, 25)
    with django_assert_max_num_queries(12):
        assert controller.get(reverse("web:control_audit")).status_code == 200


def test_provider_sees_start_before_statements(world, login):
    dossier = DossierFactory(
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="approved",
        submitted_date=date(2025, 3, 1),
        decided_date=date(2025, 3, 20),
    )
    client = login(world["users"]["provider"])
    page = client.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert ">Starten</button>" in page and "Prestatiestaat indienen" not in page and "Eindverslag indienen" in page
    response = client.post(
        reverse("web:dossier_transition", args=[dossier.pk, "start"]),
        {"start-transition": "start", "start-version": _version(dossier)},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    page = client.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Prestatiestaat indienen" in page and ">Starten</button>" not in page
