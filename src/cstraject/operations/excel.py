"""Bulk import of applications from Excel: one application per row, each through the JSON intake.

`applications_template(path)` writes the template (`cstraject template applications -o sjabloon.xlsx`):
one sheet "aanvragen" with a header row of the columns below and an explanation sheet.
`applications_import(path, actor=..., errors_path=...)` reads it (`cstraject import applications
aanvragen.xlsx --as GEBRUIKER`): every row becomes an intake document (docs/intake-format.md) and
goes through `dossier_intake`, in its own transaction: a valid row is imported, a refused row leaves
nothing behind. Every refused row and field is listed in Dutch (row number, column, message) in the
result and in an error workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction

from cstraject.accounts.actors import Actor
from cstraject.core.numbers import decimal_text
from cstraject.dossiers.declarations import DECLARATIONS
from cstraject.dossiers.intake import dossier_intake

SHEET = "aanvragen"
PACKAGE_SLOTS = 3


@dataclass(frozen=True)
class Column:
    header: str
    path: str  # the intake document's JSON path this column fills
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("oproep", "call", "code van de oproep, bv. CS-2023"),
    Column("dienstverlener", "provider", "code van de dienstverlener, bv. A"),
    Column("ondernemingsnummer", "company.enterprise_number", "0403.170.701"),
    Column("naam", "company.name", "naam van de onderneming"),
    Column("rechtsvorm", "company.legal_form", "bv, nv, cv, vof, commv, eenmanszaak, vzw, publiekrechtelijk"),
    Column("nace_code", "company.nace_code", "hoofdactiviteit, NACE-BEL 2008, bv. 62.010"),
    Column("postcode", "company.postal_code", "postcode van de zetel"),
    Column("gemeente", "company.municipality", "gemeente van de zetel"),
    *(
        column
        for slot in range(PACKAGE_SLOTS)
        for column in (
            Column(f"pakket_{slot + 1}", f"quote_lines[{slot}].package", "pakketcode, bv. MEDIUM"),
            Column(f"bedrag_{slot + 1}", f"quote_lines[{slot}].amount_excl_vat", "bedrag excl. btw, bv. 19850,00"),
            Column(f"mensdagen_{slot + 1}", f"quote_lines[{slot}].man_days", "mensdagen, bv. 16,5"),
        )
    ),
    *(Column(f"verklaring_{key}", f"declarations.{key}", f"ja/nee: {text}") for key, text in DECLARATIONS.items()),
)
HEADERS = [column.header for column in COLUMNS]
_BY_PATH = {column.path: column.header for column in COLUMNS}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)  # dossier references
    refused_rows: int = 0
    errors: list[RowError] = field(default_factory=list)


def _workbook(target):
    """An XlsxWriter workbook writing to a path or to a binary file object (BytesIO)."""
    import xlsxwriter

    if isinstance(target, (str, Path)):
        return xlsxwriter.Workbook(str(target))
    return xlsxwriter.Workbook(target, {"in_memory": True})


def applications_template(path) -> None:
    workbook = _workbook(path)
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(SHEET)
    for index, header in enumerate(HEADERS):
        sheet.write_string(0, index, header, bold)
        sheet.set_column(index, index, max(14, len(header) + 2), text)
    sheet.freeze_panes(1, 0)
    help_sheet = workbook.add_worksheet("uitleg")
    help_sheet.write_row(0, 0, ["kolom", "inhoud"], bold)
    for row, column in enumerate(COLUMNS, start=1):
        help_sheet.write_row(row, 0, [column.header, column.help])
    help_sheet.write(len(COLUMNS) + 2, 0, "Eén aanvraag per rij; bedragen met hoogstens twee decimalen.")
    help_sheet.set_column(0, 0, 32)
    help_sheet.set_column(1, 1, 90)
    workbook.close()


def _cell_text(value) -> str | None:
    """A cell as the intake reads it: text; numbers as their shortest decimal text; empty -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else "?"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _flemish_number(text: str) -> str:
    """'19.850,00' -> '19850.00' (core/numbers.py); the services read it again the same way."""
    return decimal_text(text)


