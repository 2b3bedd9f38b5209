from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.controls.models import Control, ControlKind, ControlOutcome, ControlTrigger, Finding
from cstraject.controls.services import control_plan, control_record
from cstraject.dossiers import services as dossier_services
from cstraject.dossiers.models import DossierStatus
from cstraject.payments import services as payment_services
from cstraject.payments.models import Recovery
from tests.factories import (
    ALL_DECLARATIONS,
    CallFactory,
    DossierFactory,
    actor,
    eligible_company,
    offering_provider,
    user_with_role,
)


@pytest.fixture
def paid(db):
    """A running basis trajectory (subsidy 16,335.00) with tranche 1 (9,801.00) paid."""
    dossier = DossierFactory(status=DossierStatus.IN_PROGRESS, started_date=date(2021, 4, 1))
    provider = actor(Role.PROVIDER, provider=dossier.provider)
    payment_services.statement_submit(
        actor=provider,
        dossier=dossier,
        quarter="2021Q2",
        delivered_man_days="14",
        delivered_amount="18000.00",
        today=date(2021, 7, 5),
    )
    request = payment_services.payment_request_create(
        actor=provider, dossier=dossier, quarter="2021Q2", today=date(2021, 7, 5)
    )
    payment_services.payment_request_approve(
        actor=actor(Role.CASE_HANDLER), payment_request=request, payment_date=date(2021, 7, 20)
    )
    return dossier


@pytest.fixture
def controller(db):
    return actor(Role.CONTROLLER, user=user_with_role("carla", Role.CONTROLLER))


def test_payment_approval_records_a_desk_review(paid):
    control = Control.objects.get(dossier=paid)
    assert (control.kind, control.trigger, control.outcome) == (
        ControlKind.DESK_REVIEW,
        ControlTrigger.STANDARD,
        ControlOutcome.NO_FINDINGS,
    )
    assert control.performed_date == date(2021, 7, 20) and "2021Q2" in control.scope
    assert AuditEvent.objects.filter(dossier=paid, action=AuditAction.CONTROL).count() == 1


def test_plan_then_record_with_effect_creates_the_recovery(paid, controller):
    planned = control_plan(
        actor=controller,
        dossier=paid.reference,
        kind="visit",
        trigger="risk",
        planned_date="2021-09-01",
        scope="Geleverde mensdagen ter plaatse nagaan.",
    )
    assert planned.status == "planned" and planned.outcome == ""
    done = control_record(
        actor=controller,
        control=planned,
        performed_date=date(2021, 9, 2),
        outcome="irregularity",
        findings=[
            {
                "category": "price_inflated",
                "description": "4 mensdagen niet gepresteerd.",
                "financial_effect": "1782.00",
            }
        ],
    )
    finding = Finding.objects.get(control=done)
    assert finding.recovery.amount == Decimal("1782.00") and finding.recovery.issued_date == date(2021, 9, 2)
    assert done.controller_label == "carla" and done.status == "performed"
    actions = list(AuditEvent.objects.filter(dossier=paid).values_list("action", flat=True))
    assert actions.count(AuditAction.CONTROL) == 3 and AuditAction.RECOVERY in actions


