"""A rich world for the page walk: every dossier state, payments, a pending payment request, controls with
findings, red flags, final reports (signed, waiting for the SME's co-signature), a follow-up, letters, messages,
recoveries and collections; and one user per role.

Built from the synthetic demo data (a slice of the 2023-2025 impact dossiers and the oversight demo with
its screening) plus a few dossiers taken through the services live, so that the forms for the next step
show as well. About 15 s on SQLite.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cstraject.accounts.actors import system_actor
from cstraject.accounts.models import Role
from cstraject.calls.models import Call
from cstraject.dossiers.services import (
    dossier_approve,
    dossier_create_draft,
    dossier_finish,
    dossier_reject,
    dossier_start,
    dossier_stop,
    dossier_submit,
    dossier_withdraw,
)
from cstraject.payments.models import Recovery
from cstraject.payments.quarters import quarter_of
from cstraject.payments.services import collection_record, payment_request_create, statement_submit
from cstraject.providers.models import ServiceProvider
from cstraject.reference.loader import (
    _load_companies,
    _load_dossiers,
    impact_data,
    load_configuration,
    reference_data,
)
from cstraject.reference.oversight_demo import demo_data, load_oversight_demo
from tests.factories import ALL_DECLARATIONS, AnnualAccountsFactory, CompanyFactory, actor, user_with_role

USERS = {
    Role.PROVIDER: "dienstverlener",
    Role.SME_CONTACT: "kmo",
    Role.CASE_HANDLER: "behandelaar",
    Role.CONTROLLER: "controleur",
    Role.POLICY: "beleid",
    Role.ADMIN: "beheerder",
}


def _impact_slice(data: dict) -> tuple[list, list]:
    """Per (status, has final report, co-signed, follow-up) two dossiers, provider A's first."""
    seen: dict[tuple, int] = {}
    chosen = []
    for raw in sorted(data["dossiers"], key=lambda d: d["provider"] != "A"):
        report = raw.get("final_report") or {}
        cosign = report.get("cosign") or {}
        key = (raw["status"], bool(report), bool(cosign), bool(cosign.get("follow_up")))
        if seen.get(key, 0) < 2:
            seen[key] = seen.get(key, 0) + 1
            chosen.append(raw)
    numbers = {raw["company"] for raw in chosen}
    return [c for c in data["companies"] if c["enterprise_number"] in numbers], chosen


def build_world() -> dict:
    system = system_actor("referentiedata")
    _setup, calls = load_configuration()
    calls_by_code = {call.code: call for call, _ in calls}
    # The oversight demo's dossiers name a few companies of the reference dataset.
    oversight = demo_data()
    own = {c["enterprise_number"] for c in oversight["companies"]}
    wanted = {d["company"] for d in oversight["dossiers"]} - own
    _load_companies([c for c in reference_data()["companies"] if c["enterprise_number"] in wanted])
    companies, dossiers = _impact_slice(impact_data())
    _load_companies(companies)
    _load_dossiers(system, dossiers, calls_by_code)
    load_oversight_demo()  # controls, findings, recoveries, final reports, one screening run (red flags)

    provider = ServiceProvider.objects.get(code="A")
    call = Call.objects.get(code="CS-2023")
    handler = user_with_role(USERS[Role.CASE_HANDLER], Role.CASE_HANDLER)
    h = actor(Role.CASE_HANDLER, user=handler)
    p_user = user_with_role(USERS[Role.PROVIDER], Role.PROVIDER, provider=provider)
    p = actor(Role.PROVIDER, provider=provider, user=p_user)
    controller = user_with_role(USERS[Role.CONTROLLER], Role.CONTROLLER)
    user_with_role(USERS[Role.POLICY], Role.POLICY)
    admin = user_with_role(USERS[Role.ADMIN], Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()

    # Live dossiers of one SME, one per state the demo data lacks, through the services (letters included).
    today = timezone.localdate()

    def sme(name):
        company = CompanyFactory(name=name, postal_code="3000", municipality="Leuven")
        for year in (today.year - 3, today.year - 2, today.year - 1):
            AnnualAccountsFactory(company=company, year=year, headcount=Decimal("8.0"))
        return company

    # The SME contact's company has one dossier in every state up to in progress (once per 4 years: one
    # approved); the approved, stopped and finished ones belong to other companies.
    company = sme("Kmo Walk BV")
    sme_user = user_with_role(USERS[Role.SME_CONTACT], Role.SME_CONTACT, company=company)
    for user in (p_user, sme_user):  # with an address, so the steps below leave messages (notifications)
        user.email = f"{user.username}@example.invalid"
        user.save()
    lines = [{"package": "MEDIUM", "amount_excl_vat": "20000.00", "man_days": "16.0"}]

    def draft(day, owner=company):
        return dossier_create_draft(
            actor=p,
            call=call,
            provider=provider,
            company=owner,
            quote_lines=lines,
            declarations=ALL_DECLARATIONS,
            on_date=day,
        )

    start = quarter_of(today).start - timedelta(days=200)
    created = {}
    created["draft"] = draft(start)
    for name in ("submitted", "rejected", "withdrawn", "approved", "in_progress", "stopped", "finished"):
        owner = sme(f"Kmo Walk {name.title()} BV") if name in ("approved", "stopped", "finished") else company
        dossier = draft(start, owner)
        dossier_submit(actor=p, dossier=dossier, on_date=start)
        if name == "rejected":
            dossier_reject(actor=h, dossier=dossier, reason="Geen kmo volgens de jaarrekening.", on_date=start)
        elif name == "withdrawn":
            dossier_withdraw(actor=p, dossier=dossier, reason="De kmo ziet af van het traject.", on_date=start)
        elif name != "submitted":
            dossier_approve(actor=h, dossier=dossier, reason="Subsidiabel.", on_date=start + timedelta(days=5))
            if name != "approved":
                dossier_start(actor=p, dossier=dossier, on_date=start + timedelta(days=10))
        created[name] = dossier
    previous = quarter_of(quarter_of(today).start - timedelta(days=1))
    busy = created["in_progress"]
    statement_submit(
        actor=p, dossier=busy, quarter=str(previous), delivered_man_days="12.0", delivered_amount="15000.00"
    )
    payment_request_create(actor=p, dossier=busy, quarter=str(previous))  # waits for the case handler
    dossier_stop(actor=h, dossier=created["stopped"], reason="Zaakvoerder ziek.", on_date=today)
    dossier_finish(actor=p, dossier=created["finished"], on_date=today)

    recovery = Recovery.objects.filter(collections__isnull=True).first()
    if recovery is not None:
        c = actor(Role.CONTROLLER, user=controller)
        collection_record(actor=c, recovery=recovery, amount=Decimal("100.00"), collected_date=today)
    return {"dossiers": created, "company": company, "provider": provider}