def _document(values: dict[str, str | None], row: int, errors: list[RowError]) -> dict:
    company = {
        key.split(".", 1)[1]: values[header]
        for header, key in ((c.header, c.path) for c in COLUMNS)
        if key.startswith("company.") and values[header] is not None
    }
    lines = []
    for slot in range(1, PACKAGE_SLOTS + 1):
        package, amount, days = values[f"pakket_{slot}"], values[f"bedrag_{slot}"], values[f"mensdagen_{slot}"]
        if package is None and amount is None and days is None:
            continue
        lines.append(
            {
                "package": package,
                "amount_excl_vat": _flemish_number(amount) if amount else amount,
                "man_days": _flemish_number(days) if days else days,
            }
        )
    declarations = {}
    for key in DECLARATIONS:
        header = f"verklaring_{key}"
        value = (values[header] or "").casefold()
        if value in ("ja", "j", "yes", "true", "1", "x"):
            declarations[key] = True
        elif value in ("", "nee", "n", "no", "false", "0"):
            declarations[key] = False
        else:
            errors.append(RowError(row, header, f"'{(values[header] or '')[:20]}' is geen ja of nee."))
    return {
        "call": values["oproep"] or "",
        "provider": values["dienstverlener"] or "",
        "company": company,
        "quote_lines": lines,
        "declarations": declarations,
    }


def _column_for(path: str) -> str:
    """The column of an intake error path (company.name -> naam); the path itself when no column has it."""
    if path in _BY_PATH:
        return _BY_PATH[path]
    for known, header in _BY_PATH.items():
        if path.startswith(known + "."):
            return header
    if path.startswith("quote_lines[") or path == "quote_lines":
        return "pakket_1"
    return path


def applications_import(
    path: str | Path, *, actor: Actor, errors_path: str | Path | None = None, on_date: date | None = None
) -> ImportResult:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from cstraject.accounts.permissions import Action, require

    require(actor, Action.APPLICATIONS_IMPORT)
    result = ImportResult()
    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(
            {"bestand": f"'{Path(path).name}' is geen leesbaar Excel-bestand (.xlsx): {error}"}
        ) from None
    try:
        if SHEET not in workbook.sheetnames:
            raise ValidationError({"bestand": f"Het werkblad '{SHEET}' ontbreekt; gebruik het sjabloon."})
        rows = workbook[SHEET].iter_rows(values_only=True)
        header = [_cell_text(value) for value in next(rows, ())]
        while header and header[-1] is None:
            header.pop()
        if header != HEADERS:
            missing = [h for h in HEADERS if h not in header]
            extra = [h for h in header if h not in HEADERS]
            raise ValidationError(
                {
                    "bestand": "De kopregel wijkt af van het sjabloon"
                    + (f"; ontbreekt: {', '.join(missing)}" if missing else "")
                    + (f"; onbekend: {', '.join(str(e) for e in extra)}" if extra else "")
                    + "."
                }
            )
        for number, cells in enumerate(rows, start=2):
            cells = list(cells)[: len(HEADERS)] + [None] * max(0, len(HEADERS) - len(cells))
            values = {h: _cell_text(v) for h, v in zip(HEADERS, cells, strict=True)}
            if all(v is None for v in values.values()):
                continue
            row_errors: list[RowError] = []
            document = _document(values, number, row_errors)
            if not row_errors:
                try:
                    with transaction.atomic():
                        dossier = dossier_intake(actor=actor, data=document, on_date=on_date)
                    result.imported.append(dossier.reference)
                    continue
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for key, messages in error.message_dict.items():
                            row_errors.append(RowError(number, _column_for(key), " ".join(messages)))
                    else:
                        row_errors.append(RowError(number, "", " ".join(error.messages)))
                except (PermissionDenied, ObjectDoesNotExist) as error:
                    row_errors.append(RowError(number, "", str(error)))
            result.refused_rows += 1
            result.errors.extend(row_errors)
    finally:
        workbook.close()
    if errors_path is not None and result.errors:
        errors_workbook(errors_path, result.errors)
    return result


