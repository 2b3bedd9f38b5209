"""Benchmark of the red-flag screening at scale.

    python bench/screening_scale.py 100000
    python bench/screening_scale.py 100000 --database-url postgres://postgres@127.0.0.1:5432/cs_bench_screening

Builds N synthetic dossiers with the generator of `bench/report_scale.py`
(a fresh SQLite file in the temp directory, or a PostgreSQL database named
cs_bench* dropped and created again), and adds what the indicators read:
a quote line per dossier, cumulative performance statements and payment
requests for the trajectories under way, final reports for the finished ones
(word salads with a unique opening, one in a thousand copied from another
SME), documents with their hash (a few shared), linked companies and de
minimis aid for a few percent. Then it runs `screening_run` (every indicator,
both calls) once and prints wall time, CPU time of this process, hits,
flagged dossiers, the peak resident set size, and the time per indicator.
"""

import argparse
import random
import resource
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report_scale

WORDS = [
    "firewall",
    "back-up",
    "herstel",
    "netwerk",
    "segmentatie",
    "wachtwoord",
    "beheerder",
    "opleiding",
    "phishing",
    "incident",
    "respons",
    "patch",
    "update",
    "server",
    "werkpost",
    "laptop",
    "versleuteling",
    "logging",
    "monitoring",
    "cloud",
    "leverancier",
    "contract",
    "risico",
    "analyse",
    "plan",
    "beleid",
    "toegang",
    "rechten",
    "mfa",
    "e-mail",
    "filter",
    "website",
    "scan",
    "kwetsbaarheid",
    "inventaris",
]


