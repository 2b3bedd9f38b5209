"""`cstraject kbo import`: the KBO/BCE open data extract, full or monthly update.

Layout (as published by the FPS Economy): a zip `KboOpenData_<n>_<yyyy>_<mm>_Full.zip`
(or `..._Update.zip`) of comma-separated, double-quoted UTF-8 files with a header line:
meta, code, enterprise, establishment, denomination, address, contact, activity, branch.
An update holds `<file>_delete.csv` (the keys whose rows go) and `<file>_insert.csv`
(the new rows, the full layout) per file, plus meta.csv and code.csv.

How it runs
-----------
1. Checks before anything is written: the zip holds every expected file, each header is
   exactly the published one, meta.csv says full/update, and the extract was not applied
   before (the same extract again is a no-op: "al toegepast"). A missing file or changed
   header STOPS the import.
2. Streams every file (csv module over the zip member; never a whole file in memory),
   checks each row (enterprise/establishment numbers `0403.170.701` / `2.123.456.789` with
   their mod-97 check, dates `dd-mm-yyyy`, every code against the extract's code table) and
   writes it in batches to a staging table (PostgreSQL `COPY`, SQLite `executemany`).
   A bad row STOPS the import by default, naming file, line and column; with
   `skip_invalid=True` (`--skip-invalid`) the row is left out, counted and listed, and the
   import goes on.
3. One transaction switches the register: full = replace every table's rows by the staged
   ones; update = delete the rows of every key in the delete file and in the insert file,
   then insert the staged rows (so applying an update twice gives the same state). The
   extract is logged (`KboExtract`), the import audited, and the companies the scheme
   knows get their master data from the register (`register/services.py`).
   Until that commit, the previous register is untouched and in use; an interrupted
   import leaves only staging tables, dropped by the next run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Model as DjangoModel
from django.utils.translation import gettext as _

from cstraject.core.geography import _POSTAL_RANGES, Province, region_for_province

from . import models

BATCH = 20_000
MAX_LISTED_ERRORS = 100


class KboImportError(Exception):
    """A refused extract: the message names the file, and where it applies line and column."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, column: str = ""):
        self.file, self.line, self.column, self.message = file, line, column, message
        super().__init__(self.located())

    def located(self) -> str:
        where = [part for part in (self.file, self.line and _("regel %(n)s") % {"n": self.line}) if part]
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        return f"{', '.join(str(w) for w in where)}: {self.message}" if where else self.message


# --- values -----------------------------------------------------------------------------------

_ENTERPRISE = re.compile(r"^([01]\d{3})\.(\d{3})\.(\d{3})$")
_ESTABLISHMENT = re.compile(r"^([2-8])\.(\d{3})\.(\d{3})\.(\d{3})$")
_DATE = re.compile(r"^(\d\d)-(\d\d)-(\d{4})$")


def _mod97(digits: str) -> bool:
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def enterprise_number(value: str) -> str:
    match = _ENTERPRISE.match(value)
    if not match or not _mod97(digits := "".join(match.groups())):
        raise ValueError(
            _("'%(value)s' is geen ondernemingsnummer (0403.170.701, met geldig controlegetal).")
            % {"value": value[:30]}
        )
    return digits


def establishment_number(value: str) -> str:
    match = _ESTABLISHMENT.match(value)
    if not match or not _mod97(digits := "".join(match.groups())):
        raise ValueError(
            _("'%(value)s' is geen vestigingseenheidsnummer (2.123.456.789, met geldig controlegetal).")
            % {"value": value[:30]}
        )
    return digits


def entity_number(value: str) -> str:
    """An enterprise or an establishment (denomination, address, contact, activity)."""
    return enterprise_number(value) if value[:1] in ("0", "1") else establishment_number(value)


def kbo_date(value: str) -> date | None:
    if value == "":
        return None
    match = _DATE.match(value)
    try:
        if not match:
            raise ValueError
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise ValueError(_("'%(value)s' is geen datum (dd-mm-jjjj).") % {"value": value[:30]}) from None


def text(value: str) -> str:
    return value


