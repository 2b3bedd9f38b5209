"""The demo's live dossiers: one complete lifecycle and one refusal, taken through the real services
by the demo accounts (`cstraject demo`), so that they leave the e-mails and letters production would.

The reference data are history, loaded by the system role, and announce nothing (notifications.py,
letters.py). These dossiers are made as users make them: the provider (`dienstverlener`) files the
application, the SME contact (`kmo`) confirms the quote, the case handler (`behandelaar`) approves,
the provider files the quarterly performance statements and payment requests, the case handler pays
tranche 1, refuses the first request for tranche 2 and pays it on the second, the provider finishes
and files the final report, the SME co-signs it, the controller (`controleur`) records a control with
a finding that orders a recovery, and the scheduler (system role) sends the follow-up survey twelve
months after the end. A second application of the same company is refused by the frequency rule.
The controller also draws a control sample.

The services take the historical dates they allow (a decision's date, a statement's quarter, a
payment date), so the trajectory ended over a year ago and the follow-up survey is due today; each
step is recorded at the moment the demo runs, which is what makes it announce itself. The company is
SYNTHETIC (0726.052.621). Idempotent: nothing is done when the company has a dossier already.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cstraject.accounts.actors import actor_for_user, system_actor
from cstraject.calls.models import Call
from cstraject.companies.models import Company
from cstraject.companies.services import annual_accounts_record, company_upsert
from cstraject.controls.selection import control_select
from cstraject.controls.services import control_record
from cstraject.dossiers.declarations import DECLARATIONS
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.services import (
    dossier_approve,
    dossier_create_draft,
    dossier_finish,
    dossier_reject,
    dossier_start,
    dossier_submit,
)
from cstraject.impact.services import final_report_cosign, final_report_submit, follow_ups_send
from cstraject.impact.themes import planned_themes_set
from cstraject.payments.quarters import Quarter, quarter_of
from cstraject.payments.services import (
    payment_request_approve,
    payment_request_create,
    payment_request_reject,
    statement_submit,
)
from cstraject.providers.models import ServiceProvider

from .services import sme_confirm

CALL = "CS-2023"
PROVIDER = "A"
COMPANY = {
    "enterprise_number": "0726052621",
    "name": "Lindehoeve Cyberzorg (synthetisch)",
    "legal_form": "bv",
    "nace_code": "62010",
    "postal_code": "9000",
    "municipality": "Gent",
}
ACCOUNTS = {"headcount": "18.0", "turnover": "2450000.00", "balance_sheet_total": "1380000.00", "equity": "410000.00"}
QUOTE = [{"package": "MEDIUM", "amount_excl_vat": "19800.00", "man_days": "16.5"}]
THEMES = [
    {
        "theme": "PR.AA",
        "man_days": "9.0",
        "quote_line": "MEDIUM",
        "description": "Meerstapsverificatie en toegangsbeheer",
    },
    {"theme": "RC.RP", "man_days": "7.5", "quote_line": "MEDIUM", "description": "Back-up en herstelplan getest"},
]
FUNCTIONS = ("GV", "ID", "PR", "DE", "RS", "RC")


@dataclass
class LifecycleResult:
    created: bool
    lifecycle: Dossier | None
    refused: Dossier | None


def lifecycle_company() -> Company:
    """The synthetic company of the live dossiers, with five years of accounts (idempotent)."""
    company = company_upsert(
        enterprise_number=COMPANY["enterprise_number"],
        name=COMPANY["name"],
        legal_form=COMPANY["legal_form"],
        nace_code=COMPANY["nace_code"],
        postal_code=COMPANY["postal_code"],
        municipality=COMPANY["municipality"],
    )
    today = timezone.localdate()
    for year in range(today.year - 5, today.year):
        if not company.annual_accounts.filter(year=year).exists():
            annual_accounts_record(company=company, year=year, **ACCOUNTS)
    return company


def _actor(username: str):
    return actor_for_user(get_user_model().objects.select_related("profile").get(username=username))


def _day(quarter: Quarter, days: int) -> date:
    return quarter.start + timedelta(days=days)


@transaction.atomic  # all or nothing; the e-mails leave after the commit
def load_lifecycle_demo() -> LifecycleResult:
    """Run the live dossiers; needs the reference data, the company (`lifecycle_company`) and the demo accounts.
    Does nothing when the company has dossiers already, or when the demo SME account belongs to another
    company (a demo database made before these dossiers existed)."""
    company = lifecycle_company()
    existing = list(Dossier.objects.filter(company=company).order_by("pk")[:2])
    if existing:
        return LifecycleResult(False, existing[0], existing[1] if len(existing) > 1 else None)
    provider_actor, sme, handler, controller = (
        _actor(name) for name in ("dienstverlener", "kmo", "behandelaar", "controleur")
    )
    if sme.company_id != company.pk:
        return LifecycleResult(False, None, None)
    call = Call.objects.get(code=CALL)
    provider = ServiceProvider.objects.get(code=PROVIDER)
    # The trajectory ends in the quarter five before this one: over twelve months ago, so the follow-up is due.
    finish_q = quarter_of(timezone.localdate())
    for _ in range(5):
        finish_q = finish_q.previous()
    apply_q = finish_q.previous().previous().previous()
    start_q = apply_q.next()
    middle_q = start_q.next()
    after_q = finish_q.next()

    dossier = dossier_create_draft(
        actor=provider_actor,
        call=call,
        provider=provider,
        company=company,
        quote_lines=QUOTE,
        declarations=dict.fromkeys(DECLARATIONS, True),
        on_date=_day(apply_q, 9),
    )
    planned_themes_set(actor=provider_actor, dossier=dossier, themes=THEMES)
    dossier_submit(actor=provider_actor, dossier=dossier, on_date=_day(apply_q, 14))
    sme_confirm(actor=sme, dossier=dossier)
    dossier_approve(actor=handler, dossier=dossier, on_date=_day(apply_q, 40))
    dossier_start(actor=provider_actor, dossier=dossier, on_date=_day(start_q, 9))

    quote = Decimal(QUOTE[0]["amount_excl_vat"])
    days = Decimal(QUOTE[0]["man_days"])
    for quarter, share in ((start_q, Decimal("0.35")), (middle_q, Decimal("0.70"))):
        statement_submit(
            actor=provider_actor,
            dossier=dossier,
            quarter=str(quarter),
            delivered_man_days=(days * share).quantize(Decimal("0.1")),
            delivered_amount=(quote * share).quantize(Decimal("0.01")),
            today=_day(quarter.next(), 4),
        )
    request = payment_request_create(
        actor=provider_actor, dossier=dossier, quarter=str(middle_q), today=_day(finish_q, 4)
    )
    payment_request_approve(actor=handler, payment_request=request, payment_date=_day(finish_q, 14))
    dossier_finish(actor=provider_actor, dossier=dossier, on_date=finish_q.end - timedelta(days=10))
    statement_submit(
        actor=provider_actor,
        dossier=dossier,
        quarter=str(finish_q),
        delivered_man_days=days,
        delivered_amount=quote,
        today=_day(after_q, 4),
    )
    request = payment_request_create(
        actor=provider_actor, dossier=dossier, quarter=str(finish_q), today=_day(after_q, 4)
    )
    payment_request_reject(
        actor=handler,
        payment_request=request,
        reason="De prestatiestaat is niet ondertekend door de kmo; dien de aanvraag opnieuw in met de ondertekende staat.",
    )
    request = payment_request_create(
        actor=provider_actor, dossier=dossier, quarter=str(finish_q), today=_day(after_q, 12)
    )
    payment_request_approve(actor=handler, payment_request=request, payment_date=_day(after_q, 25))

    final_report_submit(
        actor=provider_actor,
        dossier=dossier,
        signatory="Projectleider Dienstverlener A (demo)",
        points=[
            {
                "theme": theme["theme"],
                "description": theme["description"],
                "status": status,
                "maturity_before": before,
                "maturity_after": after,
            }
            for theme, (status, before, after) in zip(THEMES, (("realised", "1.5", "3.0"), ("partly", "2.0", "2.5")))
        ],
        function_maturity=[{"function": code, "before": "2.0", "after": "2.5"} for code in FUNCTIONS],
        improvements="Toegangsbeheer met meerstapsverificatie ingevoerd; herstelplan opgesteld en één keer getest.",
    )
    final_report_cosign(
        actor=sme,
        dossier=dossier,
        signatory="Zaakvoerder Lindehoeve (demo)",
        satisfaction=4,
        would_recommend=True,
        changed_practice=True,
        feedback="Duidelijke begeleiding.",
    )
    control_record(
        actor=controller,
        dossier=dossier.reference,
        kind="ex_post_audit",
        trigger="random",
        performed_date=_day(after_q.next(), 20).isoformat(),
        outcome="irregularity",
        scope="Uurstaten en facturen van de dienstverlener nagekeken tegen de prestatiestaten.",
        findings=[
            {
                "category": "price_inflated",
                "description": "Eén mensdag werd dubbel aangerekend.",
                "financial_effect": "600.00",
            }
        ],
    )
    follow_ups_send(actor=system_actor("planner (demo)"), dossier=dossier)

    # The same company applies again: refused, the frequency rule allows one grant per four years.
    second = dossier_create_draft(
        actor=provider_actor,
        call=call,
        provider=provider,
        company=company,
        quote_lines=[{"package": "START", "amount_excl_vat": "9200.00", "man_days": "8.0"}],
        declarations=dict.fromkeys(DECLARATIONS, True),
    )
    dossier_submit(actor=provider_actor, dossier=second)
    sme_confirm(actor=sme, dossier=second)
    dossier_reject(
        actor=handler,
        dossier=second,
        reason=f"De onderneming kreeg steun voor dossier {dossier.reference}; de oproep staat één keer steun per "
        "vier jaar toe (frequentieregel).",
    )
    control_select(actor=controller, risk_size=5, random_size=5, seed=2026)
    return LifecycleResult(True, dossier, second)
