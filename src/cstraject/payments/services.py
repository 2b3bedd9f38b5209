"""Writes on money after the decision. Historical imports live here; the
lifecycle rules (requests, approval, recovery) are added by the lifecycle work."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from cstraject.accounts.actors import Actor
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.core.money import parse_amount, parse_quantity
from cstraject.dossiers.models import Dossier

from .models import Payment, PerformanceStatement


@transaction.atomic
def statement_import(*, actor: Actor, dossier: Dossier, quarter: str, delivered_man_days, delivered_amount, reported_date: date) -> PerformanceStatement:
    amount = parse_amount(delivered_amount, field="delivered_amount")
    man_days = parse_quantity(delivered_man_days, field="delivered_man_days")
    if amount > dossier.quote_excl_vat:
        raise ValidationError({"delivered_amount": f"Geleverd {amount} is meer dan de offerte {dossier.quote_excl_vat}."})
    statement = PerformanceStatement.objects.create(
        dossier=dossier, quarter=quarter, delivered_man_days=man_days, delivered_amount=amount, reported_date=reported_date
    )
    audit_event_record(
        actor=actor, action=AuditAction.STATEMENT, dossier=dossier,
        data={"quarter": quarter, "delivered_amount": str(amount), "delivered_man_days": str(man_days)},
    )
    return statement


@transaction.atomic
def payment_import(*, actor: Actor, dossier: Dossier, tranche: int, amount, payment_date: date) -> Payment:
    amount = parse_amount(amount, field="amount")
    if tranche not in (1, 2):
        raise ValidationError({"tranche": f"Schijf {tranche} bestaat niet; er zijn er maar twee."})
    paid = Payment.objects.filter(dossier=dossier).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if paid + amount > dossier.subsidy_amount:
        raise ValidationError(
            {"amount": f"Betaling {amount} brengt het totaal op {paid + amount}, meer dan de toegekende {dossier.subsidy_amount}."}
        )
    payment = Payment.objects.create(dossier=dossier, tranche=tranche, amount=amount, payment_date=payment_date)
    audit_event_record(
        actor=actor, action=AuditAction.PAYMENT, dossier=dossier,
        data={"tranche": tranche, "amount": str(amount), "payment_date": payment_date.isoformat()},
    )
    return payment