_PROVINCE_BY_ZIP: dict[str, str] = {
    f"{code}": str(province) for first, last, province in _POSTAL_RANGES for code in range(first, last + 1)
}
_REGION_BY_PROVINCE = {
    province: str(region_for_province(Province(province))) for province in set(_PROVINCE_BY_ZIP.values())
}


# --- the published layout ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[str], object] = text
    code: str = ""  # code.csv category the value must be in ("" = free); "Nace{NaceVersion}" for activities
    optional: bool = False  # empty allowed without a code check


@dataclass(frozen=True)
class FileSpec:
    name: str  # enterprise, ... (enterprise.csv, enterprise_delete.csv, enterprise_insert.csv)
    model: type[DjangoModel]
    columns: tuple[Column, ...]
    key: str  # the column a delete file names, and its field
    unique_key: bool = False

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def key_column(self) -> Column:
        return next(column for column in self.columns if column.header == self.key)


def _c(header, field, parse=text, code="", optional=False):
    return Column(header, field, parse, code, optional)


FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "enterprise",
        models.KboEnterprise,
        (
            _c("EnterpriseNumber", "enterprise_number", enterprise_number),
            _c("Status", "status", code="Status"),
            _c("JuridicalSituation", "juridical_situation", code="JuridicalSituation"),
            _c("TypeOfEnterprise", "type_of_enterprise", code="TypeOfEnterprise"),
            _c("JuridicalForm", "juridical_form", code="JuridicalForm", optional=True),
            _c("JuridicalFormCAC", "juridical_form_cac", code="JuridicalForm", optional=True),
            _c("StartDate", "start_date", kbo_date),
        ),
        key="EnterpriseNumber",
        unique_key=True,
    ),
    FileSpec(
        "establishment",
        models.KboEstablishment,
        (
            _c("EstablishmentNumber", "establishment_number", establishment_number),
            _c("StartDate", "start_date", kbo_date),
            _c("EnterpriseNumber", "enterprise_number", enterprise_number),
        ),
        key="EstablishmentNumber",
        unique_key=True,
    ),
    FileSpec(
        "denomination",
        models.KboDenomination,
        (
            _c("EntityNumber", "entity_number", entity_number),
            _c("Language", "language", code="Language"),
            _c("TypeOfDenomination", "type_of_denomination", code="TypeOfDenomination"),
            _c("Denomination", "denomination"),
        ),
        key="EntityNumber",
    ),
    FileSpec(
        "address",
        models.KboAddress,
        (
            _c("EntityNumber", "entity_number", entity_number),
            _c("TypeOfAddress", "type_of_address", code="TypeOfAddress"),
            _c("CountryNL", "country_nl"),
            _c("CountryFR", "country_fr"),
            _c("Zipcode", "zipcode"),
            _c("MunicipalityNL", "municipality_nl"),
            _c("MunicipalityFR", "municipality_fr"),
            _c("StreetNL", "street_nl"),
            _c("StreetFR", "street_fr"),
            _c("HouseNumber", "house_number"),
            _c("Box", "box"),
            _c("ExtraAddressInfo", "extra_address_info"),
            _c("DateStrikingOff", "date_striking_off", kbo_date),
        ),
        key="EntityNumber",
    ),
    FileSpec(
        "contact",
        models.KboContact,
        (
            _c("EntityNumber", "entity_number", entity_number),
            _c("EntityContact", "entity_contact", code="EntityContact"),
            _c("ContactType", "contact_type", code="ContactType"),
            _c("Value", "value"),
        ),
        key="EntityNumber",
    ),
    FileSpec(
        "activity",
        models.KboActivity,
        (
            _c("EntityNumber", "entity_number", entity_number),
            _c("ActivityGroup", "activity_group", code="ActivityGroup"),
            _c("NaceVersion", "nace_version"),
            _c("NaceCode", "nace_code", code="Nace{NaceVersion}"),
            _c("Classification", "classification", code="Classification"),
        ),
        key="EntityNumber",
    ),
    FileSpec(
        "branch",
        models.KboBranch,
        (
            _c("Id", "branch_id"),
            _c("StartDate", "start_date", kbo_date),
            _c("EnterpriseNumber", "enterprise_number", enterprise_number),
        ),
        key="Id",
        unique_key=True,
    ),
)
META_HEADERS = ["Variable", "Value"]
CODE_HEADERS = ["Category", "Code", "Language", "Description"]
NACE_VERSIONS = {"2003", "2008", "2025"}


