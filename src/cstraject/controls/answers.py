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

from django.utils.translation import gettext as _

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
        _(
            "1. Controle bij de aanvraag (%(application)s). Bij '%(submit)s' en bij '%(approve)s' toetst cstraject elk subsidiabiliteitscriterium (kmo-status volgens de Europese definitie met partner- en verbonden ondernemingen, frequentie, de-minimis, gewest, rechtsvorm, hoofdactiviteit, overheidsparticipatie, eigen vermogen, offerte en verklaringen op eer) en bewaart per criterium de uitkomst, de reden en de gebruikte gegevens. '%(capitalize)s' kan niet bij een niet voldaan criterium; een criterium 'na te kijken' vraagt de motivering van de dossierbehandelaar. De beslissing ('%(approve)s' of '%(reject)s') wordt geregistreerd als '%(application)s' (%(standard)s); een niet voldaan kmo-criterium wordt een bevinding '%(not_sme)s'."
        )
        % {
            "application": ControlKind.APPLICATION.label,
            "submit": submit.label,
            "approve": approve.label,
            "capitalize": str(approve.label).capitalize(),
            "reject": reject.label,
            "standard": ControlTrigger.STANDARD.label,
            "not_sme": FindingCategory.NOT_SME.label,
        }
    )
    if call is not None:
        threshold = int(call.tranche1_delivery_threshold * 100)
        share = int(call.tranche1_share * 100)
        paragraphs.append(
            _(
                "2. Bureaucontrole van de prestatiestaat (%(desk_review)s). Elk kwartaal dient de dienstverlener per traject een prestatiestaat in (geleverde mensdagen en bedrag, cumulatief). De eerste schijf (%(share)s %% van de steun) is pas verschuldigd vanaf %(threshold)s %% geleverd, de tweede bij afronding, naar verhouding van wat geleverd werd. Bij elke goedkeuring van een betaling controleert cstraject de staat tegen de offerte en de reeds betaalde schijven en registreert dat als '%(desk_review)s'; de databank laat maar één betaling per schijf toe."
            )
            % {"desk_review": ControlKind.DESK_REVIEW.label, "share": share, "threshold": threshold}
        )
    categories = ", ".join(str(label).lower() for label in Category.LABELS.values())
    paragraphs.append(
        _(
            "3. Risicoscreening. Alle dossiers worden in één keer gescreend met %(n_indicators)s indicatoren in %(n_labels)s categorieën (%(categories)s); elke indicator geeft per dossier een zin met de cijfers waarop hij steunt, en de gewichten tellen op tot een risicoscore. De drempels zijn parameters van de oproep."
        )
        % {"n_indicators": len(INDICATORS), "n_labels": len(Category.LABELS), "categories": categories}
    )
    paragraphs.append(
        _(
            "4. Selectie en controles. Uit de screening trekt de controleur een steekproef: de dossiers met de hoogste risicoscore (%(risk)s) en een gestratificeerde aselecte steekproef per grootte en jaar (%(random)s, met bewaarde seed); ook een %(signal)s kan een controle starten. Soorten controles: %(kinds)s."
        )
        % {
            "risk": ControlTrigger.RISK.label,
            "random": ControlTrigger.RANDOM.label,
            "signal": ControlTrigger.SIGNAL.label,
            "kinds": "; ".join(str(k.label) for k in ControlKind),
        }
    )
    paragraphs.append(
        _(
            "5. Uitkomst. Elke controle eindigt met %(outcomes)s. Bevindingen worden ingedeeld (%(categories)s); een "
            "bevinding met financieel effect maakt in dezelfde handeling een terugvordering op (nooit meer dan "
            "betaald), een vermoeden van fraude wordt doorverwezen. De trefkans per indicator tegenover die van de "
            "aselecte steekproef toont welke rode vlaggen werken (vraag 4)."
        )
        % {
            "outcomes": ", ".join(f"'{o.label}'" for o in ControlOutcome),
            "categories": ", ".join(str(c.label) for c in FindingCategory),
        }
    )
    diagram = []
    for transition in TRANSITIONS.values():
        sources = " / ".join(_state(s) for s in sorted(transition.sources))
        line = f"{sources} --{transition.label}--> {_state(transition.target)}"
        checks = []
        if transition.runs_eligibility:
            checks.append(_("subsidiabiliteitstoets"))
        if transition.name in STANDARD_CHECKS:
            checks.append(_("controle: %(kind)s") % {"kind": STANDARD_CHECKS[transition.name].label})
        if checks:
            line += f"   [{'; '.join(checks)}]"
        diagram.append(line)
    diagram.append(
        _("%(state)s / %(state2)s: prestatiestaat --betaling--> schijf [controle: %(payment)s]")
        % {
            "state": _state(DossierStatus.IN_PROGRESS),
            "state2": _state(DossierStatus.FINISHED),
            "payment": STANDARD_CHECKS["payment"].label,
        }
    )
    diagram.append(
        _("alle dossiers --risicoscreening--> risicoscore --steekproef (risico + aselect)--> controle (%(kinds)s)")
        % {"kinds": ", ".join(str(k.label) for k in ControlKind if k not in STANDARD_CHECKS.values())}
    )
    diagram.append(
        _(
            "controle --bevinding met financieel effect--> terugvordering --> inning; "
            "vermoeden van fraude --> doorverwijzing"
        )
    )
    return ControlProcess(paragraphs=paragraphs, diagram=diagram)
