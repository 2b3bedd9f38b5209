"""Writes on money after the decision: performance statements (prestatiestaten),
payment requests and their approval (schijven), recovery orders
(terugvorderingen) and collections (inningen).

Each service is one transaction that locks the rows it decides on (the
dossier, the request, the recovery), checks the rules, writes and records
its audit event. Historical imports (`statement_import`, `payment_import`)
are used by the reference loader and keep the money rules.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.core.money import format_euro, parse_amount, parse_quantity
from cstraject.core.numbers import format_date, format_number
from cstraject.dossiers.models import Dossier, DossierStatus

from .models import (
    Collection,
    Payment,
    PaymentRequest,
    PaymentRequestStatus,
    PerformanceStatement,
    Recovery,
    Settlement,
)
from .quarters import Quarter, quarter_of, quarter_parse
from .selectors import paid_total, recovered_ordered, recovery_outstanding, settlement_preview, tranche_due


@transaction.atomic
def statement_import(
    *, actor: Actor, dossier: Dossier, quarter: str, delivered_man_days, delivered_amount, reported_date: date
) -> PerformanceStatement:
    require(actor, Action.HISTORY_IMPORT)
    amount = parse_amount(delivered_amount, field="delivered_amount")
    man_days = parse_quantity(delivered_man_days, field="delivered_man_days")
    if amount > dossier.quote_excl_vat:
        raise ValidationError(
            {
                "delivered_amount": (
                    _("Geleverd %(amount)s is meer dan de offerte %(quote_excl_vat)s.")
                    % {"amount": format_euro(amount), "quote_excl_vat": format_euro(dossier.quote_excl_vat)}
                )
            }
        )
    statement = PerformanceStatement.objects.create(
        dossier=dossier,
        quarter=quarter,
        delivered_man_days=man_days,
        delivered_amount=amount,
        reported_date=reported_date,
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.STATEMENT,
        dossier=dossier,
        data={"quarter": quarter, "delivered_amount": str(amount), "delivered_man_days": str(man_days)},
    )
    return statement


@transaction.atomic
def payment_import(
    *, actor: Actor, dossier: Dossier, tranche: int, amount, payment_date: date, quarter: str | None = None
) -> Payment:
    """A historical payment. With `quarter` (the statement it paid) the tranche rule is replayed:
    the payment must be exactly what `tranche_due` gives for that statement, and it is recorded
    with its (approved) payment request, as a live payment would be."""
    require(actor, Action.HISTORY_IMPORT)
    amount = parse_amount(amount, field="amount")
    if tranche not in (1, 2):
        raise ValidationError(
            {"tranche": (_("Schijf %(tranche)s bestaat niet; er zijn er maar twee.") % {"tranche": tranche})}
        )
    paid = Payment.objects.filter(dossier=dossier).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if paid + amount > dossier.subsidy_amount:
        raise ValidationError(
            {
                "amount": (
                    _("Betaling %(amount)s brengt het totaal op %(paid)s, meer dan de toegekende %(subsidy_amount)s.")
                    % {
                        "amount": format_euro(amount),
                        "paid": format_euro(paid + amount),
                        "subsidy_amount": format_euro(dossier.subsidy_amount),
                    }
                )
            }
        )
    request: PaymentRequest | None = None
    if quarter is not None:
        q = quarter_parse(quarter)
        statement = PerformanceStatement.objects.filter(dossier=dossier, quarter=str(q)).first()
        if statement is None:
            raise ValidationError(
                {
                    "quarter": (
                        _("Dossier %(reference)s heeft geen prestatiestaat voor %(q)s.")
                        % {"reference": dossier.reference, "q": q}
                    )
                }
            )
        if payment_date <= q.end:
            raise ValidationError(
                {
                    "payment_date": (
                        _("Betaling op %(payment_date)s ligt niet na kwartaal %(q)s.")
                        % {"payment_date": format_date(payment_date), "q": q}
                    )
                }
            )
        due = tranche_due(dossier=dossier, statement=statement)
        if (due.tranche, due.amount) != (tranche, amount):
            raise ValidationError(
                {
                    "amount": (
                        _("Schijf %(tranche)s van %(amount)s volgt niet uit de prestatiestaat %(q)s: %(reason)s")
                        % {"tranche": tranche, "amount": format_euro(amount), "q": q, "reason": due.reason}
                    )
                }
            )
        request = PaymentRequest.objects.create(
            dossier=dossier,
            statement=statement,
            tranche=tranche,
            amount=amount,
            status=PaymentRequestStatus.APPROVED,
            requested_date=min(max(statement.reported_date, q.next().start), payment_date),
            decided_by_id=actor.user_id,
        )
    payment = Payment.objects.create(
        dossier=dossier, tranche=tranche, amount=amount, payment_date=payment_date, request=request
    )
    data = {"tranche": tranche, "amount": str(amount), "payment_date": payment_date.isoformat()}
    if request is not None:
        data.update(quarter=request.statement.quarter, request=request.pk, payment=payment.pk)
    audit_event_record(actor=actor, action=AuditAction.PAYMENT, dossier=dossier, data=data)
    return payment


def _lock_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).select_related("call", "company").get(pk=dossier.pk)


def _not_in_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise ValidationError(
            {
                field: (
                    _("Datum %(day)s ligt in de toekomst (vandaag is %(today)s).")
                    % {"day": format_date(day), "today": format_date(today)}
                )
            }
        )


# --- performance statements ---------------------------------------------------------------------------

STATEMENT_STATUSES = (DossierStatus.IN_PROGRESS, DossierStatus.FINISHED, DossierStatus.STOPPED)


@transaction.atomic
def statement_submit(
    *, actor: Actor, dossier: Dossier, quarter, delivered_man_days, delivered_amount, today: date | None = None
) -> PerformanceStatement:
    """The provider's performance statement of a quarter: what was delivered up to its end (cumulative)."""
    locked = _lock_dossier(dossier)
    require(actor, Action.STATEMENT_SUBMIT, locked)
    today = today or timezone.localdate()
    errors: dict[str, str | list[str]] = {}
    q: Quarter | None
    try:
        q = quarter_parse(quarter)
    except ValidationError as error:
        errors.update(error.message_dict)
        q = None
    values = {}
    for key, read in (
        ("delivered_amount", lambda: parse_amount(delivered_amount, field="delivered_amount")),
        ("delivered_man_days", lambda: parse_quantity(delivered_man_days, field="delivered_man_days")),
    ):
        try:
            values[key] = read()
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
    if errors or q is None:
        raise ValidationError(errors)
    amount, man_days = values["delivered_amount"], values["delivered_man_days"]
    if locked.status not in STATEMENT_STATUSES:
        raise ValidationError(
            {
                "dossier": (
                    _("Dossier %(reference)s is %(status)s; een prestatiestaat kan enkel voor een gestart traject.")
                    % {"reference": locked.reference, "status": DossierStatus(locked.status).label}
                )
            }
        )
    settled = Settlement.objects.filter(dossier=locked).first()
    if settled is not None:
        raise ValidationError(
            {
                "dossier": (
                    _(
                        "Dossier %(reference)s is afgerekend op %(approved_date)s; een prestatiestaat verandert daar niets meer aan."
                    )
                    % {"reference": locked.reference, "approved_date": format_date(settled.approved_date)}
                )
            }
        )
    if q.end >= today:
        raise ValidationError(
            {
                "quarter": (
                    _(
                        "Kwartaal %(q)s is nog niet voorbij (het loopt tot %(end)s, vandaag is %(today)s); een prestatiestaat geldt voor een afgelopen kwartaal."
                    )
                    % {"q": q, "end": format_date(q.end), "today": format_date(today)}
                )
            }
        )
    if locked.started_date and q < quarter_of(locked.started_date):
        raise ValidationError(
            {
                "quarter": (
                    _("Kwartaal %(q)s ligt vóór de start van dossier %(reference)s (%(started_date)s).")
                    % {"q": q, "reference": locked.reference, "started_date": format_date(locked.started_date)}
                )
            }
        )
    if amount > locked.quote_excl_vat:
        errors["delivered_amount"] = _(
            "Geleverd bedrag %(amount)s is meer dan de offerte (%(quote_excl_vat)s excl. btw)."
        ) % {"amount": format_euro(amount), "quote_excl_vat": format_euro(locked.quote_excl_vat)}
    if man_days > locked.quote_man_days:
        errors["delivered_man_days"] = _(
            "Geleverde mensdagen %(man_days)s zijn meer dan de offerte (%(quote_man_days)s)."
        ) % {"man_days": format_number(man_days), "quote_man_days": format_number(locked.quote_man_days)}
    existing = {quarter_parse(s.quarter): s for s in PerformanceStatement.objects.filter(dossier=locked)}
    if q in existing:
        errors["quarter"] = _("Dossier %(reference)s heeft al een prestatiestaat voor %(q)s.") % {
            "reference": locked.reference,
            "q": q,
        }
    before = [existing[k] for k in sorted(existing) if k < q]
    after = [existing[k] for k in sorted(existing) if k > q]
    if before:
        prev = before[-1]
        if amount < prev.delivered_amount:
            errors["delivered_amount"] = _(
                "Geleverd bedrag is cumulatief en kan niet dalen: %(amount)s is minder dan %(delivered_amount)s in %(quarter)s."
            ) % {
                "amount": format_euro(amount),
                "delivered_amount": format_euro(prev.delivered_amount),
                "quarter": prev.quarter,
            }
        if man_days < prev.delivered_man_days:
            errors["delivered_man_days"] = _(
                "Mensdagen zijn cumulatief en kunnen niet dalen: %(man_days)s is minder dan %(delivered_man_days)s in %(quarter)s."
            ) % {
                "man_days": format_number(man_days),
                "delivered_man_days": format_number(prev.delivered_man_days),
                "quarter": prev.quarter,
            }
    if after:
        nxt = after[0]
        if amount > nxt.delivered_amount or man_days > nxt.delivered_man_days:
            errors["quarter"] = _(
                "Prestatiestaat %(quarter)s meldt al %(delivered_amount)s / %(delivered_man_days)s mensdagen; %(q)s kan niet meer geleverd hebben."
            ) % {
                "quarter": nxt.quarter,
                "delivered_amount": format_euro(nxt.delivered_amount),
                "delivered_man_days": format_number(nxt.delivered_man_days),
                "q": q,
            }
    if errors:
        raise ValidationError(errors)
    statement = PerformanceStatement.objects.create(
        dossier=locked,
        quarter=str(q),
        delivered_man_days=man_days,
        delivered_amount=amount,
        reported_date=today,
        reported_by_id=actor.user_id,
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.STATEMENT,
        dossier=locked,
        data={
            "quarter": str(q),
            "delivered_amount": str(amount),
            "delivered_man_days": str(man_days),
            "reported_date": today.isoformat(),
        },
    )
    return statement


