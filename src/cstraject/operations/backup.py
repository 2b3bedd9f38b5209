"""Backup and restore of a whole installation: the database and the uploaded documents
in one archive (tar.gz) with a manifest.

Archive layout::

    manifest.json            format, versions, database, row counts per model, every file's sha256
    database.sqlite3         SQLite: a page copy made with SQLite's online backup API
    database.pgdump          PostgreSQL: `pg_dump --format=custom`
    documents/<path>         every file under MEDIA_ROOT

The database is copied first, then the documents: a document uploaded during the backup
may be in the archive without its row, never a row without its document.

`restore_archive` restores only into an empty installation (no rows in any table, no
documents), verifies every checksum before it touches anything, brings the schema up to
the code with `migrate`, and checks the row counts against the manifest.

Each writes an audit event (action `backup`: who, when, which file, the counts): a backup
after its archive is complete (so the event itself is not in that archive), a restore after
the restored data are checked, into the restored installation.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record

FORMAT = "cstraject-backup"
FORMAT_VERSION = 1
DOCUMENTS_PREFIX = "documents/"
# Rows every migrated installation has: not the installation's data.
SCHEMA_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """Backup or restore cannot go ahead; the message says why, in Dutch, for the operator."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    documents: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _model_counts(connection) -> dict[str, int]:
    """Rows per model, for the models whose table exists (a manifest and a check, not statistics)."""
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in tables:
            continue
        counts[model._meta.label_lower] = model._base_manager.using(connection.alias).count()
    return dict(sorted(counts.items()))


def _applied_migrations(connection) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- PostgreSQL tools ------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is niet gevonden; installeer de PostgreSQL-clienttools (postgresql-client).")
    return path


def _pg_tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(f"De versie van {path} is niet te lezen: {output.strip()!r}.")
    return int(match.group(1))


def _pg_check_version(connection, path: str) -> dict:
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    tool_major = _pg_tool_major(path)
    if tool_major < server_major:
        raise BackupError(
            f"{Path(path).name} is versie {tool_major}, de server versie {server_major}: "
            f"installeer de clienttools van versie {server_major} of hoger."
        )
    return {"server_version": connection.pg_version, "tool_major": tool_major}


def _pg_args_env(connection) -> tuple[list[str], dict]:
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


# --- backup ----------------------------------------------------------------------------


def _dump_database(connection, directory: Path) -> tuple[Path, dict]:
    if connection.vendor == "sqlite":
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API: a consistent copy while the application keeps running.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target, {"vendor": "sqlite", "sqlite_version": sqlite3.sqlite_version}
    if connection.vendor == "postgresql":
        pg_dump = _pg_tool("pg_dump")
        info = _pg_check_version(connection, pg_dump)
        target = directory / "database.pgdump"
        args, env = _pg_args_env(connection)
        completed = subprocess.run(
            [pg_dump, *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
             "--dbname", connection.settings_dict["NAME"]],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        if completed.returncode != 0:
            raise BackupError(f"pg_dump faalde: {completed.stderr.strip()}")
        return target, {"vendor": "postgresql", **info}
    raise BackupError(f"Back-up van een {connection.vendor}-databank wordt niet ondersteund.")


def _summary(counts: dict, documents: int) -> dict:
    return {
        "dossiers": counts.get("dossiers.dossier", 0),
        "payments": counts.get("payments.payment", 0),
        "audit_events": counts.get("audit.auditevent", 0),
        "documents": documents,
    }


def backup_create(*, output: Path, using: str = "default", actor: Actor | None = None) -> dict:
    """Write the archive to `output` (via a temporary name, so a failed backup leaves no half file);
    with `actor`, record who made it in the audit trail."""
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="cstraject-backup-") as tmp:
        database_file, database_info = _dump_database(connection, Path(tmp))
        files = _media_files(media_root)
        documents: list[dict[str, str | int]] = [
            {
                "path": path.relative_to(media_root).as_posix(),
                "size": path.stat().st_size,
                "sha256": _sha256_file(path),
            }
            for path in files
        ]
        counts = _model_counts(connection)
        created_at = timezone.now().isoformat()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at,
            "database": {**database_info, "file": database_file.name, "sha256": _sha256_file(database_file)},
            "migrations": _applied_migrations(connection),
            "counts": counts,
            "documents": documents,
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database_file, arcname=database_file.name)
            for path in files:
                archive.add(path, arcname=DOCUMENTS_PREFIX + path.relative_to(media_root).as_posix(), recursive=False)
        os.replace(partial, output)
    if actor is not None:
        summary = _summary(counts, len(documents))
        audit_event_record(
            actor=actor,
            action=AuditAction.BACKUP,
            reason=_("Back-up geschreven naar %(file)s.") % {"file": output.resolve()},
            data={
                "operation": "backup",
                "file": str(output.resolve()),
                "sha256": _sha256_file(output),
                "created_at": created_at,
                "database": database_info["vendor"],
                **summary,
            },
        )
    return manifest


