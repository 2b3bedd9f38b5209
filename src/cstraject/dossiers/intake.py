"""Intake of an application from a JSON document (format: docs/intake-format.md).

One transaction: the company is looked up (or created when its enterprise
number is new) through `company_register`, which never changes a known
company's master data and refuses identity values that differ from the
agency's. What the document declares for the application (annual accounts,
partner and linked enterprises, de minimis aid) is stored as THIS dossier's
declaration (`dossiers.declared`), never on the company. Any error and
nothing is saved; errors name the JSON path (company.annual_accounts[0].turnover).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.calls.models import Call
from cstraject.companies.models import Company
from cstraject.companies.services import company_register
from cstraject.core.enterprise_number import normalize_enterprise_number
from cstraject.core.money import parse_amount, parse_quantity
from cstraject.core.text import clean_text
from cstraject.providers.models import ServiceProvider

from .declared import Declared, declarations_store
from .models import DeclaredDeMinimisAid, Dossier
from .services import dossier_create_draft

IDENTITY_FIELDS = ("name", "legal_form", "nace_code", "postal_code", "municipality")
MAX_RELATION_DEPTH = 3  # applicant -> its stakes -> their stakes -> theirs


def _prefixed(error: ValidationError, prefix: str) -> dict:
    if hasattr(error, "error_dict"):
        return {f"{prefix}.{k}": " ".join(v) for k, v in error.message_dict.items()}
    return {prefix: " ".join(error.messages)}


def _list(raw, key: str, path: str, errors: dict) -> list:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors[f"{path}.{key}"] = _("Verwacht een lijst.")
        return []
    return value


def _register(raw: dict, path: str, actor: Actor) -> Company:
    """The company of `raw`: a known enterprise number (the agency's, or the company register's)
    needs no identity fields (the master data stand); a new one needs them all."""
    missing = {f"{path}.{f}": _("Verplicht veld ontbreekt.") for f in IDENTITY_FIELDS if raw.get(f) in (None, "")}
    try:
        number = normalize_enterprise_number(raw.get("enterprise_number"))
    except ValidationError as error:
        raise ValidationError({**_prefixed(error, path), **missing}) from None
    if missing and not Company.objects.filter(enterprise_number=number).exists():
        # Not known to the agency: the company register (KBO) may know it; then no field is needed.
        from cstraject.register.selectors import register_knows

        if not register_knows(number):
            raise ValidationError(missing)
    try:
        return company_register(
            actor=actor,
            enterprise_number=number,
            **{f: raw.get(f) for f in IDENTITY_FIELDS},
            nace_version=str(raw.get("nace_version", "2008")),
            is_social_enterprise=raw.get("is_social_enterprise") is True or None,
            public_participation_pct=(
                None if raw.get("public_participation_pct") is None else str(raw.get("public_participation_pct"))
            ),
        )
    except ValidationError as error:
        raise ValidationError(_prefixed(error, path)) from None


def _company(raw, path: str, *, actor: Actor, declared: Declared, depth: int = 0) -> Company:
    """The company named by `raw` (registered if new) with its declarations added to `declared`."""
    if not isinstance(raw, dict):
        raise ValidationError({path: _("Verwacht een object met de gegevens van de onderneming.")})
    company = _register(raw, path, actor)
    errors: dict[str, str] = {}
    years = set()
    for index, accounts in enumerate(_list(raw, "annual_accounts", path, errors)):
        where = f"{path}.annual_accounts[{index}]"
        if not isinstance(accounts, dict):
            errors[where] = _("Verwacht een object met de cijfers van één boekjaar.")
            continue
        row: dict[str, object] = {"company": company}
        row_errors: dict[str, str] = {}
        year = accounts.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            row_errors[f"{where}.year"] = _("Boekjaar '%(year)s' is ongeldig.") % {"year": str(year)[:30]}
        elif year in years:
            row_errors[f"{where}.year"] = _("Boekjaar %(year)s staat meer dan eens in de lijst.") % {"year": year}
        row["year"] = year
        for key, read in (
            ("headcount", lambda v, w: parse_quantity(v, field=w, integer_digits=8)),
            ("turnover", lambda v, w: parse_amount(v, field=w)),
            ("balance_sheet_total", lambda v, w: parse_amount(v, field=w)),
            ("equity", lambda v, w: parse_amount(v, field=w, allow_negative=True)),
        ):
            try:
                row[key] = read(accounts.get(key), f"{where}.{key}")
            except ValidationError as error:
                row_errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
        if row_errors:
            errors.update(row_errors)
            continue
        years.add(year)
        declared.accounts.append(row)
    for index, aid in enumerate(_list(raw, "de_minimis_aid", path, errors)):
        where = f"{path}.de_minimis_aid[{index}]"
        if not isinstance(aid, dict):
            errors[where] = _("Verwacht een object met één steunmaatregel.")
            continue
        try:
            granted = date.fromisoformat(str(aid.get("granted_date")))
        except ValueError:
            errors[f"{where}.granted_date"] = _("Datum '%(get)s' is ongeldig; schrijf JJJJ-MM-DD.") % {
                "get": str(aid.get("granted_date"))[:30]
            }
            continue
        try:
            amount = parse_amount(aid.get("amount"), field=f"{where}.amount")
            grantor = clean_text(
                aid.get("grantor"), model=DeclaredDeMinimisAid, field="grantor", key=f"{where}.grantor"
            )
            description = clean_text(
                aid.get("description"),
                model=DeclaredDeMinimisAid,
                field="description",
                key=f"{where}.description",
                required=False,
            )
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            continue
        declared.de_minimis_aid.append(
            {
                "company": company,
                "granted_date": granted,
                "amount": amount,
                "grantor": grantor,
                "description": description,
            }
        )
    related_seen = set()
    for index, relation in enumerate(_list(raw, "relations", path, errors)):
        where = f"{path}.relations[{index}]"
        if not isinstance(relation, dict):
            errors[where] = _("Verwacht een object met share_pct en company.")
            continue
        if depth + 1 >= MAX_RELATION_DEPTH:
            errors[where] = _("Relaties worden tot %(max_relation_depth)s niveaus diep aanvaard.") % {
                "max_relation_depth": MAX_RELATION_DEPTH
            }
            continue
        try:
            share = parse_quantity(relation.get("share_pct"), field=f"{where}.share_pct", places=2, integer_digits=3)
            if not 0 < share <= 100:
                raise ValidationError(
                    {
                        f"{where}.share_pct": (
                            _("Aandeel %(share)s %% moet tussen 0 en 100 %% liggen.") % {"share": share}
                        )
                    }
                )
            related = _company(
                relation.get("company"), f"{where}.company", actor=actor, declared=declared, depth=depth + 1
            )
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            continue
        if related.pk == company.pk:
            errors[f"{where}.company"] = _("Een onderneming kan geen relatie met zichzelf hebben.")
            continue
        if related.pk in related_seen:
            errors[f"{where}.company"] = _(
                "Relatie met %(display_enterprise_number)s staat meer dan eens in de lijst."
            ) % {"display_enterprise_number": related.display_enterprise_number}
            continue
        related_seen.add(related.pk)
        declared.relations.append({"company": company, "related_company": related, "share_pct": share})
    if errors:
        raise ValidationError(errors)
    return company


def _code(value) -> str:
    """A code to look up: text of a sane length without NUL (PostgreSQL refuses NUL), else no match."""
    text = str(value or "") if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if len(text) <= 40 and "\x00" not in text else ""


@transaction.atomic
def dossier_intake(*, actor: Actor, data: dict, on_date: date | None = None) -> Dossier:
    """Create a draft dossier from an intake document (see docs/intake-format.md);
    `on_date`: the date it was created, for history (default today)."""
    if not isinstance(data, dict):
        raise ValidationError({"aanvraag": _("Het bestand moet één JSON-object bevatten.")})
    errors = {}
    call = Call.objects.filter(code=_code(data.get("call"))).first()
    if call is None:
        known = ", ".join(Call.objects.values_list("code", flat=True))
        errors["call"] = _("Oproep '%(get)s' is onbekend; gekend: %(value)s.") % {
            "get": str(data.get("call"))[:30],
            "value": known or "geen",
        }
    provider = ServiceProvider.objects.filter(code=_code(data.get("provider"))).first()
    if provider is None:
        errors["provider"] = _("Dienstverlener '%(get)s' is onbekend.") % {"get": str(data.get("provider"))[:30]}
    if not isinstance(data.get("quote_lines"), list):
        errors["quote_lines"] = _("De offerte (quote_lines) moet een lijst van pakketten zijn.")
    if errors or call is None or provider is None:
        raise ValidationError(errors)
    declared = Declared()
    company = _company(data.get("company"), "company", actor=actor, declared=declared)
    _check_unique_accounts(declared)
    dossier = dossier_create_draft(
        actor=actor,
        call=call,
        provider=provider,
        company=company,
        quote_lines=data["quote_lines"],
        declarations=data.get("declarations"),
        on_date=on_date,
    )
    declarations_store(actor=actor, dossier=dossier, declared=declared)
    return dossier


def _check_unique_accounts(declared: Declared) -> None:
    """The same enterprise may appear twice in a document (as partner of two companies): its
    accounts of one year once, its stake in another enterprise once."""
    seen, errors = set(), {}
    for row in declared.accounts:
        key = (row["company"].pk, row["year"])
        if key in seen:
            errors["company"] = _(
                "De jaarrekening %(year)s van %(display_enterprise_number)s staat meer dan eens in het bestand."
            ) % {"year": row["year"], "display_enterprise_number": row["company"].display_enterprise_number}
        seen.add(key)
    pairs = set()
    for row in declared.relations:
        key = (row["company"].pk, row["related_company"].pk)
        if key in pairs:
            errors["company"] = _(
                "De relatie %(display_enterprise_number)s - %(display_enterprise_number2)s staat meer dan eens in het bestand."
            ) % {
                "display_enterprise_number": row["company"].display_enterprise_number,
                "display_enterprise_number2": row["related_company"].display_enterprise_number,
            }
        pairs.add(key)
    if errors:
        raise ValidationError(errors)