# --- payment requests and payments ---------------------------------------------------------------------


@transaction.atomic
def payment_request_create(*, actor: Actor, dossier: Dossier, quarter, today: date | None = None) -> PaymentRequest:
    """At the start of a quarter: the provider asks the tranche due on the previous quarter's statement."""
    locked = _lock_dossier(dossier)
    require(actor, Action.PAYMENT_REQUEST_CREATE, locked)
    today = today or timezone.localdate()
    q = quarter_parse(quarter)
    expected = quarter_of(today).previous()
    if q != expected:
        raise ValidationError(
            {
                "quarter": (
                    _(
                        "Een betalingsaanvraag op %(today)s geldt voor het vorige kwartaal %(expected)s, niet voor %(q)s."
                    )
                    % {"today": format_date(today), "expected": expected, "q": q}
                )
            }
        )
    if locked.status not in (DossierStatus.IN_PROGRESS, DossierStatus.FINISHED):
        raise ValidationError(
            {
                "dossier": (
                    _(
                        "Dossier %(reference)s is %(status)s; betaling kan enkel voor een traject in uitvoering of afgerond."
                    )
                    % {"reference": locked.reference, "status": DossierStatus(locked.status).label}
                )
            }
        )
    if locked.started_date and locked.started_date > q.end:
        raise ValidationError(
            {
                "quarter": (
                    _("Dossier %(reference)s startte pas op %(started_date)s, na %(q)s.")
                    % {"reference": locked.reference, "started_date": format_date(locked.started_date), "q": q}
                )
            }
        )
    statement = PerformanceStatement.objects.filter(dossier=locked, quarter=str(q)).first()
    if statement is None:
        raise ValidationError(
            {
                "quarter": (
                    _("Dossier %(reference)s heeft geen prestatiestaat voor %(q)s; dien die eerst in.")
                    % {"reference": locked.reference, "q": q}
                )
            }
        )
    settled = Settlement.objects.filter(dossier=locked).first()
    if settled is not None:
        raise ValidationError(
            {
                "dossier": (
                    _("Dossier %(reference)s is afgerekend op %(approved_date)s; geen betaling meer.")
                    % {"reference": locked.reference, "approved_date": format_date(settled.approved_date)}
                )
            }
        )
    pending = PaymentRequest.objects.filter(dossier=locked, status=PaymentRequestStatus.REQUESTED).first()
    if pending:
        raise ValidationError(
            {
                "dossier": (
                    _(
                        "Dossier %(reference)s heeft al een openstaande betalingsaanvraag (schijf %(tranche)s, %(amount)s, %(requested_date)s)."
                    )
                    % {
                        "reference": locked.reference,
                        "tranche": pending.tranche,
                        "amount": format_euro(pending.amount),
                        "requested_date": format_date(pending.requested_date),
                    }
                )
            }
        )
    due = tranche_due(dossier=locked, statement=statement)
    if due.tranche is None:
        raise ValidationError(
            {
                "amount": (
                    _("Geen schijf verschuldigd voor dossier %(reference)s in %(q)s: %(reason)s")
                    % {"reference": locked.reference, "q": q, "reason": due.reason}
                )
            }
        )
    request = PaymentRequest.objects.create(
        dossier=locked,
        statement=statement,
        tranche=due.tranche,
        amount=due.amount,
        requested_date=today,
        requested_by_id=actor.user_id,
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.PAYMENT_REQUEST,
        dossier=locked,
        reason=due.reason,
        data={
            "request": request.pk,
            "quarter": str(q),
            "tranche": due.tranche,
            "amount": str(due.amount),
            "due_total": str(due.due_total),
            "paid": str(due.paid),
        },
    )
    return request