def errors_workbook(path: str | Path, errors: list[RowError]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("fouten")
    sheet.write_row(0, 0, ["rij", "kolom", "melding"], bold)
    for index, error in enumerate(errors, start=1):
        sheet.write_number(index, 0, error.row)
        sheet.write_string(index, 1, error.column)
        sheet.write_string(index, 2, error.message)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 100)
    workbook.close()


# --- history: existing dossiers with their decisions, statements and payments -------------------------

HISTORY_SHEETS: dict[str, list[str]] = {
    "dossiers": [
        "referentie",
        "oproep",
        "dienstverlener",
        "ondernemingsnummer",
        "naam",
        "rechtsvorm",
        "nace_code",
        "postcode",
        "gemeente",
        "grootte",
        "status",
        *(f"{name}_{slot + 1}" for slot in range(PACKAGE_SLOTS) for name in ("pakket", "bedrag", "mensdagen")),
        "steunbedrag",
        "ingediend_op",
        "beslist_op",
        "gestart_op",
        "afgerond_op",
        "stopgezet_op",
        "ingetrokken_op",
        "motivering",
    ],
    "prestaties": ["referentie", "kwartaal", "mensdagen", "bedrag", "ingediend_op"],
    "betalingen": ["referentie", "schijf", "bedrag", "betaald_op", "kwartaal"],
}
_HISTORY_FIELDS = {
    "dossiers": {
        "reference": "referentie",
        "size_class": "grootte",
        "status": "status",
        "subsidy_amount": "steunbedrag",
        "decision_reason": "motivering",
        "submitted_date": "ingediend_op",
        "decided_date": "beslist_op",
        "started_date": "gestart_op",
        "finished_date": "afgerond_op",
        "stopped_date": "stopgezet_op",
        "withdrawn_date": "ingetrokken_op",
        **{
            f"company.{key}": header
            for key, header in (
                ("enterprise_number", "ondernemingsnummer"),
                ("name", "naam"),
                ("legal_form", "rechtsvorm"),
                ("nace_code", "nace_code"),
                ("postal_code", "postcode"),
                ("municipality", "gemeente"),
            )
        },
        "enterprise_number": "ondernemingsnummer",
        "name": "naam",
        "legal_form": "rechtsvorm",
        "nace_code": "nace_code",
        "postal_code": "postcode",
        "municipality": "gemeente",
    },
    "prestaties": {
        "quarter": "kwartaal",
        "delivered_man_days": "mensdagen",
        "delivered_amount": "bedrag",
        "reported_date": "ingediend_op",
    },
    "betalingen": {"tranche": "schijf", "amount": "bedrag", "payment_date": "betaald_op", "quarter": "kwartaal"},
}


@dataclass
class HistoryError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class HistoryResult:
    dossiers: int = 0
    statements: int = 0
    payments: int = 0
    errors: list[HistoryError] = field(default_factory=list)


def history_template(path) -> None:
    workbook = _workbook(path)
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for name, headers in HISTORY_SHEETS.items():
        sheet = workbook.add_worksheet(name)
        for index, header in enumerate(headers):
            sheet.write_string(0, index, header, bold)
            sheet.set_column(index, index, max(14, len(header) + 2), text)
        sheet.freeze_panes(1, 0)
    help_sheet = workbook.add_worksheet("uitleg")
    for row, line in enumerate(
        [
            "Eén dossier per rij in 'dossiers', één prestatiestaat per rij in 'prestaties', één betaling per rij in 'betalingen'.",
            "Data als JJJJ-MM-DD of DD-MM-JJJJ (of een Excel-datum); kwartalen als 2021Q3; bedragen met hoogstens twee decimalen.",
            "grootte: micro, klein, middelgroot, groot; status: draft, submitted, approved, rejected, in_progress, "
            "finished, stopped, withdrawn.",
            "Elke gebeurtenis krijgt haar historische datum; een geweigerde rij laat niets achter.",
        ]
    ):
        help_sheet.write(row, 0, line)
    workbook.close()


