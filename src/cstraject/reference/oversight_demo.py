"""Loading the SYNTHETIC 2023-2025 demo data of the oversight features
(reference/data/oversight_2023_2025.json, made by scripts/generate_oversight_demo.py).

Through the services, as live data would be: companies and their accounts,
dossiers imported with their statements, the tranche payments replayed by the
tranche rule (each recorded with the desk review of its statement), the
checks at application, the final reports, the controls performed and their
findings (recoveries included), then one screening. Idempotent: a dossier
whose reference exists is left alone. `cstraject load-reference` and
`cstraject demo` call it after the reference data of answer 526.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cstraject.accounts.actors import Actor, Channel, system_actor
from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.calls.models import Call
from cstraject.companies.models import Company, CompanyRelation, DeMinimisAid
from cstraject.companies.services import annual_accounts_record, company_upsert
from cstraject.controls.screening.run import screening_run
from cstraject.controls.services import (
    application_check_record,
    control_record,
    desk_review_record,
    not_sme_refusal_import,
)
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.services import dossier_import
from cstraject.impact.models import FinalReport
from cstraject.payments.models import PerformanceStatement
from cstraject.payments.selectors import tranche_due
from cstraject.payments.services import payment_import, statement_import
from cstraject.providers.models import ServiceProvider

from .loader import DATA, _quarter_report_date

DEMO_FILE = "oversight_2023_2025.json"


@dataclass
class DemoResult:
    dossiers_created: int
    dossiers_skipped: int
    controls: int
    notice: str


def demo_data() -> dict:
    return json.loads((DATA / DEMO_FILE).read_text(encoding="utf-8"))


def _date(value):
    return date.fromisoformat(value) if value else None


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def load_oversight_demo(*, screen: bool = True) -> DemoResult:
    data = demo_data()
    system = system_actor("demodata (synthetisch)")
    handler = Actor(label="behandelaar (demo)", role=Role.CASE_HANDLER, channel=Channel.SYSTEM)
    controller = Actor(label="controleur (demo)", role=Role.CONTROLLER, channel=Channel.SYSTEM)
    existing = set(
        Dossier.objects.filter(reference__in=[d["reference"] for d in data["dossiers"]]).values_list(
            "reference", flat=True
        )
    )
    if len(existing) == len(data["dossiers"]):
        return DemoResult(0, len(existing), 0, data["meta"]["notice"])
    for raw in data["companies"]:
        company = company_upsert(
            enterprise_number=raw["enterprise_number"],
            name=raw["name"],
            legal_form=raw["legal_form"],
            nace_code=raw["nace_code"],
            postal_code=raw["postal_code"],
            municipality=raw["municipality"],
        )
        for accounts in raw["accounts"]:
            if not company.annual_accounts.filter(year=accounts["year"]).exists():
                annual_accounts_record(company=company, **accounts)
    companies = {c.enterprise_number: c for c in Company.objects.all()}
    for raw in data["relations"]:
        CompanyRelation.objects.get_or_create(
            company=companies[raw["company"]],
            related_company=companies[raw["related"]],
            defaults={"share_pct": raw["share_pct"]},
        )
    for raw in data["de_minimis"]:
        DeMinimisAid.objects.get_or_create(
            company=companies[raw["company"]],
            granted_date=_date(raw["granted_date"]),
            defaults={"amount": raw["amount"], "grantor": raw["grantor"], "description": raw["description"]},
        )
    calls = {call.code: call for call in Call.objects.all()}
    providers = {p.code: p for p in ServiceProvider.objects.all()}
    created = 0
    for raw in data["dossiers"]:
        if raw["reference"] in existing:
            continue
        dossier = dossier_import(
            actor=system,
            reference=raw["reference"],
            call=calls[raw["call"]],
            provider=providers[raw["provider"]],
            company=companies[raw["company"]],
            quote_lines=raw["quote_lines"],
            size_class=raw["size_class"],
            size_basis=raw["size_basis"],
            status=raw["status"],
            submitted_date=_date(raw["submitted_date"]),
            decided_date=_date(raw["decided_date"]),
            started_date=_date(raw["started_date"]),
            finished_date=_date(raw["finished_date"]),
            decision_reason=raw["decision_reason"],
        )
        if raw["status"] == "rejected":
            not_sme_refusal_import(
                actor=handler, dossier=dossier, on_date=dossier.decided_date, reason=dossier.decision_reason
            )
        else:
            application_check_record(actor=handler, dossier=dossier, on_date=dossier.decided_date, failed=[])
        for statement in raw["statements"]:
            statement_import(
                actor=system,
                dossier=dossier,
                quarter=statement["quarter"],
                delivered_man_days=statement["delivered_man_days"],
                delivered_amount=statement["delivered_amount"],
                reported_date=_quarter_report_date(statement["quarter"]),
            )
        for payment in raw["payments"]:
            # The amount is what the tranche rule gives on that quarter's statement.
            statement = PerformanceStatement.objects.get(dossier=dossier, quarter=payment["quarter"])
            due = tranche_due(dossier=dossier, statement=statement)
            assert due.tranche is not None, f"{dossier.reference} {payment['quarter']}: {due.reason}"
            paid_on = _date(payment["payment_date"])
            payment_import(
                actor=system,
                dossier=dossier,
                tranche=due.tranche,
                amount=due.amount,
                payment_date=paid_on,
                quarter=payment["quarter"],
            )
            desk_review_record(actor=handler, dossier=dossier, statement=statement, on_date=paid_on)
        if raw["final_report"]:
            assert dossier.finished_date is not None
            signed = _moment(dossier.finished_date + timedelta(days=10))
            report = FinalReport.objects.create(
                dossier=dossier,
                improvements=raw["final_report"]["improvements"],
                provider_signatory=raw["final_report"]["signatory"],
                provider_signed_at=signed,
                sme_signatory="Zaakvoerder (synthetisch)",
                sme_signed_at=signed + timedelta(days=3),
                satisfaction=4,
            )
            audit_event_record(
                actor=system,
                action=AuditAction.IMPORT,
                dossier=dossier,
                reason="Eindverslag (synthetische demodata) ingelezen.",
                data={"final_report": report.pk},
            )
        created += 1
    controls = 0
    for raw in data["controls"]:
        if raw["dossier"] in existing:
            continue
        control_record(
            actor=controller,
            dossier=raw["dossier"],
            kind=raw["kind"],
            trigger=raw["trigger"],
            performed_date=raw["performed_date"],
            outcome=raw["outcome"],
            scope=raw["scope"],
            findings=raw["findings"],
        )
        controls += 1
    if screen and created:
        screening_run(actor=system)
    return DemoResult(created, len(existing), controls, data["meta"]["notice"])