# --- restore ---------------------------------------------------------------------------


def installation_contents(*, using: str = "default") -> list[str]:
    """What makes the installation non-empty: tables with rows, documents (empty list: empty)."""
    connection = connections[using]
    found = [
        f"{label}: {count} rij(en)"
        for label, count in _model_counts(connection).items()
        if count and label not in SCHEMA_MODELS
    ]
    documents = _media_files(Path(settings.MEDIA_ROOT))
    if documents:
        found.append(f"{len(documents)} document(en) in {settings.MEDIA_ROOT}")
    return found


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Het archief bevat een onveilige bestandsnaam: {name!r}.")
    return path


def _unpack(archive_path: Path, directory: Path) -> dict:
    """Extract into `directory` and verify every file against the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive.getmembers():
                _safe_member(member.name)
                if not (member.isfile() or member.isdir()):
                    raise BackupError(f"Het archief bevat een ongeldig element: {member.name!r}.")
            archive.extractall(directory, filter="data")
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is geen leesbare back-up van cstraject: {error}.")
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{archive_path} heeft geen manifest.json: geen back-up van cstraject.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive_path} is geen back-up in formaat {FORMAT} {FORMAT_VERSION}.")
    database = directory / manifest["database"]["file"]
    if not database.exists() or _sha256_file(database) != manifest["database"]["sha256"]:
        raise BackupError("De databank in het archief is beschadigd (controlesom klopt niet).")
    for entry in manifest["documents"]:
        path = directory / DOCUMENTS_PREFIX / _safe_member(entry["path"])
        if not path.exists() or _sha256_file(path) != entry["sha256"]:
            raise BackupError(f"Document {entry['path']} in het archief is beschadigd of ontbreekt.")
    return manifest


def _restore_database(connection, manifest: dict, database: Path) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"De back-up komt van een {vendor}-databank; deze installatie gebruikt {connection.vendor}.")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    pg_restore = _pg_tool("pg_restore")
    _pg_check_version(connection, pg_restore)
    args, env = _pg_args_env(connection)
    name = connection.settings_dict["NAME"]
    connection.close()  # DROP TABLE waits for no one of ours
    completed = subprocess.run(
        [pg_restore, *args, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", "--dbname", name, str(database)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    if completed.returncode != 0:
        raise BackupError(f"pg_restore faalde: {completed.stderr.strip()}")


def restore_archive(*, archive: Path, using: str = "default", actor: Actor | None = None) -> RestoreResult:
    """Restore into an empty installation; with `actor`, record who restored what in the audit trail."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Een herstel kan niet binnen een transactie lopen.")
    contents = installation_contents(using=using)
    if contents:
        raise BackupError(
            "Herstel geweigerd: deze installatie is niet leeg ("
            + "; ".join(contents[:5])
            + (" ..." if len(contents) > 5 else "")
            + "). Herstel alleen in een lege installatie (nieuwe databank, lege documentenmap)."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="cstraject-restore-") as tmp:
        directory = Path(tmp)
        manifest = _unpack(Path(archive), directory)
        _restore_database(connection, manifest, directory / manifest["database"]["file"])
        restored_counts = _model_counts(connection)
        documents = 0
        for entry in manifest["documents"]:
            target = media_root / _safe_member(entry["path"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(directory / DOCUMENTS_PREFIX / entry["path"], target)
            documents += 1
    missing = {
        label: (count, restored_counts.get(label))
        for label, count in manifest["counts"].items()
        if restored_counts.get(label) != count
    }
    if missing:
        raise BackupError(f"Na het herstel kloppen de aantallen niet: {missing}.")
    # A backup of an older version: bring the schema up to this code.
    call_command("migrate", interactive=False, verbosity=0, database=using)
    if actor is not None:
        audit_event_record(
            actor=actor,
            action=AuditAction.BACKUP,
            reason=_("Back-up %(file)s van %(created)s hersteld in een lege installatie.")
            % {"file": Path(archive).resolve(), "created": manifest["created_at"]},
            data={
                "operation": "restore",
                "file": str(Path(archive).resolve()),
                "sha256": _sha256_file(Path(archive)),
                "backup_created_at": manifest["created_at"],
                "database": manifest["database"]["vendor"],
                **_summary(manifest["counts"], documents),
            },
        )
    return RestoreResult(manifest=manifest, documents=documents)
