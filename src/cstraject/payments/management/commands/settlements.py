"""cstraject settlements show|approve: the final settlement (afrekening) of a finished or stopped trajectory."""

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.accounts.permissions import Action, require
from cstraject.dossiers.selectors import dossier_get
from cstraject.payments.selectors import settlement_preview
from cstraject.payments.services import settlement_approve


def settlement_lines(preview) -> list[str]:
    reference = preview.dossier.reference
    if preview.settled is not None:
        settled = preview.settled
        return [
            f"{reference}: afgerekend op {settled.approved_date.isoformat()}, saldo {settled.balance}.",
            f"  {settled.explanation}",
        ]
    if preview.figures is None:
        return [f"{reference}: {preview.blocked}"]
    lines = [f"{reference}: afrekening ({preview.figures.rule})"] + [f"  {step}" for step in preview.figures.steps]
    if preview.blocked:
        lines.append(f"  Nog niet goed te keuren: {preview.blocked}")
    return lines


class Command(LifecycleCommand):
    help = "Afrekening van een afgerond of stopgezet traject: berekening tonen en goedkeuren."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "show", "de afrekening met haar berekening tonen")
        sub.add_argument("reference")
        sub.add_argument("--ineligible", action="store_true", help="als het traject niet subsidiabel bleek")
        sub = self.action(subparsers, "approve", "de afrekening goedkeuren: laatste betaling of terugvordering")
        sub.add_argument("reference")
        sub.add_argument("--date", dest="on_date", help="datum (JJJJ-MM-DD), standaard vandaag")
        sub.add_argument("--reason", default="", help="toelichting van de dossierbehandelaar")
        sub.add_argument(
            "--ineligible",
            action="store_true",
            help="niet subsidiabel bevonden: niets verschuldigd, alles terugvorderen (vraagt --reason)",
        )

    def do_show(self, actor, *, reference, ineligible=False, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        require(actor, Action.SETTLEMENT_VIEW, dossier)
        preview = settlement_preview(dossier=dossier, ineligible=ineligible)
        return preview.as_data(), settlement_lines(preview)

    def do_approve(self, actor, *, reference, on_date=None, reason="", ineligible=False, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        settlement_approve(
            actor=actor, dossier=dossier, on_date=parse_date(on_date), reason=reason, ineligible=ineligible
        )
        preview = settlement_preview(dossier=dossier)
        return preview.as_data(), settlement_lines(preview)
