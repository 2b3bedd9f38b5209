"""Reads on the company register (KBO open data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cstraject.companies.models import LegalForm, NaceCode
from cstraject.companies.nace import nace_label

from .models import KboActivity, KboAddress, KboCode, KboDenomination, KboEnterprise, KboEstablishment

# KBO language codes (code.csv, category Language): 2 = Dutch, 1 = French.
_NAME_LANGUAGE_ORDER = ("2", "1", "0", "3", "4")
NAME = "001"  # TypeOfDenomination: the name (002 abbreviation, 003 commercial name)
SEAT = "REGO"  # TypeOfAddress: registered seat
MAIN = "MAIN"  # Classification of an activity
NATURAL_PERSON = "1"  # TypeOfEnterprise

# The scheme's legal forms, recognised in the KBO's Dutch JuridicalForm label (code.csv).
_LEGAL_FORM_WORDS = (
    ("besloten vennootschap", LegalForm.BV),
    ("naamloze vennootschap", LegalForm.NV),
    ("coöperatieve vennootschap", LegalForm.CV),
    ("vennootschap onder firma", LegalForm.VOF),
    ("commanditaire vennootschap", LegalForm.COMMV),
    ("vereniging zonder winstoogmerk", LegalForm.VZW),
    ("publiekrechtelijk", LegalForm.PUBLIEKRECHTELIJK),
)


@dataclass(frozen=True)
class Activity:
    version: str
    code: str
    classification: str
    group: str
    label_nl: str
    label_fr: str


@dataclass(frozen=True)
class Address:
    type: str
    postal_code: str
    municipality: str
    street: str
    house_number: str
    box: str
    province: str
    region: str


@dataclass(frozen=True)
class RegisterRecord:
    enterprise_number: str
    name: str
    status: str
    status_label: str
    start_date: date | None
    type_of_enterprise: str
    juridical_form: str
    juridical_form_label: str
    legal_form: str | None  # the scheme's LegalForm, when the KBO form is one of them
    seat: Address | None
    activities: list[Activity] = field(default_factory=list)
    establishments: list[tuple[str, Address | None]] = field(default_factory=list)

    def main_activity(self, version: str = "2008") -> Activity | None:
        mains = [a for a in self.activities if a.version == version and a.classification == MAIN]
        return min(mains, key=lambda a: (a.group, a.code)) if mains else None


def register_knows(enterprise_number: str) -> bool:
    """Whether the imported register holds the enterprise with what the scheme needs to create it."""
    from .services import REQUIRED_FOR_COMPANY, master_data_from_register

    record = register_enterprise(enterprise_number)
    return record is not None and all(key in master_data_from_register(record) for key in REQUIRED_FOR_COMPANY)


def code_label(category: str, code: str, language: str = "NL") -> str:
    row = KboCode.objects.filter(category=category, code=code, language=language).first()
    return row.description if row else ""


def legal_form_for(*, juridical_form_label: str, type_of_enterprise: str) -> str | None:
    if type_of_enterprise == NATURAL_PERSON:
        return LegalForm.EENMANSZAAK
    text = juridical_form_label.casefold()
    for words, legal_form in _LEGAL_FORM_WORDS:
        if words in text:
            return legal_form
    return None


def _address(row: KboAddress) -> Address:
    return Address(
        type=row.type_of_address,
        postal_code=row.zipcode,
        municipality=row.municipality_nl or row.municipality_fr,
        street=row.street_nl or row.street_fr,
        house_number=row.house_number,
        box=row.box,
        province=row.province,
        region=row.region,
    )


def register_enterprise(enterprise_number: str) -> RegisterRecord | None:
    """What the register says about one enterprise (10 digits), or None when it is not in it."""
    enterprise = KboEnterprise.objects.filter(enterprise_number=enterprise_number).first()
    if enterprise is None:
        return None
    names = list(KboDenomination.objects.filter(entity_number=enterprise_number, type_of_denomination=NAME))
    names.sort(key=lambda d: _NAME_LANGUAGE_ORDER.index(d.language) if d.language in _NAME_LANGUAGE_ORDER else 9)
    seat = KboAddress.objects.filter(entity_number=enterprise_number, type_of_address=SEAT).first()
    activities = list(KboActivity.objects.filter(entity_number=enterprise_number).order_by("nace_version", "id"))
    labels = {
        (n.version, n.code): n
        for n in NaceCode.objects.filter(code__in={a.nace_code.replace(".", "") for a in activities})
    }
    establishments = list(KboEstablishment.objects.filter(enterprise_number=enterprise_number).order_by("pk"))
    addresses = {
        a.entity_number: a
        for a in KboAddress.objects.filter(entity_number__in=[e.establishment_number for e in establishments])
    }
    juridical_label = code_label("JuridicalForm", enterprise.juridical_form) if enterprise.juridical_form else ""

    def activity(row: KboActivity) -> Activity:
        digits = row.nace_code.replace(".", "")
        nace = labels.get((row.nace_version, digits))
        return Activity(
            version=row.nace_version,
            code=digits,
            classification=row.classification,
            group=row.activity_group,
            label_nl=(nace.label_nl if nace else "") or nace_label(row.nace_version, digits),
            label_fr=nace.label_fr if nace else "",
        )

    return RegisterRecord(
        enterprise_number=enterprise_number,
        name=names[0].denomination if names else "",
        status=enterprise.status,
        status_label=code_label("Status", enterprise.status),
        start_date=enterprise.start_date,
        type_of_enterprise=enterprise.type_of_enterprise,
        juridical_form=enterprise.juridical_form,
        juridical_form_label=juridical_label,
        legal_form=legal_form_for(
            juridical_form_label=juridical_label, type_of_enterprise=enterprise.type_of_enterprise
        ),
        seat=_address(seat) if seat else None,
        activities=[activity(a) for a in activities],
        establishments=[
            (
                e.establishment_number,
                _address(addresses[e.establishment_number]) if e.establishment_number in addresses else None,
            )
            for e in establishments
        ],
    )
