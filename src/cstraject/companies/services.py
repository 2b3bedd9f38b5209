"""Writes on companies. Input is validated here, whatever the caller."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from cstraject.core.enterprise_number import normalize_enterprise_number
from cstraject.core.geography import normalize_postal_code
from cstraject.core.money import parse_amount, parse_quantity

from .models import AnnualAccounts, Company, LegalForm, NaceCode, NaceVersion


def nace_code_lookup(*, code: str, version: str = NaceVersion.NACE_BEL_2008, field: str = "nace_code") -> NaceCode:
    digits = str(code or "").replace(".", "").strip()
    try:
        return NaceCode.objects.get(version=version, code=digits)
    except NaceCode.DoesNotExist:
        raise ValidationError({field: f"NACE-BEL {version}-code '{code}' is onbekend."}) from None


def _company_fields(*, name, legal_form, nace_code, nace_version, postal_code, municipality, public_participation_pct):
    errors = {}
    fields = {}
    if not str(name or "").strip():
        errors["name"] = "Naam is verplicht."
    fields["name"] = str(name or "").strip()
    if legal_form not in LegalForm.values:
        errors["legal_form"] = f"Rechtsvorm '{legal_form}' is onbekend; kies uit {', '.join(LegalForm.values)}."
    fields["legal_form"] = legal_form
    for key, read in (
        ("nace_code", lambda: nace_code_lookup(code=nace_code, version=nace_version)),
        ("postal_code", lambda: normalize_postal_code(postal_code)),
        (
            "public_participation_pct",
            lambda: parse_quantity(public_participation_pct, field="public_participation_pct", places=2),
        ),
    ):
        try:
            fields[key] = read()
        except ValidationError as error:
            errors.update(error.message_dict)
    if not str(municipality or "").strip():
        errors["municipality"] = "Gemeente is verplicht."
    fields["municipality"] = str(municipality or "").strip()
    if "public_participation_pct" in fields and fields["public_participation_pct"] > 100:
        errors["public_participation_pct"] = "Overheidsparticipatie kan niet meer dan 100 % zijn."
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def company_upsert(
    *,
    enterprise_number: str,
    name: str,
    legal_form: str,
    nace_code: str,
    postal_code: str,
    municipality: str,
    nace_version: str = NaceVersion.NACE_BEL_2008,
    is_social_enterprise: bool = False,
    public_participation_pct: Decimal | str = "0",
) -> Company:
    """Create the company, or update it when the enterprise number is known."""
    try:
        number = normalize_enterprise_number(enterprise_number)
    except ValidationError as error:
        # Report every field at once, the number among them.
        try:
            _company_fields(
                name=name,
                legal_form=legal_form,
                nace_code=nace_code,
                nace_version=nace_version,
                postal_code=postal_code,
                municipality=municipality,
                public_participation_pct=public_participation_pct,
            )
        except ValidationError as more:
            raise ValidationError({**error.message_dict, **more.message_dict}) from None
        raise
    fields = _company_fields(
        name=name,
        legal_form=legal_form,
        nace_code=nace_code,
        nace_version=nace_version,
        postal_code=postal_code,
        municipality=municipality,
        public_participation_pct=public_participation_pct,
    )
    company, _created = Company.objects.update_or_create(
        enterprise_number=number, defaults={**fields, "is_social_enterprise": bool(is_social_enterprise)}
    )
    return company


@transaction.atomic
def annual_accounts_record(
    *, company: Company, year: int, headcount, turnover, balance_sheet_total, equity
) -> AnnualAccounts:
    errors: dict[str, str | list[str]] = {}
    values = {}
    for key, read in (
        ("headcount", lambda: parse_quantity(headcount, field="headcount")),
        ("turnover", lambda: parse_amount(turnover, field="turnover")),
        ("balance_sheet_total", lambda: parse_amount(balance_sheet_total, field="balance_sheet_total")),
        ("equity", lambda: parse_amount(equity, field="equity", allow_negative=True)),
    ):
        try:
            values[key] = read()
        except ValidationError as error:
            errors.update(error.message_dict)
    if not isinstance(year, int) or not 1900 <= year <= 2100:
        errors["year"] = f"Boekjaar '{year}' is ongeldig."
    if errors:
        raise ValidationError(errors)
    accounts, _created = AnnualAccounts.objects.update_or_create(company=company, year=year, defaults=values)
    return accounts
