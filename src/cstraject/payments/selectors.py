"""Reads on money after the decision: what is due, what was paid, what remains.

The tranche rule (schijven), all parameters from the call:
- tranche 1 = `Call.tranche1_share` of the granted subsidy, rounded half-up
  to the cent, once the delivered amount reaches
  `Call.tranche1_delivery_threshold` of the quoted amount;
- tranche 2 = the rest, once the trajectory is finished: the total due is
  subsidy x delivered / quoted rounded half-up to the cent (the full grant
  when everything quoted was delivered), minus what was paid already.
A trajectory that reaches the threshold and finishes in the same quarter gets
both tranches on that quarter's statement: first tranche 1, then (a second
request) tranche 2. One finished below the threshold gets its whole due
amount as a single final tranche. Never more than two tranches, never more
than granted.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cstraject.core.money import ZERO, format_euro, round_half_up_cents, share_of
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
from .quarters import quarter_of, quarter_parse
from .settlement import FINISHED, STOPPED, SettlementFigures, settlement_compute


@dataclass(frozen=True)
class TrancheDue:
    tranche: int | None  # None: nothing due now
    amount: Decimal
    due_total: Decimal  # due in total on this statement (pro rata of what was delivered)
    paid: Decimal
    final: bool
    reason: str  # Dutch explanation with the figures


def due_total_for(*, subsidy: Decimal, quoted: Decimal, delivered: Decimal) -> Decimal:
    """subsidy x delivered / quoted, rounded half-up to the cent, never above the subsidy."""
    if quoted <= 0:
        return ZERO
    return min(subsidy, round_half_up_cents(subsidy * min(delivered, quoted) / quoted))


def tranche_compute(
    *,
    subsidy: Decimal,
    quoted: Decimal,
    delivered: Decimal,
    paid_tranches: dict[int, Decimal],
    final: bool,
    tranche1_share: Decimal,
    tranche1_threshold: Decimal,
) -> TrancheDue:
    """The tranche rule on plain figures (see module docstring)."""
    paid = sum(paid_tranches.values(), ZERO)
    due_total = due_total_for(subsidy=subsidy, quoted=quoted, delivered=delivered)

    def nothing(reason: str) -> TrancheDue:
        return TrancheDue(tranche=None, amount=ZERO, due_total=due_total, paid=paid, final=final, reason=reason)

    reached = quoted > 0 and delivered >= quoted * tranche1_threshold
    first_amount = min(share_of(subsidy, tranche1_share), due_total)
    if final and not (reached and first_amount > 0 and 1 not in paid_tranches):
        if 2 in paid_tranches:
            return nothing(
                _("Beide schijven zijn betaald (%(paid)s van %(subsidy)s).")
                % {"paid": format_euro(paid), "subsidy": format_euro(subsidy)}
            )
        rest = due_total - paid
        if rest <= 0:
            return nothing(
                (
                    _(
                        "Verschuldigd %(due_total)s (%(delivered)s van %(quoted)s geleverd); al betaald %(paid)s: niets meer te betalen"
                    )
                    % {
                        "due_total": format_euro(due_total),
                        "delivered": format_euro(delivered),
                        "quoted": format_euro(quoted),
                        "paid": format_euro(paid),
                    }
                )
                + ((_(", %(paid)s te veel betaald.") % {"paid": format_euro(paid - due_total)}) if rest < 0 else ".")
            )
        return TrancheDue(
            tranche=2,
            amount=rest,
            due_total=due_total,
            paid=paid,
            final=True,
            reason=(
                _(
                    "Laatste schijf: %(subsidy)s x %(delivered)s / %(quoted)s = %(due_total)s, min al betaald %(paid)s = %(rest)s."
                )
                % {
                    "subsidy": format_euro(subsidy),
                    "delivered": format_euro(delivered),
                    "quoted": format_euro(quoted),
                    "due_total": format_euro(due_total),
                    "paid": format_euro(paid),
                    "rest": format_euro(rest),
                }
            ),
        )
    if paid_tranches:
        return nothing(
            _("Eerste schijf is betaald (%(paid)s); de tweede schijf volgt pas als het traject afgerond is.")
            % {"paid": format_euro(paid)}
        )
    needed = quoted * tranche1_threshold
    if not reached:
        pct = f"{format_number(tranche1_threshold * 100, places=0)} %"
        return nothing(
            _(
                "Geleverd %(delivered)s van %(quoted)s: de eerste schijf vraagt minstens %(pct)s (%(round_half_up_cents)s)."
            )
            % {
                "delivered": format_euro(delivered),
                "quoted": format_euro(quoted),
                "pct": pct,
                "round_half_up_cents": format_euro(needed),
            }
        )
    amount = first_amount
    if amount <= 0:
        return nothing(
            _("%(tranche1_share)s %% van %(subsidy)s is %(amount)s: niets te betalen.")
            % {
                "tranche1_share": format_number(tranche1_share * 100, places=0),
                "subsidy": format_euro(subsidy),
                "amount": format_euro(amount),
            }
        )
    return TrancheDue(
        tranche=1,
        amount=amount,
        due_total=due_total,
        paid=paid,
        final=final,
        reason=(
            (
                _(
                    "Eerste schijf: %(tranche1_share)s %% van %(subsidy)s = %(amount)s (%(delivered)s van %(quoted)s geleverd)"
                )
                % {
                    "tranche1_share": format_number(tranche1_share * 100, places=0),
                    "subsidy": format_euro(subsidy),
                    "amount": format_euro(amount),
                    "delivered": format_euro(delivered),
                    "quoted": format_euro(quoted),
                }
            )
            + (_("; de laatste schijf volgt met een volgende aanvraag op dezelfde prestatiestaat.") if final else ".")
        ),
    )


def paid_tranches(*, dossier: Dossier) -> dict[int, Decimal]:
    return dict(Payment.objects.filter(dossier=dossier).values_list("tranche", "amount"))


def paid_total(*, dossier: Dossier) -> Decimal:
    return ZERO + (Payment.objects.filter(dossier=dossier).aggregate(total=Sum("amount"))["total"] or 0)


def statement_is_final(*, dossier: Dossier, statement: PerformanceStatement) -> bool:
    """The statement of (or after) the quarter in which the trajectory was finished."""
    return (
        dossier.status == DossierStatus.FINISHED
        and dossier.finished_date is not None
        and quarter_parse(statement.quarter) >= quarter_of(dossier.finished_date)
    )


def tranche_due(*, dossier: Dossier, statement: PerformanceStatement) -> TrancheDue:
    """The tranche a payment request on `statement` would get now."""
    final = statement_is_final(dossier=dossier, statement=statement)
    if dossier.status not in (DossierStatus.IN_PROGRESS, DossierStatus.FINISHED):
        paid = paid_total(dossier=dossier)
        due = due_total_for(
            subsidy=dossier.subsidy_amount, quoted=dossier.quote_excl_vat, delivered=statement.delivered_amount
        )
        return TrancheDue(
            tranche=None,
            amount=ZERO,
            due_total=due,
            paid=paid,
            final=final,
            reason=(
                _("Dossier %(reference)s is %(status)s: geen betaling mogelijk.")
                % {"reference": dossier.reference, "status": DossierStatus(dossier.status).label}
            ),
        )
    call = dossier.call
    return tranche_compute(
        subsidy=dossier.subsidy_amount,
        quoted=dossier.quote_excl_vat,
        delivered=statement.delivered_amount,
        paid_tranches=paid_tranches(dossier=dossier),
        final=final,
        tranche1_share=call.tranche1_share,
        tranche1_threshold=call.tranche1_delivery_threshold,
    )


def statement_latest(*, dossier: Dossier) -> PerformanceStatement | None:
    statements = list(PerformanceStatement.objects.filter(dossier=dossier))
    return max(statements, key=lambda s: quarter_parse(s.quarter)) if statements else None


@dataclass(frozen=True)
class StatementView:
    """The prestatiestaat as the answer to parliament describes it."""

    dossier: str
    company: str
    quarter: str | None
    quoted_man_days: Decimal
    quoted_amount: Decimal
    delivered_man_days: Decimal
    delivered_amount: Decimal
    remaining_man_days: Decimal
    remaining_amount: Decimal
    subsidy_amount: Decimal
    paid_amount: Decimal
    subsidy_remaining: Decimal
    tranche_due: TrancheDue | None

    def as_data(self) -> dict:
        data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items() if k != "tranche_due"}
        due = self.tranche_due
        data["tranche_due"] = (
            {"tranche": due.tranche, "amount": str(due.amount), "due_total": str(due.due_total), "reason": due.reason}
            if due
            else None
        )
        return data


def statement_view(*, dossier: Dossier, statement: PerformanceStatement | None = None) -> StatementView:
    """Quoted, delivered so far, paid so far and remaining, at `statement` (default: the latest)."""
    statement = statement or statement_latest(dossier=dossier)
    delivered_days = statement.delivered_man_days if statement else Decimal("0.0")
    delivered_amount = statement.delivered_amount if statement else ZERO
    paid = paid_total(dossier=dossier)
    return StatementView(
        dossier=dossier.reference,
        company=dossier.company.name,
        quarter=statement.quarter if statement else None,
        quoted_man_days=dossier.quote_man_days,
        quoted_amount=dossier.quote_excl_vat,
        delivered_man_days=delivered_days,
        delivered_amount=delivered_amount,
        remaining_man_days=dossier.quote_man_days - delivered_days,
        remaining_amount=dossier.quote_excl_vat - delivered_amount,
        subsidy_amount=dossier.subsidy_amount,
        paid_amount=paid,
        subsidy_remaining=dossier.subsidy_amount - paid,
        tranche_due=tranche_due(dossier=dossier, statement=statement) if statement else None,
    )


def payment_history(*, dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).select_related("request", "request__statement").order_by("tranche")


def payment_requests_list(*, status: str | None = None, provider_id: int | None = None) -> QuerySet[PaymentRequest]:
    requests = PaymentRequest.objects.select_related("dossier", "statement", "dossier__provider")
    if status:
        requests = requests.filter(status=status)
    if provider_id:
        requests = requests.filter(dossier__provider_id=provider_id)
    return requests.order_by("requested_date", "id")


# --- recoveries -----------------------------------------------------------------------------


def recovered_ordered(*, dossier: Dossier) -> Decimal:
    return ZERO + (Recovery.objects.filter(dossier=dossier).aggregate(total=Sum("amount"))["total"] or 0)


def recovery_collected(*, recovery: Recovery) -> Decimal:
    return ZERO + (recovery.collections.aggregate(total=Sum("amount"))["total"] or 0)


def recovery_outstanding(*, recovery: Recovery) -> Decimal:
    return recovery.amount - recovery_collected(recovery=recovery)


def recoveries_with_outstanding(*, dossier: Dossier | None = None) -> QuerySet[Recovery]:
    """Recoveries annotated with `collected` and `outstanding` (amount minus collections).

    On SQLite computed annotations come back via floating point: round them to
    the cent (round_half_up_cents) before showing or comparing their text.
    """
    money = DecimalField(max_digits=14, decimal_places=2)
    collected = (
        Collection.objects.filter(recovery=OuterRef("pk"))
        .values("recovery")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    recoveries = Recovery.objects.select_related("dossier").annotate(
        collected=Coalesce(Subquery(collected, output_field=money), Value(ZERO, output_field=money))
    )
    if dossier is not None:
        recoveries = recoveries.filter(dossier=dossier)
    return recoveries.annotate(
        outstanding=ExpressionWrapper(F("amount") - F("collected"), output_field=money)
    ).order_by("issued_date", "id")


def overpaid(*, dossier: Dossier) -> Decimal:
    """Paid beyond what is due, minus what is already ordered back.

    A finished or stopped trajectory: what its settlement (`settlement_preview`) would recover. Any
    other: beyond what the delivered work justifies (latest statement, pro rata). For a dossier found
    ineligible everything paid is undue; the case handler then orders the full amount
    (recovery_create caps at what was paid).
    """
    if dossier.status in SETTLEMENT_STATUSES:
        figures = settlement_preview(dossier=dossier).figures
        if figures is not None:  # None: it cannot be settled; then as any other dossier
            return max(ZERO, -figures.balance)
    statement = statement_latest(dossier=dossier)
    delivered = statement.delivered_amount if statement else ZERO
    due = due_total_for(subsidy=dossier.subsidy_amount, quoted=dossier.quote_excl_vat, delivered=delivered)
    return max(ZERO, paid_total(dossier=dossier) - due - recovered_ordered(dossier=dossier))


# --- settlement (afrekening) ---------------------------------------------------------------------------

SETTLEMENT_STATUSES = (DossierStatus.FINISHED, DossierStatus.STOPPED)


@dataclass(frozen=True)
class SettlementPreview:
    """What approving the settlement of `dossier` would do now, or why it cannot (`blocked`)."""

    dossier: Dossier
    statement: PerformanceStatement | None
    figures: SettlementFigures | None  # None when the dossier cannot be settled at all
    tranche: int | None  # the tranche a last payment would be
    blocked: str  # Dutch reason why it cannot be approved now; empty when it can
    settled: Settlement | None

    def as_data(self) -> dict:
        figures = self.figures
        data: dict[str, object] = {
            "dossier": self.dossier.reference,
            "statement": self.statement.quarter if self.statement else None,
            "blocked": self.blocked,
            "settled": None,
        }
        if figures is not None:
            data.update(
                rule=figures.rule,
                quoted=str(figures.quoted),
                delivered=str(figures.delivered),
                subsidy=str(figures.subsidy),
                due=str(figures.due),
                paid=str(figures.paid),
                ordered_back=str(figures.ordered_back),
                balance=str(figures.balance),
                outcome=figures.outcome,
                tranche=self.tranche,
                steps=list(figures.steps),
            )
        if self.settled is not None:
            data["settled"] = {
                "approved_date": self.settled.approved_date.isoformat(),
                "balance": str(self.settled.balance),
                "payment": self.settled.payment_id,
                "recovery": self.settled.recovery_id,
                "explanation": self.settled.explanation,
            }
        return data


def settlement_preview(*, dossier: Dossier, ineligible: bool = False) -> SettlementPreview:
    """The settlement of a finished or stopped trajectory, computed from its latest statement;
    `ineligible`: the trajectory was found ineligible, nothing is due."""
    settled = Settlement.objects.filter(dossier=dossier).first()
    statement = statement_latest(dossier=dossier)

    def preview(figures=None, tranche=None, blocked=""):
        return SettlementPreview(
            dossier=dossier, statement=statement, figures=figures, tranche=tranche, blocked=blocked, settled=settled
        )

    if dossier.status not in SETTLEMENT_STATUSES:
        return preview(
            blocked=(
                _("Dossier %(reference)s is %(status)s; enkel een afgerond of stopgezet traject wordt afgerekend.")
                % {"reference": dossier.reference, "status": DossierStatus(dossier.status).label}
            )
        )
    call = dossier.call
    paid = paid_tranches(dossier=dossier)
    figures = settlement_compute(
        ending=FINISHED if dossier.status == DossierStatus.FINISHED else STOPPED,
        stopped_rule=call.stopped_settlement,
        threshold=call.tranche1_delivery_threshold,
        quoted=dossier.quote_excl_vat,
        delivered=statement.delivered_amount if statement else ZERO,
        subsidy=dossier.subsidy_amount,
        paid=sum(paid.values(), ZERO),
        ordered_back=recovered_ordered(dossier=dossier),
        ineligible=ineligible,
    )
    if statement is None:
        figures = replace(figures, steps=(_("Geen prestatiestaat: niets geleverd."), *figures.steps))
    tranche = None
    blocked = ""
    if settled is not None:
        blocked = _("Dossier %(reference)s is al afgerekend op %(approved_date)s.") % {
            "reference": dossier.reference,
            "approved_date": format_date(settled.approved_date),
        }
    elif PaymentRequest.objects.filter(dossier=dossier, status=PaymentRequestStatus.REQUESTED).exists():
        blocked = _("Dossier %(reference)s heeft een openstaande betalingsaanvraag; beslis die eerst.") % {
            "reference": dossier.reference
        }
    elif figures.balance > 0:
        if 2 in paid:
            blocked = _("Schijf 2 van dossier %(reference)s is al betaald; een bijkomende betaling kan niet.") % {
                "reference": dossier.reference
            }
        elif figures.paid + figures.balance > dossier.subsidy_amount:
            blocked = _(
                "Betaald %(paid)s + saldo %(balance)s is meer dan de toegekende %(subsidy_amount)s; kijk de terugvorderingen na."
            ) % {
                "paid": format_euro(figures.paid),
                "balance": format_euro(figures.balance),
                "subsidy_amount": format_euro(dossier.subsidy_amount),
            }
        else:
            tranche = 2
    return preview(figures=figures, tranche=tranche, blocked=blocked)


@dataclass(frozen=True)
class TrancheReview:
    """What a case handler checks before approving a payment request: the performance statement
    behind it and the tranche arithmetic (figures only; the page words them)."""

    request: PaymentRequest
    statement: PerformanceStatement
    quoted_amount: Decimal  # the quote excl. VAT
    quoted_man_days: Decimal
    delivered_amount: Decimal  # cumulative, on this statement
    delivered_man_days: Decimal
    delivered_share: Decimal  # delivered / quoted, 0..1 (unrounded)
    subsidy_rate: Decimal  # the call's rate, 0..1
    rate_on_vat_inclusive: bool
    subsidy: Decimal  # granted
    threshold: Decimal  # the call's share of the quote to deliver for tranche 1, 0..1
    threshold_amount: Decimal  # quoted x threshold, to the cent
    threshold_reached: bool
    tranche1_share: Decimal  # the call's share of the grant paid as tranche 1, 0..1
    due_total: Decimal  # due in total on this statement: subsidy x delivered / quoted, at most the grant
    paid_before: Decimal  # paid on this dossier before this request
    payments_before: tuple[Payment, ...]
    due_now: TrancheDue  # the tranche rule now, on this statement
    balance_after: Decimal  # what remains of the grant once this tranche is paid

    @property
    def matches(self) -> bool:
        """The request still asks exactly what the tranche rule gives now (else it must be refused)."""
        return self.due_now.tranche == self.request.tranche and self.due_now.amount == self.request.amount


def tranche_review(*, payment_request: PaymentRequest) -> TrancheReview:
    """The figures behind `payment_request` (see `TrancheReview`)."""
    dossier = payment_request.dossier
    call = dossier.call
    statement = payment_request.statement
    quoted = dossier.quote_excl_vat
    payments = tuple(
        Payment.objects.filter(dossier=dossier).exclude(request=payment_request).order_by("payment_date", "id")
    )
    paid_before = sum((p.amount for p in payments), ZERO)
    amount = payment_request.amount
    return TrancheReview(
        request=payment_request,
        statement=statement,
        quoted_amount=quoted,
        quoted_man_days=dossier.quote_man_days,
        delivered_amount=statement.delivered_amount,
        delivered_man_days=statement.delivered_man_days,
        delivered_share=(statement.delivered_amount / quoted) if quoted > 0 else Decimal(0),
        subsidy_rate=call.subsidy_rate,
        rate_on_vat_inclusive=call.rate_on_vat_inclusive,
        subsidy=dossier.subsidy_amount,
        threshold=call.tranche1_delivery_threshold,
        threshold_amount=round_half_up_cents(quoted * call.tranche1_delivery_threshold),
        threshold_reached=quoted > 0 and statement.delivered_amount >= quoted * call.tranche1_delivery_threshold,
        tranche1_share=call.tranche1_share,
        due_total=due_total_for(subsidy=dossier.subsidy_amount, quoted=quoted, delivered=statement.delivered_amount),
        paid_before=paid_before,
        payments_before=payments,
        due_now=tranche_due(dossier=dossier, statement=statement),
        balance_after=dossier.subsidy_amount - paid_before - amount,
    )