def test_suspected_fraud_is_referred(paid, controller):
    control = control_record(
        actor=controller,
        dossier=paid,
        kind="ex_post_audit",
        trigger="signal",
        performed_date=date(2021, 10, 1),
        outcome="suspected_fraud",
        scope="Klacht van de kmo.",
        findings=[{"category": "false_declaration", "description": "Valse handtekening.", "fraud_referred": True}],
    )
    assert control.findings.get().fraud_referred and not Recovery.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"dossier": "CS-9999-0001"}, "dossier"),
        ({"findings": [{"description": "zonder categorie"}]}, "findings[0].category"),
        ({"findings": [{"category": "bogus", "description": "x"}]}, "findings[0].category"),
        (
            {"findings": [{"category": "not_delivered", "description": "x", "financial_effect": "9801.01"}]},
            "findings[0].financial_effect",
        ),
        (
            {
                "findings": [
                    {"category": "not_delivered", "description": "x", "financial_effect": "5000.00"},
                    {"category": "price_inflated", "description": "y", "financial_effect": "5000.00"},
                ]
            },
            "findings[1].financial_effect",
        ),
        (
            {"findings": [{"category": "other", "description": "x", "financial_effect": "12.345"}]},
            "findings[0].financial_effect",
        ),
        ({"outcome": "no_findings"}, "outcome"),
        ({"findings": []}, "findings"),
        ({"kind": "bogus"}, "kind"),
        ({"performed_date": "2999-01-01"}, "performed_date"),
        ({"scope": ""}, "scope"),
        ({"findings": [{"category": "other", "description": "x", "fraud_referred": True}]}, "outcome"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(paid, controller, overrides, field):
    values = dict(
        actor=controller,
        dossier=paid.reference,
        kind="visit",
        trigger="random",
        performed_date="2021-09-02",
        outcome="irregularity",
        scope="Bezoek.",
        findings=[{"category": "not_delivered", "description": "x", "financial_effect": "100.00"}],
    )
    values.update(overrides)
    before = (Control.objects.count(), Finding.objects.count(), Recovery.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        control_record(**values)
    assert field in error.value.message_dict, error.value.message_dict
    after = (Control.objects.count(), Finding.objects.count(), Recovery.objects.count(), AuditEvent.objects.count())
    assert before == after


def test_only_controllers_record(paid):
    with pytest.raises(PermissionDenied):
        control_plan(
            actor=actor(Role.PROVIDER, provider=paid.provider),
            dossier=paid,
            kind="visit",
            trigger="risk",
            planned_date="2021-09-01",
            scope="x",
        )


def test_decisions_record_the_check_at_application(db):
    call = CallFactory()
    provider = offering_provider(call)
    p = actor(Role.PROVIDER, provider=provider)
    handler = actor(Role.CASE_HANDLER)
    lines = [{"package": "BASIS", "amount_excl_vat": "30000.00", "man_days": "22"}]
    good = dossier_services.dossier_create_draft(
        actor=p,
        call=call,
        provider=provider,
        company=eligible_company(),
        quote_lines=lines,
        declarations=ALL_DECLARATIONS,
    )
    big = eligible_company()
    big.annual_accounts.update(headcount=300)
    bad = dossier_services.dossier_create_draft(
        actor=p, call=call, provider=provider, company=big, quote_lines=lines, declarations=ALL_DECLARATIONS
    )
    for dossier in (good, bad):
        dossier_services.dossier_submit(actor=p, dossier=dossier, on_date=date(2021, 3, 1))
    dossier_services.dossier_approve(actor=handler, dossier=good, on_date=date(2021, 3, 20))
    dossier_services.dossier_reject(actor=handler, dossier=bad, reason="Geen kmo.", on_date=date(2021, 3, 21))
    ok = Control.objects.get(dossier=good)
    assert (ok.kind, ok.outcome, ok.performed_date) == ("application", "no_findings", date(2021, 3, 20))
    refused = Control.objects.get(dossier=bad)
    assert (refused.kind, refused.trigger, refused.outcome) == ("application", "standard", "irregularity")
    assert [f.category for f in refused.findings.all()] == ["not_sme"]
    assert not Recovery.objects.exists()


def test_reference_refusals_are_two_controls_at_application(reference_db):
    controls = Control.objects.filter(dossier__submitted_date__year=2021)
    assert controls.count() == 2
    assert set(controls.values_list("kind", "outcome")) == {("application", "irregularity")}
    assert set(Finding.objects.values_list("category", "financial_effect", "recovery")) == {
        ("not_sme", Decimal("0.00"), None)
    }