def _history_date(text: str | None, column: str) -> date | None:
    if text is None:
        return None
    value = text[:10]
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError({column: f"'{text[:30]}' is geen datum; schrijf JJJJ-MM-DD of DD-MM-JJJJ."})


def _history_dossier(actor: Actor, values: dict) -> None:
    from cstraject.calls.models import Call
    from cstraject.companies.models import Company
    from cstraject.companies.services import company_upsert
    from cstraject.core.enterprise_number import normalize_enterprise_number
    from cstraject.dossiers.services import dossier_import
    from cstraject.providers.models import ServiceProvider

    errors: dict[str, Any] = {}
    call = Call.objects.filter(code=values["oproep"] or "").first()
    if call is None:
        errors["oproep"] = f"Oproep '{values['oproep']}' is onbekend."
    provider = ServiceProvider.objects.filter(code=values["dienstverlener"] or "").first()
    if provider is None:
        errors["dienstverlener"] = f"Dienstverlener '{values['dienstverlener']}' is onbekend."
    dates: dict[str, Any] = {}
    for key in ("submitted_date", "decided_date", "started_date", "finished_date", "stopped_date", "withdrawn_date"):
        header = _HISTORY_FIELDS["dossiers"][key]
        try:
            dates[key] = _history_date(values[header], header)
        except ValidationError as error:
            errors.update(error.message_dict)
    number = normalize_enterprise_number(values["ondernemingsnummer"], field="ondernemingsnummer")
    if errors or call is None or provider is None:
        raise ValidationError(errors)
    # A company the agency knows keeps its master data; else the register's; else the row's.
    company = Company.objects.filter(enterprise_number=number).first()
    if company is None:
        from cstraject.register.services import company_from_register

        company = company_from_register(actor=actor, enterprise_number=number)
    if company is None:
        company = company_upsert(
            enterprise_number=number,
            name=values["naam"],
            legal_form=values["rechtsvorm"],
            nace_code=values["nace_code"],
            postal_code=values["postcode"],
            municipality=values["gemeente"],
        )
    lines = []
    for slot in range(1, PACKAGE_SLOTS + 1):
        package, amount, days = values[f"pakket_{slot}"], values[f"bedrag_{slot}"], values[f"mensdagen_{slot}"]
        if package is None and amount is None and days is None:
            continue
        lines.append(
            {
                "package": package,
                "amount_excl_vat": _flemish_number(amount) if amount else amount,
                "man_days": _flemish_number(days) if days else days,
            }
        )
    dossier_import(
        actor=actor,
        reference=values["referentie"] or "",
        call=call,
        provider=provider,
        company=company,
        quote_lines=lines,
        size_class=values["grootte"] or "",
        status=values["status"] or "",
        subsidy_amount=_flemish_number(values["steunbedrag"]) if values["steunbedrag"] else None,
        decision_reason=values["motivering"] or "",
        **dates,
    )


def _dossier_by_reference(values: dict):
    from cstraject.dossiers.models import Dossier

    dossier = Dossier.objects.filter(reference=values["referentie"] or "").first()
    if dossier is None:
        raise ValidationError(
            {"referentie": f"Dossier '{values['referentie']}' bestaat niet (ook niet in dit bestand)."}
        )
    return dossier


