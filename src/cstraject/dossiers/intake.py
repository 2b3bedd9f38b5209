"""Intake of an application from a JSON document (format: docs/intake-format.md).

One transaction: the company (with its annual accounts, partner and linked
enterprises and declared de minimis aid) is created or updated, then the
draft dossier is created through `dossier_create_draft`. Any error and
nothing is saved; errors name the JSON path (company.annual_accounts[0].turnover).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from cstraject.accounts.actors import Actor
from cstraject.calls.models import Call
from cstraject.companies.models import Company, CompanyRelation, DeMinimisAid
from cstraject.companies.services import annual_accounts_record, company_upsert
from cstraject.core.money import parse_amount, parse_quantity
from cstraject.providers.models import ServiceProvider

from .models import Dossier
from .services import dossier_create_draft

COMPANY_FIELDS = ("enterprise_number", "name", "legal_form", "nace_code", "postal_code", "municipality")


def _prefixed(error: ValidationError, prefix: str) -> dict:
    if hasattr(error, "error_dict"):
        return {f"{prefix}.{k}": " ".join(v) for k, v in error.message_dict.items()}
    return {prefix: " ".join(error.messages)}


def _company(raw, path: str) -> Company:
    if not isinstance(raw, dict):
        raise ValidationError({path: "Verwacht een object met de gegevens van de onderneming."})
    missing = [f for f in COMPANY_FIELDS if raw.get(f) in (None, "")]
    if missing:
        raise ValidationError({f"{path}.{f}": "Verplicht veld ontbreekt." for f in missing})
    try:
        company = company_upsert(
            **{f: raw[f] for f in COMPANY_FIELDS},
            nace_version=str(raw.get("nace_version", "2008")),
            is_social_enterprise=bool(raw.get("is_social_enterprise", False)),
            public_participation_pct=str(raw.get("public_participation_pct", "0")),
        )
    except ValidationError as error:
        raise ValidationError(_prefixed(error, path)) from None
    errors = {}
    for index, accounts in enumerate(raw.get("annual_accounts", [])):
        where = f"{path}.annual_accounts[{index}]"
        try:
            annual_accounts_record(
                company=company,
                year=accounts.get("year"),
                headcount=accounts.get("headcount"),
                turnover=accounts.get("turnover"),
                balance_sheet_total=accounts.get("balance_sheet_total"),
                equity=accounts.get("equity"),
            )
        except ValidationError as error:
            errors.update(_prefixed(error, where))
    for index, aid in enumerate(raw.get("de_minimis_aid", [])):
        where = f"{path}.de_minimis_aid[{index}]"
        try:
            granted = date.fromisoformat(str(aid.get("granted_date")))
        except ValueError:
            errors[f"{where}.granted_date"] = f"Datum '{aid.get('granted_date')}' is ongeldig; schrijf JJJJ-MM-DD."
            continue
        try:
            amount = parse_amount(aid.get("amount"), field=f"{where}.amount")
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            continue
        grantor = str(aid.get("grantor") or "").strip()
        if not grantor:
            errors[f"{where}.grantor"] = "Verstrekker van de steun is verplicht."
            continue
        DeMinimisAid.objects.get_or_create(
            company=company,
            granted_date=granted,
            amount=amount,
            grantor=grantor,
            defaults={"description": str(aid.get("description") or "")},
        )
    for index, relation in enumerate(raw.get("relations", [])):
        where = f"{path}.relations[{index}]"
        try:
            share = parse_quantity(relation.get("share_pct"), field=f"{where}.share_pct", places=2)
            if not 0 < share <= 100:
                raise ValidationError({f"{where}.share_pct": f"Aandeel {share} % moet tussen 0 en 100 % liggen."})
            related = _company(relation.get("company"), f"{where}.company")
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            continue
        if related.pk == company.pk:
            errors[f"{where}.company"] = "Een onderneming kan geen relatie met zichzelf hebben."
            continue
        CompanyRelation.objects.update_or_create(
            company=company, related_company=related, defaults={"share_pct": share}
        )
    if errors:
        raise ValidationError(errors)
    return company


@transaction.atomic
def dossier_intake(*, actor: Actor, data: dict, on_date: date | None = None) -> Dossier:
    """Create a draft dossier from an intake document (see docs/intake-format.md);
    `on_date`: the date it was created, for history (default today)."""
    if not isinstance(data, dict):
        raise ValidationError({"aanvraag": "Het bestand moet één JSON-object bevatten."})
    errors = {}
    call = Call.objects.filter(code=str(data.get("call", ""))).first()
    if call is None:
        known = ", ".join(Call.objects.values_list("code", flat=True))
        errors["call"] = f"Oproep '{data.get('call')}' is onbekend; gekend: {known or 'geen'}."
    provider = ServiceProvider.objects.filter(code=str(data.get("provider", ""))).first()
    if provider is None:
        errors["provider"] = f"Dienstverlener '{data.get('provider')}' is onbekend."
    if not isinstance(data.get("quote_lines"), list):
        errors["quote_lines"] = "De offerte (quote_lines) moet een lijst van pakketten zijn."
    if errors:
        raise ValidationError(errors)
    company = _company(data.get("company"), "company")
    return dossier_create_draft(
        actor=actor,
        call=call,
        provider=provider,
        company=company,
        quote_lines=data["quote_lines"],
        declarations=data.get("declarations"),
        on_date=on_date,
    )
