"""Writes on companies. Input is validated here, whatever the caller.

Company master data (name, seat, legal form, NACE, public participation,
social enterprise) belong to the agency:
- `company_register`: the door for whoever files an application (a provider):
  creates a company that does not exist yet; for a known enterprise number
  it returns the company as the agency knows it and REFUSES any identity
  value that differs (ValidationError naming each field) - never an update.
- `company_update_master_data`: corrections by agency roles, audited with
  before and after values.
- `company_upsert` / `annual_accounts_record`: bulk loading by the system
  (reference data, the coming company-register import); no user door calls them.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.audit.services import audit_event_record
from cstraject.core.enterprise_number import normalize_enterprise_number
from cstraject.core.geography import normalize_postal_code
from cstraject.core.money import parse_amount, parse_quantity
from cstraject.core.text import clean_text

from .models import AnnualAccounts, Company, LegalForm, NaceCode, NaceLevel, NaceVersion
from .nace import STDNUM_REVISION, nace_bel_digits, nace_class_exists


def nace_code_lookup(*, code: str, version: str = NaceVersion.NACE_BEL_2008, field: str = "nace_code") -> NaceCode:
    """The NACE-BEL subclass `code` ('10.711' or '10711') of `version` (2008 or 2025).

    Valid when it has the NACE-BEL form and its NACE class exists (`companies/nace.py`); a valid
    code not yet known is added without a label (the KBO import brings the official labels)."""
    digits = nace_bel_digits(code)
    version = str(version or "")
    if digits is None or version not in STDNUM_REVISION or not nace_class_exists(version, digits):
        raise ValidationError(
            {
                field: _(
                    "NACE-BEL %(version)s-code '%(code)s' is onbekend: verwacht wordt een bestaande subklasse "
                    "in de vorm 10.711 (vijf cijfers)."
                )
                % {"version": version[:8], "code": str(code or "")[:30]}
            }
        )
    nace, _created = NaceCode.objects.get_or_create(
        version=version, code=digits, defaults={"level": NaceLevel.SUBCLASS}
    )
    return nace


def _company_fields(*, name, legal_form, nace_code, nace_version, postal_code, municipality, public_participation_pct):
    errors = {}
    fields = {}
    for key, value in (("name", name), ("municipality", municipality)):
        try:
            fields[key] = clean_text(value, model=Company, field=key)
        except ValidationError as error:
            errors.update(error.message_dict)
    if not isinstance(legal_form, str) or legal_form not in LegalForm.values:
        errors["legal_form"] = _("Rechtsvorm '%(legal_form)s' is onbekend; kies uit %(values)s.") % {
            "legal_form": str(legal_form)[:30],
            "values": ", ".join(LegalForm.values),
        }
    fields["legal_form"] = legal_form
    for key, read in (
        ("nace_code", lambda: nace_code_lookup(code=nace_code, version=nace_version)),
        ("postal_code", lambda: normalize_postal_code(postal_code)),
        (
            "public_participation_pct",
            lambda: parse_quantity(
                public_participation_pct, field="public_participation_pct", places=2, integer_digits=3
            ),
        ),
    ):
        try:
            fields[key] = read()
        except ValidationError as error:
            errors.update(error.message_dict)
    if "public_participation_pct" in fields and fields["public_participation_pct"] > 100:
        errors["public_participation_pct"] = _("Overheidsparticipatie kan niet meer dan 100 % zijn.")
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
    """Create the company, or update it when the enterprise number is known.

    System import only (reference data, the company register): not a door for users; they use
    `company_register` (providers) and `company_update_master_data` (the agency)."""
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
        ("headcount", lambda: parse_quantity(headcount, field="headcount", integer_digits=8)),
        ("turnover", lambda: parse_amount(turnover, field="turnover")),
        ("balance_sheet_total", lambda: parse_amount(balance_sheet_total, field="balance_sheet_total")),
        ("equity", lambda: parse_amount(equity, field="equity", allow_negative=True)),
    ):
        try:
            values[key] = read()
        except ValidationError as error:
            errors.update(error.message_dict)
    if not isinstance(year, int) or not 1900 <= year <= 2100:
        errors["year"] = _("Boekjaar '%(year)s' is ongeldig.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    accounts, _created = AnnualAccounts.objects.update_or_create(company=company, year=year, defaults=values)
    return accounts


# --- master data: the provider's door and the agency's corrections ---------------------------

IDENTITY_FIELDS = (
    "name",
    "legal_form",
    "nace_code",
    "postal_code",
    "municipality",
    "public_participation_pct",
    "is_social_enterprise",
)


def _identity_of(company: Company) -> dict:
    """The identity data of `company` as comparable, JSON-ready values."""
    return {
        "name": company.name,
        "legal_form": company.legal_form,
        "nace_code": company.nace_code.code,
        "nace_version": company.nace_code.version,
        "postal_code": company.postal_code,
        "municipality": company.municipality,
        "public_participation_pct": str(company.public_participation_pct),
        "is_social_enterprise": company.is_social_enterprise,
    }


def _same_text(a, b) -> bool:
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def _same_pct(given, known: Decimal) -> bool:
    try:
        return Decimal(str(given).strip().replace(",", ".")) == known
    except (InvalidOperation, ValueError):
        return False


def _differences(company: Company, given: dict) -> dict:
    """The identity values in `given` (None = not given) that differ from the agency's."""
    known = _identity_of(company)
    differs = {}
    for key, value in given.items():
        if value is None or value == "":
            continue
        if key in ("name", "municipality"):
            same = _same_text(value, known[key])
        elif key == "nace_code":
            same = str(value).replace(".", "").strip() == known["nace_code"]
        elif key == "postal_code":
            same = str(value).strip().upper().removeprefix("B-").removeprefix("B") == known["postal_code"]
        elif key == "public_participation_pct":
            same = _same_pct(value, company.public_participation_pct)
        elif key == "is_social_enterprise":
            same = bool(value) == known[key]
        else:
            same = value == known[key]
        if not same:
            differs[key] = known[key]
    return differs


