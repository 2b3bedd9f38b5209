"""The settlement on the dossier page: its arithmetic shown, approved by a case handler only."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from cstraject.audit.models import AuditEvent
from cstraject.payments.models import Payment, Settlement
from tests.factories import DossierFactory, PerformanceStatementFactory


def _stopped(world):
    dossier = DossierFactory(
        reference="CS-2023-0970",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="stopped",
        submitted_date=date(2024, 1, 10),
        decided_date=date(2024, 2, 1),
        started_date=date(2024, 3, 1),
        stopped_date=date(2024, 11, 4),
    )
    # 70 % of 30,000.00 delivered; tranche 1 (60 % of 18,150.00) paid.
    PerformanceStatementFactory(dossier=dossier, quarter="2024Q3", delivered_amount=Decimal("21000.00"))
    Payment.objects.create(dossier=dossier, tranche=1, amount=Decimal("10890.00"), payment_date=date(2024, 10, 15))
    return dossier


def test_case_handler_sees_the_arithmetic_and_approves(world, login):
    dossier = _stopped(world)
    handler = login(world["users"]["case_handler"])
    body = handler.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "€ 18.150,00 x € 21.000,00 / € 30.000,00 = € 12.705,00" in body
    assert "Saldo = verschuldigd € 12.705,00 - (betaald € 10.890,00 - al teruggevorderd € 0,00) = € 1.815,00" in body
    dossier.refresh_from_db()
    response = handler.post(
        reverse("web:settlement_approve", args=[dossier.pk]),
        {"version": dossier.updated_at.isoformat(), "reason": "Stopgezet op vraag van de kmo."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    settlement = Settlement.objects.get(dossier=dossier)
    assert settlement.payment.amount == Decimal("1815.00") and settlement.payment.tranche == 2
    assert AuditEvent.objects.filter(dossier=dossier, action="settlement").count() == 1
    body = handler.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Afrekening goedkeuren" not in body and "Goedgekeurd op" in body


def test_provider_sees_it_but_cannot_approve(world, login):
    dossier = _stopped(world)
    provider = login(world["users"]["provider"])
    body = provider.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
    assert "= € 1.815,00" in body and "Afrekening goedkeuren" not in body
    dossier.refresh_from_db()
    response = provider.post(
        reverse("web:settlement_approve", args=[dossier.pk]), {"version": dossier.updated_at.isoformat()}
    )
    assert response.status_code == 403 and not Settlement.objects.exists()
