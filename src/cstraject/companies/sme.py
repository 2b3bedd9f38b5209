"""SME size (kmo-grootte) by the EU definition, Recommendation 2003/361/EC.

- Ceilings (Annex, art. 2): medium < 250 staff and (turnover <= EUR 50 M or
  balance-sheet total <= EUR 43 M); small < 50 and (<= 10 M or <= 10 M);
  micro < 10 and (<= 2 M or <= 2 M). Anything else is large (groot).
- The figures are those of the undertaking (Annex, art. 3 and 6). A stored
  relation says "company holds share_pct % of related_company"; both
  directions count (upstream and downstream):
  * linked enterprises (more than 50 %), directly or indirectly (through a
    chain of links, art. 3(3)), count in full (art. 6(2));
  * partner enterprises (25 % up to and including 50 %) immediately upstream
    or downstream count pro rata to the share (art. 6(2)), each with its own
    linked enterprises in full (art. 6(3));
  * partners of the linked enterprises count pro rata as well (art. 6(4));
  * a holding under 25 % does not count (autonomous).
  An enterprise reached by two routes counts once, with the larger weight;
  a cycle of ownership is walked once (visited set).
- Arithmetic is exact Decimal: the parts are never rounded before they are
  added, and the totals are compared with the ceilings as they are
  (247.6 + 25 % x 9.5 = 249.975 FTE is below 250).
- Two-year rule (art. 4.2): an enterprise gains or loses a status only when
  it crosses the ceilings in two consecutive accounting years. The first
  year on record sets the starting status.
- Only closed accounting years count: years before the year of the check.
- Abbreviated and micro schemes need not show a turnover (NBB rubric 70):
  the turnover is then unknown (None). The financial criterion is "turnover
  OR balance-sheet total within the ceiling", so the balance-sheet total
  alone decides; an unknown turnover never meets a ceiling.

`undertaking_aggregate` is the rule on plain inputs (relations and figures,
keyed by enterprise number); `sme_inputs` is the one place that loads those
inputs, from a `figures` source (`companies.figures`): the agency's master
data, or master data plus one dossier's declarations
(`dossiers.declared.dossier_figures`).
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number

from .figures import MASTER_DATA, CompanyFigures
from .models import Company

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
ONE = Decimal(1)

# How an enterprise is counted (the `kind` of a part).
OWN = "eigen"
LINKED = "linked"
PARTNER = "partner"
LINKED_OF_PARTNER = "linked_of_partner"
PARTNER_OF_LINKED = "partner_of_linked"
KIND_LABELS = {
    OWN: gettext_lazy("eigen cijfers"),
    LINKED: gettext_lazy("verbonden onderneming, volledig"),
    PARTNER: gettext_lazy("partneronderneming, pro rata"),
    LINKED_OF_PARTNER: gettext_lazy("verbonden met partneronderneming, pro rata van die partner"),
    PARTNER_OF_LINKED: gettext_lazy("partner van verbonden onderneming, pro rata"),
}


def size_class_for(*, headcount: Decimal, turnover: Decimal | None, balance_sheet_total: Decimal) -> str:
    """The size class of one year's exact figures, without the two-year rule (turnover None: not filed)."""
    for name, staff_below, turnover_max, balance_max in CEILINGS:
        within_turnover = turnover is not None and turnover <= turnover_max
        if headcount < staff_below and (within_turnover or balance_sheet_total <= balance_max):
            return name
    return GROOT


def relation_weight(share_pct: Decimal) -> Decimal:
    """Fraction of a related enterprise's figures that counts: 1 if linked, share if partner, 0 otherwise."""
    share = Decimal(share_pct)
    if share > LINKED_ABOVE_PCT:
        return ONE
    if share >= PARTNER_MIN_PCT:
        return share / 100
    return Decimal(0)


# --- the rule on plain inputs -----------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """`holder` holds `share_pct` % of `held` (capital or voting rights, whichever is greater)."""

    holder: str
    held: str
    share_pct: Decimal


@dataclass(frozen=True)
class Figures:
    headcount: Decimal
    turnover: Decimal | None  # None: not filed (abbreviated or micro scheme)
    balance_sheet_total: Decimal


