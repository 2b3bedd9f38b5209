"""Answers 3 and 4 of question 526, generated from what the code does.

Question 3 (how the control mechanism works) is written from the workflow
table (`dossiers.workflow.TRANSITIONS`), the places where the lifecycle
records its own checks as controls, the control kinds and triggers, and the
screening registry, so the text and the diagram cannot drift from the code.

Question 4 (which red flags) is the indicator registry by category with, per
indicator, its hits in the current screening and its hit rate in performed
controls against the random sample's rate (`IndicatorTable`, a table of the
report engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.workflow import TRANSITIONS
from cstraject.reporting.engine import NO_DATA, Measure, Row, Table

from .models import ControlKind, ControlOutcome, ControlStatus, ControlTrigger, FindingCategory, IndicatorHit
from .screening.indicators import INDICATORS
from .screening.registry import Category

# Where the lifecycle records its own checks as controls (see dossiers/services.py and payments/services.py).
STANDARD_CHECKS = {
    "approve": ControlKind.APPLICATION,
    "reject": ControlKind.APPLICATION,
    "payment": ControlKind.DESK_REVIEW,
}


@dataclass(frozen=True)
class ControlProcess:
    paragraphs: list[str]
    diagram: list[str]  # a text diagram, one line per element


def _state(value: str) -> str:
    return str(DossierStatus(value).label)


def control_process(call=None) -> ControlProcess:
    """Question 3: the control process as Dutch text and a diagram, from the workflow and the control kinds."""
    from cstraject.calls.models import Call

    call = call or Call.objects.order_by("-opens_date").first()
    paragraphs = []
    submit, approve, reject = TRANSITIONS["submit"], TRANSITIONS["approve"], TRANSITIONS["reject"]
    paragraphs.append(
        f"1. Controle bij de aanvraag ({ControlKind.APPLICATION.label}). Bij '{submit.label}' en bij "
        f"'{approve.label}' toetst cstraject elk subsidiabiliteitscriterium (kmo-status volgens de Europese "
        "definitie met partner- en verbonden ondernemingen, frequentie, de-minimis, gewest, rechtsvorm, "
        "hoofdactiviteit, overheidsparticipatie, eigen vermogen, offerte en verklaringen op eer) en bewaart per "
        f"criterium de uitkomst, de reden en de gebruikte gegevens. '{approve.label.capitalize()}' kan niet bij een "
        "niet voldaan criterium; een criterium 'na te kijken' vraagt de motivering van de dossierbehandelaar. "
        f"De beslissing ('{approve.label}' of '{reject.label}') wordt geregistreerd als "
        f"'{ControlKind.APPLICATION.label}' ({ControlTrigger.STANDARD.label}); een niet voldaan kmo-criterium "
        f"wordt een bevinding '{FindingCategory.NOT_SME.label}'."
    )
    if call is not None:
        threshold = int(call.tranche1_delivery_threshold * 100)
        share = int(call.tranche1_share * 100)
        paragraphs.append(
            f"2. Bureaucontrole van de prestatiestaat ({ControlKind.DESK_REVIEW.label}). Elk kwartaal dient de "
            "dienstverlener per traject een prestatiestaat in (geleverde mensdagen en bedrag, cumulatief). "
            f"De eerste schijf ({share} % van de steun) is pas verschuldigd vanaf {threshold} % geleverd, de tweede "
            "bij afronding, naar verhouding van wat geleverd werd. Bij elke goedkeuring van een betaling controleert "
            "cstraject de staat tegen de offerte en de reeds betaalde schijven en registreert dat als "
            f"'{ControlKind.DESK_REVIEW.label}'; de databank laat maar één betaling per schijf toe."
        )
    categories = ", ".join(str(label).lower() for label in Category.LABELS.values())
    paragraphs.append(
        f"3. Risicoscreening. Alle dossiers worden in één keer gescreend met {len(INDICATORS)} indicatoren in "
        f"{len(Category.LABELS)} categorieën ({categories}); elke indicator geeft per dossier een zin met de cijfers "
        "waarop hij steunt, en de gewichten tellen op tot een risicoscore. De drempels zijn parameters van de oproep."
    )
    paragraphs.append(
        f"4. Selectie en controles. Uit de screening trekt de controleur een steekproef: de dossiers met de hoogste "
        f"risicoscore ({ControlTrigger.RISK.label}) en een gestratificeerde aselecte steekproef per grootte en jaar "
        f"({ControlTrigger.RANDOM.label}, met bewaarde seed); ook een {ControlTrigger.SIGNAL.label} kan een controle "
        "starten. Soorten controles: " + "; ".join(str(k.label) for k in ControlKind) + "."
    )
    paragraphs.append(
        "5. Uitkomst. Elke controle eindigt met "
        + ", ".join(f"'{o.label}'" for o in ControlOutcome)
        + ". Bevindingen worden ingedeeld ("
        + ", ".join(str(c.label) for c in FindingCategory)
        + "); een bevinding met financieel effect maakt in dezelfde handeling een terugvordering op (nooit meer dan "
        "betaald), een vermoeden van fraude wordt doorverwezen. De trefkans per indicator tegenover die van de "
        "aselecte steekproef toont welke rode vlaggen werken (vraag 4)."
    )
    diagram = []
    for transition in TRANSITIONS.values():
        sources = " / ".join(_state(s) for s in sorted(transition.sources))
        line = f"{sources} --{transition.label}--> {_state(transition.target)}"
        checks = []
        if transition.runs_eligibility:
            checks.append("subsidiabiliteitstoets")
        if transition.name in STANDARD_CHECKS:
            checks.append(f"controle: {STANDARD_CHECKS[transition.name].label}")
        if checks:
            line += f"   [{'; '.join(checks)}]"
        diagram.append(line)
    diagram.append(
        f"{_state(DossierStatus.IN_PROGRESS)} / {_state(DossierStatus.FINISHED)}: prestatiestaat --betaling--> schijf "
        f"[controle: {STANDARD_CHECKS['payment'].label}]"
    )
    diagram.append(
        "alle dossiers --risicoscreening--> risicoscore --steekproef (risico + aselect)--> "
        f"controle ({', '.join(str(k.label) for k in ControlKind if k not in STANDARD_CHECKS.values())})"
    )
    diagram.append(
        "controle --bevinding met financieel effect--> terugvordering --> inning; "
        "vermoeden van fraude --> doorverwijzing"
    )
    return ControlProcess(paragraphs=paragraphs, diagram=diagram)


# --------------------------------------------------------------------------- question 4


SIGNALS = Measure("signalen", "Signalen", False, "")
CONTROLLED = Measure("gecontroleerd", "Gecontroleerd", False, "")
FOUND = Measure("met_bevinding", "Met bevinding", False, "")
RATE = Measure("trefkans", "Trefkans (%)", False, "")
FOUND_Q = Q(outcome__in=[ControlOutcome.IRREGULARITY, ControlOutcome.SUSPECTED_FRAUD])


def _rate(found: int, controlled: int) -> Decimal:
    return (Decimal(found) * 100 / controlled).quantize(Decimal("0.1")) if controlled else Decimal("0.0")


@dataclass(frozen=True)
class IndicatorTable:
    """Question 4: the indicators by category with hits and hit rates (a table spec of the report engine)."""

    key: str = "4_indicatoren"
    question: str = "4"
    title: str = "Rode vlaggen van de automatische screening, per categorie, met signalen en trefkans"

    def sources(self) -> set[str]:
        return set()

    def compute(self, run) -> list[Table]:
        return [self.table(run.period)]

    def table(self, period) -> Table:
        from .models import Control
        from .selectors import current_run

        year = period.label
        basis = (
            f"signalen: dossiers ingediend in {year} met de indicator in de huidige screening; gecontroleerd: "
            f"controles uitgevoerd in {year} op risico, steekproef of signaal (niet de standaardstappen)"
        )
        measures = tuple(Measure(m.key, m.label, False, basis) for m in (SIGNALS, CONTROLLED, FOUND, RATE))
        screening = current_run()
        performed = Control.objects.filter(
            status=ControlStatus.PERFORMED,
            performed_date__year__gte=period.year_from,
            performed_date__year__lte=period.year_to,
        ).exclude(trigger=ControlTrigger.STANDARD)
        hits: dict[str, int] = {}
        rates: dict[str, dict] = {}
        if screening is not None:
            in_period = IndicatorHit.objects.filter(
                run=screening,
                dossier__submitted_date__year__gte=period.year_from,
                dossier__submitted_date__year__lte=period.year_to,
            )
            hits = dict(in_period.values_list("indicator").annotate(n=Count("id")))
            found_q = Q(dossier__controls__outcome__in=[ControlOutcome.IRREGULARITY, ControlOutcome.SUSPECTED_FRAUD])
            for row in (
                IndicatorHit.objects.filter(run=screening, dossier__controls__in=performed.values("pk"))
                .values("indicator")
                .annotate(
                    n=Count("dossier__controls", distinct=True),
                    found=Count("dossier__controls", filter=found_q, distinct=True),
                )
            ):
                rates[row["indicator"]] = row
        random = performed.filter(trigger=ControlTrigger.RANDOM).aggregate(
            n=Count("id"), found=Count("id", filter=FOUND_Q)
        )

        def values(signals: int, controlled: int, found: int) -> dict:
            return {
                (year, "signalen"): signals,
                (year, "gecontroleerd"): controlled,
                (year, "met_bevinding"): found,
                (year, "trefkans"): _rate(found, controlled),
            }

        rows = []
        if hits or rates or random["n"]:
            for indicator in sorted(INDICATORS, key=lambda i: (Category.ORDER.index(i.category), i.code)):
                rate = rates.get(indicator.code, {})
                rows.append(
                    Row(
                        category=(
                            indicator.category_label,
                            f"{indicator.title} ({indicator.code}, gewicht {indicator.weight})",
                        ),
                        values=values(hits.get(indicator.code, 0), rate.get("n", 0), rate.get("found", 0)),
                    )
                )
            rows.append(
                Row(
                    category=("Vergelijkingsbasis", "Aselecte steekproef (zonder rode vlag gekozen)"),
                    values=values(0, random["n"], random["found"]),
                )
            )
        # Totaal: all signals; controls and findings over the flagged dossiers counted once per indicator.
        total = None
        if rows:
            flagged = [row for row in rows[:-1]]
            sums = [
                sum(row.values[(year, key)] for row in flagged)
                for key in ("signalen", "gecontroleerd", "met_bevinding")
            ]
            total = Row(category=("Totaal",), values=values(*sums), is_total=True)
        if screening is None:
            when = f"{NO_DATA} Er is nog geen screening uitgevoerd."
        elif not rows:
            when = f"{NO_DATA} Screening {screening.pk} van {screening.finished_at:%d/%m/%Y}."
        else:
            when = f"Screening {screening.pk} van {screening.finished_at:%d/%m/%Y}."
        note = (
            f"{when} Trefkans = aandeel van de controles op gemarkeerde dossiers dat een onregelmatigheid of een "
            "vermoeden van fraude vond, in %; te vergelijken met de aselecte steekproef. Het register (wat elke "
            "indicator nagaat, waarom, met welke bron en drempels): `cstraject screening indicators`."
        )
        return Table(
            question=self.question,
            key=self.key,
            title=self.title,
            dimensions=("categorie", "indicator"),
            years=(year,),
            measures=measures,
            rows=tuple(rows),
            total=total,
            note=note,
        )


def answer_tables(*, year_from: int, year_to: int) -> list[Table]:
    """The tables of question 4, after those of the report engine (`statistics.question_tables`).

    Kept apart from the engine's tables: a rate is not a sum (its Totaal is the overall rate)."""
    from cstraject.reporting.engine import Period

    return [IndicatorTable().table(Period(year_from, year_to))]
