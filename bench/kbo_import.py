"""Benchmark of `cstraject kbo import` at the real register's size.

    python bench/kbo_import.py 2000000
    python bench/kbo_import.py 200000 --database-url postgres://postgres@127.0.0.1:5432/cs_register_bench

Writes a synthetic full extract of N enterprises in the published layout (streamed into
the zip, never held in memory): per enterprise one name (a quarter also a French one), a
seat, two NACE-BEL 2008 activities and one 2025; every second enterprise one establishment
with its address and activity; one in four a contact line. Then imports it into a fresh
database (SQLite file in the temp directory by default; a PostgreSQL database named
cs_register_bench* or cs_bench* is dropped and created again), and applies a monthly update
of `--changes` enterprises (each deleted and re-inserted with a new name and activity, plus
new enterprises). Prints wall time, CPU time of this process, rows per second and the peak
resident set size (getrusage).
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.register.extract import CODES, HEADERS, KEYS

POSTAL_CODES = ["2000", "9000", "3000", "3500", "8000", "1000", "4000", "5000", "6000", "6700", "1500", "8500"]
NACE = ["62010", "70220", "47240", "10711"]


def number(n: int, first: str) -> str:
    head = f"{first}{n:07d}"
    digits = head + f"{97 - int(head) % 97:02d}"
    if first == "0":
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"


class _Member:
    """A CSV file written to disk next to the zip (a zip takes one open member at a time), then stored in it."""

    def __init__(self, archive: zipfile.ZipFile, name: str, header: list[str]):
        self.archive, self.name = archive, name
        self.path = Path(archive.filename).with_suffix("") / name
        self.path.parent.mkdir(exist_ok=True)
        self.text = self.path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        self.writer.writerow(header)
        self.rows = 0

    def write(self, row) -> None:
        self.writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        self.text.close()
        self.archive.write(self.path, self.name)
        self.path.unlink()


def _meta(kind: str, extract: int) -> list[list[str]]:
    return [
        ["SnapshotDate", "01-11-2026"],
        ["ExtractTimestamp", "02-11-2026 06:12:00"],
        ["ExtractType", kind],
        ["ExtractNumber", str(extract)],
        ["Version", "1.0.0"],
    ]


def _codes(archive) -> None:
    member = _Member(archive, "code.csv", HEADERS["code"])
    for category, code, nl, fr in CODES:
        member.write([category, code, "NL", nl])
        member.write([category, code, "FR", fr])
    member.close()


def _enterprise_rows(members: dict, i: int, *, name_suffix: str = "") -> None:
    ent = number(i, "0")
    members["enterprise"].write([ent, "AC", "000", "2" if i % 7 else "1", "610" if i % 7 else "", "", "01-03-2012"])
    members["denomination"].write([ent, "2", "001", f"Onderneming {i}{name_suffix}"])
    if i % 4 == 0:
        members["denomination"].write([ent, "1", "001", f"Entreprise {i}{name_suffix}"])
    zipcode = POSTAL_CODES[i % len(POSTAL_CODES)]
    members["address"].write(
        [ent, "REGO", "", "", zipcode, "Gemeente", "Commune", "Straat", "Rue", str(i % 200), "", "", ""]
    )
    members["activity"].write([ent, "001", "2008", NACE[i % len(NACE)], "MAIN"])
    members["activity"].write([ent, "001", "2008", NACE[(i + 1) % len(NACE)], "SECO"])
    members["activity"].write([ent, "001", "2025", "10711" if i % 2 else "62100", "MAIN"])
    if i % 4 == 1:
        members["contact"].write([ent, "ENT", "TEL", f"03 {i:07d}"])
    if i % 2 == 0:
        est = number(i, "2")
        members["establishment"].write([est, "01-03-2012", ent])
        members["address"].write(
            [est, "BAET", "", "", zipcode, "Gemeente", "Commune", "Straat", "Rue", "1", "", "", ""]
        )
        members["activity"].write([est, "001", "2008", NACE[i % len(NACE)], "MAIN"])


def write_full(folder: Path, n: int) -> tuple[Path, int]:
    path = folder / f"KboOpenData_0140_2026_11_Full_{n}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        meta = _Member(archive, "meta.csv", HEADERS["meta"])
        for row in _meta("full", 140):
            meta.write(row)
        meta.close()
        _codes(archive)
        members = {name: _Member(archive, f"{name}.csv", HEADERS[name]) for name in KEYS}
        for i in range(1, n + 1):
            _enterprise_rows(members, i)
        rows = sum(member.rows for member in members.values())
        for member in members.values():
            member.close()
    path.with_suffix("").rmdir()
    return path, rows


def write_update(folder: Path, n: int, changes: int) -> tuple[Path, int]:
    """`changes` enterprises: nine in ten existing ones renamed (delete + insert), one in ten new."""
    path = folder / f"KboOpenData_0141_2026_12_Update_{n}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        meta = _Member(archive, "meta.csv", HEADERS["meta"])
        for row in _meta("update", 141):
            meta.write(row)
        meta.close()
        _codes(archive)
        deletes = {name: _Member(archive, f"{name}_delete.csv", [key]) for name, key in KEYS.items()}
        inserts = {name: _Member(archive, f"{name}_insert.csv", HEADERS[name]) for name in KEYS}
        step = max(1, n // changes)
        for k in range(changes):
            i = n + 1 + k if k % 10 == 9 else 1 + k * step
            if i <= n:
                ent = number(i, "0")
                for name in ("enterprise", "denomination", "address", "activity"):
                    deletes[name].write([ent])
                if i % 2 == 0:
                    est = number(i, "2")
                    deletes["establishment"].write([est])
                    deletes["address"].write([est])
                    deletes["activity"].write([est])
                if i % 4 == 1:
                    deletes["contact"].write([ent])
            _enterprise_rows(inserts, i, name_suffix=" (gewijzigd)")
        rows = sum(m.rows for m in (*deletes.values(), *inserts.values()))
        for member in (*deletes.values(), *inserts.values()):
            member.close()
    path.with_suffix("").rmdir()
    return path, rows


def configure(database_url: str | None, n: int) -> str:
    if database_url is None:
        path = Path(tempfile.gettempdir()) / f"cstraject-kbo-bench-{n}.sqlite3"
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    parsed = urlparse(database_url)
    if parsed.scheme.startswith("postgres"):
        name = parsed.path.lstrip("/")
        if not name.startswith(("cs_register_bench", "cs_bench")):
            sys.exit(f"Refusing to drop database '{name}': only cs_register_bench* or cs_bench* are recreated.")
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


def timed(label: str, function, rows: int):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {wall:7.1f} s wall, {cpu:7.1f} s CPU, {rows / wall:9,.0f} rows/s, peak RSS {peak:6.0f} MB")
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("enterprises", type=int, nargs="?", default=200_000)
    parser.add_argument("--database-url")
    parser.add_argument("--changes", type=int, default=20_000, help="enterprises changed by the monthly update")
    parser.add_argument("--folder", default=tempfile.gettempdir())
    args = parser.parse_args(argv)
    url = configure(args.database_url, args.enterprises)
    print(f"database: {url.split('@')[-1]}")
    folder = Path(args.folder)
    start = time.perf_counter()
    full, full_rows = write_full(folder, args.enterprises)
    print(
        f"generated {full.name}: {args.enterprises:,} enterprises, {full_rows:,} rows, "
        f"{full.stat().st_size / 1e6:.0f} MB zipped, {time.perf_counter() - start:.1f} s"
    )
    update, update_rows = write_update(folder, args.enterprises, args.changes)
    print(f"generated {update.name}: {args.changes:,} changed enterprises, {update_rows:,} rows")

    from cstraject.accounts.actors import system_actor
    from cstraject.register.kbo import Progress, kbo_import
    from cstraject.register.models import KboActivity, KboEnterprise
    from cstraject.register.services import register_sync_companies

    actor = system_actor("bench")
    progress = Progress(enabled=sys.stderr.isatty())
    timed(
        "full import ",
        lambda: kbo_import(full, actor=actor, progress=progress, after_switch=register_sync_companies),
        full_rows,
    )
    print(f"  register: {KboEnterprise.objects.count():,} enterprises, {KboActivity.objects.count():,} activities")
    timed(
        "update      ",
        lambda: kbo_import(update, actor=actor, progress=progress, after_switch=register_sync_companies),
        update_rows,
    )
    print(f"  register: {KboEnterprise.objects.count():,} enterprises")
    full.unlink()
    update.unlink()


if __name__ == "__main__":
    main()
