"""Loading the reference data shipped in `reference/data/`.

Idempotent: codes, calls, providers and companies are upserted; a dossier
whose reference already exists is left as it is (its history is not
rewritten). Everything goes through the same services as live data.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import resources

from django.db import transaction
from django.utils import timezone

from cstraject.accounts.actors import system_actor
from cstraject.calls.models import Call
from cstraject.calls.services import call_configure
from cstraject.companies.models import Company
from cstraject.companies.services import annual_accounts_record, company_upsert, nace_code_lookup
from cstraject.controls.services import not_sme_refusal_import
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.services import dossier_import
from cstraject.impact.models import ImprovementPoint
from cstraject.impact.services import final_report_cosign, final_report_submit, follow_up_answer, follow_ups_send
from cstraject.impact.themes import call_framework_set, framework_version_upsert, planned_themes_set
from cstraject.payments.services import payment_import, statement_import
from cstraject.providers.models import ServiceProvider
from cstraject.providers.services import provider_offer_call, provider_upsert

DATA = resources.files("cstraject.reference") / "data"
REFERENCE_FILE = "antwoord526.json"


@dataclass
class LoadResult:
    dossiers_created: int
    dossiers_skipped: int
    companies: int
    providers: int


def _date(value):
    return date.fromisoformat(value) if value else None


def load_nace_codes() -> int:
    with (DATA / "nace_bel_2008.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle)]
    for row in rows:
        # Codes only: labels come from the KBO code table, else python-stdnum (companies/nace.py).
        nace_code_lookup(code=row["code"], version=row["version"])
    return len(rows)


def load_frameworks() -> int:
    """The framework versions whose themes the calls use (CyFun / NIST CSF 2.0)."""
    spec = json.loads((DATA / "frameworks.json").read_text(encoding="utf-8"))
    for raw in spec["versions"]:
        framework_version_upsert(**raw)
    return len(spec["versions"])


def load_calls() -> list[tuple[Call, list[str]]]:
    spec = json.loads((DATA / "calls.json").read_text(encoding="utf-8"))
    load_frameworks()
    calls = []
    for raw in spec["calls"]:
        raw = dict(raw)
        providers = raw.pop("providers")
        framework = raw.pop("framework_version", None)
        raw["opens_date"] = _date(raw["opens_date"])
        raw["closes_date"] = _date(raw["closes_date"])
        call = call_configure(**raw)
        if framework:
            call_framework_set(call=call, version_code=framework)
        calls.append((call, providers))
    return calls


def load_screening_parameters() -> int:
    """The screening thresholds of each call (data/screening.json), checked like any configuration change."""
    from cstraject.controls.screening.run import screening_parameters_set

    spec = json.loads((DATA / "screening.json").read_text(encoding="utf-8"))
    actor = system_actor("referentiedata")
    calls = {call.code: call for call in Call.objects.filter(code__in=spec["calls"])}
    for code, values in spec["calls"].items():
        if code in calls and getattr(calls[code], "screening_parameters", None) is None:
            screening_parameters_set(actor=actor, call=calls[code], values=values)
    return len(calls)


def reference_data() -> dict:
    return json.loads((DATA / REFERENCE_FILE).read_text(encoding="utf-8"))


@dataclass
class SetupResult:
    nace_codes: int
    calls: int
    packages: int
    providers: int


def _offer_calls(calls) -> None:
    for call, provider_codes in calls:
        for provider in ServiceProvider.objects.filter(code__in=provider_codes):
            provider_offer_call(provider=provider, call=call)


@transaction.atomic
def load_configuration() -> tuple[SetupResult, list]:
    """What an installation needs before its first application, and nothing else: the NACE codes, the
    calls with their packages, the providers with their catalogues. Idempotent; no dossiers."""
    nace_codes = load_nace_codes()
    calls = load_calls()
    providers = json.loads((DATA / "providers.json").read_text(encoding="utf-8"))["providers"]
    for raw in providers:
        provider_upsert(code=raw["code"], name=raw["name"], enterprise_number=raw["enterprise_number"])
    _offer_calls(calls)
    load_screening_parameters()  # the screening thresholds are part of each call's configuration
    result = SetupResult(
        nace_codes=nace_codes,
        calls=len(calls),
        packages=sum(call.packages.count() for call, _ in calls),
        providers=len(providers),
    )
    return result, calls


IMPACT_FILE = "impact_2023_2025.json"


def impact_data() -> dict:
    return json.loads((DATA / IMPACT_FILE).read_text(encoding="utf-8"))


def _load_companies(companies: list[dict]) -> None:
    for raw in companies:
        company = company_upsert(
            enterprise_number=raw["enterprise_number"],
            name=raw["name"],
            legal_form=raw["legal_form"],
            nace_code=raw["nace_code"],
            nace_version=raw.get("nace_version", "2008"),
            postal_code=raw["postal_code"],
            municipality=raw["municipality"],
        )
        for accounts in raw.get("accounts", []):
            annual_accounts_record(company=company, **accounts)


def _moment(day: str):
    """A historical date as a moment (noon, local time) for signatures and surveys."""
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12, 0)))


def _load_impact(actor, dossier: Dossier, raw: dict) -> None:
    """Themes, final report, co-signature with feedback, follow-up: through the impact services."""
    if raw.get("themes"):
        planned_themes_set(actor=actor, dossier=dossier, themes=raw["themes"])
    report = raw.get("final_report")
    if not report:
        return
    final_report_submit(
        actor=actor,
        dossier=dossier,
        signatory=report["signatory"],
        points=report["points"],
        function_maturity=report["function_maturity"],
        improvements=report.get("summary", ""),
        at=_moment(report["signed_date"]),
    )
    cosign = report.get("cosign")
    if not cosign:
        return
    final_report_cosign(
        actor=actor,
        dossier=dossier,
        signatory=cosign["signatory"],
        satisfaction=cosign["satisfaction"],
        would_recommend=cosign["would_recommend"],
        changed_practice=cosign["changed_practice"],
        feedback=cosign.get("feedback", ""),
        at=_moment(cosign["signed_date"]),
    )
    follow_up = cosign.get("follow_up")
    if not follow_up:
        return
    sent = date.fromisoformat(follow_up["sent_date"])
    follow_ups_send(actor=actor, today=sent, dossier=dossier, at=_moment(follow_up["sent_date"]))
    if follow_up.get("answered_date"):
        points = dict(ImprovementPoint.objects.filter(final_report__dossier=dossier).values_list("theme__code", "pk"))
        follow_up_answer(
            actor=actor,
            dossier=dossier,
            answers={points[code]: value for code, value in follow_up["still_in_place"].items()},
            comment=follow_up.get("comment", ""),
            today=date.fromisoformat(follow_up["answered_date"]),
            at=_moment(follow_up["answered_date"]),
        )


def _load_dossiers(actor, dossiers: list[dict], calls_by_code: dict) -> tuple[int, int]:
    existing = set(
        Dossier.objects.filter(reference__in=[d["reference"] for d in dossiers]).values_list("reference", flat=True)
    )
    providers = {p.code: p for p in ServiceProvider.objects.all()}
    created = 0
    for raw in dossiers:
        if raw["reference"] in existing:
            continue
        dossier = dossier_import(
            actor=actor,
            reference=raw["reference"],
            call=calls_by_code[raw["call"]],
            provider=providers[raw["provider"]],
            company=Company.objects.get(enterprise_number=raw["company"]),
            quote_lines=raw["quote_lines"],
            size_class=raw["size_class"],
            size_basis=raw.get("size_basis"),
            subsidy_amount=raw["subsidy_amount"],
            status=raw["status"],
            submitted_date=_date(raw.get("submitted_date")),
            decided_date=_date(raw.get("decided_date")),
            started_date=_date(raw.get("started_date")),
            finished_date=_date(raw.get("finished_date")),
            decision_reason=raw.get("decision_reason", ""),
        )
        for statement in raw.get("statements", []):
            statement_import(
                actor=actor,
                dossier=dossier,
                quarter=statement["quarter"],
                delivered_man_days=statement["delivered_man_days"],
                delivered_amount=statement["delivered_amount"],
                reported_date=_quarter_report_date(statement["quarter"]),
            )
        for payment in raw.get("payments", []):
            # With the quarter, the import replays the tranche rule against that
            # quarter's statement and records the approved request behind the payment.
            payment_import(
                actor=actor,
                dossier=dossier,
                tranche=payment["tranche"],
                amount=payment["amount"],
                payment_date=_date(payment["payment_date"]),
                quarter=payment["quarter"],
            )
        if dossier.status == "rejected" and dossier.size_class == "groot":
            # Refused at application because the firm is no SME: a control at application with
            # finding "not an SME", no recovery (nothing was paid), as the published answer says.
            not_sme_refusal_import(
                actor=actor, dossier=dossier, on_date=dossier.decided_date, reason=dossier.decision_reason
            )
        _load_impact(actor, dossier, raw)
        created += 1
    return created, len(existing)


@transaction.atomic
def load_reference(*, include_impact: bool = False) -> LoadResult:
    """The configuration (`load_configuration`) plus the synthetic dossiers of answer 526 (2021-2022) and, with
    `include_impact`, the synthetic 2023-2025 dossiers with themes, final reports and follow-ups."""
    actor = system_actor("referentiedata")
    data = reference_data()
    _setup, calls = load_configuration()
    for raw in data["providers"]:
        provider_upsert(code=raw["code"], name=raw["name"], enterprise_number=raw["enterprise_number"])
    _offer_calls(calls)
    calls_by_code = {call.code: call for call, _ in calls}
    _load_companies(data["companies"])
    created, skipped = _load_dossiers(actor, data["dossiers"], calls_by_code)
    companies = len(data["companies"])
    if include_impact:
        impact = impact_data()
        _load_companies(impact["companies"])
        more, more_skipped = _load_dossiers(actor, impact["dossiers"], calls_by_code)
        created, skipped, companies = created + more, skipped + more_skipped, companies + len(impact["companies"])
    return LoadResult(
        dossiers_created=created,
        dossiers_skipped=skipped,
        companies=companies,
        providers=len(data["providers"]),
    )


def _quarter_report_date(quarter: str) -> date:
    """A statement on quarter Q is filed on the first working days after it: the 5th of the next quarter."""
    year, q = int(quarter[:4]), int(quarter[5])
    return date(year + 1, 1, 5) if q == 4 else date(year, 3 * q + 1, 5)
