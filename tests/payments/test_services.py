from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.dossiers.models import DossierStatus
from cstraject.payments import services
from cstraject.payments.models import Collection, Payment, PaymentRequest, PerformanceStatement, Recovery
from cstraject.payments.selectors import (
    overpaid,
    payment_history,
    recoveries_with_outstanding,
    recovery_outstanding,
    statement_view,
    tranche_due,
)
from tests.factories import DossierFactory, ServiceProviderFactory, actor


@pytest.fixture
def running(db):
    """A basis trajectory of 30,000.00 / 22 man-days (subsidy 16,335.00), started 1 April 2021."""
    dossier = DossierFactory(status=DossierStatus.IN_PROGRESS, started_date=date(2021, 4, 1))
    return dict(
        dossier=dossier,
        provider=actor(Role.PROVIDER, provider=dossier.provider),
        handler=actor(Role.CASE_HANDLER),
        controller=actor(Role.CONTROLLER),
    )


def statement(running, quarter, days, amount, today):
    return services.statement_submit(
        actor=running["provider"],
        dossier=running["dossier"],
        quarter=quarter,
        delivered_man_days=days,
        delivered_amount=amount,
        today=today,
    )


def first_tranche_paid(running):
    statement(running, "2021Q2", "14", "18000.00", date(2021, 7, 5))
    request = services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
    )
    return services.payment_request_approve(
        actor=running["handler"], payment_request=request, payment_date=date(2021, 7, 20)
    )


# --- statements -------------------------------------------------------------------------


def test_statement_view_quoted_delivered_paid_remaining(running):
    first_tranche_paid(running)
    view = statement_view(dossier=running["dossier"])
    assert (view.quoted_man_days, view.quoted_amount) == (Decimal("22.0"), Decimal("30000.00"))
    assert (view.delivered_man_days, view.delivered_amount) == (Decimal("14.0"), Decimal("18000.00"))
    assert (view.remaining_man_days, view.remaining_amount) == (Decimal("8.0"), Decimal("12000.00"))
    assert (view.paid_amount, view.subsidy_remaining) == (Decimal("9801.00"), Decimal("6534.00"))
    assert view.as_data()["tranche_due"]["tranche"] is None


@pytest.mark.parametrize(
    "quarter, days, amount, today, field, words",
    [
        ("2021Q3", "5", "1000.00", date(2021, 7, 5), "quarter", "nog niet voorbij"),
        ("2022Q1", "5", "1000.00", date(2021, 7, 5), "quarter", "nog niet voorbij"),
        ("2021Q1", "5", "1000.00", date(2021, 7, 5), "quarter", "vóór de start"),
        ("2021Q2", "5", "1000.005", date(2021, 7, 5), "delivered_amount", "meer dan twee decimalen"),
        ("2021Q2", "-1", "1000.00", date(2021, 7, 5), "delivered_man_days", "negatief"),
        ("2021Q2", "5", "30000.01", date(2021, 7, 5), "delivered_amount", "meer dan de offerte"),
        ("2021Q2", "22.1", "1000.00", date(2021, 7, 5), "delivered_man_days", "meer dan de offerte"),
        ("2021-2", "5", "1000.00", date(2021, 7, 5), "quarter", "ongeldig"),
    ],
)
def test_bad_statements_are_refused_clearly(running, quarter, days, amount, today, field, words):
    with pytest.raises(ValidationError) as error:
        statement(running, quarter, days, amount, today)
    assert words in " ".join(error.value.message_dict[field])
    assert not PerformanceStatement.objects.exists() and not AuditEvent.objects.exists()


def test_statements_are_cumulative_and_never_decrease(running):
    statement(running, "2021Q2", "10", "12000.00", date(2021, 10, 5))
    with pytest.raises(ValidationError, match="kan niet dalen"):
        statement(running, "2021Q3", "12", "11999.99", date(2021, 10, 5))
    with pytest.raises(ValidationError, match="al een prestatiestaat"):
        statement(running, "2021Q2", "10", "12000.00", date(2021, 10, 5))
    statement(running, "2021Q3", "12", "12000.00", date(2021, 10, 5))
    assert PerformanceStatement.objects.count() == 2