def enrich(n: int, seed: int = 11) -> dict:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from cstraject.calls.models import Package
    from cstraject.companies.models import AnnualAccounts, CompanyRelation, DeMinimisAid
    from cstraject.dossiers.models import Dossier, DossierDocument, QuoteLine
    from cstraject.impact.models import FinalReport
    from cstraject.payments.models import PaymentRequest, PerformanceStatement

    rng = random.Random(seed)
    ops = connection.ops
    day, money, moment = ops.adapt_datefield_value, ops.adapt_decimalfield_value, ops.adapt_datetimefield_value
    packages = {(p.call_id, p.code): p.pk for p in Package.objects.all()}
    rows = Dossier.objects.values_list(
        "id", "call_id", "company_id", "status", "package_mix", "quote_excl_vat", "started_date", "finished_date"
    ).order_by("id")
    lines = report_scale._BulkWriter(QuoteLine, ["id", "dossier_id", "package_id", "amount_excl_vat", "man_days"])
    statements = report_scale._BulkWriter(
        PerformanceStatement,
        ["id", "dossier_id", "quarter", "delivered_man_days", "delivered_amount", "reported_date"],
    )
    requests = report_scale._BulkWriter(
        PaymentRequest, ["id", "dossier_id", "statement_id", "tranche", "amount", "status", "requested_date"]
    )
    reports = report_scale._BulkWriter(
        FinalReport,
        ["id", "dossier_id", "improvements", "provider_signatory", "provider_signed_at", "sme_signed_at"],
        satisfaction=4,
        sme_signatory="Zaakvoerder",
    )
    documents = report_scale._BulkWriter(
        DossierDocument, ["id", "dossier_id", "kind", "file", "original_name", "size_bytes", "sha256", "uploaded_at"]
    )
    counts = dict.fromkeys(("lines", "statements", "requests", "reports", "documents"), 0)
    last_report = ""
    with transaction.atomic():
        for pk, call_id, _company, status, mix, quote, started, finished in rows.iterator(chunk_size=20_000):
            code = mix.split("+")[0].upper()
            counts["lines"] += 1
            man_days = Decimal(rng.randrange(150, 300)) / 10
            lines.add(counts["lines"], pk, packages[(call_id, code)], money(quote), man_days)
            if started is not None:
                for q, share in enumerate((Decimal("0.3"), Decimal("0.7"), Decimal("1"))):
                    if status != "finished" and share == 1:
                        break
                    when = started + timedelta(days=92 * (q + 1))
                    counts["statements"] += 1
                    quarter = f"{when.year}Q{(when.month - 1) // 3 + 1}"
                    statements.add(
                        counts["statements"],
                        pk,
                        quarter,
                        (man_days * share).quantize(Decimal("0.1")),
                        money((quote * share).quantize(Decimal("0.01"))),
                        day(when + timedelta(days=5)),
                    )
                    if share == Decimal("0.7"):
                        counts["requests"] += 1
                        requests.add(
                            counts["requests"],
                            pk,
                            counts["statements"],
                            1,
                            money(Decimal("100.00")),
                            "approved",
                            day(when + timedelta(days=6)),
                        )
            if status == "finished":
                counts["reports"] += 1
                if counts["reports"] % 1000 == 0 and last_report:
                    text = last_report  # a copy from another SME
                else:
                    text = f"Traject {pk}: " + " ".join(rng.choice(WORDS) for _ in range(60))
                last_report = text
                signed = datetime(finished.year, finished.month, finished.day, 9)
                reports.add(counts["reports"], pk, text, "Projectleider", moment(signed), moment(signed))
            if pk % 5 == 0:
                counts["documents"] += 1
                shared = pk % 5000 == 0
                digest = f"{(pk // 10 if shared else pk):064x}"
                documents.add(
                    counts["documents"],
                    pk,
                    "quote",
                    f"bench/{pk}.pdf",
                    "offerte.pdf",
                    1000,
                    digest,
                    moment(datetime(2024, 1, 1, 9)),
                )
        for writer in (lines, statements, requests, reports, documents):
            writer.flush()
        companies = max(1, int(n * 0.9))
        accounts = report_scale._BulkWriter(
            AnnualAccounts,
            ["id", "company_id", "year"],
            headcount=Decimal("12.0"),
            turnover=Decimal("1500000.00"),
            balance_sheet_total=Decimal("900000.00"),
            equity=Decimal("300000.00"),
        )
        for i in range(1, companies + 1):
            accounts.add(i, i, 2015 + i % 4)
        accounts.flush()
        relations = [
            CompanyRelation(company_id=i, related_company_id=i + 1, share_pct=Decimal("60.00"))
            for i in range(1, companies, 50)
        ]
        CompanyRelation.objects.bulk_create(relations, batch_size=5000)
        aid = [
            DeMinimisAid(
                company_id=i,
                granted_date=date(2022, 6, 1),
                amount=Decimal("5000.00"),
                grantor="Bench",
                description="Advies cyberbeveiliging" if i % 2 else "Opleiding",
            )
            for i in range(1, companies, 40)
        ]
        DeMinimisAid.objects.bulk_create(aid, batch_size=5000)
        with connection.cursor() as cursor:
            models = [QuoteLine, PerformanceStatement, PaymentRequest, FinalReport, DossierDocument, AnnualAccounts]
            for sql in ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts.update(relations=len(relations), de_minimis=len(aid))
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of dossiers")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    database = report_scale.configure(args.database_url, args.n)
    started = time.perf_counter()
    generated = report_scale.generate(args.n)
    generated.update(enrich(args.n))
    print(f"database: {database.split('@')[-1]}")
    print(f"generated in {time.perf_counter() - started:.1f} s: {generated}")

    from django.db.models import Count

    from cstraject.accounts.actors import system_actor
    from cstraject.controls.models import DossierRisk, IndicatorHit
    from cstraject.controls.screening.run import screening_run

    steps = []
    last = [time.perf_counter()]

    def progress(done, total, label):
        now = time.perf_counter()
        steps.append((now - last[0], label))
        last[0] = now

    wall, cpu = time.perf_counter(), time.process_time()
    run = screening_run(actor=system_actor("bench"), today=date(2026, 1, 1), progress=progress)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    flagged = DossierRisk.objects.filter(run=run).count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"screening of {run.dossier_count} dossiers: {wall:.1f} s wall, {cpu:.1f} s CPU (this process), "
        f"{run.hit_count} hits on {flagged} dossiers, peak RSS {peak_mb:.0f} MB"
    )
    per_indicator = IndicatorHit.objects.filter(run=run).values_list("indicator").annotate(n=Count("id"))
    print("hits per indicator: " + ", ".join(f"{code} {n}" for code, n in sorted(per_indicator)))
    print(
        "slowest steps: " + ", ".join(f"{label} {seconds:.1f} s" for seconds, label in sorted(steps, reverse=True)[:6])
    )
    last[0] = time.perf_counter()
    steps.clear()
    wall = time.perf_counter()
    screening_run(actor=system_actor("bench"), today=date(2026, 1, 1), progress=progress)
    print(f"second run (previous results replaced): {time.perf_counter() - wall:.1f} s wall")


if __name__ == "__main__":
    main()
