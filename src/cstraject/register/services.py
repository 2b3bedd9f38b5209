"""Writes derived from the company register: the register is the company's master data.

After every KBO import (inside its switch transaction) the companies the scheme knows get
their name, seat (postal code, municipality; province and region derived as always), legal
form and main activity (NACE-BEL 2008) from the register, each change audited with before
and after values. A provider never overwrites these data (`companies.services.company_register`).
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.accounts.actors import system_actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.companies.models import Company
from cstraject.companies.services import nace_code_lookup
from cstraject.core.geography import normalize_postal_code

from .selectors import RegisterRecord, register_enterprise


@transaction.atomic
def company_apply_register(*, actor, company: Company, data: dict, extract: int) -> bool:
    """Set `company`'s master data to the register's `data`; audited; False when nothing changed."""
    before, after = {}, {}
    for key, value in data.items():
        old = getattr(company, key)
        if old != value:
            before[key] = old.code if key == "nace_code" else old
            after[key] = value.code if key == "nace_code" else value
            setattr(company, key, value)
    if not after:
        return False
    company.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.MASTER_DATA,
        company=company,
        reason=_("Stamgegevens uit het ondernemingsregister (KBO-extract %(n)s).") % {"n": extract},
        data={"enterprise_number": company.enterprise_number, "before": before, "after": after},
    )
    return True


def master_data_from_register(record: RegisterRecord) -> dict:
    """The Company fields the register gives for `record` (only those it gives, valid for the scheme)."""
    data: dict = {}
    if record.name:
        data["name"] = record.name[:200]
    if record.legal_form:
        data["legal_form"] = str(record.legal_form)
    seat = record.seat
    if seat is not None and seat.province:
        try:
            data["postal_code"] = normalize_postal_code(seat.postal_code)
            data["municipality"] = seat.municipality[:100]
        except ValidationError:
            pass
    main = record.main_activity("2008")
    if main is not None:
        with contextlib.suppress(ValidationError):
            data["nace_code"] = nace_code_lookup(code=main.code, version="2008")
    return data


def register_sync_companies(result, numbers: set[str] | None) -> int:
    """Give the known companies (all, or those in `numbers`) their master data from the register.

    Called by `kbo_import` inside its switch transaction; returns how many companies changed."""
    companies = Company.objects.select_related("nace_code").order_by("pk")
    if numbers is not None:
        companies = companies.filter(enterprise_number__in=numbers)
    actor = system_actor("kbo-import")
    changed = 0
    for company in companies.iterator(chunk_size=500):
        record = register_enterprise(company.enterprise_number)
        if record is None:
            continue
        if company_apply_register(
            actor=actor, company=company, data=master_data_from_register(record), extract=result.meta.number
        ):
            changed += 1
    return changed


REQUIRED_FOR_COMPANY = ("name", "legal_form", "nace_code", "postal_code", "municipality")


@transaction.atomic
def company_from_register(*, actor, enterprise_number: str) -> Company | None:
    """The company for `enterprise_number` (10 digits) created from the register, with its filed accounts.

    None when the register does not hold it, or does not give every field the scheme needs (a legal
    form the scheme knows, a Belgian seat, a valid NACE-BEL 2008 main activity); the caller then
    asks the data as before. An existing company is returned as it is."""
    from .annual_accounts import company_accounts_from_filed

    require(actor, Action.COMPANY_CREATE)
    company = Company.objects.filter(enterprise_number=enterprise_number).first()
    if company is not None:
        return company
    record = register_enterprise(enterprise_number)
    if record is None:
        return None
    data = master_data_from_register(record)
    if any(key not in data for key in REQUIRED_FOR_COMPANY):
        return None
    company = Company.objects.create(enterprise_number=enterprise_number, **data)
    audit_event_record(
        actor=actor,
        action=AuditAction.MASTER_DATA,
        company=company,
        reason=_("Onderneming aangemaakt uit het ondernemingsregister (KBO)."),
        data={
            "enterprise_number": enterprise_number,
            "before": None,
            "after": {k: (v.code if k == "nace_code" else v) for k, v in data.items()},
        },
    )
    company_accounts_from_filed(actor=actor, company=company)
    return company
