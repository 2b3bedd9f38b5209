"""cstraject dossiers list|show|new|submit|approve|reject|start|finish|stop|withdraw"""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.accounts.permissions import Action, may
from cstraject.audit.selectors import audit_trail_for_dossier
from cstraject.core.money import format_euro
from cstraject.core.numbers import format_date, format_number
from cstraject.dossiers import services
from cstraject.dossiers.eligibility import eligibility_latest
from cstraject.dossiers.intake import dossier_intake
from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.selectors import dossier_get, dossier_list
from cstraject.dossiers.workflow import TRANSITIONS
from cstraject.payments.management.commands.settlements import settlement_lines
from cstraject.payments.selectors import payment_history, settlement_preview, statement_view


def dossier_data(dossier) -> dict:
    return {
        "reference": dossier.reference,
        "status": dossier.status,
        "call": dossier.call.code,
        "provider": dossier.provider.code,
        "company": dossier.company.enterprise_number,
        "company_name": dossier.company.name,
        "province": dossier.province,
        "nace_code": dossier.nace_code.code,
        "size_class": dossier.size_class,
        "package_mix": dossier.package_mix,
        "quote_excl_vat": dossier.quote_excl_vat,
        "quote_man_days": dossier.quote_man_days,
        "subsidy_amount": dossier.subsidy_amount,
        "submitted_date": dossier.submitted_date,
        "decided_date": dossier.decided_date,
        "started_date": dossier.started_date,
        "finished_date": dossier.finished_date,
        "stopped_date": dossier.stopped_date,
        "withdrawn_date": dossier.withdrawn_date,
        "created_date": timezone.localtime(dossier.created_at).date(),
        "decision_reason": dossier.decision_reason,
    }


def dossier_line(dossier) -> str:
    return _(
        "%(reference)s  %(status)s %(code)s  %(code2)s %(company)s  offerte %(quote_excl_vat)s  steun %(subsidy_amount)s"
    ) % {
        "reference": dossier.reference,
        "status": format(DossierStatus(dossier.status).label, "<14"),
        "code": dossier.call.code,
        "code2": format(dossier.provider.code, "<4"),
        "company": dossier.company.name,
        "quote_excl_vat": format_euro(dossier.quote_excl_vat),
        "subsidy_amount": format_euro(dossier.subsidy_amount),
    }


