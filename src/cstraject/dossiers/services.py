"""Writes on dossiers that are not workflow transitions.

`dossier_import` records a dossier whose history happened elsewhere (the
reference dataset, a migration from the agency's spreadsheets): it takes the
status and dates as given but still enforces every rule about the money.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from cstraject.accounts.actors import Actor
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.calls.models import Call
from cstraject.companies.models import Company
from cstraject.core.money import parse_amount, parse_quantity
from cstraject.providers.models import ServiceProvider

from .models import Dossier, DossierStatus, QuoteLine, SizeClass
from .quotes import Quote, quote_read


def _check_subsidy(*, quote: Quote, call: Call, subsidy_amount) -> Decimal:
    if subsidy_amount is None:
        return quote.subsidy_amount
    given = parse_amount(subsidy_amount, field="subsidy_amount")
    if given != quote.subsidy_amount:
        rate = f"{call.subsidy_rate * 100:.2f} %".replace(".00 ", " ")
        base = "offerte incl. btw" if call.rate_on_vat_inclusive else "offerte excl. btw"
        raise ValidationError(
            {
                "subsidy_amount": (
                    f"Steunbedrag {given} volgt niet uit de offerte: {rate} van de {base} "
                    f"({quote.total_excl_vat} excl. btw) is {quote.subsidy_amount}."
                )
            }
        )
    return given


def _size_basis(size_basis: dict | None) -> dict:
    if not size_basis:
        return {}
    values = {}
    errors = {}
    readers = {
        "size_headcount": lambda v: parse_quantity(v, field="size_basis.headcount"),
        "size_turnover": lambda v: parse_amount(v, field="size_basis.turnover"),
        "size_balance_sheet_total": lambda v: parse_amount(v, field="size_basis.balance_sheet_total"),
    }
    for key, read in readers.items():
        raw = size_basis.get(key.removeprefix("size_"))
        if raw is None:
            continue
        try:
            values[key] = read(raw)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if size_basis.get("accounting_year") is not None:
        values["size_accounting_year"] = int(size_basis["accounting_year"])
    return values


@transaction.atomic
def dossier_import(
    *,
    actor: Actor,
    reference: str,
    call: Call,
    provider: ServiceProvider,
    company: Company,
    quote_lines: list[dict],
    size_class: str,
    status: str,
    size_basis: dict | None = None,
    subsidy_amount=None,
    submitted_date: date | None = None,
    decided_date: date | None = None,
    started_date: date | None = None,
    finished_date: date | None = None,
    decision_reason: str = "",
) -> Dossier:
    if size_class not in SizeClass.values:
        raise ValidationError({"size_class": f"Grootte '{size_class}' is onbekend; kies uit {', '.join(SizeClass.values)}."})
    if status not in DossierStatus.values:
        raise ValidationError({"status": f"Status '{status}' is onbekend."})
    if Dossier.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": f"Dossier {reference} bestaat al."})
    quote = quote_read(call=call, lines=quote_lines)
    subsidy = _check_subsidy(quote=quote, call=call, subsidy_amount=subsidy_amount)
    dossier = Dossier.objects.create(
        reference=reference,
        call=call,
        provider=provider,
        company=company,
        status=status,
        province=company.province,
        nace_code=company.nace_code,
        size_class=size_class,
        **_size_basis(size_basis),
        package_mix=quote.package_mix,
        quote_excl_vat=quote.total_excl_vat,
        quote_man_days=quote.total_man_days,
        subsidy_amount=subsidy,
        submitted_date=submitted_date,
        decided_date=decided_date,
        started_date=started_date,
        finished_date=finished_date,
        decision_reason=decision_reason,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(dossier=dossier, package=line.package, amount_excl_vat=line.amount_excl_vat, man_days=line.man_days)
        for line in quote.lines
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.IMPORT,
        dossier=dossier,
        to_status=status,
        reason="Historisch dossier ingelezen.",
        data={"subsidy_amount": str(subsidy), "quote_excl_vat": str(quote.total_excl_vat)},
    )
    return dossier