def _lock_request(payment_request: PaymentRequest) -> PaymentRequest:
    return PaymentRequest.objects.select_for_update(of=("self",)).select_related("statement").get(pk=payment_request.pk)


def _require_open(request: PaymentRequest) -> None:
    if request.status != PaymentRequestStatus.REQUESTED:
        raise ValidationError(
            {
                "status": (
                    _("Betalingsaanvraag %(request_pk)s is al %(status)s%(value)s.")
                    % {
                        "request_pk": request.pk,
                        "status": PaymentRequestStatus(request.status).label,
                        "value": _(" op %(date)s") % {"date": format_date(request.decided_at)}
                        if request.decided_at
                        else "",
                    }
                )
            }
        )


@transaction.atomic
def payment_request_approve(
    *, actor: Actor, payment_request: PaymentRequest, payment_date: date | None = None
) -> Payment:
    """Approve and pay. Of two case handlers approving at the same moment, one pays, the other is refused:
    the request row is locked, and the database allows one payment per tranche."""
    require(actor, Action.PAYMENT_DECIDE)
    request = _lock_request(payment_request)
    _require_open(request)
    dossier = _lock_dossier(request.dossier)
    today = timezone.localdate()
    payment_date = payment_date or today
    _not_in_future(payment_date, today, "payment_date")
    if payment_date < request.requested_date:
        raise ValidationError(
            {
                "payment_date": (
                    _("Betaaldatum %(payment_date)s ligt vóór de aanvraag (%(requested_date)s).")
                    % {"payment_date": format_date(payment_date), "requested_date": format_date(request.requested_date)}
                )
            }
        )
    due = tranche_due(dossier=dossier, statement=request.statement)
    if due.tranche != request.tranche or due.amount != request.amount:
        raise ValidationError(
            {
                "amount": (
                    _(
                        "De aanvraag (schijf %(tranche)s, %(amount)s) klopt niet meer met wat nu verschuldigd is: %(reason)s Wijs ze af en laat een nieuwe indienen."
                    )
                    % {"tranche": request.tranche, "amount": format_euro(request.amount), "reason": due.reason}
                )
            }
        )
    if paid_total(dossier=dossier) + request.amount > dossier.subsidy_amount:
        raise ValidationError(
            {
                "amount": (
                    _("Betaling %(amount)s brengt het totaal boven de toegekende %(subsidy_amount)s.")
                    % {"amount": format_euro(request.amount), "subsidy_amount": format_euro(dossier.subsidy_amount)}
                )
            }
        )
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                dossier=dossier,
                tranche=request.tranche,
                amount=request.amount,
                payment_date=payment_date,
                request=request,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "tranche": (
                    _("Schijf %(tranche)s van dossier %(reference)s is al betaald.")
                    % {"tranche": request.tranche, "reference": dossier.reference}
                )
            }
        ) from None
    request.status = PaymentRequestStatus.APPROVED
    request.decided_at = timezone.now()
    request.decided_by_id = actor.user_id
    request.save(update_fields=["status", "decided_at", "decided_by"])
    # The statement check before a payment, recorded as a desk review (question 2 counts it).
    from cstraject.controls.services import desk_review_record

    desk_review_record(actor=actor, dossier=dossier, statement=request.statement, on_date=payment_date)
    audit_event_record(
        actor=actor,
        action=AuditAction.PAYMENT,
        dossier=dossier,
        reason=due.reason,
        data={
            "request": request.pk,
            "payment": payment.pk,
            "tranche": payment.tranche,
            "amount": str(payment.amount),
            "payment_date": payment_date.isoformat(),
            "quarter": request.statement.quarter,
        },
    )
    payment_request.refresh_from_db()
    return payment


