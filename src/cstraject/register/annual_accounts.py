"""`cstraject accounts import FILE`: annual accounts as filed with the NBB, in its rubric codes.

The file (docs/annual-accounts-format.md): UTF-8 CSV, comma-separated, one line per
enterprise and accounting year, header

    EnterpriseNumber,Year,Scheme,9087,70,20/58,10/15

- EnterpriseNumber: 0403.170.701 (or 10 digits); Year: the accounting year (yyyy);
- Scheme: volledig | verkort | micro (the NBB model; VOL, VKT, MIC accepted);
- 9087 average FTE (at most one decimal), 70 turnover, 20/58 balance-sheet total,
  10/15 equity (may be negative): amounts in euro with a decimal point or comma.
- 70 is required in the full scheme; an abbreviated or micro scheme may leave it empty
  (the SME test then decides on the balance-sheet total, as the EU definition allows).

Every row is checked; the first bad row stops the import and nothing is written (the
message names the line and the column); with `skip_invalid` the bad rows are left out
and listed. Rows replace the filed accounts of the same enterprise and year (importing a
file twice gives the same state). The scheme's known companies get the figures as their
`AnnualAccounts` (master data), each change audited; the others are kept in
`FiledAccounts` for when they apply.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.companies.models import AccountsScheme, AnnualAccounts, Company
from cstraject.core.money import parse_amount, parse_quantity

from .kbo import MAX_LISTED_ERRORS, KboImportError, enterprise_number
from .models import FiledAccounts

HEADER = ["EnterpriseNumber", "Year", "Scheme", "9087", "70", "20/58", "10/15"]
SCHEMES = {
    "volledig": AccountsScheme.FULL,
    "vol": AccountsScheme.FULL,
    "verkort": AccountsScheme.ABBREVIATED,
    "vkt": AccountsScheme.ABBREVIATED,
    "micro": AccountsScheme.MICRO,
    "mic": AccountsScheme.MICRO,
}
BATCH = 2_000


@dataclass
class AccountsImportResult:
    rows: int = 0
    companies_updated: int = 0
    skipped: list[str] = field(default_factory=list)
    skipped_count: int = 0


def _number(value: str) -> str:
    text = value.strip()
    if len(text) == 10 and text.isdigit():
        text = f"{text[:4]}.{text[4:7]}.{text[7:]}"
    return enterprise_number(text)


def _read_row(row: list[str], *, name: str, line: int) -> FiledAccounts:
    def fail(column: str, message: str) -> NoReturn:
        raise KboImportError(message, file=name, line=line, column=column)

    if len(row) != len(HEADER):
        fail("", _("verwacht %(w)s kolommen, gevonden %(n)s.") % {"w": len(HEADER), "n": len(row)})
    number_text, year_text, scheme_text, fte, turnover, balance, equity = (cell.strip() for cell in row)
    try:
        number = _number(number_text)
    except ValueError as error:
        fail("EnterpriseNumber", str(error))
    if not (year_text.isascii() and year_text.isdigit() and 1900 <= int(year_text) <= 2100):
        fail("Year", _("'%(v)s' is geen boekjaar (jjjj).") % {"v": year_text[:20]})
    scheme = SCHEMES.get(scheme_text.casefold())
    if scheme is None:
        fail("Scheme", _("schema '%(v)s' is onbekend: volledig, verkort of micro.") % {"v": scheme_text[:20]})
    values: dict[str, Any] = {}
    for column, text, read in (
        ("9087", fte, lambda t: parse_quantity(t, field="9087")),
        ("70", turnover, lambda t: parse_amount(t, field="70")),
        ("20/58", balance, lambda t: parse_amount(t, field="20/58")),
        ("10/15", equity, lambda t: parse_amount(t, field="10/15", allow_negative=True)),
    ):
        if text == "":
            if column == "70" and scheme != AccountsScheme.FULL:
                values[column] = None
                continue
            fail(column, _("rubriek %(c)s is verplicht in het %(s)s.") % {"c": column, "s": scheme.label})
        try:
            values[column] = read(text)
        except ValidationError as error:
            fail(column, " ".join(error.messages))
    return FiledAccounts(
        enterprise_number=number,
        year=int(year_text),
        scheme=str(scheme),
        headcount=values["9087"],
        turnover=values["70"],
        balance_sheet_total=values["20/58"],
        equity=values["10/15"],
    )


def _store(batch: list[FiledAccounts]) -> None:
    keys = Q()
    for row in batch:
        keys |= Q(enterprise_number=row.enterprise_number, year=row.year)
    FiledAccounts.objects.filter(keys).delete()
    FiledAccounts.objects.bulk_create(batch)


FIELDS = ("headcount", "turnover", "balance_sheet_total", "equity", "scheme")


def company_accounts_from_filed(*, actor, company: Company, numbers_years: set[tuple[str, int]] | None = None) -> int:
    """Give `company` its filed accounts as master data (AnnualAccounts), audited; returns the years changed."""
    filed = FiledAccounts.objects.filter(enterprise_number=company.enterprise_number)
    changed = 0
    for row in filed:
        if numbers_years is not None and (row.enterprise_number, row.year) not in numbers_years:
            continue
        current = AnnualAccounts.objects.filter(company=company, year=row.year).first()
        after = {key: getattr(row, key) for key in FIELDS}
        before = {key: getattr(current, key) for key in FIELDS} if current else None
        if before == after:
            continue
        AnnualAccounts.objects.update_or_create(company=company, year=row.year, defaults=after)
        audit_event_record(
            actor=actor,
            action=AuditAction.MASTER_DATA,
            company=company,
            reason=_("Neergelegde jaarrekening %(year)s (NBB) ingelezen.") % {"year": row.year},
            data={
                "enterprise_number": company.enterprise_number,
                "year": row.year,
                "before": {k: None if v is None else str(v) for k, v in before.items()} if before else None,
                "after": {k: None if v is None else str(v) for k, v in after.items()},
            },
        )
        changed += 1
    return changed


def count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0  # the import itself reports the unreadable file


@transaction.atomic
def annual_accounts_import(
    path: str | Path, *, actor, skip_invalid: bool = False, progress: Callable[[int, int, str], None] | None = None
) -> AccountsImportResult:
    """`progress(done, total, label)`, when given, hears the lines read (per batch) and then the companies."""
    require(actor, Action.ACCOUNTS_IMPORT)
    path = Path(path)
    lines = count_lines(path) if progress else 0
    result = AccountsImportResult()
    seen: set[tuple[str, int]] = set()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise KboImportError(_("niet leesbaar (%(e)s).") % {"e": error}, file=path.name) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [cell.strip() for cell in next(reader, [])]
            if header != HEADER:
                raise KboImportError(
                    _("de kopregel is '%(got)s', verwacht '%(expected)s'.")
                    % {"got": ",".join(header)[:200], "expected": ",".join(HEADER)},
                    file=path.name,
                    line=1,
                )
            batch: list[FiledAccounts] = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                try:
                    filed = _read_row(row, name=path.name, line=reader.line_num)
                    key = (filed.enterprise_number, filed.year)
                    if key in seen:
                        raise KboImportError(
                            _("onderneming en boekjaar staan al op een vorige regel."),
                            file=path.name,
                            line=reader.line_num,
                            column="Year",
                        )
                except KboImportError as error:
                    if not skip_invalid:
                        raise
                    result.skipped_count += 1
                    if len(result.skipped) < MAX_LISTED_ERRORS:
                        result.skipped.append(error.located())
                    continue
                seen.add(key)
                batch.append(filed)
                result.rows += 1
                if len(batch) >= BATCH:
                    _store(batch)
                    batch = []
                    if progress:
                        progress(reader.line_num, lines, _("Regels gelezen: %(n)s") % {"n": reader.line_num})
            _store(batch)
        except (UnicodeDecodeError, csv.Error) as error:
            raise KboImportError(
                _("onleesbaar (%(e)s).") % {"e": error}, file=path.name, line=reader.line_num
            ) from None
    numbers = {number for number, _year in seen}
    if progress:
        progress(lines, lines, _("Jaarrekeningen van gekende ondernemingen bijwerken"))
    # The scheme's companies are few next to the register: walk them, not the file's numbers.
    for company in Company.objects.order_by("pk").iterator(chunk_size=2000):
        if company.enterprise_number not in numbers:
            continue
        result.companies_updated += company_accounts_from_filed(actor=actor, company=company, numbers_years=seen)
    audit_event_record(
        actor=actor,
        action=AuditAction.IMPORT,
        reason=_("Jaarrekeningen (NBB) ingelezen uit %(file)s.") % {"file": path.name},
        data={
            "file": path.name,
            "rows": result.rows,
            "skipped": result.skipped_count,
            "accounts_updated": result.companies_updated,
        },
    )
    return result
