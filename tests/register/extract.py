"""A small KBO open-data extract in the exact published layout, written as the FPS Economy publishes it:
a zip of double-quoted, comma-separated UTF-8 CSV files with a header line; numbers 0403.170.701 and
2.123.456.789, dates dd-mm-yyyy."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from cstraject.core.enterprise_number import check_digits

HEADERS = {
    "meta": ["Variable", "Value"],
    "code": ["Category", "Code", "Language", "Description"],
    "enterprise": [
        "EnterpriseNumber",
        "Status",
        "JuridicalSituation",
        "TypeOfEnterprise",
        "JuridicalForm",
        "JuridicalFormCAC",
        "StartDate",
    ],
    "establishment": ["EstablishmentNumber", "StartDate", "EnterpriseNumber"],
    "denomination": ["EntityNumber", "Language", "TypeOfDenomination", "Denomination"],
    "address": [
        "EntityNumber",
        "TypeOfAddress",
        "CountryNL",
        "CountryFR",
        "Zipcode",
        "MunicipalityNL",
        "MunicipalityFR",
        "StreetNL",
        "StreetFR",
        "HouseNumber",
        "Box",
        "ExtraAddressInfo",
        "DateStrikingOff",
    ],
    "contact": ["EntityNumber", "EntityContact", "ContactType", "Value"],
    "activity": ["EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"],
    "branch": ["Id", "StartDate", "EnterpriseNumber"],
}
KEYS = {
    "enterprise": "EnterpriseNumber",
    "establishment": "EstablishmentNumber",
    "denomination": "EntityNumber",
    "address": "EntityNumber",
    "contact": "EntityNumber",
    "activity": "EntityNumber",
    "branch": "Id",
}


def enterprise(n: int) -> str:
    first = f"0{n:07d}"
    digits = first + check_digits(first)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def establishment(n: int) -> str:
    first = f"2{n:07d}"
    digits = first + check_digits(first)
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"


def digits(number: str) -> str:
    return number.replace(".", "")


CODES = [
    ("ActivityGroup", "001", "BTW-activiteiten", "Activités TVA"),
    ("ActivityGroup", "003", "RSZ-activiteiten", "Activités ONSS"),
    ("Classification", "MAIN", "Hoofdactiviteit", "Activité principale"),
    ("Classification", "SECO", "Nevenactiviteit", "Activité secondaire"),
    ("ContactType", "TEL", "Telefoonnummer", "Numéro de téléphone"),
    ("ContactType", "EMAIL", "E-mail", "E-mail"),
    ("EntityContact", "ENT", "Onderneming", "Entreprise"),
    ("EntityContact", "EST", "Vestigingseenheid", "Unité d'établissement"),
    ("JuridicalForm", "014", "Naamloze vennootschap", "Société anonyme"),
    ("JuridicalForm", "610", "Besloten vennootschap", "Société à responsabilité limitée"),
    ("JuridicalForm", "017", "Vereniging zonder winstoogmerk", "Association sans but lucratif"),
    ("JuridicalSituation", "000", "Normale toestand", "Situation normale"),
    ("Language", "0", "Onbekend", "Inconnu"),
    ("Language", "1", "Frans", "Français"),
    ("Language", "2", "Nederlands", "Néerlandais"),
    ("Nace2008", "10711", "Ambachtelijke vervaardiging van brood en van vers banketbakkerswerk", "Boulangerie"),
    ("Nace2008", "47240", "Detailhandel in brood en banketbakkerswerk", "Commerce de détail de pain"),
    ("Nace2008", "62010", "Ontwerpen en programmeren van computerprogramma's", "Programmation informatique"),
    ("Nace2008", "70220", "Adviesbureaus op het gebied van bedrijfsbeheer", "Conseil pour les affaires"),
    ("Nace2008", "62", "Computerprogrammering, consultancy en aanverwante activiteiten", "Programmation"),
    ("Nace2025", "10711", "Ambachtelijke vervaardiging van brood (2025)", "Boulangerie (2025)"),
    ("Nace2025", "62100", "Computerprogrammering", "Programmation informatique"),
    ("Status", "AC", "Actief", "Actif"),
    ("TypeOfAddress", "REGO", "Adres van de zetel", "Adresse du siège"),
    ("TypeOfAddress", "BAET", "Adres van de vestigingseenheid", "Adresse de l'unité d'établissement"),
    ("TypeOfDenomination", "001", "Naam", "Dénomination"),
    ("TypeOfDenomination", "002", "Afkorting", "Abréviation"),
    ("TypeOfEnterprise", "1", "Natuurlijk persoon", "Personne physique"),
    ("TypeOfEnterprise", "2", "Rechtspersoon", "Personne morale"),
]

BAKERY, PERSON, BRUSSELS = enterprise(4031707), enterprise(1234567), enterprise(5550001)
BAKERY_SHOP = establishment(1000001)


def full_rows() -> dict[str, list[list[str]]]:
    """Three enterprises: a bakery BV in Antwerp with a shop in Ghent, a sole trader in Hasselt, a Brussels NV."""
    return {
        "enterprise": [
            [BAKERY, "AC", "000", "2", "610", "", "01-03-2012"],
            [PERSON, "AC", "000", "1", "", "", "15-09-2019"],
            [BRUSSELS, "AC", "000", "2", "014", "", "30-06-1999"],
        ],
        "establishment": [[BAKERY_SHOP, "01-03-2012", BAKERY]],
        "denomination": [
            [BAKERY, "2", "001", "Bakkerij Peeters"],
            [BAKERY, "1", "001", "Boulangerie Peeters"],
            [BAKERY, "2", "002", "BP"],
            [PERSON, "2", "001", "Jan Janssens"],
            [BRUSSELS, "1", "001", "Logiciel Bruxellois"],
        ],
        "address": [
            [BAKERY, "REGO", "", "", "2000", "Antwerpen", "Anvers", "Meir", "Meir", "1", "", "", ""],
            [BAKERY_SHOP, "BAET", "", "", "9000", "Gent", "Gand", "Veldstraat", "Veldstraat", "10", "A", "", ""],
            [PERSON, "REGO", "", "", "3500", "Hasselt", "Hasselt", "Grote Markt", "Grote Markt", "2", "", "", ""],
            [BRUSSELS, "REGO", "", "", "1000", "Brussel", "Bruxelles", "Wetstraat", "Rue de la Loi", "16", "", "", ""],
        ],
        "contact": [[BAKERY, "ENT", "TEL", "03 123 45 67"]],
        "activity": [
            [BAKERY, "001", "2008", "10711", "MAIN"],
            [BAKERY, "001", "2008", "47240", "SECO"],
            [BAKERY, "001", "2025", "10711", "MAIN"],
            [BAKERY_SHOP, "001", "2008", "47240", "MAIN"],
            [PERSON, "001", "2008", "70220", "MAIN"],
            [BRUSSELS, "001", "2008", "62010", "MAIN"],
            [BRUSSELS, "001", "2025", "62100", "MAIN"],
        ],
        "branch": [],
    }


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _code_rows() -> list[list[str]]:
    rows = []
    for category, code, nl, fr in CODES:
        rows += [[category, code, "NL", nl], [category, code, "FR", fr]]
    return rows


def _meta(kind: str, number: int) -> list[list[str]]:
    return [
        ["SnapshotDate", "01-11-2026"],
        ["ExtractTimestamp", "02-11-2026 06:12:00"],
        ["ExtractType", kind],
        ["ExtractNumber", str(number)],
        ["Version", "1.0.0"],
    ]


def write_full(
    folder: Path,
    *,
    number: int = 140,
    rows: dict | None = None,
    headers: dict | None = None,
    omit: tuple[str, ...] = (),
) -> Path:
    rows = rows if rows is not None else full_rows()
    headers = {**HEADERS, **(headers or {})}
    path = folder / f"KboOpenData_{number:04d}_2026_11_Full.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.csv", _csv(headers["meta"], _meta("full", number)))
        archive.writestr("code.csv", _csv(headers["code"], _code_rows()))
        for name in HEADERS:
            if name in ("meta", "code") or name in omit:
                continue
            archive.writestr(f"{name}.csv", _csv(headers[name], rows.get(name, [])))
    return path


def write_update(folder: Path, *, number: int, deletes: dict, inserts: dict, headers: dict | None = None) -> Path:
    """`deletes`: {file: [key, ...]}, `inserts`: {file: [row, ...]}; every file of the layout is written."""
    headers = {**HEADERS, **(headers or {})}
    path = folder / f"KboOpenData_{number:04d}_2026_12_Update.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.csv", _csv(headers["meta"], _meta("update", number)))
        archive.writestr("code.csv", _csv(headers["code"], _code_rows()))
        for name, key in KEYS.items():
            archive.writestr(f"{name}_delete.csv", _csv([key], [[k] for k in deletes.get(name, [])]))
            archive.writestr(f"{name}_insert.csv", _csv(headers[name], inserts.get(name, [])))
    return path