@dataclass(frozen=True)
class Part:
    """One enterprise's contribution: its figures times its weight, with the route that brought it in."""

    company: str
    kind: str
    weight: Decimal  # 1 for the enterprise itself and linked ones, share / 100 for partners
    via: tuple[str, ...]  # the chain of enterprises from the applicant to this one
    figures: Figures | None  # None: no accounts for the year

    def _present(self) -> Figures:
        if self.figures is None:
            raise ValueError(f"{self.company} has no accounts for the year; see Aggregation.missing.")
        return self.figures

    @property
    def headcount(self) -> Decimal:
        return self._present().headcount * self.weight

    @property
    def turnover(self) -> Decimal | None:
        turnover = self._present().turnover
        return None if turnover is None else turnover * self.weight

    @property
    def balance_sheet_total(self) -> Decimal:
        return self._present().balance_sheet_total * self.weight

    def as_data(self) -> dict:
        data = {
            "company": self.company,
            "kind": self.kind,
            "share_pct": _plain(self.weight * 100),
            "via": list(self.via),
        }
        if self.figures is not None:
            data.update(
                own_headcount=_staff(self.figures.headcount),
                own_turnover=_money(self.figures.turnover),
                own_balance_sheet_total=_money(self.figures.balance_sheet_total),
                headcount=_staff(self.headcount),
                turnover=_money(self.turnover),
                balance_sheet_total=_money(self.balance_sheet_total),
            )
        return data

    def explain(self) -> str:
        route = " -> ".join(self.via)
        label = KIND_LABELS[self.kind]
        if self.figures is None:
            return _("%(company)s (%(label)s, via %(route)s): geen jaarrekening") % {
                "company": self.company,
                "label": label,
                "route": route,
            }
        if self.weight == ONE:
            return _("%(company)s (%(label)s%(via)s): %(staff)s VTE, omzet %(turnover)s, balanstotaal %(balance)s") % {
                "company": self.company,
                "label": label,
                "via": ", via " + route if len(self.via) > 1 else "",
                "staff": _staff_text(self.figures.headcount),
                "turnover": _money_text(self.figures.turnover),
                "balance": _money_text(self.figures.balance_sheet_total),
            }
        pct = _pct_text(self.weight * 100)
        return _(
            "%(company)s (%(label)s %(pct)s %%, via %(route)s): %(pct)s %% x %(staff)s = %(staff_share)s VTE, "
            "%(pct)s %% x %(turnover)s = %(turnover_share)s omzet, "
            "%(pct)s %% x %(balance)s = %(balance_share)s balanstotaal"
        ) % {
            "company": self.company,
            "label": label,
            "pct": pct,
            "route": route,
            "staff": _staff_text(self.figures.headcount),
            "staff_share": _staff_text(self.headcount),
            "turnover": _money_text(self.figures.turnover),
            "turnover_share": _money_text(self.turnover),
            "balance": _money_text(self.figures.balance_sheet_total),
            "balance_share": _money_text(self.balance_sheet_total),
        }


@dataclass(frozen=True)
class Aggregation:
    headcount: Decimal
    turnover: Decimal | None  # None when a counted enterprise filed no turnover
    balance_sheet_total: Decimal
    parts: tuple[Part, ...]

    @property
    def missing(self) -> list[str]:
        return [p.company for p in self.parts if p.figures is None]

    @property
    def size_class(self) -> str:
        return size_class_for(
            headcount=self.headcount, turnover=self.turnover, balance_sheet_total=self.balance_sheet_total
        )


def _plain(value: Decimal, places: int = 0) -> str:
    """Exact text of a Decimal, no exponent, trailing zeros dropped down to `places` decimals
    (2.37500 -> 2.375; 12 -> 12.0 with places=1). Never rounds."""
    value = Decimal(value).normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:  # a str exponent: NaN or infinity, never quantized
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f")


def _staff(value: Decimal) -> str:
    return _plain(value, 1)


def _money(value: Decimal | None) -> str:
    return _("niet neergelegd") if value is None else _plain(value, 2)


def _staff_text(value: Decimal) -> str:
    """Staff in a sentence, as the active language writes numbers, never rounded (`2,5`)."""
    return format_number(Decimal(_staff(value)))


def _money_text(value: Decimal | None) -> str:
    """An amount in a sentence, as the active language writes it, never rounded (`€ 1.234,5625`)."""
    return _("niet neergelegd") if value is None else format_euro(value, exact=True)


