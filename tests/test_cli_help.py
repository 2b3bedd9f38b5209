"""The console script explains itself: a grouped one-screen list of our commands, Dutch
help for every option, a schema that is there before a command uses it, and a report
whose format follows from the file name.

The subprocess tests run the installed `cstraject` script on a fresh SQLite file of
their own (whatever database the suite itself runs on)."""

import argparse
import os
import re
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class

from cstraject.__main__ import main_help, our_commands

SCRIPT = Path(sys.executable).with_name("cstraject")
DJANGO_TOOLS = ("flush", "startproject", "runserver", "startapp", "sqlflush", "dbshell")


def run(*args: str, cwd: Path, database_url: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["DATABASE_URL"] = database_url or f"sqlite:///{cwd / 'cstraject.sqlite3'}"
    env["COLUMNS"] = "80"
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def ours() -> dict[str, str]:
    """{module name: app} of every management command of a cstraject app."""
    return {name: app for name, app in get_commands().items() if app.startswith("cstraject.")}


# --- the list of commands --------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [(), ("--help",), ("help",), ("-h",)])
def test_help_lists_our_commands_grouped_on_one_screen(args, tmp_path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.rstrip("\n").splitlines()
    assert len(lines) <= 24, result.stdout
    assert max(len(line) for line in lines) <= 80, result.stdout
    rows = lines[3:-2]  # title, usage, blank ... blank, Django's tools
    listed = [name for line in rows for name in line[13:].split()[0].split("/")]
    assert sorted(listed) == sorted({name.replace("_", "-") for name in ours()} | {"migrate"})
    assert len(listed) == len(set(listed)), "each command once"
    assert not set(listed) & set(DJANGO_TOOLS)
    groups = [line[:13].strip() for line in rows if line[:13].strip()]
    assert groups[:2] == ["Start", "Dossiers"] and "Beheer" in groups
    assert "cstraject django OPDRACHT" in result.stdout
    assert not (tmp_path / "cstraject.sqlite3").exists(), "help does not touch the database"


def test_every_listed_command_has_a_one_line_summary():
    summaries = our_commands()
    assert all(summary and "\n" not in summary for summary in summaries.values())
    assert main_help().count("\n") < 24


def test_django_tools_behind_django_and_all(tmp_path):
    listing = run("--all", cwd=tmp_path)
    assert listing.returncode == 0 and "flush" in listing.stdout and "startproject" in listing.stdout
    assert run("django", cwd=tmp_path).stdout == listing.stdout
    check = run("django", "check", cwd=tmp_path)
    assert check.returncode == 0 and "no issues" in check.stdout
    assert run("help", "report", cwd=tmp_path).stdout.startswith("gebruik: cstraject report")


# --- Dutch help texts --------------------------------------------------------------------------------------


def _parsers(name: str, app: str):
    parser = load_command_class(app, name).create_parser("cstraject", name)
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.values()


@pytest.mark.parametrize("name", sorted(ours()))
def test_every_option_of_our_commands_has_a_dutch_help_text(name):
    for parser in _parsers(name, ours()[name]):
        text = parser.format_help()
        assert text.startswith("gebruik: "), text
        for english in ("usage:", "show this help", "positional arguments", "options:\n"):
            assert english not in text, (name, english, text)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
                continue
            assert action.help, f"{parser.prog}: {action.option_strings or action.dest} has no help"


# --- the schema, before `migrate` --------------------------------------------------------------------------


def test_load_reference_and_report_before_migrate_build_the_database_themselves(tmp_path):
    database = tmp_path / "cstraject.sqlite3"
    loaded = run("load-reference", "--zonder-impact", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "Traceback" not in loaded.stderr
    assert "72 dossiers toegevoegd" in loaded.stdout
    # The first line says what was done; the structured event log (cstraject.operations.logs) may follow.
    assert loaded.stderr.splitlines()[0] == f"Databank {database} aangemaakt (schema van cstraject)."
    assert database.stat().st_size > 0

    csv_report = run("report", "--from", "2021", "--to", "2022", "-o", "x.csv", cwd=tmp_path)
    assert csv_report.returncode == 0 and "Databank" not in csv_report.stderr, csv_report.stderr
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").startswith("question,table,dimension,category,year")
    workbook = run("report", "--from", "2021", "--to", "2022", "-o", "x.xlsx", cwd=tmp_path)
    assert workbook.returncode == 0, workbook.stderr
    assert zipfile.is_zipfile(tmp_path / "x.xlsx")


def test_report_before_migrate_on_a_fresh_directory(tmp_path):
    result = run("report", "--from", "2021", "--to", "2022", "-o", "leeg.csv", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert re.fullmatch(r"leeg\.csv: \d+ tabellen voor 2021-2022 \(\d+ zonder gegevens\)\.", result.stdout.strip())
    assert (tmp_path / "cstraject.sqlite3").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "returncode", "stdout"),
    [
        (("users", "list"), 0, ""),
        (("dossiers", "list", "--as", "niemand"), 1, ""),
    ],
)
def test_lifecycle_commands_before_migrate_build_the_database_themselves(args, returncode, stdout, tmp_path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == returncode and result.stdout.strip() == stdout
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"Databank {tmp_path / 'cstraject.sqlite3'} aangemaakt (schema van cstraject)."
    assert "Traceback" not in result.stderr
    errors = [line for line in lines if line.startswith("CommandError")]
    assert errors == ([] if returncode == 0 else ["CommandError: Onbekende gebruiker 'niemand'."])
    assert (tmp_path / "cstraject.sqlite3").stat().st_size > 0


def test_unreachable_sqlite_database_is_one_line_and_leaves_no_file(tmp_path):
    missing = tmp_path / "geen-map" / "x.sqlite3"
    result = run("dossiers", "list", "--as", "iemand", cwd=tmp_path, database_url=f"sqlite:///{missing}")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: Kan de databank {missing} niet gebruiken: unable to open database file"
    ]
    assert not missing.parent.exists()


@pytest.mark.postgres_only
def test_postgres_without_schema_says_what_to_run(tmp_path, is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL")
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    name = f"{settings['NAME'].removeprefix('test_')}_leeg_{uuid.uuid4().hex[:8]}"
    base = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = run("load-reference", cwd=tmp_path, database_url=f"{base}/{name}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"CommandError: De databank {name} heeft het schema van cstraject nog niet")
    assert line.endswith("voer eerst `cstraject migrate` uit.")


# --- report: the format follows the file name ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "fmt", "message"),
    [
        ("x.xlsx", "csv", "--format csv spreekt de bestandsnaam x.xlsx tegen"),
        ("x.csv", "xlsx", "--format xlsx spreekt de bestandsnaam x.csv tegen"),
        ("x.docx", "csv", "--format csv spreekt de bestandsnaam x.docx tegen"),
        ("x.txt", None, "Kan het formaat niet afleiden uit x.txt"),
        ("x.csv", "pdf", "Onbekend formaat 'pdf'"),
    ],
)
def test_report_refuses_a_format_that_contradicts_the_file_name(output, fmt, message, tmp_path):
    args = ["report", "--from", "2021", "--to", "2022", "-o", str(tmp_path / output)]
    if fmt:
        args += ["--format", fmt]
    with pytest.raises(CommandError, match=message):
        call_command(*args)
    assert not (tmp_path / output).exists()


def test_report_takes_the_format_from_the_file_name(db, tmp_path):
    call_command("report", "--from", "2021", "--to", "2022", "-o", str(tmp_path / "x.csv"))
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").startswith("question,table")
    call_command("report", "--from", "2021", "--to", "2022", "-o", str(tmp_path / "x.xlsx"))
    assert zipfile.is_zipfile(tmp_path / "x.xlsx")
    call_command("report", "--from", "2021", "--to", "2022", "-o", str(tmp_path / "x.docx"))
    assert (
        zipfile.is_zipfile(tmp_path / "x.docx")
        and "word/document.xml" in zipfile.ZipFile(tmp_path / "x.docx").namelist()
    )
    call_command("report", "--from", "2021", "--to", "2022", "--format", "csv", "-o", str(tmp_path / "cijfers"))
    assert (tmp_path / "cijfers").read_text(encoding="utf-8").startswith("question,table")
    call_command("report", "--from", "2021", "--to", "2022", "--format", "csv", "-o", str(tmp_path / "y.CSV"))
    assert (tmp_path / "y.CSV").read_text(encoding="utf-8").startswith("question,table")


def test_report_contradiction_on_the_command_line_is_one_line_without_database(tmp_path):
    result = run("report", "--from", "2021", "--to", "2022", "-o", "x.csv", "--format", "xlsx", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "spreekt de bestandsnaam x.csv tegen" in result.stderr
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "cstraject.sqlite3").exists()
