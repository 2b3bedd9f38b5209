"""cstraject recoveries list|create|collect: recovery orders (terugvorderingen) and collections (inningen)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.accounts.permissions import Action, require
from cstraject.core.money import format_euro, round_half_up_cents
from cstraject.core.numbers import format_date
from cstraject.dossiers.selectors import dossier_get
from cstraject.payments.models import Recovery
from cstraject.payments.selectors import overpaid, recoveries_with_outstanding
from cstraject.payments.services import collection_record, recovery_create


def recovery_data(row) -> dict:
    return {
        # SQLite computes annotations in floating point: back to cents.
        "id": row.pk,
        "dossier": row.dossier.reference,
        "amount": row.amount,
        "collected": round_half_up_cents(row.collected),
        "outstanding": round_half_up_cents(row.outstanding),
        "issued_date": row.issued_date,
        "reason": row.reason,
    }


def recovery_line(d) -> str:
    return _(
        "#%(id)s %(dossier)s gevorderd %(amount)s op %(issued_date)s, geïnd %(collected)s, openstaand %(outstanding)s: %(reason)s"
    ) % {
        "id": d["id"],
        "dossier": d["dossier"],
        "amount": format_euro(d["amount"]),
        "issued_date": format_date(d["issued_date"]),
        "collected": format_euro(d["collected"]),
        "outstanding": format_euro(d["outstanding"]),
        "reason": d["reason"],
    }


def recovery_row(pk):
    try:
        return recoveries_with_outstanding().get(pk=int(pk))
    except (Recovery.DoesNotExist, ValueError):
        raise ObjectDoesNotExist(_("Terugvordering '%(pk)s' bestaat niet.") % {"pk": pk}) from None


class Command(LifecycleCommand):
    help = "Terugvorderingen en inningen."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "list", "terugvorderingen met openstaand bedrag")
        sub.add_argument("--dossier", dest="reference", metavar="DOSSIER", help="alleen van dit dossier")
        sub = self.action(subparsers, "create", "terugvordering opmaken")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub.add_argument(
            "--amount",
            metavar="BEDRAG",
            help="standaard: het te veel betaalde volgens de afrekening (afgerond of stopgezet traject) of de laatste prestatiestaat",
        )
        sub.add_argument("--reason", required=True, metavar="MOTIVERING", help="reden van de terugvordering")
        sub.add_argument("--date", dest="on_date", metavar="DATUM", help="verstuurd op (JJJJ-MM-DD), standaard vandaag")
        sub = self.action(subparsers, "collect", "inning registreren")
        sub.add_argument("recovery_id", metavar="TERUGVORDERING", help="nummer van de terugvordering (#)")
        sub.add_argument("--amount", required=True, metavar="BEDRAG", help="geïnd bedrag, bv. 1250.00")
        sub.add_argument("--date", dest="on_date", metavar="DATUM", help="geïnd op (JJJJ-MM-DD), standaard vandaag")

    def do_list(self, actor, *, reference=None, **options):
        dossier = None
        if reference:
            dossier = dossier_get(actor=actor, reference=reference)
            require(actor, Action.RECOVERY_VIEW, dossier)
        else:
            require(actor, Action.RECOVERY_LIST)
        data = [recovery_data(r) for r in recoveries_with_outstanding(dossier=dossier)]
        return data, [recovery_line(d) for d in data] or ["Geen terugvorderingen."]

    def do_create(self, actor, *, reference, amount=None, reason, on_date=None, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        require(actor, Action.RECOVERY_CREATE, dossier)
        if amount is None:
            amount = overpaid(dossier=dossier)
        recovery = recovery_create(
            actor=actor, dossier=dossier, amount=amount, reason=reason, issued_date=parse_date(on_date)
        )
        data = recovery_data(recovery_row(recovery.pk))
        return data, [recovery_line(data)]

    def do_collect(self, actor, *, recovery_id, amount, on_date=None, **options):
        recovery = recovery_row(recovery_id)
        collection_record(actor=actor, recovery=recovery, amount=amount, collected_date=parse_date(on_date))
        data = recovery_data(recovery_row(recovery_id))
        return data, [recovery_line(data)]