def _pct_text(value: Decimal) -> str:
    return format_number(Decimal(_plain(value)))


def _neighbours(relations: Iterable[Relation]) -> dict[str, dict[str, Decimal]]:
    """Both directions, the highest share per pair, relations under 25 % left out."""
    graph: dict[str, dict[str, Decimal]] = {}
    for relation in relations:
        share = Decimal(relation.share_pct)
        if share < PARTNER_MIN_PCT or relation.holder == relation.held:
            continue
        for a, b in ((relation.holder, relation.held), (relation.held, relation.holder)):
            graph.setdefault(a, {})
            graph[a][b] = max(share, graph[a].get(b, Decimal(0)))
    return graph


def _linked_chains(graph: dict[str, dict[str, Decimal]], start: str) -> dict[str, tuple[str, ...]]:
    """Every enterprise linked to `start` directly or indirectly, with the shortest chain (sorted BFS)."""
    chains: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for other in sorted(graph.get(current, {})):
            if other not in chains and graph[current][other] > LINKED_ABOVE_PCT:
                chains[other] = (*chains[current], other)
                queue.append(other)
    return chains


def undertaking_aggregate(
    *, applicant: str, relations: Iterable[Relation], figures: Mapping[str, Figures]
) -> Aggregation:
    """The figures of the undertaking of `applicant` (Annex art. 6), exact, with every part shown.

    The result does not depend on the order of `relations`.
    """
    graph = _neighbours(relations)
    linked = _linked_chains(graph, applicant)
    # company -> (weight, kind, chain); the larger weight wins, ties by the shorter then smaller chain.
    chosen: dict[str, tuple[Decimal, str, tuple[str, ...]]] = {}

    def offer(company: str, weight: Decimal, kind: str, chain: tuple[str, ...]) -> None:
        current = chosen.get(company)
        candidate = (weight, kind, chain)
        if current is None or (weight, -len(chain), tuple(reversed(chain))) > (
            current[0],
            -len(current[2]),
            tuple(reversed(current[2])),
        ):
            chosen[company] = candidate

    for company, chain in linked.items():
        offer(company, ONE, OWN if company == applicant else LINKED, chain)
    for member, chain in sorted(linked.items()):
        for other, share in sorted(graph.get(member, {}).items()):
            if other in linked or share > LINKED_ABOVE_PCT:
                continue
            weight = share / 100
            if member == applicant:
                # Art. 6(3): a partner's figures include its own linked enterprises in full.
                for partner_linked, sub_chain in _linked_chains(graph, other).items():
                    if partner_linked in linked:
                        continue
                    kind = PARTNER if partner_linked == other else LINKED_OF_PARTNER
                    offer(partner_linked, weight, kind, (*chain, *sub_chain))
            else:
                offer(other, weight, PARTNER_OF_LINKED, (*chain, other))

    order = {OWN: 0, LINKED: 1, PARTNER: 2, LINKED_OF_PARTNER: 3, PARTNER_OF_LINKED: 4}
    parts = tuple(
        Part(company=company, kind=kind, weight=weight, via=chain, figures=figures.get(company))
        for company, (weight, kind, chain) in sorted(chosen.items(), key=lambda kv: (order[kv[1][1]], kv[0]))
    )
    present = [p for p in parts if p.figures is not None]
    return Aggregation(
        headcount=sum((p.headcount for p in present), Decimal(0)),
        turnover=_sum_or_none([p.turnover for p in present]),
        balance_sheet_total=sum((p.balance_sheet_total for p in present), Decimal(0)),
        parts=parts,
    )