@transaction.atomic
def company_register(
    *,
    actor: Actor,
    enterprise_number: str,
    name: str | None = None,
    legal_form: str | None = None,
    nace_code: str | None = None,
    postal_code: str | None = None,
    municipality: str | None = None,
    nace_version: str = NaceVersion.NACE_BEL_2008,
    is_social_enterprise: bool | None = None,
    public_participation_pct: Decimal | str | None = None,
) -> Company:
    """The company an application is filed for.

    Unknown enterprise number: the company is created from the company register when the KBO
    import knows it (`register.services.company_from_register`), else with these data (every
    identity field required); the creation is audited. Known enterprise number: the agency's master data
    stand. Identity values that are not given are fine; a given value that differs from the
    agency's is REFUSED (ValidationError on that field, naming the known value), so the caller
    knows its data were not used. Nothing is ever changed on a known company here.
    """
    require(actor, Action.COMPANY_CREATE)
    number = normalize_enterprise_number(enterprise_number)
    company = Company.objects.select_related("nace_code").filter(enterprise_number=number).first()
    if company is None:
        # Not known yet but in the company register (KBO): created from the register, whose data
        # are master data; the values given here are then compared with them like any known company's.
        from cstraject.register.services import company_from_register

        if company_from_register(actor=actor, enterprise_number=number) is not None:
            company = Company.objects.select_related("nace_code").get(enterprise_number=number)
    if company is not None:
        given = {
            "name": name,
            "legal_form": legal_form,
            "nace_code": nace_code,
            "postal_code": postal_code,
            "municipality": municipality,
            "public_participation_pct": public_participation_pct,
            "is_social_enterprise": is_social_enterprise or None,
        }
        differs = _differences(company, given)
        if differs:
            raise ValidationError(
                {
                    key: _(
                        "Onderneming %(number)s is al gekend; VLAIO beheert haar stamgegevens en kent hier "
                        "'%(known)s'. Neem die waarde over of laat het veld weg; een correctie vraagt u aan bij VLAIO."
                    )
                    % {"number": company.display_enterprise_number, "known": known}
                    for key, known in differs.items()
                }
            )
        return company
    fields = _company_fields(
        name=name,
        legal_form=legal_form,
        nace_code=nace_code,
        nace_version=nace_version,
        postal_code=postal_code,
        municipality=municipality,
        public_participation_pct="0" if public_participation_pct in (None, "") else public_participation_pct,
    )
    company = Company.objects.create(
        enterprise_number=number, is_social_enterprise=bool(is_social_enterprise), **fields
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.MASTER_DATA,
        company=company,
        reason=_("Onderneming aangemaakt."),
        data={"enterprise_number": number, "before": None, "after": _identity_of(company)},
    )
    return company


@transaction.atomic
def company_update_master_data(
    *,
    actor: Actor,
    company: Company,
    reason: str,
    name: str | None = None,
    legal_form: str | None = None,
    nace_code: str | None = None,
    nace_version: str | None = None,
    postal_code: str | None = None,
    municipality: str | None = None,
    is_social_enterprise: bool | None = None,
    public_participation_pct: Decimal | str | None = None,
) -> Company:
    """A correction of `company`'s master data by the agency; audited with before and after values.

    Fields left None keep their value. A reason is required. Returns the company; when nothing
    changes, nothing is written."""
    require(actor, Action.COMPANY_CORRECT)
    locked = Company.objects.select_for_update().select_related("nace_code").get(pk=company.pk)
    errors = {}
    try:
        reason = clean_text(reason, model=AuditEvent, field="reason")
    except ValidationError as error:
        errors.update(error.message_dict)
    before = _identity_of(locked)
    try:
        fields = _company_fields(
            name=before["name"] if name is None else name,
            legal_form=before["legal_form"] if legal_form is None else legal_form,
            nace_code=before["nace_code"] if nace_code is None else nace_code,
            nace_version=before["nace_version"] if nace_version is None else nace_version,
            postal_code=before["postal_code"] if postal_code is None else postal_code,
            municipality=before["municipality"] if municipality is None else municipality,
            public_participation_pct=(
                before["public_participation_pct"] if public_participation_pct is None else public_participation_pct
            ),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for key, value in fields.items():
        setattr(locked, key, value)
    if is_social_enterprise is not None:
        locked.is_social_enterprise = bool(is_social_enterprise)
    after = _identity_of(locked)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        return locked
    locked.save()
    audit_event_record(
        actor=actor,
        action=AuditAction.MASTER_DATA,
        company=locked,
        reason=reason,
        data={
            "enterprise_number": locked.enterprise_number,
            "changed": changed,
            "before": {key: before[key] for key in changed},
            "after": {key: after[key] for key in changed},
        },
    )
    company.refresh_from_db()
    return locked