@transaction.atomic
def payment_request_reject(*, actor: Actor, payment_request: PaymentRequest, reason: str) -> PaymentRequest:
    require(actor, Action.PAYMENT_DECIDE)
    request = _lock_request(payment_request)
    _require_open(request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": (
                    _("Betalingsaanvraag %(request_pk)s afwijzen kan enkel met een motivering.")
                    % {"request_pk": request.pk}
                )
            }
        )
    request.status = PaymentRequestStatus.REJECTED
    request.decided_at = timezone.now()
    request.decided_by_id = actor.user_id
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_event_record(
        actor=actor,
        action=AuditAction.PAYMENT_REQUEST,
        dossier=request.dossier,
        reason=reason,
        data={
            "request": request.pk,
            "status": request.status,
            "tranche": request.tranche,
            "amount": str(request.amount),
        },
    )
    payment_request.refresh_from_db()
    return request


# --- recoveries and collections -----------------------------------------------------------------------


@transaction.atomic
def recovery_create(
    *, actor: Actor, dossier: Dossier, amount, reason: str, issued_date: date | None = None
) -> Recovery:
    """A recovery order (terugvordering): at most what was paid and not yet ordered back."""
    locked = _lock_dossier(dossier)
    require(actor, Action.RECOVERY_CREATE, locked)
    today = timezone.localdate()
    issued_date = issued_date or today
    errors: dict[str, str | list[str]] = {}
    try:
        amount = parse_amount(amount, field="amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Een terugvordering vraagt een reden.")
    if errors:
        raise ValidationError(errors)
    _not_in_future(issued_date, today, "issued_date")
    if amount <= 0:
        raise ValidationError({"amount": _("Een terugvordering moet een positief bedrag zijn.")})
    paid = paid_total(dossier=locked)
    ordered = recovered_ordered(dossier=locked)
    if amount > paid - ordered:
        raise ValidationError(
            {
                "amount": (
                    _(
                        "Terugvordering %(amount)s is meer dan betaald (%(paid)s) min al teruggevorderd (%(ordered)s) = %(paid2)s."
                    )
                    % {
                        "amount": format_euro(amount),
                        "paid": format_euro(paid),
                        "ordered": format_euro(ordered),
                        "paid2": format_euro(paid - ordered),
                    }
                )
            }
        )
    recovery = Recovery.objects.create(
        dossier=locked, amount=amount, reason=reason, issued_date=issued_date, created_by_id=actor.user_id
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.RECOVERY,
        dossier=locked,
        reason=reason,
        data={
            "recovery": recovery.pk,
            "amount": str(amount),
            "issued_date": issued_date.isoformat(),
            "paid": str(paid),
        },
    )
    return recovery


