"""Constants, the subsidy rule in cents, the published tables in the shapes the derivation
uses (from ``data/published_526.json``), and the inputs that are no published figure."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from cstraject.reference.published import published_526

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
JSON_PATH = DATA_DIR / "antwoord526.json"
CSV_PATH = DATA_DIR / "nace_bel_2008.csv"

SEED = 526
REFERENCE_DATE = dt.date(2022, 4, 30)
CUTOFF_STATUS = dt.date(2022, 3, 31)  # end on or before -> finished
CALL = "CS-2021"
RATE = Decimal("0.45")
VAT = Decimal("1.21")
FACTOR = RATE * VAT  # 0.5445
TRANCHE1 = Decimal("0.60")

C = Decimal("0.01")


def q2(x: Decimal) -> Decimal:
    return x.quantize(C, rounding=ROUND_HALF_UP)


def subsidy_for_quote_cents(q_cents: int) -> int:
    """Subsidy in cents for a quote (excl. VAT) in cents: ROUND_HALF_UP(0.45 x q x 1.21)."""
    return int((Decimal(q_cents) * FACTOR).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def quote_for_subsidy_cents(a_cents: int) -> int:
    """Smallest quote in cents whose subsidy is exactly a_cents (always exists: 0.5445 < 1)."""
    q = int(((Decimal(a_cents) - Decimal("0.5")) / FACTOR).to_integral_value(rounding="ROUND_CEILING"))
    while subsidy_for_quote_cents(q) < a_cents:
        q += 1
    assert subsidy_for_quote_cents(q) == a_cents, a_cents
    return q


def money(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(C))


def cents(s: str | Decimal) -> int:
    return int((Decimal(s) * 100).to_integral_value())


# --------------------------------------------------------------------------------------
# Published tables (answer 526), read from data/published_526.json
# --------------------------------------------------------------------------------------
_PUBLISHED = published_526()
PROVINCES = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]
PROVINCE_TABLE = _PUBLISHED.province
YEAR_TOTAL = _PUBLISHED.total
PUBLISHED_ROUNDED_TOTAL = _PUBLISHED.total_printed_rounded

SIZES = ["micro", "klein", "middelgroot"]
SIZE_TABLE = _PUBLISHED.size  # count, published amount in whole euros (rounded)

PACKAGES = ["BASIS", "LIGHT", "BASIS+UITBREIDING", "LIGHT+UITBREIDING"]
PACKAGE_TABLE = _PUBLISHED.packages
# quote ranges (EUR excl. VAT) per package combination
BASIS_RANGE = (25000, 30000)
LIGHT_RANGE = (15000, 20000)
UITBR_RANGE = (3000, 20000)
PACKAGE_QUOTE_RANGE = {
    "BASIS": BASIS_RANGE,
    "LIGHT": LIGHT_RANGE,
    "BASIS+UITBREIDING": (BASIS_RANGE[0] + UITBR_RANGE[0], BASIS_RANGE[1] + UITBR_RANGE[1]),
    "LIGHT+UITBREIDING": (LIGHT_RANGE[0] + UITBR_RANGE[0], LIGHT_RANGE[1] + UITBR_RANGE[1]),
}

# NACE table: (code, label as published with double spaces fixed, [(year, count, amount)])
# The 2021 rows "Overige adviesbureaus ..." (6 / 97,481.15, label with a double space) and
# (1 / 13,694.18) are the same code 70.220 and are merged here (7 / 111,175.33).
# Single-column rows are 2021 except the three identified as 2022 (see derivation note).

# NACE table: (code, label as published with double spaces fixed, [(year, count, amount)])
# The 2021 rows "Overige adviesbureaus ..." (6 / 97,481.15, label with a double space) and
# (1 / 13,694.18) are the same code 70.220 and are merged (7 / 111,175.33).
# Single-column rows are 2021 except the three identified as 2022 (see derivation note).
NACE_TABLE = _PUBLISHED.sectors
# The published rows exactly as printed (for the check of the two 70.220 rows).
PUBLISHED_70220_2021_ROWS = _PUBLISHED.sector_70220_2021_as_printed

# NACE-BEL 2008 division labels (afdelingen) used.
DIVISIONS = {
    "10": "Vervaardiging van voedingsmiddelen",
    "17": "Vervaardiging van papier en papierwaren",
    "20": "Vervaardiging van chemische producten",
    "24": "Vervaardiging van metalen in primaire vorm",
    "26": "Vervaardiging van informaticaproducten en van elektronische en optische producten",
    "28": "Vervaardiging van machines, apparaten en werktuigen, n.e.g.",
    "42": "Weg- en waterbouw",
    "45": "Groot- en detailhandel in en onderhoud en reparatie van motorvoertuigen en motorfietsen",
    "46": "Groothandel en handelsbemiddeling, met uitzondering van de handel in motorvoertuigen en motorfietsen",
    "47": "Detailhandel, met uitzondering van de handel in auto's en motorfietsen",
    "58": "Uitgeverijen",
    "62": "Ontwerpen en programmeren van computerprogramma's, computerconsultancy-activiteiten en aanverwante activiteiten",
    "63": "Dienstverlenende activiteiten op het gebied van informatie",
    "64": "Financiële dienstverlening, met uitzondering van verzekeringen en pensioenfondsen",
    "69": "Rechtskundige en boekhoudkundige dienstverlening",
    "70": "Activiteiten van hoofdkantoren; adviesbureaus op het gebied van bedrijfsbeheer",
    "72": "Speur- en ontwikkelingswerk op wetenschappelijk gebied",
    "73": "Reclamewezen en marktonderzoek",
    "80": "Beveiligings- en opsporingsdiensten",
    "81": "Diensten in verband met gebouwen; landschapsverzorging",
    "82": "Administratieve en ondersteunende activiteiten ten behoeve van kantoren en overige zakelijke activiteiten",
    "85": "Onderwijs",
    "86": "Menselijke gezondheidszorg",
}

# Codes of the two refused (large) applicants: not in any published grant table.
REFUSED_NACE = ["46460", "10890"]
REFUSED_LABELS = {
    "46460": "Groothandel in farmaceutische producten",
    "10890": "Vervaardiging van overige voedingsmiddelen, n.e.g.",
}
DIVISIONS.setdefault("10", "Vervaardiging van voedingsmiddelen")

# Real postal codes / municipalities per province.
POSTAL = {
    "Antwerpen": [
        ("2000", "Antwerpen"),
        ("2200", "Herentals"),
        ("2300", "Turnhout"),
        ("2400", "Mol"),
        ("2500", "Lier"),
        ("2550", "Kontich"),
        ("2640", "Mortsel"),
        ("2800", "Mechelen"),
        ("2900", "Schoten"),
        ("2930", "Brasschaat"),
        ("2440", "Geel"),
        ("2650", "Edegem"),
        ("2830", "Willebroek"),
        ("2850", "Boom"),
        ("2980", "Zoersel"),
        ("2240", "Zandhoven"),
        ("2260", "Westerlo"),
        ("2220", "Heist-op-den-Berg"),
        ("2960", "Brecht"),
    ],
    "Limburg": [
        ("3500", "Hasselt"),
        ("3600", "Genk"),
        ("3700", "Tongeren"),
        ("3800", "Sint-Truiden"),
        ("3580", "Beringen"),
        ("3590", "Diepenbeek"),
        ("3630", "Maasmechelen"),
        ("3550", "Heusden-Zolder"),
    ],
    "Oost-Vlaanderen": [
        ("9000", "Gent"),
        ("9100", "Sint-Niklaas"),
        ("9200", "Dendermonde"),
        ("9300", "Aalst"),
        ("9400", "Ninove"),
        ("9500", "Geraardsbergen"),
        ("9600", "Ronse"),
        ("9700", "Oudenaarde"),
        ("9800", "Deinze"),
        ("9820", "Merelbeke"),
        ("9900", "Eeklo"),
        ("9940", "Evergem"),
        ("9160", "Lokeren"),
        ("9230", "Wetteren"),
        ("9140", "Temse"),
        ("9120", "Beveren"),
        ("9880", "Aalter"),
        ("9070", "Destelbergen"),
    ],
    "Vlaams-Brabant": [
        ("3000", "Leuven"),
        ("3020", "Herent"),
        ("3070", "Kortenberg"),
        ("3080", "Tervuren"),
        ("3300", "Tienen"),
        ("3200", "Aarschot"),
        ("3290", "Diest"),
        ("1500", "Halle"),
        ("1700", "Dilbeek"),
        ("1730", "Asse"),
        ("1800", "Vilvoorde"),
        ("1830", "Machelen"),
        ("1930", "Zaventem"),
        ("1850", "Grimbergen"),
        ("1650", "Beersel"),
        ("3090", "Overijse"),
        ("1840", "Londerzeel"),
    ],
    "West-Vlaanderen": [
        ("8000", "Brugge"),
        ("8300", "Knokke-Heist"),
        ("8400", "Oostende"),
        ("8500", "Kortrijk"),
        ("8530", "Harelbeke"),
        ("8560", "Wevelgem"),
        ("8700", "Tielt"),
        ("8800", "Roeselare"),
        ("8870", "Izegem"),
        ("8900", "Ieper"),
        ("8790", "Waregem"),
        ("8820", "Torhout"),
        ("8020", "Oostkamp"),
        ("8930", "Menen"),
    ],
}


def province_of_postal(pc: str) -> str | None:
    n = int(pc)
    if 2000 <= n <= 2999:
        return "Antwerpen"
    if 3500 <= n <= 3999:
        return "Limburg"
    if 9000 <= n <= 9999:
        return "Oost-Vlaanderen"
    if 1500 <= n <= 1999 or 3000 <= n <= 3499:
        return "Vlaams-Brabant"
    if 8000 <= n <= 8999:
        return "West-Vlaanderen"
    return None
