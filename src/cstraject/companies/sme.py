"""SME size (kmo-grootte) by the EU definition, Recommendation 2003/361/EC.

- Ceilings (Annex, art. 2): medium < 250 staff and (turnover <= EUR 50 M or
  balance-sheet total <= EUR 43 M); small < 50 and (<= 10 M or <= 10 M);
  micro < 10 and (<= 2 M or <= 2 M). Anything else is large (groot).
- The figures are those of the undertaking: the company's own, plus its
  partner enterprises (25 % up to and including 50 %) pro rata to the share,
  plus its linked enterprises (more than 50 %) in full (art. 6). A holding
  under 25 % is autonomous and does not count. We take the relations stored
  for the company (`CompanyRelation.company == company`), one level deep.
- Two-year rule (art. 4.2): an enterprise gains or loses a status only when
  it crosses the ceilings in two consecutive accounting years. The first
  year on record sets the starting status.
- Only closed accounting years count: years before the year of the check.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cstraject.core.money import round_half_up_cents

from .figures import MASTER_DATA, CompanyFigures
from .models import Company, RelationKind

MICRO, KLEIN, MIDDELGROOT, GROOT = "micro", "klein", "middelgroot", "groot"
ORDER = [MICRO, KLEIN, MIDDELGROOT, GROOT]

# (class, headcount strictly below, turnover at most, balance-sheet total at most)
CEILINGS = (
    (MICRO, Decimal("10"), Decimal("2000000.00"), Decimal("2000000.00")),
    (KLEIN, Decimal("50"), Decimal("10000000.00"), Decimal("10000000.00")),
    (MIDDELGROOT, Decimal("250"), Decimal("50000000.00"), Decimal("43000000.00")),
)

PARTNER_MIN_PCT = Decimal("25")
LINKED_ABOVE_PCT = Decimal("50")


def size_class_for(*, headcount: Decimal, turnover: Decimal, balance_sheet_total: Decimal) -> str:
    """The size class of one year's figures, without the two-year rule."""
    for name, staff_below, turnover_max, balance_max in CEILINGS:
        if headcount < staff_below and (turnover <= turnover_max or balance_sheet_total <= balance_max):
            return name
    return GROOT


def relation_weight(share_pct: Decimal) -> Decimal:
    """Fraction of a related enterprise's figures that counts: 1 if linked, share if partner, 0 otherwise."""
    share = Decimal(share_pct)
    if share > LINKED_ABOVE_PCT:
        return Decimal(1)
    if share >= PARTNER_MIN_PCT:
        return share / 100
    return Decimal(0)


@dataclass
class YearFigures:
    year: int
    headcount: Decimal
    turnover: Decimal
    balance_sheet_total: Decimal
    size_class: str
    parts: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # related enterprises without accounts for the year

    def as_data(self) -> dict:
        return {
            "year": self.year,
            "headcount": str(self.headcount),
            "turnover": str(self.turnover),
            "balance_sheet_total": str(self.balance_sheet_total),
            "size_class": self.size_class,
            "parts": self.parts,
            "missing": self.missing,
        }


@dataclass
class SmeStatus:
    size_class: str | None  # None when there are no closed accounting years on record
    basis: YearFigures | None
    years: list[YearFigures]
    reason: str

    @property
    def complete(self) -> bool:
        return self.basis is not None and not any(y.missing for y in self.years)


def undertaking_figures(*, company: Company, year: int, figures: CompanyFigures = MASTER_DATA) -> YearFigures | None:
    """Own figures of `year` plus partners pro rata and linked enterprises in full.

    `figures` says where the inputs come from (master data, or master data plus one dossier's declarations)."""
    own = figures.annual_accounts(company_id=company.pk, year=year)
    if own is None:
        return None
    headcount, turnover, balance = own.headcount, own.turnover, own.balance_sheet_total
    parts = [
        {
            "company": company.enterprise_number,
            "share_pct": "100",
            "kind": "eigen",
            "headcount": str(own.headcount),
            "turnover": str(own.turnover),
            "balance_sheet_total": str(own.balance_sheet_total),
        }
    ]
    missing = []
    relations = figures.relations(company_id=company.pk)
    for relation in relations:
        weight = relation_weight(relation.share_pct)
        if not weight:
            continue
        related = relation.related_company
        accounts = figures.annual_accounts(company_id=related.pk, year=year)
        if accounts is None:
            missing.append(related.enterprise_number)
            continue
        part_headcount = (accounts.headcount * weight).quantize(Decimal("0.1"))
        part_turnover = round_half_up_cents(accounts.turnover * weight)
        part_balance = round_half_up_cents(accounts.balance_sheet_total * weight)
        headcount += part_headcount
        turnover += part_turnover
        balance += part_balance
        parts.append(
            {
                "company": related.enterprise_number,
                "share_pct": str(relation.share_pct),
                "kind": str(RelationKind.LINKED if weight == 1 else RelationKind.PARTNER),
                "headcount": str(part_headcount),
                "turnover": str(part_turnover),
                "balance_sheet_total": str(part_balance),
            }
        )
    return YearFigures(
        year=year,
        headcount=headcount,
        turnover=turnover,
        balance_sheet_total=balance,
        size_class=size_class_for(headcount=headcount, turnover=turnover, balance_sheet_total=balance),
        parts=parts,
        missing=missing,
    )


def status_over_years(classes: list[str]) -> str:
    """Apply the two-year rule to the yearly classes (oldest first)."""
    status = classes[0]
    for previous, current in zip(classes, classes[1:]):
        rank, prev_rank, cur_rank = ORDER.index(status), ORDER.index(previous), ORDER.index(current)
        if prev_rank > rank and cur_rank > rank:
            status = ORDER[min(prev_rank, cur_rank)]
        elif prev_rank < rank and cur_rank < rank:
            status = ORDER[max(prev_rank, cur_rank)]
    return status


def sme_status(*, company: Company, on_date: date, figures: CompanyFigures = MASTER_DATA) -> SmeStatus:
    """The company's size class on `on_date`, from its closed accounting years."""
    source = figures
    years = source.accounting_years(company_id=company.pk, before=on_date.year)
    figures = [
        f for f in (undertaking_figures(company=company, year=y, figures=source) for y in years) if f is not None
    ]
    if not figures:
        return SmeStatus(
            size_class=None,
            basis=None,
            years=[],
            reason=f"Geen afgesloten boekjaar vóór {on_date.year} gekend; de kmo-status steunt enkel op de verklaring op eer.",
        )
    status = status_over_years([f.size_class for f in figures])
    last = figures[-1]
    if status == last.size_class:
        reason = (
            f"Boekjaar {last.year}: {last.headcount} VTE, omzet {last.turnover}, balanstotaal "
            f"{last.balance_sheet_total} (met partner- en verbonden ondernemingen): {status}."
        )
    else:
        reason = (
            f"Boekjaar {last.year} geeft {last.size_class} ({last.headcount} VTE, omzet {last.turnover}, balanstotaal "
            f"{last.balance_sheet_total}), maar de status wijzigt pas na twee opeenvolgende boekjaren: blijft {status}."
        )
    return SmeStatus(size_class=status, basis=last, years=figures, reason=reason)