def _history_statement(actor: Actor, values: dict) -> None:
    from cstraject.payments.services import statement_import

    dossier = _dossier_by_reference(values)
    statement_import(
        actor=actor,
        dossier=dossier,
        quarter=values["kwartaal"] or "",
        delivered_man_days=_flemish_number(values["mensdagen"] or ""),
        delivered_amount=_flemish_number(values["bedrag"] or ""),
        reported_date=_history_date(values["ingediend_op"], "ingediend_op") or _missing("ingediend_op"),
    )


def _missing(column: str):
    raise ValidationError({column: "Verplicht veld ontbreekt."})


def _history_payment(actor: Actor, values: dict) -> None:
    from cstraject.payments.services import payment_import

    dossier = _dossier_by_reference(values)
    tranche = values["schijf"] or ""
    if tranche not in ("1", "2"):
        raise ValidationError({"schijf": f"Schijf '{tranche}' bestaat niet: 1 of 2."})
    payment_import(
        actor=actor,
        dossier=dossier,
        tranche=int(tranche),
        amount=_flemish_number(values["bedrag"] or ""),
        payment_date=_history_date(values["betaald_op"], "betaald_op") or _missing("betaald_op"),
        quarter=values["kwartaal"],
    )


_HISTORY_ROW = {"dossiers": _history_dossier, "prestaties": _history_statement, "betalingen": _history_payment}


def history_import(path: str | Path, *, actor: Actor, errors_path: str | Path | None = None) -> HistoryResult:
    """The agency's existing dossiers (sheet 'dossiers'), then their statements and payments, each row
    through the history services (`dossier_import`, `statement_import`, `payment_import`) in its own
    transaction, with its historical dates. Refused rows are listed (sheet, row, column, message)."""
    from openpyxl import load_workbook

    from cstraject.accounts.permissions import Action, require

    require(actor, Action.HISTORY_IMPORT)
    result = HistoryResult()
    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError(
            {"bestand": f"'{Path(path).name}' is geen leesbaar Excel-bestand (.xlsx): {error}"}
        ) from None
    try:
        missing = [name for name in HISTORY_SHEETS if name not in workbook.sheetnames]
        if missing:
            raise ValidationError({"bestand": f"Werkblad {', '.join(missing)} ontbreekt; gebruik het sjabloon."})
        for name, headers in HISTORY_SHEETS.items():
            rows = workbook[name].iter_rows(values_only=True)
            header = [_cell_text(value) for value in next(rows, ())]
            while header and header[-1] is None:
                header.pop()
            if header != headers:
                raise ValidationError({"bestand": f"De kopregel van werkblad '{name}' wijkt af van het sjabloon."})
            for number, cells in enumerate(rows, start=2):
                cells = list(cells)[: len(headers)] + [None] * max(0, len(headers) - len(cells))
                values = {h: _cell_text(v) for h, v in zip(headers, cells, strict=True)}
                if all(v is None for v in values.values()):
                    continue
                try:
                    with transaction.atomic():
                        _HISTORY_ROW[name](actor, values)
                except ValidationError as error:
                    items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                    for key, messages in items:
                        column = _HISTORY_FIELDS[name].get(key, key)
                        if column.startswith("quote_lines"):
                            column = _column_for(column)
                        result.errors.append(HistoryError(name, number, column, " ".join(messages)))
                    continue
                except (PermissionDenied, ObjectDoesNotExist) as error:
                    result.errors.append(HistoryError(name, number, "", str(error)))
                    continue
                if name == "dossiers":
                    result.dossiers += 1
                elif name == "prestaties":
                    result.statements += 1
                else:
                    result.payments += 1
    finally:
        workbook.close()
    if errors_path is not None and result.errors:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(errors_path))
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet("fouten")
        sheet.write_row(0, 0, ["werkblad", "rij", "kolom", "melding"], bold)
        for index, item in enumerate(result.errors, start=1):
            sheet.write_row(index, 0, [item.sheet, item.row, item.column, item.message])
        sheet.set_column(3, 3, 100)
        book.close()
    return result