def test_statement_for_another_providers_dossier(running):
    stranger = actor(Role.PROVIDER, provider=ServiceProviderFactory())
    with pytest.raises(PermissionDenied, match="andere dienstverlener"):
        services.statement_submit(
            actor=stranger,
            dossier=running["dossier"],
            quarter="2021Q2",
            delivered_man_days="1",
            delivered_amount="100.00",
            today=date(2021, 7, 5),
        )


def test_statement_needs_a_started_trajectory(db):
    dossier = DossierFactory(status=DossierStatus.APPROVED)
    with pytest.raises(ValidationError, match="gestart traject"):
        services.statement_submit(
            actor=actor(Role.PROVIDER, provider=dossier.provider),
            dossier=dossier,
            quarter="2021Q2",
            delivered_man_days="1",
            delivered_amount="100.00",
            today=date(2021, 7, 5),
        )


# --- payment requests -------------------------------------------------------------------


def test_first_tranche_request_and_payment(running):
    payment = first_tranche_paid(running)
    assert (payment.tranche, payment.amount, payment.payment_date) == (1, Decimal("9801.00"), date(2021, 7, 20))
    request = payment.request
    assert request.status == "approved" and request.statement.quarter == "2021Q2"
    actions = list(AuditEvent.objects.filter(dossier=running["dossier"]).values_list("action", flat=True))
    assert actions == [AuditAction.STATEMENT, AuditAction.PAYMENT_REQUEST, AuditAction.CONTROL, AuditAction.PAYMENT]
    assert list(payment_history(dossier=running["dossier"])) == [payment]


def test_request_is_for_the_previous_quarter(running):
    statement(running, "2021Q2", "14", "18000.00", date(2021, 10, 5))
    with pytest.raises(ValidationError, match="vorige kwartaal 2021Q3, niet voor 2021Q2"):
        services.payment_request_create(
            actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 10, 5)
        )
    with pytest.raises(ValidationError, match="geen prestatiestaat voor 2021Q3"):
        services.payment_request_create(
            actor=running["provider"], dossier=running["dossier"], quarter="2021Q3", today=date(2021, 10, 5)
        )


def test_request_below_the_threshold_is_refused_with_the_figures(running):
    statement(running, "2021Q2", "10", "17999.99", date(2021, 7, 5))
    with pytest.raises(ValidationError) as error:
        services.payment_request_create(
            actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
        )
    message = error.value.message_dict["amount"][0]
    assert "€ 17.999,99" in message and "60 %" in message and "€ 18.000,00" in message
    assert not PaymentRequest.objects.exists()


def test_one_open_request_per_dossier(running):
    statement(running, "2021Q2", "14", "18000.00", date(2021, 7, 5))
    services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
    )
    with pytest.raises(ValidationError, match="openstaande betalingsaanvraag"):
        services.payment_request_create(
            actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 6)
        )


def test_only_case_handlers_approve_and_only_once(running):
    statement(running, "2021Q2", "14", "18000.00", date(2021, 7, 5))
    request = services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
    )
    with pytest.raises(PermissionDenied):
        services.payment_request_approve(actor=running["provider"], payment_request=request)
    services.payment_request_approve(actor=running["handler"], payment_request=request, payment_date=date(2021, 7, 20))
    with pytest.raises(ValidationError, match="al goedgekeurd"):
        services.payment_request_approve(
            actor=running["handler"], payment_request=request, payment_date=date(2021, 7, 21)
        )
    assert Payment.objects.count() == 1


def test_reject_request_needs_reason_and_allows_a_new_one(running):
    statement(running, "2021Q2", "14", "18000.00", date(2021, 7, 5))
    request = services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
    )
    with pytest.raises(ValidationError):
        services.payment_request_reject(actor=running["handler"], payment_request=request, reason="")
    services.payment_request_reject(
        actor=running["handler"], payment_request=request, reason="Prestaties niet aangetoond."
    )
    assert PaymentRequest.objects.get().status == "rejected"
    services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 6)
    )
    assert PaymentRequest.objects.filter(status="requested").count() == 1


def test_stale_request_is_not_paid(running):
    statement(running, "2021Q2", "14", "18000.00", date(2021, 7, 5))
    request = services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
    )
    dossier = running["dossier"]
    dossier.status = DossierStatus.STOPPED
    dossier.save()
    with pytest.raises(ValidationError, match="klopt niet meer"):
        services.payment_request_approve(
            actor=running["handler"], payment_request=request, payment_date=date(2021, 7, 20)
        )
    assert not Payment.objects.exists()