class Command(LifecycleCommand):
    help = "Dossiers: tonen, nieuw uit JSON, de workflow door. Aanvragen van dossier tot afronding."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "list", "dossiers tonen")
        sub.add_argument("--status", choices=DossierStatus.values, help="alleen dossiers met deze status")
        sub.add_argument("--call", dest="call_code", metavar="OPROEP", help="alleen dossiers van deze oproep (code)")
        sub = self.action(subparsers, "show", "één dossier met toetsing, prestaties en audittrail")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub = self.action(subparsers, "new", "nieuwe aanvraag (ontwerp) uit een JSON-bestand")
        sub.add_argument("--file", required=True, metavar="BESTAND", help="aanvraag.json (zie docs/intake-format.md)")
        sub.add_argument(
            "--date",
            dest="on_date",
            metavar="DATUM",
            help="aangemaakt op (JJJJ-MM-DD) voor historiek, standaard vandaag",
        )
        for name, transition in TRANSITIONS.items():
            sub = self.action(subparsers, name, (_("dossier %(transition)s") % {"transition": transition.label}))
            sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
            sub.add_argument(
                "--reason",
                default="",
                metavar="MOTIVERING",
                help="motivering" + (" (verplicht)" if transition.requires_reason else ""),
            )
            sub.add_argument(
                "--date", dest="on_date", metavar="DATUM", help="datum van de overgang (JJJJ-MM-DD), standaard vandaag"
            )

    def do_list(self, actor, *, status=None, call_code=None, **options):
        dossiers = list(dossier_list(actor=actor, status=status, call_code=call_code))
        return [dossier_data(d) for d in dossiers], [dossier_line(d) for d in dossiers] or ["Geen dossiers."]

    def do_show(self, actor, *, reference, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        data = dossier_data(dossier)
        data["quote_lines"] = [
            {"package": line.package.code, "amount_excl_vat": line.amount_excl_vat, "man_days": line.man_days}
            for line in dossier.quote_lines.select_related("package")
        ]
        # The same parts the web's dossier page shows to this actor.
        data["eligibility"] = [
            {"criterion": r.criterion, "stage": r.stage, "outcome": r.outcome, "reason": r.reason}
            for r in (eligibility_latest(dossier=dossier) if may(actor, Action.ELIGIBILITY_VIEW, dossier) else [])
        ]
        data["statement"] = (
            statement_view(dossier=dossier).as_data() if may(actor, Action.STATEMENT_VIEW, dossier) else None
        )
        data["payments"] = [
            {"tranche": p.tranche, "amount": p.amount, "payment_date": p.payment_date}
            for p in (payment_history(dossier=dossier) if may(actor, Action.PAYMENT_VIEW, dossier) else [])
        ]
        settlement = settlement_preview(dossier=dossier) if may(actor, Action.SETTLEMENT_VIEW, dossier) else None
        data["settlement"] = settlement.as_data() if settlement and (settlement.figures or settlement.settled) else None
        audit = audit_trail_for_dossier(dossier=dossier) if may(actor, Action.AUDIT_VIEW_DOSSIER, dossier) else []
        data["audit"] = [
            {
                "occurred_at": e.occurred_at.isoformat(),
                "actor": e.actor_label,
                "role": e.actor_role,
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "reason": e.reason,
            }
            for e in audit
        ]
        lines = [dossier_line(dossier)]
        lines += [
            (
                _("  offerte: %(package)s %(amount_excl_vat)s (%(man_days)s mensdagen)")
                % {
                    "package": line["package"],
                    "amount_excl_vat": format_euro(line["amount_excl_vat"]),
                    "man_days": format_number(line["man_days"]),
                }
            )
            for line in data["quote_lines"]
        ]
        lines += [f"  toets {r['criterion']}: {r['outcome']} - {r['reason']}" for r in data["eligibility"]]
        lines += [
            (
                _("  schijf %(tranche)s: %(amount)s op %(payment_date)s")
                % {
                    "tranche": p["tranche"],
                    "amount": format_euro(p["amount"]),
                    "payment_date": format_date(p["payment_date"]),
                }
            )
            for p in data["payments"]
        ]
        if data["settlement"]:
            lines += [f"  {line}" for line in settlement_lines(settlement)]
        lines += [
            f"  {e['occurred_at'][:19]} {e['actor']} ({e['role']}) {e['action']} {e['from']}->{e['to']} {e['reason']}".rstrip()
            for e in data["audit"]
        ]
        return data, lines

    def do_new(self, actor, *, file, on_date=None, **options):
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(_("Bestand '%(file)s' bestaat niet.") % {"file": file}) from None
        except json.JSONDecodeError as error:
            raise CommandError(
                _("%(file)s is geen geldige JSON: %(msg)s (regel %(lineno)s, kolom %(colno)s).")
                % {"file": file, "msg": error.msg, "lineno": error.lineno, "colno": error.colno}
            ) from None
        except UnicodeDecodeError:
            raise CommandError(_("%(file)s is geen UTF-8-tekst.") % {"file": file}) from None
        except (ValueError, RecursionError) as error:
            # A number of thousands of digits, nesting thousands deep: refused, never a traceback.
            raise CommandError(
                _("%(file)s is geen bruikbare JSON: %(error)s") % {"file": file, "error": str(error)[:120]}
            ) from None
        dossier = dossier_intake(actor=actor, data=data, on_date=parse_date(on_date))
        return dossier_data(dossier), [
            (
                _("Ontwerp %(reference)s aangemaakt: steun %(subsidy_amount)s.")
                % {"reference": dossier.reference, "subsidy_amount": format_euro(dossier.subsidy_amount)}
            )
        ]

    def _transition(self, name, actor, *, reference, reason="", on_date=None, **options):
        dossier = dossier_get(actor=actor, reference=reference)
        dossier = services.dossier_transition(
            actor=actor, dossier=dossier, transition=name, reason=reason, on_date=parse_date(on_date)
        )
        return dossier_data(dossier), [f"{dossier.reference}: {DossierStatus(dossier.status).label}."]

    def __getattr__(self, name):
        if name.startswith("do_") and name[3:] in TRANSITIONS:
            return lambda actor, **options: self._transition(name[3:], actor, **options)
        raise AttributeError(name)
