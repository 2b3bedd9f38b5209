"""cstraject controls select|plan|record|list: the control sample, planning and recording controls."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.controls.models import (
    Control,
    ControlKind,
    ControlOutcome,
    ControlSelection,
    ControlStatus,
    ControlTrigger,
    FindingCategory,
)
from cstraject.controls.selection import control_select
from cstraject.controls.selectors import controls_for
from cstraject.controls.services import control_plan, control_record
from cstraject.dossiers.selectors import dossier_get


def control_data(control: Control) -> dict:
    return {
        "id": control.pk,
        "dossier": control.dossier.reference,
        "kind": control.kind,
        "trigger": control.trigger,
        "status": control.status,
        "planned_date": control.planned_date,
        "performed_date": control.performed_date,
        "controller": control.controller_label,
        "scope": control.scope,
        "outcome": control.outcome,
        "findings": [
            {
                "category": f.category,
                "description": f.description,
                "financial_effect": f.financial_effect,
                "fraud_referred": f.fraud_referred,
                "recovery": f.recovery_id,
            }
            for f in control.findings.all()
        ],
    }


def control_line(d: dict) -> str:
    when = d["performed_date"] or d["planned_date"]
    outcome = f", {ControlOutcome(d['outcome']).label}" if d["outcome"] else ""
    findings = "; ".join(f"{FindingCategory(f['category']).label} ({f['financial_effect']})" for f in d["findings"])
    return (
        f"#{d['id']} {d['dossier']} {ControlKind(d['kind']).label} ({ControlTrigger(d['trigger']).label}) "
        f"{ControlStatus(d['status']).label} {when.isoformat()}{outcome}{': ' + findings if findings else ''}"
    )


def parse_finding(text: str, *, index: int, fraud: bool) -> dict:
    """CATEGORIE|BEDRAG|OMSCHRIJVING (bedrag mag leeg)."""
    parts = text.split("|", 2)
    if len(parts) != 3:
        raise ValidationError(
            {
                f"findings[{index}]": (
                    _("Schrijf een bevinding als CATEGORIE|BEDRAG|OMSCHRIJVING, niet '%(text)s'.") % {"text": text}
                )
            }
        )
    category, amount, description = (p.strip() for p in parts)
    return {
        "category": category,
        "financial_effect": amount or None,
        "description": description,
        "fraud_referred": fraud,
    }


class Command(LifecycleCommand):
    help = "Controles: steekproef trekken, plannen, registreren met bevindingen, oplijsten."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "select", "volgende controlesteekproef trekken (hoogste risico + aselect)")
        sub.add_argument("--risk", type=int, default=10, help="aantal dossiers met de hoogste risicoscore")
        sub.add_argument("--random", type=int, default=10, help="grootte van de gestratificeerde aselecte steekproef")
        sub.add_argument("--seed", type=int, help="seed (standaard: willekeurig, wordt bewaard)")
        sub = self.action(subparsers, "plan", "controle plannen op een dossier of op een hele steekproef")
        sub.add_argument("reference", nargs="?", help="dossierreferentie, bv. CS-2023-0007")
        sub.add_argument("--selection", type=int, help="plan een controle voor elk dossier van deze steekproef")
        sub.add_argument("--kind", required=True, choices=ControlKind.values, help="soort controle")
        sub.add_argument("--trigger", choices=ControlTrigger.values, help="aanleiding van de controle")
        sub.add_argument("--date", dest="on_date", required=True, help="gepland op (JJJJ-MM-DD)")
        sub.add_argument("--scope", required=True, help="wat de controle nagaat")
        sub = self.action(subparsers, "record", "uitgevoerde controle registreren")
        sub.add_argument("control_id", nargs="?", help="een geplande controle; anders --dossier, --kind en --trigger")
        sub.add_argument("--dossier", dest="reference", help="dossierreferentie, bv. CS-2023-0007")
        sub.add_argument("--kind", choices=ControlKind.values, help="soort controle")
        sub.add_argument("--trigger", choices=ControlTrigger.values, help="aanleiding van de controle")
        sub.add_argument("--outcome", required=True, choices=ControlOutcome.values, help="resultaat van de controle")
        sub.add_argument("--date", dest="on_date", help="uitgevoerd op (JJJJ-MM-DD), standaard vandaag")
        sub.add_argument("--scope", default="", help="wat de controle nagaat")
        sub.add_argument("--conclusion", default="", help="besluit van de controleur")
        sub.add_argument(
            "--finding",
            action="append",
            default=[],
            metavar="CATEGORIE|BEDRAG|OMSCHRIJVING",
            help=f"bevinding (herhaalbaar); categorieën: {', '.join(FindingCategory.values)}",
        )
        sub.add_argument("--fraud", action="store_true", help="bevindingen doorverwijzen als vermoeden van fraude")
        sub = self.action(subparsers, "list", "controles oplijsten")
        sub.add_argument("--dossier", dest="reference", help="dossierreferentie, bv. CS-2023-0007")
        sub.add_argument("--status", choices=ControlStatus.values, help="enkel controles met deze status")
        sub.add_argument("--limit", type=int, default=50, help="hoogstens zoveel controles (recentste eerst)")

    def do_select(self, actor, *, risk=10, random=10, seed=None, **options):
        selection = control_select(actor=actor, risk_size=risk, random_size=random, seed=seed)
        items = list(selection.items.select_related("dossier").order_by("-basis", "-score", "id"))
        data = {
            "selection": selection.pk,
            "seed": selection.seed,
            "run": selection.run_id,
            "dossiers": [
                {
                    "dossier": i.dossier.reference,
                    "basis": i.basis,
                    "stratum": i.stratum,
                    "score": i.score,
                    "reason": i.reason,
                }
                for i in items
            ],
        }
        lines = [
            (
                _("Steekproef %(selection_pk)s (seed %(seed)s, screening %(run_id)s):")
                % {"selection_pk": selection.pk, "seed": selection.seed, "run_id": selection.run_id}
            )
        ] + [f"  {i.dossier.reference:<14} {i.get_basis_display():<20} {i.reason}" for i in items]
        return data, lines

    def do_plan(self, actor, *, reference=None, selection=None, kind, trigger=None, on_date, scope, **options):
        planned = []
        if selection is not None:
            try:
                chosen = ControlSelection.objects.get(pk=selection)
            except ControlSelection.DoesNotExist:
                raise ObjectDoesNotExist(
                    _("Steekproef %(selection)s bestaat niet.") % {"selection": selection}
                ) from None
            for item in chosen.items.select_related("dossier"):
                planned.append(
                    control_plan(
                        actor=actor,
                        dossier=item.dossier,
                        kind=kind,
                        trigger=ControlTrigger.RISK if item.basis == "risk" else ControlTrigger.RANDOM,
                        planned_date=parse_date(on_date),
                        scope=scope,
                        selected=item,
                    )
                )
        else:
            planned.append(
                control_plan(
                    actor=actor,
                    dossier=reference,
                    kind=kind,
                    trigger=trigger or "",
                    planned_date=parse_date(on_date),
                    scope=scope,
                )
            )
        data = [control_data(c) for c in planned]
        return data, [control_line(d) for d in data]

    def do_record(
        self,
        actor,
        *,
        control_id=None,
        reference=None,
        kind=None,
        trigger=None,
        outcome,
        on_date=None,
        scope="",
        conclusion="",
        finding=(),
        fraud=False,
        **options,
    ):
        control = None
        if control_id is not None:
            try:
                control = Control.objects.get(pk=int(control_id))
            except (Control.DoesNotExist, ValueError):
                raise ObjectDoesNotExist(
                    _("Controle '%(control_id)s' bestaat niet.") % {"control_id": control_id}
                ) from None
        findings = [parse_finding(text, index=i, fraud=fraud) for i, text in enumerate(finding)]
        recorded = control_record(
            actor=actor,
            control=control,
            dossier=reference,
            kind=kind,
            trigger=trigger,
            performed_date=parse_date(on_date),
            outcome=outcome,
            scope=scope,
            conclusion=conclusion,
            findings=findings,
        )
        data = control_data(recorded)
        return data, [control_line(data)]

    def do_list(self, actor, *, reference=None, status=None, limit=50, **options):
        dossier = dossier_get(actor=actor, reference=reference) if reference else None
        data = [control_data(c) for c in controls_for(actor=actor, dossier=dossier, status=status)[: max(limit, 0)]]
        return data, [control_line(d) for d in data] or ["Geen controles."]
