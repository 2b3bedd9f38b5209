"""The final settlement (afrekening) of a finished or stopped trajectory, on plain figures.

    due     = grant x delivered / quoted, rounded half-up to the cent, never above the grant
              (a stopped trajectory: the call's `stopped_settlement` rule, see below)
    balance = due - (paid - already ordered back)
    balance > 0: a last payment of `balance`; balance < 0: a recovery order of -balance; 0: nothing.

The call's rule for a stopped trajectory (`Call.stopped_settlement`), default `pro_rata`:
- `pro_rata`: the delivered work is paid pro rata, as for a finished trajectory (the default: the
  scheme pays "de geleverde prestaties", and a finished trajectory below the first tranche's
  threshold is paid pro rata too, see payments/selectors.py);
- `threshold`: pro rata, but nothing when less than the first tranche's delivery threshold
  (`Call.tranche1_delivery_threshold`, 60 %) was delivered;
- `nothing`: nothing is due; everything paid is recovered.

A trajectory found ineligible (not an SME after all, a false declaration) is settled with
`ineligible=True` whatever the rule: nothing is due, everything paid is recovered.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cstraject.calls.models import StoppedSettlement
from cstraject.core.money import ZERO, format_euro, round_half_up_cents
from cstraject.core.numbers import format_number

FINISHED, STOPPED = "finished", "stopped"


@dataclass(frozen=True)
class SettlementFigures:
    rule: str  # "finished" or "stopped:<call rule>"
    quoted: Decimal
    delivered: Decimal
    subsidy: Decimal
    due: Decimal
    paid: Decimal
    ordered_back: Decimal
    balance: Decimal
    steps: tuple[str, ...]  # the arithmetic, one Dutch line per step

    @property
    def explanation(self) -> str:
        return " ".join(self.steps)

    @property
    def outcome(self) -> str:
        if self.balance > 0:
            return "payment"
        if self.balance < 0:
            return "recovery"
        return "none"


def settlement_compute(
    *,
    ending: str,
    stopped_rule: str,
    threshold: Decimal,
    quoted: Decimal,
    delivered: Decimal,
    subsidy: Decimal,
    paid: Decimal,
    ordered_back: Decimal,
    ineligible: bool = False,
) -> SettlementFigures:
    """The settlement of one trajectory (see module docstring); every amount exact to the cent."""
    delivered_counted = min(delivered, quoted)
    steps = [
        (
            _("Geleverd %(delivered)s van %(quoted)s excl. btw volgens de offerte.")
            % {"delivered": format_euro(delivered), "quoted": format_euro(quoted)}
        )
    ]
    if delivered > quoted:
        steps.append(_("Meer dan de offerte telt niet: %(quoted)s.") % {"quoted": format_euro(quoted)})
    pro_rata = ZERO if quoted <= 0 else min(subsidy, round_half_up_cents(subsidy * delivered_counted / quoted))
    formula = _("%(subsidy)s x %(delivered)s / %(quoted)s = %(due)s") % {
        "subsidy": format_euro(subsidy),
        "delivered": format_euro(delivered_counted),
        "quoted": format_euro(quoted),
        "due": format_euro(pro_rata),
    }
    if ineligible:
        rule = f"{ending}:ineligible"
        due = ZERO
        steps.append(_("Niet subsidiabel bevonden: niets verschuldigd, alles wat betaald is, wordt teruggevorderd."))
    elif ending == FINISHED:
        rule = FINISHED
        due = pro_rata
        steps.append(
            _("Afgerond traject: verschuldigd = steun x geleverd / offerte = %(formula)s.") % {"formula": formula}
        )
    else:
        rule = f"{STOPPED}:{stopped_rule}"
        label = StoppedSettlement(stopped_rule).label
        if stopped_rule == StoppedSettlement.NOTHING:
            due = ZERO
            steps.append(
                _("Stopgezet traject, regel van de oproep '%(label)s': verschuldigd %(due)s.")
                % {"label": label, "due": format_euro(ZERO)}
            )
        elif stopped_rule == StoppedSettlement.THRESHOLD and delivered_counted < quoted * threshold:
            due = ZERO
            needed = round_half_up_cents(quoted * threshold)
            steps.append(
                _(
                    "Stopgezet traject, regel van de oproep '%(label)s': geleverd %(delivered_counted)s is minder dan %(threshold)s %% van de offerte (%(needed)s): verschuldigd %(due)s."
                )
                % {
                    "label": label,
                    "delivered_counted": format_euro(delivered_counted),
                    "threshold": format_number(threshold * 100, places=0),
                    "needed": format_euro(needed),
                    "due": format_euro(ZERO),
                }
            )
        else:
            due = pro_rata
            steps.append(
                _("Stopgezet traject, regel van de oproep '%(label)s': verschuldigd = %(formula)s.")
                % {"label": label, "formula": formula}
            )
    net_paid = paid - ordered_back
    balance = due - net_paid
    steps.append(
        (
            _("Saldo = verschuldigd %(due)s - (betaald %(paid)s - al teruggevorderd %(ordered_back)s) = %(balance)s")
            % {
                "due": format_euro(due),
                "paid": format_euro(paid),
                "ordered_back": format_euro(ordered_back),
                "balance": format_euro(balance),
            }
        )
        + (
            (_(": laatste betaling van %(balance)s.") % {"balance": format_euro(balance)})
            if balance > 0
            else (_(": terugvordering van %(value)s.") % {"value": format_euro(-balance)})
            if balance < 0
            else _(": niets te betalen of terug te vorderen.")
        )
    )
    return SettlementFigures(
        rule=rule,
        quoted=quoted,
        delivered=delivered_counted,
        subsidy=subsidy,
        due=due,
        paid=paid,
        ordered_back=ordered_back,
        balance=balance,
        steps=tuple(steps),
    )