@transaction.atomic
def collection_record(*, actor: Actor, recovery: Recovery, amount, collected_date: date | None = None) -> Collection:
    """Money received against a recovery order, partial ones included; never more than outstanding."""
    locked = Recovery.objects.select_for_update().get(pk=recovery.pk)
    require(actor, Action.COLLECTION_RECORD, locked)
    today = timezone.localdate()
    collected_date = collected_date or today
    amount = parse_amount(amount, field="amount")
    if amount <= 0:
        raise ValidationError({"amount": _("Een inning moet een positief bedrag zijn.")})
    _not_in_future(collected_date, today, "collected_date")
    if collected_date < locked.issued_date:
        raise ValidationError(
            {
                "collected_date": (
                    _("Inning op %(collected_date)s ligt vóór de terugvordering (%(issued_date)s).")
                    % {"collected_date": format_date(collected_date), "issued_date": format_date(locked.issued_date)}
                )
            }
        )
    outstanding = recovery_outstanding(recovery=locked)
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": (
                    _(
                        "Inning %(amount)s is meer dan het openstaande bedrag %(outstanding)s van terugvordering %(locked_pk)s (%(amount2)s gevorderd)."
                    )
                    % {
                        "amount": format_euro(amount),
                        "outstanding": format_euro(outstanding),
                        "locked_pk": locked.pk,
                        "amount2": format_euro(locked.amount),
                    }
                )
            }
        )
    collection = Collection.objects.create(
        recovery=locked, amount=amount, collected_date=collected_date, recorded_by_id=actor.user_id
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        dossier=locked.dossier,
        data={
            "recovery": locked.pk,
            "collection": collection.pk,
            "amount": str(amount),
            "collected_date": collected_date.isoformat(),
            "outstanding": str(outstanding - amount),
        },
    )
    return collection