def _extra_address_fields(values: dict) -> None:
    """Province and region of a Belgian address, derived from the postal code as for companies."""
    province = _PROVINCE_BY_ZIP.get(values["zipcode"], "") if not values["country_nl"] else ""
    values["province"] = province
    values["region"] = _REGION_BY_PROVINCE.get(province, "")


EXTRA_FIELDS = {"address": (("province", "region"), _extra_address_fields)}


# --- reading ----------------------------------------------------------------------------------


class _Counting(io.RawIOBase):
    """A byte stream that counts what was read (for the progress bar)."""

    def __init__(self, raw, progress: Progress):
        self.raw, self.progress = raw, progress

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.progress.advance(len(data))
        return len(data)


class Progress:
    """A progress bar on stderr: per file, its share of the uncompressed bytes and the rows read."""

    def __init__(self, stream=None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.name, self.total, self.done, self.rows, self.shown, self.started = "", 1, 0, 0, -1, time.monotonic()

    def start(self, name: str, total: int) -> None:
        self.name, self.total, self.done, self.rows, self.shown = name, max(total, 1), 0, 0, -1
        self.started = time.monotonic()

    def advance(self, nbytes: int) -> None:
        self.done += nbytes
        self._show()

    def row(self) -> None:
        self.rows += 1

    def _show(self, final: bool = False) -> None:
        """On a terminal a live bar (redrawn per percent); elsewhere (logs, cron) one line per file at its end."""
        if not self.enabled or not (self.tty or final):
            return
        percent = min(100, self.done * 100 // self.total)
        if percent == self.shown and not final:
            return
        self.shown = percent
        bar = "#" * (percent // 5) + "." * (20 - percent // 5)
        line = (
            f"{self.name:<28} [{bar}] {percent:3d}%  {self.rows:>10,} rijen  {time.monotonic() - self.started:6.1f} s"
        )
        self.stream.write(("\r" + line + ("\n" if final else "")) if self.tty else line + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled:
            self.stream.write(text + "\n")
            self.stream.flush()

    def finish(self) -> None:
        self.done = self.total
        self._show(final=True)


def _open_csv(archive: zipfile.ZipFile, member: str, progress: Progress):
    raw = archive.open(member)
    progress.start(member, archive.getinfo(member).file_size)
    stream = io.TextIOWrapper(io.BufferedReader(_Counting(raw, progress), 1 << 20), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    return reader


def _check_header(reader, member: str, expected: list[str]) -> None:
    try:
        header = next(reader)
    except StopIteration:
        raise KboImportError(
            _("het bestand is leeg; verwacht wordt de kopregel %(h)s.") % {"h": ",".join(expected)}, file=member
        ) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise KboImportError(_("onleesbaar (%(e)s).") % {"e": error}, file=member, line=1) from None
    if header != expected:
        raise KboImportError(
            _("de kopregel is '%(got)s', verwacht '%(expected)s'.")
            % {"got": ",".join(header)[:300], "expected": ",".join(expected)},
            file=member,
            line=1,
        )


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Base file name -> member name (the files may sit in a folder inside the zip)."""
    return {Path(name).name: name for name in archive.namelist() if not name.endswith("/")}


# --- the import -------------------------------------------------------------------------------


@dataclass
class Meta:
    kind: str
    number: int
    snapshot_date: date
    extract_timestamp: str
    version: str


@dataclass
class ImportResult:
    meta: Meta
    applied: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    skipped_count: int = 0
    companies_updated: int = 0
    seconds: float = 0.0


def _read_meta(archive, members, progress) -> Meta:
    if "meta.csv" not in members:
        raise KboImportError(_("meta.csv ontbreekt in het zipbestand."), file="meta.csv")
    reader = _open_csv(archive, members["meta.csv"], progress)
    _check_header(reader, "meta.csv", META_HEADERS)
    values = {row[0]: row[1] for row in reader if len(row) == 2}
    kind = values.get("ExtractType", "").strip().lower()
    if kind not in models.KboExtractKind.values:
        raise KboImportError(
            _("ExtractType '%(v)s' is onbekend (full of update).") % {"v": kind}, file="meta.csv", column="ExtractType"
        )
    try:
        number = int(values.get("ExtractNumber", ""))
    except ValueError:
        raise KboImportError(
            _("ExtractNumber ontbreekt of is geen getal."), file="meta.csv", column="ExtractNumber"
        ) from None
    try:
        snapshot = kbo_date(values.get("SnapshotDate", "")) or date.min
    except ValueError as error:
        raise KboImportError(str(error), file="meta.csv", column="SnapshotDate") from None
    return Meta(kind, number, snapshot, values.get("ExtractTimestamp", ""), values.get("Version", ""))


def _read_codes(archive, members, progress) -> list[tuple[str, str, str, str]]:
    reader = _open_csv(archive, members["code.csv"], progress)
    _check_header(reader, "code.csv", CODE_HEADERS)
    rows = []
    for row in reader:
        if len(row) != 4:
            raise KboImportError(
                _("verwacht 4 kolommen, gevonden %(n)s.") % {"n": len(row)}, file="code.csv", line=reader.line_num
            )
        progress.row()
        rows.append((row[0], row[1], row[2], row[3]))
    progress.finish()
    return rows


def _expected_members(kind: str) -> list[str]:
    names = ["meta.csv", "code.csv"]
    for spec in FILES:
        names += [f"{spec.name}.csv"] if kind == "full" else [f"{spec.name}_delete.csv", f"{spec.name}_insert.csv"]
    return names


class _Writer:
    """Batches rows into a staging table: PostgreSQL COPY, SQLite executemany."""

    def __init__(self, table: str, fields: list[str]):
        self.table, self.fields = table, fields
        self.batch: list[tuple] = []
        self.postgres = connection.vendor == "postgresql"

    def add(self, row: tuple) -> None:
        self.batch.append(row)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        quoted = ", ".join(connection.ops.quote_name(name) for name in self.fields)
        with transaction.atomic():
            if self.postgres:
                with (
                    connection.cursor() as cursor,
                    cursor.cursor.copy(f"COPY {self.table} ({quoted}) FROM STDIN") as copy,
                ):
                    for row in self.batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                with connection.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO {self.table} ({quoted}) VALUES ({marks})", self.batch)
        self.batch = []


def _staging_name(spec: FileSpec, part: str) -> str:
    return f"{spec.table}__{part}"


def _create_staging(name: str, spec: FileSpec, fields: list[str]) -> None:
    quoted = ", ".join(connection.ops.quote_name(f) for f in fields)
    unlogged = "UNLOGGED " if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE {unlogged}TABLE {name} AS SELECT {quoted} FROM {spec.table} WHERE 1 = 0")


class _ImportLock:
    """One KBO import at a time (they share the staging tables): a PostgreSQL advisory lock, or on
    SQLite an exclusive lock on a file beside the database. A second import is refused, not queued."""

    KEY = 7_413_001  # arbitrary, constant: the advisory lock of the KBO import

    def __init__(self):
        self.handle = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.KEY])
                acquired = cursor.fetchone()[0]
        else:
            import fcntl

            name = str(connection.settings_dict["NAME"])
            digest = hashlib.sha256(name.encode()).hexdigest()[:16]
            path = Path(tempfile.gettempdir()) / f"cstraject-kbo-{digest}.lock"
            self.handle = path.open("w")
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                acquired = True
            except BlockingIOError:
                self.handle.close()
                self.handle, acquired = None, False
        if not acquired:
            raise KboImportError(_("er loopt al een KBO-import op deze databank; probeer later opnieuw."))

    def release(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.KEY])
        elif self.handle is not None:
            self.handle.close()
            self.handle = None


def _drop_staging() -> None:
    with connection.cursor() as cursor:
        for spec in FILES:
            for part in ("staged", "deleted"):
                cursor.execute(f"DROP TABLE IF EXISTS {_staging_name(spec, part)}")


class _Importer:
    def __init__(self, path: Path, *, skip_invalid: bool, progress: Progress):
        self.path, self.skip_invalid, self.progress = path, skip_invalid, progress
        self.skipped: list[str] = []
        self.skipped_count = 0
        self.counts: dict[str, dict[str, int]] = {}
        self.codes: dict[str, set[str]] = {}

    def refuse(self, error: KboImportError) -> None:
        if not self.skip_invalid:
            raise error
        self.skipped_count += 1
        if len(self.skipped) < MAX_LISTED_ERRORS:
            self.skipped.append(error.located())

    def code_check(self, column: Column, value: str, row_values: dict, member: str, line: int) -> None:
        if not column.code or (column.optional and value == ""):
            return
        category = column.code.format(NaceVersion=row_values.get("nace_version", ""))
        if value not in self.codes.get(category, ()):
            raise KboImportError(
                _("code '%(code)s' staat niet in de codetabel (code.csv, categorie %(category)s).")
                % {"code": value[:20], "category": category[:20]},
                file=member,
                line=line,
                column=column.header,
            )

    def stage_rows(self, archive, members, spec: FileSpec, member: str, staging: str) -> int:
        """Stream `member` (the full layout) into `staging`; returns the rows staged."""
        extra_fields, extra = EXTRA_FIELDS.get(spec.name, ((), None))
        fields = [column.field for column in spec.columns] + list(extra_fields)
        _create_staging(staging, spec, fields)
        writer = _Writer(staging, fields)
        reader = _open_csv(archive, members[member], self.progress)
        _check_header(reader, member, spec.headers)
        width, columns, staged = len(spec.columns), spec.columns, 0
        # Free text is checked against its column's length (numbers and dates are checked by their parser).
        limits = [
            getattr(spec.model._meta.get_field(column.field), "max_length", None)
            if column.parse is text and not column.code
            else None
            for column in columns
        ]
        try:
            for row in reader:
                self.progress.row()
                line = reader.line_num
                if len(row) != width:
                    self.refuse(
                        KboImportError(
                            _("verwacht %(w)s kolommen, gevonden %(n)s.") % {"w": width, "n": len(row)},
                            file=member,
                            line=line,
                        )
                    )
                    continue
                values = {}
                try:
                    for column, raw, limit in zip(columns, row, limits, strict=True):
                        if limit is not None and len(raw) > limit:
                            raise KboImportError(
                                _("de waarde is %(n)s tekens lang; hoogstens %(max)s.") % {"n": len(raw), "max": limit},
                                file=member,
                                line=line,
                                column=column.header,
                            )
                        try:
                            values[column.field] = column.parse(raw)
                        except ValueError as error:
                            raise KboImportError(str(error), file=member, line=line, column=column.header) from None
                    if spec.name == "activity" and values["nace_version"] not in NACE_VERSIONS:
                        raise KboImportError(
                            _("NACE-versie '%(v)s' is onbekend (2003, 2008 of 2025).")
                            % {"v": str(values["nace_version"])[:10]},
                            file=member,
                            line=line,
                            column="NaceVersion",
                        )
                    for column, raw in zip(columns, row, strict=True):
                        self.code_check(column, raw, values, member, line)
                except KboImportError as error:
                    self.refuse(error)
                    continue
                if extra:
                    extra(values)
                writer.add(tuple(values[name] for name in fields))
                staged += 1
        except (UnicodeDecodeError, csv.Error) as error:
            raise KboImportError(_("onleesbaar (%(e)s).") % {"e": error}, file=member, line=reader.line_num) from None
        writer.flush()
        self.progress.finish()
        return staged

    def stage_keys(self, archive, members, spec: FileSpec, member: str, staging: str) -> int:
        key = spec.key_column()
        _create_staging(staging, spec, [key.field])
        writer = _Writer(staging, [key.field])
        reader = _open_csv(archive, members[member], self.progress)
        _check_header(reader, member, [key.header])
        staged = 0
        for row in reader:
            self.progress.row()
            try:
                if len(row) != 1:
                    raise KboImportError(
                        _("verwacht 1 kolom, gevonden %(n)s.") % {"n": len(row)}, file=member, line=reader.line_num
                    )
                try:
                    value = key.parse(row[0])
                except ValueError as error:
                    raise KboImportError(str(error), file=member, line=reader.line_num, column=key.header) from None
            except KboImportError as error:
                self.refuse(error)
                continue
            writer.add((value,))
            staged += 1
        writer.flush()
        self.progress.finish()
        return staged


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that are not constraints, as the database has them."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [table]
        )
    return list(cursor.fetchall())


def _switch_full(spec: FileSpec, fields: list[str]) -> None:
    """Replace the table's rows by the staged ones. Its secondary indexes are dropped and built again
    afterwards (one bulk build instead of millions of insertions), with their own names and definitions."""
    quoted = ", ".join(connection.ops.quote_name(f) for f in fields)
    staged = _staging_name(spec, "staged")
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor, spec.table)
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {spec.table}")
        else:
            cursor.execute(f"DELETE FROM {spec.table}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute(f"INSERT INTO {spec.table} ({quoted}) SELECT {quoted} FROM {staged}")
        for _name, definition in indexes:
            cursor.execute(definition)


def _switch_update(spec: FileSpec, fields: list[str]) -> None:
    quoted = ", ".join(connection.ops.quote_name(f) for f in fields)
    key = connection.ops.quote_name(spec.key_column().field)
    staged, deleted = _staging_name(spec, "staged"), _staging_name(spec, "deleted")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {spec.table} WHERE {key} IN (SELECT {key} FROM {deleted} UNION SELECT {key} FROM {staged})"
        )
        cursor.execute(f"INSERT INTO {spec.table} ({quoted}) SELECT {quoted} FROM {staged}")


def _switch_codes(codes: list[tuple[str, str, str, str]]) -> None:
    """Replace the code table, and give NaceCode the official Dutch and French labels."""
    from cstraject.companies.models import NaceCode
    from cstraject.companies.nace import level_for

    models.KboCode.objects.all().delete()
    models.KboCode.objects.bulk_create(
        (models.KboCode(category=c, code=k, language=lang, description=d) for c, k, lang, d in codes), batch_size=5000
    )
    labels: dict[tuple[str, str], dict[str, str]] = {}
    for category, code, language, description in codes:
        version = category.removeprefix("Nace")
        digits = code.replace(".", "")
        if category.startswith("Nace") and version in NACE_VERSIONS and digits.isdigit() and len(digits) <= 5:
            labels.setdefault((version, digits), {})[language.upper()] = description
    known = {(n.version, n.code): n for n in NaceCode.objects.all()}
    create, update = [], []
    for (version, digits), by_language in labels.items():
        nl, fr = by_language.get("NL", "")[:255], by_language.get("FR", "")[:255]
        nace = known.get((version, digits))
        if nace is None:
            create.append(NaceCode(version=version, code=digits, level=level_for(digits), label_nl=nl, label_fr=fr))
        elif (nace.label_nl, nace.label_fr) != (nl, fr):
            nace.label_nl, nace.label_fr = nl, fr
            update.append(nace)
    NaceCode.objects.bulk_create(create, batch_size=5000)
    NaceCode.objects.bulk_update(update, ["label_nl", "label_fr"], batch_size=5000)


def kbo_import(
    path: str | Path,
    *,
    actor,
    skip_invalid: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    after_switch: Callable[[ImportResult, set[str] | None], int] | None = None,
) -> ImportResult:
    """Apply a KBO open-data extract (full or update); see the module docstring.

    `after_switch(result, numbers)` runs inside the switch transaction (numbers: the enterprise
    numbers an update touched, None for a full extract) and returns how many companies it updated."""
    from cstraject.accounts.permissions import Action, require
    from cstraject.audit.models import AuditAction
    from cstraject.audit.services import audit_event_record

    require(actor, Action.REGISTER_IMPORT)
    started = time.monotonic()
    path = Path(path)
    progress = progress or Progress(enabled=False)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise KboImportError(_("geen leesbaar zipbestand (%(e)s).") % {"e": error}, file=path.name) from None
    with archive:
        members = _members(archive)
        meta = _read_meta(archive, members, progress)
        missing = [name for name in _expected_members(meta.kind) if name not in members]
        if missing:
            raise KboImportError(
                _("het zipbestand mist %(files)s (een %(kind)s-extract van de KBO-open data verwacht).")
                % {"files": ", ".join(missing), "kind": meta.kind},
                file=path.name,
            )
        result = ImportResult(meta=meta, applied=False)
        if not force and models.KboExtract.objects.filter(number=meta.number, kind=meta.kind).exists():
            return result
        importer = _Importer(path, skip_invalid=skip_invalid, progress=progress)
        codes = _read_codes(archive, members, progress)
        for category, code, _lang, _desc in codes:
            importer.codes.setdefault(category, set()).add(code)
        lock = _ImportLock()
        _drop_staging()
        try:
            for spec in FILES:
                if meta.kind == "full":
                    staged = importer.stage_rows(
                        archive, members, spec, f"{spec.name}.csv", _staging_name(spec, "staged")
                    )
                    importer.counts[spec.name] = {"rows": staged}
                else:
                    deleted = importer.stage_keys(
                        archive, members, spec, f"{spec.name}_delete.csv", _staging_name(spec, "deleted")
                    )
                    staged = importer.stage_rows(
                        archive, members, spec, f"{spec.name}_insert.csv", _staging_name(spec, "staged")
                    )
                    importer.counts[spec.name] = {"deleted": deleted, "inserted": staged}
            switch_started = time.monotonic()
            progress.note(_("Alles gecontroleerd; het register wordt omgeschakeld (één transactie) ..."))
            with transaction.atomic():
                _switch_codes(codes)
                for spec in FILES:
                    extra_fields = EXTRA_FIELDS.get(spec.name, ((), None))[0]
                    fields = [column.field for column in spec.columns] + list(extra_fields)
                    (_switch_full if meta.kind == "full" else _switch_update)(spec, fields)
                result.counts, result.skipped, result.skipped_count = (
                    importer.counts,
                    importer.skipped,
                    importer.skipped_count,
                )
                models.KboExtract.objects.filter(number=meta.number, kind=meta.kind).delete()
                models.KboExtract.objects.create(
                    number=meta.number,
                    kind=meta.kind,
                    snapshot_date=meta.snapshot_date,
                    extract_timestamp=meta.extract_timestamp,
                    version=meta.version,
                    file_name=path.name,
                    counts=importer.counts,
                    skipped=importer.skipped,
                )
                if after_switch is not None:
                    result.companies_updated = after_switch(
                        result, None if meta.kind == "full" else _touched_enterprises()
                    )
                audit_event_record(
                    actor=actor,
                    action=AuditAction.IMPORT,
                    reason=_("KBO-extract %(n)s (%(kind)s) ingelezen.") % {"n": meta.number, "kind": meta.kind},
                    data={
                        "file": path.name,
                        "extract_number": meta.number,
                        "kind": meta.kind,
                        "snapshot_date": meta.snapshot_date.isoformat(),
                        "counts": importer.counts,
                        "skipped": importer.skipped_count,
                        "companies_updated": result.companies_updated,
                    },
                )
            progress.note(_("Omgeschakeld in %(s).1f s.") % {"s": time.monotonic() - switch_started})
        finally:
            _drop_staging()
            lock.release()
    result.applied = True
    result.seconds = time.monotonic() - started
    return result


def _touched_enterprises() -> set[str]:
    """The enterprise numbers an update touches (inside the switch, before the staging tables go)."""
    numbers: set[str] = set()
    with connection.cursor() as cursor:
        for spec in FILES:
            key = spec.key_column().field
            for part in ("staged", "deleted"):
                cursor.execute(f"SELECT DISTINCT {connection.ops.quote_name(key)} FROM {_staging_name(spec, part)}")
                numbers.update(row[0] for row in cursor.fetchall())
            if spec.name in ("establishment", "branch"):
                cursor.execute(f"SELECT DISTINCT enterprise_number FROM {_staging_name(spec, 'staged')}")
                numbers.update(row[0] for row in cursor.fetchall())
    # Establishment-level rows (addresses, activities of an establishment) belong to their enterprise.
    establishments = {n for n in numbers if n[:1] not in ("0", "1")}
    if establishments:
        numbers.update(
            models.KboEstablishment.objects.filter(establishment_number__in=establishments).values_list(
                "enterprise_number", flat=True
            )
        )
    return {n for n in numbers if n[:1] in ("0", "1")}
