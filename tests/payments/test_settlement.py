"""Settlement (afrekening) of finished and stopped trajectories: the arithmetic, the case handler's
approval, and its properties."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditEvent
from cstraject.core.money import format_euro, round_half_up_cents, share_of
from cstraject.dossiers.models import DossierStatus
from cstraject.payments.models import Payment, PaymentRequest, PaymentRequestStatus, Recovery, Settlement
from cstraject.payments.selectors import overpaid, settlement_preview
from cstraject.payments.services import payment_request_create, settlement_approve, statement_submit
from cstraject.payments.settlement import FINISHED, STOPPED, settlement_compute
from tests.factories import CallFactory, DossierFactory, PerformanceStatementFactory, actor, user_with_role

GRANT = Decimal("16335.00")  # 45 % x 30,000.00 x 1.21
TRANCHE1 = Decimal("9801.00")  # 60 % of the grant
SETTLED_ON = date(2022, 1, 10)


def trajectory(*, status, delivered, tranche1_paid, rule="pro_rata"):
    call = CallFactory()
    call.stopped_settlement = rule
    call.save()
    dossier = DossierFactory(
        call=call,
        status=status,
        started_date=date(2021, 4, 1),
        stopped_date=date(2021, 12, 1) if status == DossierStatus.STOPPED else None,
        finished_date=date(2021, 12, 1) if status == DossierStatus.FINISHED else None,
    )
    PerformanceStatementFactory(dossier=dossier, quarter="2021Q4", delivered_amount=Decimal(delivered))
    if tranche1_paid:
        Payment.objects.create(dossier=dossier, tranche=1, amount=TRANCHE1, payment_date=date(2021, 10, 15))
    return dossier


@pytest.mark.parametrize(
    "delivered, tranche1_paid, rule, due, balance",
    [
        # below 60 %: nothing paid yet
        ("15000.00", False, "pro_rata", "8167.50", "8167.50"),
        ("15000.00", False, "threshold", "0.00", "0.00"),
        ("15000.00", False, "nothing", "0.00", "0.00"),
        # at 60 %: tranche 1 paid
        ("18000.00", True, "pro_rata", "9801.00", "0.00"),
        ("18000.00", True, "threshold", "9801.00", "0.00"),
        ("18000.00", True, "nothing", "0.00", "-9801.00"),
        # above 60 % (70 %): tranche 1 paid
        ("21000.00", True, "pro_rata", "11434.50", "1633.50"),
        ("21000.00", True, "threshold", "11434.50", "1633.50"),
        ("21000.00", True, "nothing", "0.00", "-9801.00"),
    ],
)
def test_stopped_trajectory_below_at_and_above_60_percent(db, delivered, tranche1_paid, rule, due, balance):
    dossier = trajectory(status=DossierStatus.STOPPED, delivered=delivered, tranche1_paid=tranche1_paid, rule=rule)
    preview = settlement_preview(dossier=dossier)
    assert (preview.figures.due, preview.figures.balance) == (Decimal(due), Decimal(balance))
    assert preview.figures.rule == f"stopped:{rule}" and not preview.blocked
    assert f"= {format_euro(Decimal(balance))}" in preview.figures.explanation


def test_approving_pays_the_rest_as_the_last_tranche_and_is_audited(db):
    dossier = trajectory(status=DossierStatus.STOPPED, delivered="21000.00", tranche1_paid=True)
    handler = user_with_role("behandelaar", Role.CASE_HANDLER)
    settlement = settlement_approve(actor=actor(Role.CASE_HANDLER, user=handler), dossier=dossier, on_date=SETTLED_ON)
    assert settlement.payment.tranche == 2 and settlement.payment.amount == Decimal("1633.50")
    assert settlement.recovery is None and settlement.approved_by == handler
    assert sum(p.amount for p in Payment.objects.filter(dossier=dossier)) == Decimal("11434.50")
    event = AuditEvent.objects.get(dossier=dossier, action="settlement")
    assert event.data["balance"] == "1633.50" and event.data["payment"] == settlement.payment.pk
    assert "€ 16.335,00 x € 21.000,00 / € 30.000,00 = € 11.434,50" in settlement.explanation
    # Once settled: no second settlement, no further payment request.
    with pytest.raises(ValidationError, match="al afgerekend"):
        settlement_approve(actor=actor(Role.CASE_HANDLER), dossier=dossier, on_date=SETTLED_ON)
    with pytest.raises(ValidationError, match="afgerekend"):
        statement_submit(
            actor=actor(Role.PROVIDER, provider=dossier.provider),
            dossier=dossier,
            quarter="2022Q1",
            delivered_man_days="22",
            delivered_amount="30000.00",
        )


def test_approving_a_negative_balance_orders_a_recovery(db):
    dossier = trajectory(status=DossierStatus.STOPPED, delivered="21000.00", tranche1_paid=True, rule="nothing")
    assert overpaid(dossier=dossier) == TRANCHE1
    settlement = settlement_approve(actor=actor(Role.CASE_HANDLER), dossier=dossier, on_date=SETTLED_ON)
    assert settlement.payment is None and settlement.recovery.amount == TRANCHE1
    assert overpaid(dossier=dossier) == Decimal("0.00")


def test_full_delivery_of_a_finished_trajectory_settles_to_exactly_the_grant(db):
    dossier = trajectory(status=DossierStatus.FINISHED, delivered="30000.00", tranche1_paid=True)
    settlement = settlement_approve(actor=actor(Role.CASE_HANDLER), dossier=dossier, on_date=SETTLED_ON)
    assert settlement.payment.amount == GRANT - TRANCHE1
    assert sum(p.amount for p in Payment.objects.filter(dossier=dossier)) == GRANT


def test_only_a_case_handler_settles_and_only_an_ended_trajectory(db):
    dossier = trajectory(status=DossierStatus.IN_PROGRESS, delivered="21000.00", tranche1_paid=True)
    with pytest.raises(PermissionDenied):
        settlement_approve(actor=actor(Role.PROVIDER, provider=dossier.provider), dossier=dossier)
    with pytest.raises(ValidationError, match="afgerond of stopgezet"):
        settlement_approve(actor=actor(Role.CASE_HANDLER), dossier=dossier, on_date=SETTLED_ON)
    assert not Settlement.objects.exists()


def test_an_open_payment_request_blocks_the_settlement(db):
    dossier = trajectory(status=DossierStatus.FINISHED, delivered="30000.00", tranche1_paid=False)
    provider = actor(Role.PROVIDER, provider=dossier.provider)
    payment_request_create(actor=provider, dossier=dossier, quarter="2021Q4", today=date(2022, 1, 5))
    with pytest.raises(ValidationError, match="openstaande betalingsaanvraag"):
        settlement_approve(actor=actor(Role.CASE_HANDLER), dossier=dossier, on_date=SETTLED_ON)
    PaymentRequest.objects.update(status=PaymentRequestStatus.REJECTED)
    settlement_approve(actor=actor(Role.CASE_HANDLER), dossier=dossier, on_date=SETTLED_ON)
    with pytest.raises(ValidationError, match="afgerekend"):
        payment_request_create(actor=provider, dossier=dossier, quarter="2021Q4", today=date(2022, 1, 5))


def test_cli_shows_approves_and_recoveries_default_to_the_settlement(db, capsys):
    user_with_role("behandelaar", Role.CASE_HANDLER)
    user_with_role("controleur", Role.CONTROLLER)
    dossier = trajectory(status=DossierStatus.STOPPED, delivered="21000.00", tranche1_paid=True, rule="nothing")
    call_command("settlements", "show", dossier.reference, "--as", "behandelaar")
    shown = capsys.readouterr().out
    assert "verschuldigd € 0,00" in shown and "terugvordering van € 9.801,00" in shown
    call_command("recoveries", "create", dossier.reference, "--reason", "stopgezet", "--as", "controleur")
    assert Recovery.objects.get(dossier=dossier).amount == TRANCHE1
    # The recovery is ordered: the settlement now balances to zero.
    call_command("settlements", "approve", dossier.reference, "--date", "2022-01-10", "--as", "behandelaar")
    settlement = Settlement.objects.get(dossier=dossier)
    assert settlement.balance == Decimal("0.00") and settlement.ordered_back_amount == TRANCHE1


# --- properties ------------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))


@settings(max_examples=300, deadline=None)
@given(
    quoted=cents,
    delivered_share=st.integers(min_value=0, max_value=10_000),
    rate=st.sampled_from([Decimal("0.5445"), Decimal("0.6050"), Decimal("0.5000")]),
    tranche1_paid=st.booleans(),
    ending=st.sampled_from([FINISHED, STOPPED]),
    rule=st.sampled_from(["pro_rata", "threshold", "nothing"]),
    ineligible=st.booleans(),
)
def test_payments_plus_recoveries_never_exceed_the_grant(
    quoted, delivered_share, rate, tranche1_paid, ending, rule, ineligible
):
    subsidy = round_half_up_cents(quoted * rate)
    delivered = round_half_up_cents(quoted * delivered_share / 10_000)
    threshold = Decimal("0.6000")
    # Tranche 1 is only ever paid once 60 % was delivered.
    paid = share_of(subsidy, Decimal("0.6")) if tranche1_paid and delivered >= quoted * threshold else Decimal("0.00")
    figures = settlement_compute(
        ending=ending,
        stopped_rule=rule,
        threshold=threshold,
        quoted=quoted,
        delivered=delivered,
        subsidy=subsidy,
        paid=paid,
        ordered_back=Decimal("0.00"),
        ineligible=ineligible,
    )
    payment = max(figures.balance, Decimal("0.00"))
    recovery = max(-figures.balance, Decimal("0.00"))
    assert Decimal("0.00") <= figures.due <= subsidy
    assert paid + payment <= subsidy
    assert recovery <= paid
    assert paid + payment - recovery == figures.due
    if ineligible:
        assert figures.due == Decimal("0.00") and recovery == paid
    elif ending == FINISHED and delivered == quoted:
        assert figures.due == subsidy and paid + payment == subsidy


def test_a_trajectory_found_ineligible_settles_to_recovering_everything_paid(db):
    dossier = trajectory(status=DossierStatus.STOPPED, delivered="21000.00", tranche1_paid=True)
    handler = actor(Role.CASE_HANDLER)
    with pytest.raises(ValidationError) as error:
        settlement_approve(actor=handler, dossier=dossier, on_date=SETTLED_ON, ineligible=True)
    assert "reason" in error.value.message_dict and not Settlement.objects.exists()
    settlement = settlement_approve(
        actor=handler, dossier=dossier, on_date=SETTLED_ON, ineligible=True, reason="Geen kmo: verbonden met groep."
    )
    assert (settlement.rule, settlement.due_amount, settlement.recovery.amount) == (
        "stopped:ineligible",
        Decimal("0.00"),
        TRANCHE1,
    )
    assert "Geen kmo" in settlement.recovery.reason and "Niet subsidiabel" in settlement.explanation


@pytest.mark.parametrize(
    ("language", "due", "balance"), [("nl", "€ 12.705,00", "€ 1.815,00"), ("en", "€ 12,705.00", "€ 1,815.00")]
)
def test_settlement_explanation_writes_amounts_as_the_language_does(language, due, balance):
    with translation.override(language):
        figures = settlement_compute(
            ending=FINISHED,
            stopped_rule="pro_rata",
            threshold=Decimal("0.6000"),
            quoted=Decimal("30000.00"),
            delivered=Decimal("21000.00"),
            subsidy=Decimal("18150.00"),
            paid=Decimal("10890.00"),
            ordered_back=Decimal("0.00"),
        )
    assert (figures.due, figures.balance) == (Decimal("12705.00"), Decimal("1815.00"))  # exact, not the text
    assert f"/ {'€ 30.000,00' if language == 'nl' else '€ 30,000.00'} = {due}" in figures.explanation
    assert f") = {balance}" in figures.explanation
    assert "12705.00" not in figures.explanation
