"""Answer 3 of question 526, generated from what the code does.

Question 3 (how the control mechanism works) is written from the workflow
table (`dossiers.workflow.TRANSITIONS`), the places where the lifecycle
records its own checks as controls, the control kinds and triggers, and the
screening registry, so the text and the diagram cannot drift from the code.

Question 4 (which red flags, with hits and hit rates) is a table of the
report: `reporting.oversight`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.workflow import TRANSITIONS

from .models import ControlKind, ControlOutcome, ControlTrigger, FindingCategory
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
        f"criterium de uitkomst, de reden en de gebruikte gegevens. '{str(approve.label).capitalize()}' kan niet bij een "
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
