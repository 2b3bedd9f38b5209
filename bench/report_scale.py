"""Benchmark of the question-526 report at scale.

    python bench/report_scale.py 100000
    python bench/report_scale.py 100000 --database-url postgres://postgres@127.0.0.1:5432/cs_bench

Generates N synthetic dossiers with bulk_create into a fresh database (by
default a new SQLite file in the temp directory; a PostgreSQL database named
cs_bench* is dropped and created again), spread over the years 2021-2025,
the provinces, the size classes, NACE codes, package mixes and outcomes,
with tranche payments for the trajectories under way, and runs ANALYZE.
Then it times question_tables(), the CSV and the workbook for 2021-2025
and prints wall time, the CPU time of this process (with SQLite the
database work runs in-process, so this figure does not depend on what else
the machine is doing), the number of queries, peak Python memory
(tracemalloc, a separate pass) and the peak resident set size of the
process (getrusage).
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

YEARS = range(2021, 2026)
# (postal code, weight): the five Flemish provinces, a few Brussels companies.
POSTAL_CODES = [("2000", 30), ("3500", 10), ("9000", 22), ("3000", 18), ("8000", 17), ("1000", 3)]
SIZES = [("micro", 45), ("klein", 35), ("middelgroot", 18), ("groot", 2)]
STATUSES = [
    ("approved", 15),
    ("in_progress", 25),
    ("finished", 30),
    ("stopped", 2),
    ("rejected", 8),
    ("withdrawn", 5),
    ("submitted", 5),
    ("draft", 10),
]
MIXES_2021 = [("basis", 70), ("light", 15), ("basis+uitbreiding", 10), ("light+uitbreiding", 5)]
MIXES_2023 = [("start", 40), ("medium", 35), ("plus", 25)]
# A spread of NACE-BEL 2008 subclasses seen among applicants.
NACE_CODES = [
    ("62010", "Ontwerpen en programmeren van computerprogramma's"),
    ("62020", "Computerconsultancy-activiteiten"),
    ("62090", "Overige diensten op het gebied van informatietechnologie en computer"),
    ("63110", "Gegevensverwerking, webhosting en aanverwante activiteiten"),
    ("58290", "Overige uitgeverijen van software"),
    (
        "70220",
        "Overige adviesbureaus op het gebied van bedrijfsbeheer; adviesbureaus op het gebied van bedrijfsvoering",
    ),
    ("69102", "Activiteiten van notarissen"),
    ("73200", "Markt- en opinieonderzoekbureaus"),
    ("64200", "Holdings"),
    ("80100", "Particuliere beveiliging"),
    ("82920", "Verpakkingsbedrijven"),
    ("58130", "Uitgeverijen van kranten"),
    ("85592", "Beroepsopleiding"),
    ("46510", "Groothandel in computers, randapparatuur en software"),
    ("47410", "Detailhandel in computers, randapparatuur en software in gespecialiseerde winkels"),
    ("25620", "Algemene metaalbewerking"),
    ("10710", "Vervaardiging van brood en van vers banketbakkerswerk"),
    ("41201", "Algemene bouw van residentiële gebouwen"),
    ("86909", "Overige menselijke gezondheidszorg, n.e.g."),
    ("49410", "Goederenvervoer over de weg, m.u.v. verhuisbedrijven"),
]


def weighted(rng: random.Random, choices):
    values, weights = zip(*choices)
    return rng.choices(values, weights=weights)[0]


def configure(database_url: str | None, n: int) -> str:
    """Point Django at a fresh database; returns a description of it."""
    if database_url is None:
        path = Path(tempfile.gettempdir()) / f"cstraject-bench-{n}.sqlite3"
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    parsed = urlparse(database_url)
    if parsed.scheme.startswith("postgres"):
        name = parsed.path.lstrip("/")
        if not name.startswith("cs_bench"):
            sys.exit(f"Refusing to drop database '{name}': the benchmark only recreates databases named cs_bench*.")
        import psycopg

        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cstraject.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database_url


class _BulkWriter:
    """Rows straight into a table: `executemany` on SQLite, `COPY` on PostgreSQL, no model instances.

    A row starts from a template (a model instance with the defaults, prepared for the database the
    way Django would save it), and only the columns that vary are set per row, so the writer keeps
    up with fields other apps add, as long as they have a default.
    """

    def __init__(self, model, varying: list[str], **template):
        from django.db import connection

        self.connection = connection
        self.model = model
        fields = [f for f in model._meta.concrete_fields]
        obj = model(**template)
        self.columns = [f.column for f in fields]
        self.template = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        by_name = {f.name: i for i, f in enumerate(fields)} | {f.attname: i for i, f in enumerate(fields)}
        self.positions = [by_name[name] for name in varying]
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        row = self.template.copy()
        for position, value in zip(self.positions, values):
            row[position] = value
        self.rows.append(tuple(row))
        if len(self.rows) >= 50_000:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(c) for c in self.columns)
        raw = self.connection.connection
        if self.connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join("?" for _ in self.columns)
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", self.rows)
        self.rows = []


def _secondary_indexes(connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes on `table` that no constraint needs."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return list(cursor.fetchall())


class _IndexesAfterwards:
    """Drops the tables' secondary indexes for the bulk load and builds them once afterwards:
    one sort per index instead of a B-tree insert per row and index (several times faster)."""

    def __init__(self, connection, tables: list[str]):
        self.connection = connection
        self.indexes = [index for table in tables for index in _secondary_indexes(connection, table)]

    def __enter__(self):
        with self.connection.cursor() as cursor:
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        return self

    def __exit__(self, *exc):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks first
            for _, create in self.indexes:
                cursor.execute(create)
        return False


def generate(n: int, seed: int = 526) -> dict:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from cstraject.companies.models import Company, NaceCode
    from cstraject.core.enterprise_number import check_digits
    from cstraject.core.geography import province_for_postal_code, region_for_province
    from cstraject.dossiers.models import GRANTED_STATUSES, Dossier
    from cstraject.payments.models import Collection, Payment, Recovery
    from cstraject.providers.models import ServiceProvider
    from cstraject.reference import loader

    rng = random.Random(seed)
    # Always the same 20 codes, so runs are comparable whatever reference data is installed.
    NaceCode.objects.bulk_create(
        [NaceCode(version="2008", code=code, level="subclass", label_nl=label) for code, label in NACE_CODES]
    )
    nace_ids = list(
        NaceCode.objects.filter(level="subclass", code__in=[c for c, _ in NACE_CODES]).values_list("pk", flat=True)
    )
    calls = {call.code: call for call, _ in loader.load_calls()}
    providers = ServiceProvider.objects.bulk_create(
        [
            ServiceProvider(
                code=letter, name=f"Dienstverlener {letter}", enterprise_number=_number(900_000 + i, check_digits)
            )
            for i, letter in enumerate("ABCDEFGHI")
        ]
    )
    provider_ids = [provider.pk for provider in providers]
    ops = connection.ops
    day = ops.adapt_datefield_value
    moment = ops.adapt_datetimefield_value
    money = ops.adapt_decimalfield_value
    granted = set(GRANTED_STATUSES)
    subsidy_for = {code: call.subsidy_for for code, call in calls.items()}
    call_ids = {code: call.pk for code, call in calls.items()}
    provinces = {code: province_for_postal_code(code) for code, _ in POSTAL_CODES}
    connection.ensure_connection()
    payments_count = 0
    tables = [Company._meta.db_table, Dossier._meta.db_table, Payment._meta.db_table, Recovery._meta.db_table]
    with transaction.atomic(), _IndexesAfterwards(connection, tables):
        n_companies = max(1, int(n * 0.9))  # one in ten companies applies twice
        company_rows = _BulkWriter(
            Company,
            ["id", "enterprise_number", "name", "search_name", "nace_code_id", "postal_code", "province", "region"],
            legal_form="bv",
            municipality="Gemeente",
        )
        company_province, company_nace = [], []
        for i in range(n_companies):
            postal_code = weighted(rng, POSTAL_CODES)
            province, nace_id = provinces[postal_code], rng.choice(nace_ids)
            company_province.append(province)
            company_nace.append(nace_id)
            company_rows.add(
                i + 1,
                _number(i, check_digits),
                f"Bedrijf {i} BV",
                f"bedrijf {i} bv",
                nace_id,
                postal_code,
                province,
                region_for_province(province),
            )
        company_rows.flush()

        dossier_rows = _BulkWriter(
            Dossier,
            [
                "id",
                "reference",
                "call_id",
                "provider_id",
                "company_id",
                "status",
                "province",
                "nace_code_id",
                "size_class",
                "package_mix",
                "quote_excl_vat",
                "subsidy_amount",
                "submitted_date",
                "decided_date",
                "started_date",
                "finished_date",
                "created_at",
            ],
            quote_man_days=Decimal("20.0"),
        )
        payment_rows = _BulkWriter(Payment, ["id", "dossier_id", "tranche", "amount", "payment_date"])
        # Every other stopped trajectory had been paid too much: a recovery order, half of them collected in part.
        recovery_rows = _BulkWriter(Recovery, ["id", "dossier_id", "amount", "issued_date"], reason="benchmark")
        collection_rows = _BulkWriter(Collection, ["id", "recovery_id", "amount", "collected_date"])
        recoveries_count = 0
        for i in range(n):
            company = i % n_companies
            year = rng.choice(YEARS)
            call = "CS-2021" if year <= 2022 else "CS-2023"
            status = weighted(rng, STATUSES)
            mix = weighted(rng, MIXES_2021 if year <= 2022 else MIXES_2023)
            quote = Decimal(rng.randrange(920_000, 3_500_000)) / 100
            submitted = date(year, 1, 1) + timedelta(days=rng.randrange(0, 330))
            decided = submitted + timedelta(days=rng.randrange(10, 35))
            size = weighted(rng, SIZES)
            if size == "groot" and status in granted:
                status = "rejected"
            subsidy = subsidy_for[call](quote)
            dossier_rows.add(
                i + 1,
                f"CS-B-{i:07d}",
                call_ids[call],
                provider_ids[i % len(provider_ids)],
                company + 1,
                status,
                company_province[company],
                company_nace[company],
                size,
                mix,
                money(quote),
                money(subsidy),
                None if status == "draft" else day(submitted),
                day(decided) if status not in ("draft", "submitted", "withdrawn") else None,
                day(decided + timedelta(days=14)) if status in ("in_progress", "finished", "stopped") else None,
                day(decided + timedelta(days=300)) if status == "finished" else None,
                moment(_aware(submitted)),
            )
            if status == "stopped" and i % 2 == 0:
                recoveries_count += 1
                owed = (subsidy * Decimal("0.1")).quantize(Decimal("0.01"))
                issued = decided + timedelta(days=200)
                recovery_rows.add(recoveries_count, i + 1, money(owed), day(issued))
                if i % 4 == 0:
                    collected = (owed / 2).quantize(Decimal("0.01"))
                    collection_rows.add(
                        recoveries_count, recoveries_count, money(collected), day(issued + timedelta(days=60))
                    )
            if status in ("in_progress", "finished"):
                first = (subsidy * Decimal("0.6")).quantize(Decimal("0.01"))
                payments_count += 1
                payment_rows.add(payments_count, i + 1, 1, money(first), day(decided + timedelta(days=150)))
                if status == "finished":
                    payments_count += 1
                    payment_rows.add(
                        payments_count, i + 1, 2, money(subsidy - first), day(decided + timedelta(days=330))
                    )
        dossier_rows.flush()
        payment_rows.flush()
        recovery_rows.flush()
        collection_rows.flush()
        with connection.cursor() as cursor:
            for sql in ops.sequence_reset_sql(no_style(), [Company, Dossier, Payment, Recovery, Collection]):
                cursor.execute(sql)
    # Fresh planner statistics, as autovacuum (PostgreSQL) or a nightly ANALYZE would leave them;
    # without them PostgreSQL plans the per-company counts of 1d as if the tables were empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"companies": n_companies, "dossiers": n, "payments": payments_count, "recoveries": recoveries_count}


def _aware(day: date):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def _number(i: int, check_digits) -> str:
    first_eight = f"0{(10_000_000 + i * 7):07d}"[-8:]
    first_eight = "0" + first_eight[1:]
    return first_eight + check_digits(first_eight)


def report_once(out_dir: Path, *, year_from: int, year_to: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cstraject.reporting.csv_export import write_csv
    from cstraject.reporting.statistics import data_date, question_tables
    from cstraject.reporting.workbook import write_workbook

    timings = {}
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        tables = question_tables(year_from=year_from, year_to=year_to)
        timings["question_tables"] = time.perf_counter() - start
        timings["question_tables_cpu"] = time.process_time() - cpu
    timings["queries"] = len(queries.captured_queries)
    start = time.perf_counter()
    with open(out_dir / "cijfers.csv", "w", encoding="utf-8", newline="") as handle:
        timings["figures"] = write_csv(tables=tables, target=handle)
    timings["csv"] = time.perf_counter() - start
    start = time.perf_counter()
    write_workbook(
        tables=tables,
        target=str(out_dir / "antwoord.xlsx"),
        year_from=year_from,
        year_to=year_to,
        data_date=data_date(),
    )
    timings["workbook"] = time.perf_counter() - start
    return timings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of dossiers")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the report (best and median shown)")
    parser.add_argument(
        "--database-url", default=None, help="default: a fresh SQLite file; PostgreSQL: a cs_bench* database"
    )
    parser.add_argument("--generate-only", action="store_true", help="generate the data and stop")
    args = parser.parse_args(argv)

    database = configure(args.database_url, args.n)
    print(f"database: {database.split('@')[-1]}")
    start = time.perf_counter()
    counts = generate(args.n)
    print(
        f"generated {counts['dossiers']:,} dossiers, {counts['companies']:,} companies, "
        f"{counts['payments']:,} payments, {counts['recoveries']:,} recoveries in {time.perf_counter() - start:.1f} s"
    )
    if args.generate_only:
        return

    out_dir = Path(tempfile.mkdtemp(prefix="cstraject-bench-"))
    first, years = min(YEARS), max(YEARS)
    runs = [report_once(out_dir, year_from=first, year_to=years) for _ in range(args.repeat)]
    for step in ("question_tables", "question_tables_cpu", "csv", "workbook"):
        times = sorted(run[step] for run in runs)
        print(f"  {step:<19} best {times[0]:7.2f} s   median {times[len(times) // 2]:7.2f} s   (of {len(times)} runs)")
    best = min(runs, key=lambda run: run["question_tables"] + run["csv"] + run["workbook"])
    total = best["question_tables"] + best["csv"] + best["workbook"]
    print(
        f"report {first}-{years}: {best['queries']} queries, {best['figures']:,} figures; "
        f"best total {total:.2f} s (question_tables {best['question_tables']:.2f} s, csv {best['csv']:.2f} s, "
        f"workbook {best['workbook']:.2f} s)"
    )
    tracemalloc.start()
    report_once(out_dir, year_from=first, year_to=years)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python memory during the report (tracemalloc): {peak / 2**20:.1f} MiB")
    print(
        f"peak resident set size of the process, generation included (getrusage): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print(
        f"load average (1, 5, 15 min) at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(f"output: {out_dir}")


if __name__ == "__main__":
    main()
