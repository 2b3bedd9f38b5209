"""cstraject settlements show|approve: the final settlement (afrekening) of a finished or stopped trajectory."""

from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.accounts.permissions import Action, require
from cstraject.core.money import format_euro
from cstraject.core.numbers import format_date
from cstraject.dossiers.selectors import dossier_get
from cstraject.payments.selectors import settlement_preview
from cstraject.payments.services import settlement_approve


def settlement_lines(preview) -> list[str]:
    reference = preview.dossier.reference
    if preview.settled is not None:
        settled = preview.settled
        return [
            (
                _("%(reference)s: afgerekend op %(approved_date)s, saldo %(balance)s.")
                % {
                    "reference": reference,
                    "approved_date": format_date(settled.approved_date),
                    "balance": format_euro(settled.balance),
                }
            ),
            f"  {settled.explanation}",
        ]
    if preview.figures is None:
        return [f"{reference}: {preview.blocked}"]
    lines = [f"{reference}: afrekening ({preview.figures.rule})"] + [f"  {step}" for step in preview.figures.steps]
    if preview.blocked:
        lines.append(_("  Nog niet goed te keuren: %(blocked)s") % {"blocked": preview.blocked})
    return lines


class Command(LifecycleCommand):
    help = "Afrekening van afgeronde of stopgezette trajecten. Berekening tonen en goedkeuren."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "show", "de afrekening met haar berekening tonen")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub.add_argument("--ineligible", action="store_true", help="als het traject niet subsidiabel bleek")
        sub = self.action(subparsers, "approve", "de afrekening goedkeuren: laatste betaling of terugvordering")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub.add_argument("--date", dest="on_date", metavar="DATUM", help="datum (JJJJ-MM-DD), standaard vandaag")
        sub.add_argument("--reason", default="", metavar="MOTIVERING", help="toelichting van de dossierbehandelaar")
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
