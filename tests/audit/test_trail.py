"""The audit trail of a full lifecycle, from intake to the final payment; append-only."""

from datetime import date

import pytest

from cstraject.accounts.models import Role
from cstraject.audit.models import AppendOnlyError, AuditEvent
from cstraject.audit.selectors import audit_trail_for_dossier
from cstraject.dossiers import services as dossiers
from cstraject.payments import services as payments
from tests.factories import ALL_DECLARATIONS, CallFactory, actor, eligible_company, offering_provider, user_with_role


@pytest.fixture
def finished_and_paid(db):
    call = CallFactory()
    provider = offering_provider(call)
    company = eligible_company()
    anna = actor(Role.PROVIDER, provider=provider, user=user_with_role("anna", Role.PROVIDER, provider=provider))
    bert = actor(Role.CASE_HANDLER, user=user_with_role("bert", Role.CASE_HANDLER))
    dossier = dossiers.dossier_create_draft(
        actor=anna,
        call=call,
        provider=provider,
        company=company,
        quote_lines=[{"package": "BASIS", "amount_excl_vat": "25150.01", "man_days": "20"}],
        declarations=ALL_DECLARATIONS,
    )
    dossiers.dossier_submit(actor=anna, dossier=dossier, on_date=date(2021, 3, 1))
    dossiers.dossier_approve(actor=bert, dossier=dossier, on_date=date(2021, 3, 15))
    dossiers.dossier_start(actor=anna, dossier=dossier, on_date=date(2021, 4, 1))
    payments.statement_submit(
        actor=anna,
        dossier=dossier,
        quarter="2021Q2",
        delivered_man_days="12",
        delivered_amount="15090.01",
        today=date(2021, 7, 2),
    )
    request = payments.payment_request_create(actor=anna, dossier=dossier, quarter="2021Q2", today=date(2021, 7, 2))
    payments.payment_request_approve(actor=bert, payment_request=request, payment_date=date(2021, 7, 16))
    dossiers.dossier_finish(actor=anna, dossier=dossier, on_date=date(2021, 9, 15))
    payments.statement_submit(
        actor=anna,
        dossier=dossier,
        quarter="2021Q3",
        delivered_man_days="20",
        delivered_amount="25150.01",
        today=date(2021, 10, 4),
    )
    request = payments.payment_request_create(actor=anna, dossier=dossier, quarter="2021Q3", today=date(2021, 10, 4))
    payments.payment_request_approve(actor=bert, payment_request=request, payment_date=date(2021, 10, 18))
    return dossier


def test_every_step_is_in_the_trail_in_order(finished_and_paid):
    trail = list(audit_trail_for_dossier(dossier=finished_and_paid))
    assert [(e.actor_label, e.action, e.from_status, e.to_status) for e in trail] == [
        ("anna", "edit", "", "draft"),
        ("anna", "transition", "draft", "submitted"),
        ("bert", "control", "", ""),  # the check at application, recorded as a control
        ("bert", "transition", "submitted", "approved"),
        ("anna", "transition", "approved", "in_progress"),
        ("anna", "statement", "", ""),
        ("anna", "payment_request", "", ""),
        ("bert", "control", "", ""),  # the desk review of the statement
        ("bert", "payment", "", ""),
        ("anna", "transition", "in_progress", "finished"),
        ("anna", "statement", "", ""),
        ("anna", "payment_request", "", ""),
        ("bert", "control", "", ""),  # the desk review of the statement
        ("bert", "payment", "", ""),
    ]
    assert all(e.actor is not None for e in trail)
    assert [e.actor_role for e in trail if e.action == "payment"] == ["case_handler", "case_handler"]
    assert [e.data["on_date"] for e in trail if e.action == "transition"] == [
        "2021-03-01",
        "2021-03-15",
        "2021-04-01",
        "2021-09-15",
    ]
    # 13,694.18 granted: 60 % = 8,216.51, the rest 5,477.67
    assert [(e.data["tranche"], e.data["amount"]) for e in trail if e.action == "payment"] == [
        (1, "8216.51"),
        (2, "5477.67"),
    ]
    assert trail[0].data["subsidy_amount"] == "13694.18"


def test_every_payment_has_its_event_and_every_transition_event_its_change(finished_and_paid):
    payments_made = list(finished_and_paid.payments.values_list("pk", flat=True))
    events = AuditEvent.objects.filter(dossier=finished_and_paid, action="payment")
    assert sorted(e.data["payment"] for e in events) == sorted(payments_made)
    last = AuditEvent.objects.filter(dossier=finished_and_paid, action="transition").last()
    assert last.to_status == finished_and_paid.status


def test_the_trail_is_append_only(finished_and_paid):
    event = AuditEvent.objects.filter(dossier=finished_and_paid).first()
    event.reason = "herschreven"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(dossier=finished_and_paid).update(reason="weg")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(dossier=finished_and_paid).delete()
    assert AuditEvent.objects.filter(dossier=finished_and_paid).count() == 14