def _sum_or_none(values: list[Decimal | None]) -> Decimal | None:
    """The exact sum; None when any value is unknown (a turnover not filed)."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if len(known) == len(values) else None


def aggregation_explain(aggregation: Aggregation) -> str:
    """Every step of the sum in Dutch, ending with the exact totals compared with the ceilings."""
    steps = "; ".join(p.explain() for p in aggregation.parts)
    return _("%(steps)s. Samen (exact, niet afgerond): %(staff)s VTE, omzet %(money)s, balanstotaal %(money2)s") % {
        "steps": steps,
        "staff": _staff_text(aggregation.headcount),
        "money": _money_text(aggregation.turnover),
        "money2": _money_text(aggregation.balance_sheet_total),
    }


# --- loading the inputs -----------------------------------------------------------------------


def sme_inputs(
    *, company: Company, years: Iterable[int], source: CompanyFigures = MASTER_DATA
) -> tuple[list[Relation], dict[int, dict[str, Figures]]]:
    """The relations around `company` (every enterprise reachable through a relation of 25 % or more,
    either direction) and the annual figures of those enterprises for `years`, read from `source`."""
    years = list(years)
    relations: dict[tuple[int, int], Relation] = {}
    numbers = {company.pk: company.enterprise_number}
    frontier = {company.pk}
    while frontier:
        new = set()
        for relation in source.relations_touching(company_ids=frontier, min_pct=PARTNER_MIN_PCT):
            relations[(relation.company_id, relation.related_company_id)] = Relation(
                holder=relation.company.enterprise_number,
                held=relation.related_company.enterprise_number,
                share_pct=relation.share_pct,
            )
            for other in (relation.company, relation.related_company):
                if other.pk not in numbers:
                    numbers[other.pk] = other.enterprise_number
                    new.add(other.pk)
        frontier = new
    figures: dict[int, dict[str, Figures]] = {year: {} for year in years}
    for accounts in source.accounts_for(company_ids=set(numbers), years=years):
        figures[accounts.year][numbers[accounts.company_id]] = Figures(
            headcount=accounts.headcount, turnover=accounts.turnover, balance_sheet_total=accounts.balance_sheet_total
        )
    return list(relations.values()), figures


# --- status over the years --------------------------------------------------------------------


@dataclass
class YearFigures:
    year: int
    headcount: Decimal
    turnover: Decimal | None
    balance_sheet_total: Decimal
    size_class: str
    parts: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # related enterprises without accounts for the year
    explanation: str = ""

    def as_data(self) -> dict:
        return {
            "year": self.year,
            "headcount": _staff(self.headcount),
            "turnover": _money(self.turnover),
            "balance_sheet_total": _money(self.balance_sheet_total),
            "size_class": self.size_class,
            "parts": self.parts,
            "missing": self.missing,
            "explanation": self.explanation,
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


def year_figures(*, year: int, aggregation: Aggregation) -> YearFigures:
    return YearFigures(
        year=year,
        headcount=aggregation.headcount,
        turnover=aggregation.turnover,
        balance_sheet_total=aggregation.balance_sheet_total,
        size_class=aggregation.size_class,
        parts=[p.as_data() for p in aggregation.parts],
        missing=aggregation.missing,
        explanation=aggregation_explain(aggregation),
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


def sme_status(*, company: Company, on_date: date, source: CompanyFigures = MASTER_DATA) -> SmeStatus:
    """The company's size class on `on_date`, from its closed accounting years (inputs from `source`)."""
    years = source.accounting_years(company_id=company.pk, before=on_date.year)
    relations, by_year = sme_inputs(company=company, years=years, source=source)
    figures = [
        year_figures(
            year=year,
            aggregation=undertaking_aggregate(
                applicant=company.enterprise_number, relations=relations, figures=by_year[year]
            ),
        )
        for year in years
    ]
    if not figures:
        return SmeStatus(
            size_class=None,
            basis=None,
            years=[],
            reason=(
                _("Geen afgesloten boekjaar vóór %(year)s gekend; de kmo-status steunt enkel op de verklaring op eer.")
                % {"year": on_date.year}
            ),
        )
    status = status_over_years([f.size_class for f in figures])
    last = figures[-1]
    history = ""
    if len(figures) > 1:
        history = _(" Eerdere boekjaren: %(years)s.") % {
            "years": ", ".join(f"{f.year} {f.size_class}" for f in figures[:-1])
        }
    if status == last.size_class:
        reason = _("Boekjaar %(year)s: %(explanation)s: %(status)s.%(history)s") % {
            "year": last.year,
            "explanation": last.explanation,
            "status": status,
            "history": history,
        }
    else:
        reason = _(
            "Boekjaar %(year)s: %(explanation)s: %(size_class)s, maar de status wijzigt pas na twee opeenvolgende boekjaren: blijft %(status)s.%(history)s"
        ) % {
            "year": last.year,
            "explanation": last.explanation,
            "size_class": last.size_class,
            "status": status,
            "history": history,
        }
    return SmeStatus(size_class=status, basis=last, years=figures, reason=reason)
