"""cstraject statements add|show: performance statements (prestatiestaten)."""

from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.accounts.permissions import Action, require
from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number
from cstraject.dossiers.selectors import dossier_get
from cstraject.payments.selectors import statement_view
from cstraject.payments.services import statement_submit


def view_lines(view) -> list[str]:
    return [
        (
            _(
                "%(dossier)s %(value)s: offerte %(quoted_man_days)s mensdagen / %(quoted_amount)s; geleverd %(delivered_man_days)s / %(delivered_amount)s; resterend %(remaining_man_days)s / %(remaining_amount)s; betaald %(paid_amount)s van %(subsidy_amount)s"
            )
            % {
                "dossier": view.dossier,
                "value": view.quarter or "-",
                "quoted_man_days": format_number(view.quoted_man_days),
                "quoted_amount": format_euro(view.quoted_amount),
                "delivered_man_days": format_number(view.delivered_man_days),
                "delivered_amount": format_euro(view.delivered_amount),
                "remaining_man_days": format_number(view.remaining_man_days),
                "remaining_amount": format_euro(view.remaining_amount),
                "paid_amount": format_euro(view.paid_amount),
                "subsidy_amount": format_euro(view.subsidy_amount),
            }
        )
    ]


class Command(LifecycleCommand):
    help = "Prestatiestaten per dossier en kwartaal."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "add", "prestatiestaat van een afgelopen kwartaal indienen")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub.add_argument("--quarter", required=True, metavar="KWARTAAL", help="bv. 2024Q1")
        sub.add_argument(
            "--man-days",
            dest="man_days",
            metavar="MENSDAGEN",
            required=True,
            help="geleverde mensdagen tot het einde van het kwartaal (cumulatief)",
        )
        sub.add_argument(
            "--amount", required=True, metavar="BEDRAG", help="geleverd bedrag excl. btw (cumulatief), bv. 18000.00"
        )
        sub.add_argument(
            "--date", dest="on_date", metavar="DATUM", help="datum van indienen (JJJJ-MM-DD), standaard vandaag"
        )
        sub = self.action(subparsers, "show", "offerte, geleverd, betaald en resterend")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")

    def do_add(self, actor, *, reference, quarter, man_days, amount, on_date=None, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        statement = statement_submit(
            actor=actor,
            dossier=dossier,
            quarter=quarter,
            delivered_man_days=man_days,
            delivered_amount=amount,
            today=parse_date(on_date),
        )
        view = statement_view(dossier=dossier, statement=statement)
        return view.as_data(), view_lines(view)

    def do_show(self, actor, *, reference, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        require(actor, Action.STATEMENT_VIEW, dossier)
        view = statement_view(dossier=dossier)
        return view.as_data(), view_lines(view)