def finish(running, on_date):
    from cstraject.dossiers.services import dossier_finish

    dossier_finish(actor=running["provider"], dossier=running["dossier"], on_date=on_date)


def test_final_tranche_pro_rata(running):
    first_tranche_paid(running)
    finish(running, date(2021, 9, 30))
    statement(running, "2021Q3", "20", "27000.00", date(2021, 10, 5))
    request = services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q3", today=date(2021, 10, 5)
    )
    assert (request.tranche, request.amount) == (2, Decimal("4900.50"))
    services.payment_request_approve(actor=running["handler"], payment_request=request, payment_date=date(2021, 10, 20))
    assert sum(p.amount for p in payment_history(dossier=running["dossier"])) == Decimal("14701.50")
    assert tranche_due(dossier=running["dossier"], statement=request.statement).tranche is None


def test_full_delivery_pays_the_grant_exactly(running):
    first_tranche_paid(running)
    finish(running, date(2021, 9, 30))
    statement(running, "2021Q3", "22", "30000.00", date(2021, 10, 5))
    request = services.payment_request_create(
        actor=running["provider"], dossier=running["dossier"], quarter="2021Q3", today=date(2021, 10, 5)
    )
    services.payment_request_approve(actor=running["handler"], payment_request=request, payment_date=date(2021, 10, 20))
    assert sum(p.amount for p in Payment.objects.all()) == running["dossier"].subsidy_amount == Decimal("16335.00")


# --- recoveries -------------------------------------------------------------------------


def stopped_with_less_delivered(running):
    first_tranche_paid(running)  # 9,801.00 paid for 18,000.00 delivered
    from cstraject.dossiers.services import dossier_stop

    dossier_stop(
        actor=running["handler"],
        dossier=running["dossier"],
        reason="Kmo stopt het traject.",
        on_date=date(2021, 10, 15),
    )
    return running["dossier"]


def test_recovery_when_found_ineligible_after_a_payment(running):
    dossier = stopped_with_less_delivered(running)
    assert overpaid(dossier=dossier) == Decimal("0.00")  # 60 % delivered justifies the 60 % paid
    with pytest.raises(ValidationError, match="meer dan betaald"):
        services.recovery_create(
            actor=running["controller"],
            dossier=dossier,
            amount="9801.01",
            reason="Geen kmo",
            issued_date=date(2021, 11, 1),
        )
    recovery = services.recovery_create(
        actor=running["controller"],
        dossier=dossier,
        amount="9801.00",
        reason="Bij controle geen kmo.",
        issued_date=date(2021, 11, 1),
    )
    assert recovery_outstanding(recovery=recovery) == Decimal("9801.00")
    with pytest.raises(ValidationError, match="min al teruggevorderd"):
        services.recovery_create(
            actor=running["controller"], dossier=dossier, amount="0.01", reason="nog", issued_date=date(2021, 11, 1)
        )


def test_first_tranche_never_exceeds_the_pro_rata_due(db):
    # A call paying 60 % from 50 % delivered: the first tranche is capped at what was delivered, so a
    # trajectory stopped after it was never overpaid.
    dossier = DossierFactory(status=DossierStatus.IN_PROGRESS, started_date=date(2021, 4, 1))
    dossier.call.tranche1_share = Decimal("0.6000")
    dossier.call.tranche1_delivery_threshold = Decimal("0.5000")
    dossier.call.save()
    provider, handler = actor(Role.PROVIDER, provider=dossier.provider), actor(Role.CASE_HANDLER)
    services.statement_submit(
        actor=provider,
        dossier=dossier,
        quarter="2021Q2",
        delivered_man_days="11",
        delivered_amount="15000.00",
        today=date(2021, 7, 5),
    )
    request = services.payment_request_create(actor=provider, dossier=dossier, quarter="2021Q2", today=date(2021, 7, 5))
    assert request.amount == Decimal("8167.50")  # 60 % of 16,335.00 = 9,801.00, capped at what was delivered pro rata
    services.payment_request_approve(actor=handler, payment_request=request, payment_date=date(2021, 7, 20))
    assert overpaid(dossier=dossier) == Decimal("0.00")


