"""cstraject payments request|approve|reject|list: payment requests and tranche payments."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, one_line, parse_date
from cstraject.accounts.permissions import Action, require, scope
from cstraject.core.money import format_euro
from cstraject.core.numbers import format_date
from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.selectors import dossier_get, dossier_list
from cstraject.payments.models import PaymentRequest, PaymentRequestStatus
from cstraject.payments.quarters import quarter_parse
from cstraject.payments.selectors import payment_requests_list
from cstraject.payments.services import payment_request_approve, payment_request_create, payment_request_reject


def request_data(request) -> dict:
    payment = getattr(request, "payment", None) if request.status == PaymentRequestStatus.APPROVED else None
    return {
        "id": request.pk,
        "dossier": request.dossier.reference,
        "quarter": request.statement.quarter,
        "tranche": request.tranche,
        "amount": request.amount,
        "status": request.status,
        "requested_date": request.requested_date,
        "payment_date": payment.payment_date if payment else None,
        "decision_reason": request.decision_reason,
    }


def request_line(data) -> str:
    paid = (
        (_(", betaald op %(payment_date)s") % {"payment_date": format_date(data["payment_date"])})
        if data["payment_date"]
        else ""
    )
    return _("#%(id)s %(dossier)s %(quarter)s schijf %(tranche)s: %(amount)s (%(status)s%(paid)s)") % {
        "id": data["id"],
        "dossier": data["dossier"],
        "quarter": data["quarter"],
        "tranche": data["tranche"],
        "amount": format_euro(data["amount"]),
        "status": PaymentRequestStatus(data["status"]).label,
        "paid": paid,
    }


def request_get(pk) -> PaymentRequest:
    try:
        return PaymentRequest.objects.select_related("dossier", "statement").get(pk=int(pk))
    except (PaymentRequest.DoesNotExist, ValueError):
        raise ObjectDoesNotExist(_("Betalingsaanvraag '%(pk)s' bestaat niet.") % {"pk": pk}) from None


def request_for(actor, key: str, quarter: str | None) -> PaymentRequest:
    """A request by its number, or by dossier reference and quarter (the open request on that quarter's statement)."""
    if key.isdigit():
        if quarter:
            raise CommandError("--quarter hoort bij een dossierreferentie, niet bij een aanvraagnummer.")
        return request_get(key)
    if not quarter:
        raise CommandError(_("Geef bij dossier %(key)s het kwartaal van de aanvraag: --quarter JJJJQn.") % {"key": key})
    dossier = dossier_get(actor=actor, reference=key)
    q = str(quarter_parse(quarter))
    request = (
        PaymentRequest.objects.select_related("dossier", "statement")
        .filter(dossier=dossier, statement__quarter=q, status=PaymentRequestStatus.REQUESTED)
        .first()
    )
    if request is None:
        raise ObjectDoesNotExist(
            _("Dossier %(reference)s heeft geen openstaande betalingsaanvraag voor %(q)s.")
            % {"reference": dossier.reference, "q": q}
        )
    return request


class Command(LifecycleCommand):
    help = "Betalingsaanvragen en betalingen van schijven."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "request", "betaling vragen voor het vorige kwartaal")
        sub.add_argument(
            "reference",
            nargs="?",
            metavar="DOSSIER",
            help="dossier; of --all voor alle trajecten van de dienstverlener",
        )
        sub.add_argument(
            "--all", action="store_true", help="voor elk traject in uitvoering of afgerond dat iets te goed heeft"
        )
        sub.add_argument("--quarter", required=True, metavar="KWARTAAL", help="het vorige kwartaal, bv. 2024Q1")
        sub.add_argument(
            "--date", dest="on_date", metavar="DATUM", help="datum van de aanvraag (JJJJ-MM-DD), standaard vandaag"
        )
        sub = self.action(subparsers, "approve", "aanvraag goedkeuren en betalen")
        sub.add_argument("request_id", metavar="AANVRAAG", help="nummer van de aanvraag, of dossier met --quarter")
        sub.add_argument(
            "--quarter",
            metavar="KWARTAAL",
            help="met een dossier: de openstaande aanvraag op de prestatiestaat van dit kwartaal",
        )
        sub.add_argument("--date", dest="on_date", metavar="DATUM", help="betaaldatum (JJJJ-MM-DD), standaard vandaag")
        sub = self.action(subparsers, "reject", "aanvraag afwijzen")
        sub.add_argument("request_id", metavar="AANVRAAG", help="nummer van de betalingsaanvraag (#)")
        sub.add_argument("--reason", required=True, metavar="MOTIVERING", help="motivering van de afwijzing")
        sub = self.action(subparsers, "list", "betalingsaanvragen tonen")
        sub.add_argument("--status", choices=PaymentRequestStatus.values, help="alleen aanvragen met deze status")

    def do_request(self, actor, *, reference=None, quarter, on_date=None, all=False, **options):
        if all == bool(reference):
            raise CommandError(_("Geef een dossier of --all, niet allebei of geen van beide."))
        if all:
            return self._request_all(actor, quarter=quarter, today=parse_date(on_date))
        dossier = dossier_get(actor=actor, reference=reference)
        request = payment_request_create(actor=actor, dossier=dossier, quarter=quarter, today=parse_date(on_date))
        data = request_data(request)
        return data, [request_line(data)]

    def _request_all(self, actor, *, quarter, today):
        """One request per dossier, each in its own transaction; the others are listed with the reason."""
        created, skipped = [], []
        for dossier in dossier_list(actor=actor).filter(status__in=[DossierStatus.IN_PROGRESS, DossierStatus.FINISHED]):
            try:
                created.append(
                    request_data(payment_request_create(actor=actor, dossier=dossier, quarter=quarter, today=today))
                )
            except ValidationError as error:
                skipped.append({"dossier": dossier.reference, "reason": one_line(error)})
        lines = [request_line(d) for d in created] + [
            (_("%(dossier)s: geen aanvraag - %(reason)s") % {"dossier": s["dossier"], "reason": s["reason"]})
            for s in skipped
        ]
        return {"created": created, "skipped": skipped}, lines or [_("Geen trajecten in uitvoering of afgerond.")]

    def do_approve(self, actor, *, request_id, quarter=None, on_date=None, **options):
        request = request_for(actor, request_id, quarter)
        payment_request_approve(actor=actor, payment_request=request, payment_date=parse_date(on_date))
        data = request_data(request_get(request.pk))
        return data, [request_line(data)]

    def do_reject(self, actor, *, request_id, reason, **options):
        request = request_get(request_id)
        payment_request_reject(actor=actor, payment_request=request, reason=reason)
        data = request_data(request_get(request_id))
        return data, [request_line(data)]

    def do_list(self, actor, *, status=None, **options):
        require(actor, Action.PAYMENT_VIEW)
        requests = scope(
            actor,
            Action.PAYMENT_VIEW,
            payment_requests_list(status=status),
            provider_field="dossier__provider_id",
            company_field="dossier__company_id",
        )
        data = [request_data(r) for r in requests]
        return data, [request_line(d) for d in data] or ["Geen betalingsaanvragen."]