# --- settlement (afrekening) ---------------------------------------------------------------------------


@transaction.atomic
def settlement_approve(
    *, actor: Actor, dossier: Dossier, on_date: date | None = None, reason: str = "", ineligible: bool = False
) -> Settlement:
    """A case handler approves the settlement of a finished or stopped trajectory, as computed by
    `selectors.settlement_preview`: a positive balance is paid as the last tranche, a negative one
    becomes a recovery order; the figures and their arithmetic are stored and audited.
    `ineligible` (with a reason): the trajectory was found ineligible, everything paid is recovered."""
    locked = _lock_dossier(dossier)
    require(actor, Action.SETTLEMENT_APPROVE, locked)
    today = timezone.localdate()
    on_date = on_date or today
    _not_in_future(on_date, today, "on_date")
    if ineligible and not reason.strip():
        raise ValidationError({"reason": _("Een afrekening als niet subsidiabel vraagt een motivering.")})
    preview = settlement_preview(dossier=locked, ineligible=ineligible)
    if preview.figures is None or preview.blocked:
        raise ValidationError({"dossier": preview.blocked})
    ended = locked.finished_date or locked.stopped_date
    if ended and on_date < ended:
        raise ValidationError(
            {
                "on_date": (
                    _("Afrekening op %(on_date)s ligt vóór het einde van het traject (%(ended)s).")
                    % {"on_date": format_date(on_date), "ended": format_date(ended)}
                )
            }
        )
    figures = preview.figures
    payment = recovery = None
    if figures.balance > 0:
        assert preview.tranche is not None, "settlement_preview gives tranche 2 with every payable balance"
        payment = Payment.objects.create(
            dossier=locked, tranche=preview.tranche, amount=figures.balance, payment_date=on_date
        )
    elif figures.balance < 0:
        recovery = Recovery.objects.create(
            dossier=locked,
            amount=-figures.balance,
            reason=_("Afrekening: %(explanation)s")
            % {"explanation": (reason.strip() + " " if reason.strip() else "") + figures.explanation},
            issued_date=on_date,
            created_by_id=actor.user_id,
        )
    settlement = Settlement.objects.create(
        dossier=locked,
        statement=preview.statement,
        rule=figures.rule,
        quoted_amount=figures.quoted,
        delivered_amount=figures.delivered,
        subsidy_amount=figures.subsidy,
        due_amount=figures.due,
        paid_amount=figures.paid,
        ordered_back_amount=figures.ordered_back,
        balance=figures.balance,
        explanation=figures.explanation,
        payment=payment,
        recovery=recovery,
        approved_date=on_date,
        approved_by_id=actor.user_id,
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.SETTLEMENT,
        dossier=locked,
        reason=reason.strip() or figures.explanation,
        data={
            "settlement": settlement.pk,
            "rule": figures.rule,
            "statement": preview.statement.quarter if preview.statement else None,
            "quoted": str(figures.quoted),
            "delivered": str(figures.delivered),
            "subsidy": str(figures.subsidy),
            "due": str(figures.due),
            "paid": str(figures.paid),
            "ordered_back": str(figures.ordered_back),
            "balance": str(figures.balance),
            "payment": payment.pk if payment else None,
            "tranche": payment.tranche if payment else None,
            "recovery": recovery.pk if recovery else None,
            "on_date": on_date.isoformat(),
            "steps": list(figures.steps),
        },
    )
    return settlement