def test_collections_partial_and_never_more_than_outstanding(running):
    dossier = stopped_with_less_delivered(running)
    recovery = services.recovery_create(
        actor=running["controller"],
        dossier=dossier,
        amount="1633.50",
        reason="Minder geleverd dan betaald.",
        issued_date=date(2021, 11, 1),
    )
    services.collection_record(
        actor=running["controller"], recovery=recovery, amount="1000.00", collected_date=date(2021, 12, 1)
    )
    with pytest.raises(ValidationError, match="meer dan het openstaande bedrag € 633,50"):
        services.collection_record(
            actor=running["controller"], recovery=recovery, amount="633.51", collected_date=date(2021, 12, 2)
        )
    with pytest.raises(ValidationError, match="vóór de terugvordering"):
        services.collection_record(
            actor=running["controller"], recovery=recovery, amount="1.00", collected_date=date(2021, 10, 31)
        )
    services.collection_record(
        actor=running["controller"], recovery=recovery, amount="633.50", collected_date=date(2021, 12, 15)
    )
    row = recoveries_with_outstanding(dossier=dossier).get()
    assert (row.collected, row.outstanding) == (Decimal("1633.50"), Decimal("0.00"))
    assert Collection.objects.count() == 2
    actions = AuditEvent.objects.filter(
        dossier=dossier, action__in=[AuditAction.RECOVERY, AuditAction.COLLECTION]
    ).count()
    assert actions == 3


def test_providers_cannot_order_recoveries(running):
    dossier = stopped_with_less_delivered(running)
    with pytest.raises(PermissionDenied):
        services.recovery_create(actor=running["provider"], dossier=dossier, amount="1.00", reason="x")
    assert not Recovery.objects.exists()


def test_finishing_in_the_quarter_of_sixty_percent_pays_both_tranches_on_one_statement(running):
    finish(running, date(2021, 6, 30))
    statement(running, "2021Q2", "22", "30000.00", date(2021, 7, 5))
    amounts = []
    for _ in range(2):
        request = services.payment_request_create(
            actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
        )
        services.payment_request_approve(
            actor=running["handler"], payment_request=request, payment_date=date(2021, 7, 20)
        )
        amounts.append((request.tranche, request.amount))
    assert amounts == [(1, Decimal("9801.00")), (2, Decimal("6534.00"))]
    with pytest.raises(ValidationError, match="Beide schijven zijn betaald"):
        services.payment_request_create(
            actor=running["provider"], dossier=running["dossier"], quarter="2021Q2", today=date(2021, 7, 5)
        )


def test_payment_import_with_its_quarter_replays_the_tranche_rule(db):
    from cstraject.accounts.actors import system_actor

    dossier = DossierFactory(
        status=DossierStatus.FINISHED, started_date=date(2021, 4, 1), finished_date=date(2021, 9, 30)
    )
    PerformanceStatement.objects.create(
        dossier=dossier,
        quarter="2021Q2",
        delivered_man_days=14,
        delivered_amount=Decimal("18000.00"),
        reported_date=date(2021, 7, 5),
    )
    PerformanceStatement.objects.create(
        dossier=dossier,
        quarter="2021Q3",
        delivered_man_days=22,
        delivered_amount=Decimal("27000.00"),
        reported_date=date(2021, 10, 5),
    )
    with pytest.raises(ValidationError, match="volgt niet uit de prestatiestaat 2021Q2"):
        services.payment_import(
            actor=system_actor(),
            dossier=dossier,
            tranche=1,
            amount="9801.01",
            payment_date=date(2021, 7, 20),
            quarter="2021Q2",
        )
    first = services.payment_import(
        actor=system_actor(),
        dossier=dossier,
        tranche=1,
        amount="9801.00",
        payment_date=date(2021, 7, 20),
        quarter="2021Q2",
    )
    assert first.request.statement.quarter == "2021Q2" and first.request.status == "approved"
    with pytest.raises(ValidationError, match="€ 4.900,50"):
        services.payment_import(
            actor=system_actor(),
            dossier=dossier,
            tranche=2,
            amount="6534.00",
            payment_date=date(2021, 10, 20),
            quarter="2021Q3",
        )
    services.payment_import(
        actor=system_actor(),
        dossier=dossier,
        tranche=2,
        amount="4900.50",
        payment_date=date(2021, 10, 20),
        quarter="2021Q3",
    )
    assert Payment.objects.filter(dossier=dossier, request__isnull=False).count() == 2
