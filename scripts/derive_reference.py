#!/usr/bin/env python3
"""Derive the synthetic reference dataset for answer 526 (cybersecurity verbetertrajecten).

What it does
------------
Builds 72 synthetic dossiers of the call CS-2021 (60 grants decided in 2021, 10 decided
in 2022, 2 applications refused in 2021 because the company was no SME) such that every
table published in the answer to written question 526 (Flemish Parliament, 1 April 2022)
comes out exactly when the grants are aggregated by year of the approval decision:

* province x year: count and amount to the cent;
* size class x year: count exact, amount rounding (half up) to the published euro figure,
  per-class amounts summing exactly to the exact year total;
* NACE activity x year: count and amount to the cent (the two "Overige adviesbureaus ..."
  rows of 2021, which differ only by a space, are one code 70.220);
* package x year counts.

Integer programs (PuLP + its bundled CBC solver) assign to every grant a province, a size
class, a package and an amount in cents, in three steps that are each solved in seconds:
(1) packages and provinces with continuous amounts, (2) size classes with continuous
amounts, (3) integer amounts in cents with everything else fixed.  Amounts are free only
inside NACE groups holding several grants (single-grant NACE rows keep their published
amount); within such a group all but the last grant get a "round" quote (a multiple of
EUR 20 excl. VAT, i.e. a subsidy that is a multiple of EUR 10.89), the last takes the rest.
The size table leaves little room: in 2021 the three class amounts must lie in
[x - 0.50, x + 0.49] around 400,314 / 344,229 / 191,216 and sum to 935,757.61, whose lower
bounds already add up to 935,757.50, so only 11 cents of slack exist in total.
Everything else (companies, accounts, providers, dates, performance statements, payments)
is generated with a fixed random seed, so running the script twice gives identical files.

Writes (and only these):
  src/cstraject/reference/data/antwoord526.json
  src/cstraject/reference/data/nace_bel_2008.csv

Afterwards it re-reads the JSON and verifies every published table with pure Python
(Decimal), prints a per-table check and exits non-zero on any mismatch.

Requires: ``pip install pulp`` (CBC ships inside the wheel).
Run from anywhere: ``python scripts/derive_reference.py``.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import random
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "src" / "cstraject" / "reference" / "data"
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
# Published tables (answer 526)
# --------------------------------------------------------------------------------------
PROVINCES = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]
PROVINCE_TABLE = {
    2021: {
        "Antwerpen": (24, "373733.00"),
        "Limburg": (5, "69253.60"),
        "Oost-Vlaanderen": (14, "241430.34"),
        "Vlaams-Brabant": (11, "158361.17"),
        "West-Vlaanderen": (6, "92979.50"),
    },
    2022: {
        "Antwerpen": (2, "26119.67"),
        "Oost-Vlaanderen": (4, "42688.80"),
        "Vlaams-Brabant": (3, "47268.73"),
        "West-Vlaanderen": (1, "16335.00"),
    },
}
YEAR_TOTAL = {2021: (60, "935757.61"), 2022: (10, "132412.20")}
PUBLISHED_ROUNDED_TOTAL = {2021: 935758, 2022: 132412}

SIZES = ["micro", "klein", "middelgroot"]
SIZE_TABLE = {  # count, published amount in whole euros (rounded)
    2021: {"micro": (27, 400314), "klein": (21, 344229), "middelgroot": (12, 191216)},
    2022: {"micro": (5, 66588), "klein": (3, 47475), "middelgroot": (2, 18350)},
}

PACKAGES = ["BASIS", "LIGHT", "BASIS+UITBREIDING", "LIGHT+UITBREIDING"]
PACKAGE_TABLE = {
    2021: {"BASIS": 50, "LIGHT": 5, "BASIS+UITBREIDING": 4, "LIGHT+UITBREIDING": 1},
    2022: {"BASIS": 4, "LIGHT": 5, "BASIS+UITBREIDING": 1, "LIGHT+UITBREIDING": 0},
}
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
NACE_TABLE = [
    ("69102", "Activiteiten van notarissen", [(2021, 1, "13694.18")]),
    ("85592", "Beroepsopleiding", [(2021, 1, "16128.77")]),
    ("42220", "Bouw van civieltechnische werken voor elektriciteit en telecommunicatie", [(2021, 1, "16335.00")]),
    ("62020", "Computerconsultancy-activiteiten", [(2021, 4, "62171.69"), (2022, 2, "32272.52")]),
    (
        "47410",
        "Detailhandel in computers, randapparatuur en software in gespecialiseerde winkels",
        [(2021, 2, "28552.22")],
    ),
    ("47620", "Detailhandel in kranten en kantoorbehoeften in gespecialiseerde winkels", [(2021, 1, "13694.18")]),
    ("81100", "Diverse ondersteunende activiteiten ten behoeve van voorzieningen", [(2021, 1, "16335.00")]),
    ("63110", "Gegevensverwerking, webhosting en aanverwante activiteiten", [(2021, 1, "16335.00")]),
    ("46389", "Groothandel in andere voedingsmiddelen, n.e.g.", [(2021, 1, "13694.18")]),
    ("45111", "Groothandel in auto's en lichte bestelwagens (< of = 3,5 ton)", [(2021, 1, "13694.18")]),
    ("46693", "Groothandel in elektrisch materiaal, inclusief installatiemateriaal", [(2021, 2, "31907.70")]),
    ("46432", "Groothandel in foto- en filmapparatuur en in andere optische artikelen", [(2021, 1, "15000.71")]),
    ("46311", "Groothandel in groenten en fruit, m.u.v. consumptieaardappelen", [(2021, 2, "29648.03")]),
    ("64200", "Holdings", [(2021, 1, "15953.85")]),
    ("73200", "Markt- en opinieonderzoekbureaus", [(2021, 1, "26843.85")]),
    ("62010", "Ontwerpen en programmeren van computerprogramma's", [(2021, 15, "218151.21"), (2022, 2, "39231.23")]),
    ("72190", "Overig speur- en ontwikkelingswerk op natuurwetenschappelijk gebied", [(2021, 2, "39144.11")]),
    (
        "70220",
        "Overige adviesbureaus op het gebied van bedrijfsbeheer; adviesbureaus op het gebied van bedrijfsvoering",
        [(2021, 7, "111175.33"), (2022, 1, "9801.00")],
    ),
    (
        "62090",
        "Overige diensten op het gebied van informatietechnologie en computer",
        [(2021, 4, "63846.71"), (2022, 2, "24514.07")],
    ),
    ("86909", "Overige menselijke gezondheidszorg, n.e.g.", [(2021, 1, "22825.44")]),
    ("58290", "Overige uitgeverijen van software", [(2021, 2, "32670.00")]),
    ("85599", "Overige vormen van onderwijs", [(2021, 1, "9136.17")]),
    ("82990", "Overige zakelijke dienstverlening, n.e.g.", [(2021, 1, "15953.85")]),
    ("80100", "Particuliere beveiliging", [(2021, 1, "14853.96")]),
    ("58130", "Uitgeverijen van kranten", [(2021, 1, "13694.18")]),
    ("82920", "Verpakkingsbedrijven", [(2021, 1, "16128.77")]),
    ("20590", "Vervaardiging van andere chemische producten, n.e.g.", [(2021, 1, "19641.20")]),
    (
        "28990",
        "Vervaardiging van andere machines, apparaten en werktuigen voor specifieke doeleinden, n.e.g.",
        [(2021, 1, "14853.96")],
    ),
    ("26110", "Vervaardiging van elektronische onderdelen", [(2022, 1, "9801.00")]),
    ("24100", "Vervaardiging van ijzer en staal en van ferrolegeringen", [(2022, 1, "8548.65")]),
    ("17120", "Vervaardiging van papier en karton", [(2022, 1, "8243.73")]),
    ("10910", "Vervaardiging van veevoeders", [(2021, 1, "13694.18")]),
]
# The published rows exactly as printed (for the check of the two 70.220 rows).
PUBLISHED_70220_2021_ROWS = [(6, "97481.15"), (1, "13694.18")]

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


# --------------------------------------------------------------------------------------
# Integer program
# --------------------------------------------------------------------------------------
NICE = 1089  # subsidy cents of a EUR 20 quote: 0.5445 x 2000


def _slots():
    slots = []  # one per grant: year, NACE code, group, fixed amount (single-grant rows) or None
    for code, _label, entries in NACE_TABLE:
        for year, n, amount in entries:
            for i in range(n):
                slots.append(
                    {
                        "year": year,
                        "nace": code,
                        "group": (code, year),
                        "idx": i,
                        "n": n,
                        "fixed": cents(amount) if n == 1 else None,
                        "group_total": cents(amount),
                    }
                )
    return slots


def _bounds(year):
    pks = [pk for pk in PACKAGES if PACKAGE_TABLE[year][pk] > 0]
    lo = {pk: subsidy_for_quote_cents(PACKAGE_QUOTE_RANGE[pk][0] * 100) for pk in pks}
    hi = {pk: subsidy_for_quote_cents(PACKAGE_QUOTE_RANGE[pk][1] * 100) for pk in pks}
    return pks, lo, hi


def _cbc():
    import pulp

    return pulp.PULP_CBC_CMD(msg=0, threads=1)


def _add_group_totals(prob, slots, a):
    """Each NACE row split over several grants keeps its published total."""
    import pulp

    groups = defaultdict(list)
    for s, sl in enumerate(slots):
        groups[sl["group"]].append(s)
    for members in groups.values():
        if slots[members[0]]["fixed"] is None:
            prob += pulp.lpSum(a[s] for s in members) == slots[members[0]]["group_total"]


def _stage1(slots):
    """Packages and provinces (binaries) with continuous amounts: group sums, province sums,
    package counts and package amount ranges."""
    import pulp

    prob = pulp.LpProblem("stage1", pulp.LpMinimize)
    x, z, a, ap = {}, {}, {}, {}
    big = 3_000_000
    for s, sl in enumerate(slots):
        yr = sl["year"]
        provs = list(PROVINCE_TABLE[yr])
        pks, lo, hi = _bounds(yr)
        for p in provs:
            x[s, p] = pulp.LpVariable(f"x_{s}_{p.replace('-', '_')}", cat="Binary")
        for pk in pks:
            z[s, pk] = pulp.LpVariable(f"z_{s}_{pk.replace('+', '_')}", cat="Binary")
        prob += pulp.lpSum(x[s, p] for p in provs) == 1
        prob += pulp.lpSum(z[s, pk] for pk in pks) == 1
        if sl["fixed"] is not None:
            a[s] = sl["fixed"]
            for p in provs:
                ap[s, p] = a[s] * x[s, p]
        else:
            a[s] = pulp.LpVariable(f"a_{s}", lowBound=0, upBound=big)
            for p in provs:
                ap[s, p] = pulp.LpVariable(f"ap_{s}_{p.replace('-', '_')}", lowBound=0)
                prob += ap[s, p] <= big * x[s, p]
            prob += pulp.lpSum(ap[s, p] for p in provs) == a[s]
        prob += a[s] >= pulp.lpSum(lo[pk] * z[s, pk] for pk in pks)
        prob += a[s] <= pulp.lpSum(hi[pk] * z[s, pk] for pk in pks)
    groups = defaultdict(list)
    for s, sl in enumerate(slots):
        groups[sl["group"]].append(s)
    for members in groups.values():
        if slots[members[0]]["fixed"] is None:
            prob += pulp.lpSum(a[s] for s in members) == slots[members[0]]["group_total"]
            for s1, s2 in zip(members, members[1:]):  # symmetry breaking
                prob += a[s1] >= a[s2]
    for yr in (2021, 2022):
        ys = [s for s, sl in enumerate(slots) if sl["year"] == yr]
        for p, (n, amt) in PROVINCE_TABLE[yr].items():
            prob += pulp.lpSum(x[s, p] for s in ys) == n
            prob += pulp.lpSum(ap[s, p] for s in ys) == cents(amt)
        for pk, n in PACKAGE_TABLE[yr].items():
            if n > 0:
                prob += pulp.lpSum(z[s, pk] for s in ys) == n
    prob += pulp.lpSum([])
    status = prob.solve(_cbc())
    if pulp.LpStatus[status] != "Optimal":
        raise SystemExit(f"stage 1 not solved: {pulp.LpStatus[status]}")
    prov = {s: next(p for p in PROVINCE_TABLE[sl["year"]] if x[s, p].value() > 0.5) for s, sl in enumerate(slots)}
    pack = {s: next(pk for pk in PACKAGES if (s, pk) in z and z[s, pk].value() > 0.5) for s, sl in enumerate(slots)}
    return prov, pack


def _stage2(slots, prov, pack, size, integer=True, nice=False):
    """All classifications fixed: find amounts in cents (LP check if integer=False)."""
    import pulp

    prob = pulp.LpProblem("stage2", pulp.LpMinimize)
    a = {}
    cat = "Integer" if integer else "Continuous"
    for s, sl in enumerate(slots):
        _pks, lo, hi = _bounds(sl["year"])
        pk = pack[s]
        if sl["fixed"] is not None:
            a[s] = sl["fixed"]
            if not (lo[pk] <= a[s] <= hi[pk]):
                return None
            continue
        if nice and sl["idx"] < sl["n"] - 1:
            # a "round" quote: a multiple of EUR 20 excl. VAT gives a multiple of EUR 10.89 subsidy
            kv = pulp.LpVariable(f"k_{s}", lowBound=-(-lo[pk] // NICE), upBound=hi[pk] // NICE, cat=cat)
            a[s] = NICE * kv
        else:
            a[s] = pulp.LpVariable(f"a_{s}", lowBound=lo[pk], upBound=hi[pk], cat=cat)
    _add_group_totals(prob, slots, a)
    for yr in (2021, 2022):
        ys = [s for s, sl in enumerate(slots) if sl["year"] == yr]
        for p, (_n, amt) in PROVINCE_TABLE[yr].items():
            prob += pulp.lpSum(a[s] for s in ys if prov[s] == p) == cents(amt)
        for c, (_n, eur) in SIZE_TABLE[yr].items():
            # rounds half up to the published euro: [eur - 0.50, eur + 0.49]
            prob += pulp.lpSum(a[s] for s in ys if size[s] == c) >= eur * 100 - 50
            prob += pulp.lpSum(a[s] for s in ys if size[s] == c) <= eur * 100 + 49
    prob += pulp.lpSum([])
    status = prob.solve(_cbc())
    if pulp.LpStatus[status] != "Optimal":
        return None
    return {s: (v if isinstance(v, int) else int(round(v.value()))) for s, v in a.items()}


def _stage1b(slots, prov, pack):
    """Size classes (binaries) with continuous amounts, provinces and packages fixed."""
    import pulp

    prob = pulp.LpProblem("stage1b", pulp.LpMinimize)
    y, a, ay = {}, {}, {}
    big = 3_000_000
    for s, sl in enumerate(slots):
        _pks, lo, hi = _bounds(sl["year"])
        for c in SIZES:
            y[s, c] = pulp.LpVariable(f"y_{s}_{c}", cat="Binary")
        prob += pulp.lpSum(y[s, c] for c in SIZES) == 1
        if sl["fixed"] is not None:
            a[s] = sl["fixed"]
            for c in SIZES:
                ay[s, c] = a[s] * y[s, c]
        else:
            a[s] = pulp.LpVariable(f"a_{s}", lowBound=lo[pack[s]], upBound=hi[pack[s]])
            for c in SIZES:
                ay[s, c] = pulp.LpVariable(f"ay_{s}_{c}", lowBound=0)
                prob += ay[s, c] <= big * y[s, c]
            prob += pulp.lpSum(ay[s, c] for c in SIZES) == a[s]
    _add_group_totals(prob, slots, a)
    for yr in (2021, 2022):
        ys = [s for s, sl in enumerate(slots) if sl["year"] == yr]
        for p, (_n, amt) in PROVINCE_TABLE[yr].items():
            prob += pulp.lpSum(a[s] for s in ys if prov[s] == p) == cents(amt)
        for c, (n, eur) in SIZE_TABLE[yr].items():
            prob += pulp.lpSum(y[s, c] for s in ys) == n
            prob += pulp.lpSum(ay[s, c] for s in ys) >= eur * 100 - 50
            prob += pulp.lpSum(ay[s, c] for s in ys) <= eur * 100 + 49
    prob += pulp.lpSum([])
    status = prob.solve(_cbc())
    if pulp.LpStatus[status] != "Optimal":
        raise SystemExit(f"stage 1b not solved: {pulp.LpStatus[status]}")
    return {s: next(c for c in SIZES if y[s, c].value() > 0.5) for s in range(len(slots))}


def solve_assignment():
    slots = _slots()
    prov, pack = _stage1(slots)
    size = _stage1b(slots, prov, pack)
    amounts = _stage2(slots, prov, pack, size, integer=True, nice=True) or _stage2(
        slots, prov, pack, size, integer=True, nice=False
    )
    if amounts is None:
        raise SystemExit("stage 2 (integer amounts) infeasible")
    return [
        {
            "year": sl["year"],
            "nace": sl["nace"],
            "amount": amounts[s],
            "province": prov[s],
            "size": size[s],
            "package": pack[s],
        }
        for s, sl in enumerate(slots)
    ]


# --------------------------------------------------------------------------------------
# Synthetic attributes
# --------------------------------------------------------------------------------------
NAME_FIRST = [
    "Aalmoes",
    "Beukenhof",
    "Blauwvink",
    "Brugwachter",
    "Dijkgraaf",
    "Duinroos",
    "Eikelaar",
    "Elzenhoek",
    "Galgenberg",
    "Geluwse",
    "Goudvink",
    "Hazelaar",
    "Heidebloem",
    "Hoevenaar",
    "IJsvogel",
    "Kapelhof",
    "Kastanjelaar",
    "Kempenzand",
    "Kievitsveld",
    "Klaproos",
    "Korenbloem",
    "Kraaienest",
    "Leiestroom",
    "Lindehof",
    "Maasoever",
    "Meersbloem",
    "Molenwiek",
    "Netevallei",
    "Notelaar",
    "Oeverzwaluw",
    "Olmenhof",
    "Paardenbloem",
    "Polderwind",
    "Reigersbos",
    "Rietkraag",
    "Scheldezicht",
    "Schorrenland",
    "Sparrenhof",
    "Steenuil",
    "Ternatse",
    "Torenvalk",
    "Vlasbloem",
    "Vossenhol",
    "Waaslandse",
    "Wilgenrijk",
    "Zandloper",
    "Zeebries",
    "Zilverberk",
    "Zonnewende",
    "Zwaluwnest",
    "Berkenrode",
    "Dommelhof",
    "Demervallei",
    "Grensland",
    "Hagelander",
    "Kouterveld",
    "Lampernisse",
    "Mandelhoek",
    "Nethebrug",
    "Ooievaar",
    "Pajottse",
    "Rupelhoek",
    "Stropersbos",
    "Uilenspiegelhof",
    "Vijverhof",
    "Walenhoek",
    "Yzerboord",
    "Zuunvallei",
    "Boterbloem",
    "Dennenhof",
    "Egelantier",
    "Fazantenhof",
    "Grasmus",
    "Haverveld",
]
NAME_SECTOR = {
    "62": ["Software", "Softwarebouw", "Codeerwerk", "Applicaties"],
    "63": ["Hosting", "Datadiensten"],
    "58": ["Uitgeverij", "Media"],
    "69": ["Notariaat"],
    "64": ["Holding", "Participaties"],
    "70": ["Consult", "Advies", "Managementadvies"],
    "72": ["Research", "Labo"],
    "73": ["Marktonderzoek"],
    "80": ["Beveiliging"],
    "81": ["Facility"],
    "82": ["Services", "Verpakking"],
    "85": ["Academie", "Opleidingen"],
    "86": ["Zorg"],
    "42": ["Infrabouw"],
    "45": ["Automobiel"],
    "46": ["Groothandel", "Distributie", "Trading"],
    "47": ["Winkel", "Shop"],
    "10": ["Voeders", "Voeding"],
    "17": ["Papier"],
    "20": ["Chemie"],
    "24": ["Staal"],
    "26": ["Elektronica"],
    "28": ["Machinebouw"],
}

SIZE_RULES = {  # headcount range (FTE), turnover range, balance range (EUR)
    "micro": ((1.5, 9.5), (150_000, 1_900_000), (120_000, 1_800_000)),
    "klein": ((10.5, 48.5), (2_300_000, 9_500_000), (1_400_000, 9_000_000)),
    "middelgroot": ((52.0, 240.0), (10_800_000, 47_000_000), (7_000_000, 40_000_000)),
    "groot": ((310.0, 780.0), (62_000_000, 240_000_000), (48_000_000, 180_000_000)),
}


def classify(headcount: Decimal, turnover: Decimal, balance: Decimal) -> str:
    """EU SME definition (Recommendation 2003/361), single year."""
    if headcount < 10 and (turnover <= 2_000_000 or balance <= 2_000_000):
        return "micro"
    if headcount < 50 and (turnover <= 10_000_000 or balance <= 10_000_000):
        return "klein"
    if headcount < 250 and (turnover <= 50_000_000 or balance <= 43_000_000):
        return "middelgroot"
    return "groot"


def enterprise_number(rng: random.Random, used: set) -> str:
    while True:
        base = rng.randint(4_000_000, 8_999_999)  # 0 + 7 digits -> first eight digits
        chk = 97 - (base % 97)
        num = f"0{base:07d}{chk:02d}"
        if num not in used:
            used.add(num)
            return num


def valid_enterprise_number(num: str) -> bool:
    return len(num) == 10 and num.isdigit() and num[0] in "01" and 97 - (int(num[:8]) % 97) == int(num[8:])


def make_accounts(rng: random.Random, size: str, year: int):
    (h0, h1), (t0, t1), (b0, b1) = SIZE_RULES[size]
    h = rng.uniform(h0, h1)
    t = rng.uniform(t0, t1)
    b = rng.uniform(b0, b1)
    rows = []
    for yr in (year - 1, year):
        f = 1.0 if yr == year else rng.uniform(0.88, 1.0)
        hh = Decimal(str(round(max(h0, min(h1, h * f)) * 2) / 2)).quantize(Decimal("0.1"))
        tt = Decimal(int(max(t0, min(t1, t * f)) / 10) * 10)
        bb = Decimal(int(max(b0, min(b1, b * rng.uniform(0.92, 1.0) if yr != year else b)) / 10) * 10)
        eq = Decimal(int(float(bb) * rng.uniform(0.15, 0.45) / 10) * 10)
        assert classify(hh, tt, bb) == size, (size, hh, tt, bb)
        rows.append(
            {
                "year": yr,
                "headcount": str(hh),
                "turnover": money(int(tt) * 100),
                "balance_sheet_total": money(int(bb) * 100),
                "equity": money(int(eq) * 100),
            }
        )
    return rows


def add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    yr = d.year + m // 12
    mo = m % 12 + 1
    return dt.date(yr, mo, min(d.day, calendar.monthrange(yr, mo)[1]))


def weekday_forward(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def weekday_backward(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def quarter_of(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_end(yq: tuple[int, int]) -> dt.date:
    yr, q = yq
    mo = q * 3
    return dt.date(yr, mo, calendar.monthrange(yr, mo)[1])


def next_quarter(yq):
    yr, q = yq
    return (yr + 1, 1) if q == 4 else (yr, q + 1)


def qlabel(yq) -> str:
    return f"{yq[0]}Q{yq[1]}"


def split_quote(rng: random.Random, package: str, q_cents: int):
    """Split the quote into package lines (cents) with man-days."""

    def md(lo, hi, frac):
        return Decimal(str(round((lo + (hi - lo) * frac) * 2) / 2)).quantize(Decimal("0.1"))

    if package in ("BASIS", "LIGHT"):
        lo, hi = BASIS_RANGE if package == "BASIS" else LIGHT_RANGE
        frac = max(0.0, min(1.0, (q_cents / 100 - lo) / (hi - lo)))
        days = md(20, 25, frac) if package == "BASIS" else md(12, 16, frac)
        return [(package, q_cents, days)]
    main = "BASIS" if package.startswith("BASIS") else "LIGHT"
    lo, hi = BASIS_RANGE if main == "BASIS" else LIGHT_RANGE
    u_lo, u_hi = UITBR_RANGE
    total = q_cents
    # main line: a round amount (multiple of EUR 250) within its range, rest is uitbreiding
    max_main = min(hi * 100, total - u_lo * 100)
    min_main = max(lo * 100, total - u_hi * 100)
    assert min_main <= max_main, (package, q_cents)
    cand = [v for v in range(lo * 100, hi * 100 + 1, 25000) if min_main <= v <= max_main]
    main_c = rng.choice(cand) if cand else max_main
    u_c = total - main_c
    fm = (main_c / 100 - lo) / (hi - lo)
    fu = (u_c / 100 - u_lo) / (u_hi - u_lo)
    d_main = md(20, 25, fm) if main == "BASIS" else md(12, 16, fm)
    return [(main, main_c, d_main), ("UITBREIDING", u_c, md(5, 8, max(0.0, min(1.0, fu))))]


# --------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------
def build():
    assign = solve_assignment()
    rng = random.Random(SEED)
    used_numbers: set[str] = set()

    providers = []
    for code in "ABCDEFGHI":
        providers.append(
            {"code": code, "name": f"Dienstverlener {code}", "enterprise_number": enterprise_number(rng, used_numbers)}
        )
    uitbr_providers = ["A", "C", "E", "G"]  # providers that offer an uitbreidingspakket

    # order the grants deterministically, then draw dates
    assign.sort(key=lambda d: (d["year"], d["nace"], -d["amount"], d["province"], d["size"], d["package"]))
    dossiers_raw = []
    for d in assign:
        if d["year"] == 2021:
            if "LIGHT" in d["package"]:
                decided = dt.date(2021, 9, 20) + dt.timedelta(days=rng.randint(0, 95))
            else:
                decided = dt.date(2021, 2, 1) + dt.timedelta(days=rng.randint(0, 330))
        else:
            decided = dt.date(2022, 1, 24) + dt.timedelta(days=rng.randint(0, 66))
        decided = weekday_forward(decided)
        submitted = weekday_backward(decided - dt.timedelta(days=rng.randint(14, 26)))
        if d["year"] == 2022 and submitted < dt.date(2022, 1, 3):
            submitted = dt.date(2022, 1, 3)  # 2022 applications: filed in 2022 (accounts 2021 closed)
        if d["year"] == 2021 and "LIGHT" in d["package"] and submitted < dt.date(2021, 9, 1):
            submitted = weekday_forward(dt.date(2021, 9, 1) + dt.timedelta(days=rng.randint(0, 5)))
            decided = weekday_forward(submitted + dt.timedelta(days=rng.randint(14, 26)))
        assert decided.year == d["year"]
        dossiers_raw.append(dict(d, submitted=submitted, decided=decided))
    # the two refused applications (2021, large companies)
    for i in range(2):
        decided = weekday_forward(dt.date(2021, 4, 12) + dt.timedelta(days=rng.randint(0, 150)))
        submitted = weekday_backward(decided - dt.timedelta(days=rng.randint(14, 26)))
        dossiers_raw.append(
            {
                "year": 2021,
                "nace": REFUSED_NACE[i],
                "amount": None,
                "province": ["Antwerpen", "Oost-Vlaanderen"][i],
                "size": "groot",
                "package": "BASIS",
                "submitted": submitted,
                "decided": decided,
                "refused": True,
            }
        )
    dossiers_raw.sort(key=lambda d: (d["submitted"], d["decided"], d["nace"], d["province"]))

    companies, dossiers = [], []
    used_names: set[str] = set()
    first_names = NAME_FIRST[:]
    rng.shuffle(first_names)
    postal_pool = {p: POSTAL[p][:] for p in POSTAL}
    for p in postal_pool:
        rng.shuffle(postal_pool[p])
    postal_idx = defaultdict(int)
    prov_cycle = 0

    for seq, d in enumerate(dossiers_raw, start=1):
        ref = f"CS-2021-{seq:04d}"
        refused = d.get("refused", False)
        # company
        div = d["nace"][:2]
        while True:
            nm = f"{first_names[(seq - 1) % len(first_names)]} {rng.choice(NAME_SECTOR[div])}"
            if nm not in used_names:
                break
            first_names.append(first_names.pop(0))
        used_names.add(nm)
        size = d["size"]
        if size in ("groot", "middelgroot"):
            form = "nv" if rng.random() < 0.7 else "bv"
        elif size == "klein":
            form = rng.choice(["bv", "bv", "bv", "nv", "cv"])
        else:
            form = rng.choice(["bv", "bv", "bv", "bv", "vof", "commv", "cv"])
        pool = postal_pool[d["province"]]
        pc, muni = pool[postal_idx[d["province"]] % len(pool)]
        postal_idx[d["province"]] += 1
        acc_year = 2020 if d["decided"].year == 2021 else 2021
        accounts = make_accounts(rng, size, acc_year)
        company = {
            "enterprise_number": enterprise_number(rng, used_numbers),
            "name": f"{nm}",
            "legal_form": form,
            "nace_code": d["nace"],
            "nace_version": "2008",
            "postal_code": pc,
            "municipality": muni,
            "accounts": accounts,
        }
        companies.append(company)
        basis_acc = accounts[-1]
        size_basis = {
            "accounting_year": acc_year,
            "headcount": basis_acc["headcount"],
            "turnover": basis_acc["turnover"],
            "balance_sheet_total": basis_acc["balance_sheet_total"],
        }

        # provider
        if "UITBREIDING" in d["package"]:
            prov_code = uitbr_providers[seq % len(uitbr_providers)]
        else:
            prov_code = "ABCDEFGHI"[prov_cycle % 9]
            prov_cycle += 1

        # quote
        if refused:
            q_cents = rng.choice([2800000, 2950000, 3000000])
            amount = subsidy_for_quote_cents(q_cents)
        else:
            amount = d["amount"]
            q_cents = quote_for_subsidy_cents(amount)
        lines = split_quote(rng, d["package"], q_cents)
        assert sum(c for _, c, _ in lines) == q_cents
        assert subsidy_for_quote_cents(q_cents) == amount
        quote_lines = [{"package": p, "amount_excl_vat": money(c), "man_days": str(md)} for p, c, md in lines]
        total_md = sum(md for _, _, md in lines)

        rec = {
            "reference": ref,
            "company": company["enterprise_number"],
            "provider": prov_code,
            "call": CALL,
            "quote_lines": quote_lines,
            "subsidy_amount": money(amount),
            "size_class": size,
            "size_basis": size_basis,
            "status": None,
            "submitted_date": d["submitted"].isoformat(),
            "decided_date": d["decided"].isoformat(),
            "started_date": None,
            "finished_date": None,
            "decision_reason": "",
            "statements": [],
            "payments": [],
        }
        if refused:
            rec["status"] = "rejected"
            rec["decision_reason"] = (
                "Geweigerd: de onderneming is geen kmo volgens de Europese definitie "
                "(Aanbeveling 2003/361/EG): meer dan 250 werknemers en zowel de omzet "
                "(> 50 miljoen euro) als het balanstotaal (> 43 miljoen euro) boven de drempels."
            )
            dossiers.append(rec)
            continue

        started = weekday_forward(d["decided"] + dt.timedelta(days=rng.randint(3, 14)))
        months = rng.randint(4, 9)
        end = weekday_forward(add_months(d["decided"], months) + dt.timedelta(days=rng.randint(-5, 5)))
        if end <= started + dt.timedelta(days=100):
            end = started + dt.timedelta(days=100)
        finished = end <= CUTOFF_STATUS
        rec["status"] = "finished" if finished else "in_progress"
        rec["started_date"] = started.isoformat()
        rec["finished_date"] = end.isoformat() if finished else None

        # quarterly performance statements and payments
        t1 = int((Decimal(amount) * TRANCHE1).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        t2 = amount - t1
        paid1 = paid2 = False
        yq = quarter_of(started)
        span = (end - started).days
        while quarter_end(yq) <= CUTOFF_STATUS:
            qe = quarter_end(yq)
            if finished and end <= qe:
                frac_num, frac_den = 1, 1
            else:
                frac_num, frac_den = max(0, (qe - started).days), span
                # never report full delivery before the trajectory is finished
                frac_num = min(frac_num, int(frac_den * 0.97))
            deliv = (q_cents * frac_num) // frac_den
            deliv_md = (Decimal(total_md) * frac_num / frac_den).quantize(Decimal("0.1"), rounding="ROUND_DOWN")
            rec["statements"].append(
                {"quarter": qlabel(yq), "delivered_man_days": str(deliv_md), "delivered_amount": money(deliv)}
            )
            nq = next_quarter(yq)
            pay_date = weekday_forward(dt.date(nq[0], (nq[1] - 1) * 3 + 1, rng.randint(10, 28)))
            if not paid1 and deliv * 100 >= 60 * q_cents:
                rec["payments"].append(
                    {"tranche": 1, "amount": money(t1), "payment_date": pay_date.isoformat(), "quarter": qlabel(yq)}
                )
                paid1 = True
            if paid1 and not paid2 and deliv == q_cents:
                rec["payments"].append(
                    {"tranche": 2, "amount": money(t2), "payment_date": pay_date.isoformat(), "quarter": qlabel(yq)}
                )
                paid2 = True
            if deliv == q_cents:
                break
            yq = nq
        dossiers.append(rec)

    derivation = (
        "Integer programs (PuLP/CBC, scripts/derive_reference.py) assigned to each of the 70 grants a province, "
        "an SME size class, a package and an amount in cents so that the province, size, NACE and package tables "
        "of answer 526 are reproduced by year of decision; single-grant NACE rows keep their published amount, "
        "multi-grant rows were split freely; every amount equals ROUND_HALF_UP(45% x quote x 1.21) of its quote. "
        "Companies, accounts, dates, statements and payments are generated with a fixed seed. "
        "Published inconsistencies: (1) the NACE table lists 70.220 twice for 2021 (6 / 97,481.15 and "
        "1 / 13,694.18, labels differing by one space); merged into one code, 7 / 111,175.33. "
        "(2) The NACE table prints 2022-only single-column rows without year; the rows 'Vervaardiging van "
        "elektronische onderdelen' (9,801.00), 'Vervaardiging van ijzer en staal en van ferrolegeringen' "
        "(8,548.65) and 'Vervaardiging van papier en karton' (8,243.73) are the only combination that completes "
        "2022 to 10 / 132,412.20; with them the NACE table equals the province table exactly (2021: 60 / "
        "935,757.61), so no amount had to be corrected. (3) The size table is rounded to the euro: its rows sum "
        "to 935,759 (2021) and 132,413 (2022) against printed totals 935,758 and 132,412 and exact totals "
        "935,757.61 and 132,412.20; the exact per-class amounts each round (half up) to the published row figure "
        "and sum to the exact total; in 2021 this leaves only 11 cents of slack (lower edges add up to 935,757.50), "
        "giving 400,313.50 / 344,228.50 / 191,215.61 (2022: 66,587.59 / 47,474.96 / 18,349.65). "
        "(4) The NACE grand total for 2021 is printed rounded (935758). "
        "The two refused applications carry in subsidy_amount the aid their quote would give; they are no grants."
    )
    meta = {
        "title": "Synthetische referentiedataset cybersecurity verbetertrajecten (antwoord op schriftelijke vraag 526)",
        "synthetic": True,
        "notice": (
            "Synthetic data: fictional companies and providers; derived so that the published tables of "
            "answer 526 are reproduced exactly. Not real VLAIO records."
        ),
        "source": "Schriftelijke vraag 526 van 1 april 2022 (Andries Gryffroy), antwoord van de minister",
        "derived_by": "scripts/derive_reference.py",
        "derivation": derivation,
        "reference_date": REFERENCE_DATE.isoformat(),
        "call": CALL,
    }
    return {"meta": meta, "providers": providers, "companies": companies, "dossiers": dossiers}


def write_files(data) -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    JSON_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    used = sorted({c["nace_code"] for c in data["companies"]})
    labels = {code: label for code, label, _ in NACE_TABLE}
    labels.update(REFUSED_LABELS)
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(["code", "version", "level", "label_nl"])
    for div in sorted({c[:2] for c in used}):
        wr.writerow([div, "2008", "division", DIVISIONS[div]])
    for code in used:
        wr.writerow([code, "2008", "subclass", labels[code]])
    CSV_PATH.write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Verification (pure Python, from the written JSON)
# --------------------------------------------------------------------------------------
def verify() -> bool:
    data = json.loads(JSON_PATH.read_text(encoding="utf-8"))
    comp = {c["enterprise_number"]: c for c in data["companies"]}
    ok_all = True

    def report(name, ok, detail=""):
        nonlocal ok_all
        ok_all &= ok
        print(f"[{'OK' if ok else 'FAIL'}] {name}{(': ' + detail) if detail else ''}")

    D = Decimal
    grants = [d for d in data["dossiers"] if d["status"] != "rejected"]
    year = lambda d: int(d["decided_date"][:4])  # noqa: E731

    # counts
    report(
        "dossier counts",
        len(data["dossiers"]) == 72
        and len(grants) == 70
        and sum(year(d) == 2021 for d in grants) == 60
        and sum(year(d) == 2022 for d in grants) == 10,
        f"{len(data['dossiers'])} dossiers, {len(grants)} grants",
    )

    # province table
    agg = defaultdict(lambda: [0, D(0)])
    for d in grants:
        p = province_of_postal(comp[d["company"]]["postal_code"])
        agg[year(d), p][0] += 1
        agg[year(d), p][1] += D(d["subsidy_amount"])
    ok = True
    for yr, rows in PROVINCE_TABLE.items():
        for p, (n, amt) in rows.items():
            ok &= agg[yr, p] == [n, D(amt)]
        ok &= all(k[1] in rows for k in agg if k[0] == yr)
        tot = [sum(v[0] for k, v in agg.items() if k[0] == yr), sum((v[1] for k, v in agg.items() if k[0] == yr), D(0))]
        ok &= tot == [YEAR_TOTAL[yr][0], D(YEAR_TOTAL[yr][1])]
    report("province x year (count, amount to the cent, totals)", ok)

    # size table
    agg = defaultdict(lambda: [0, D(0)])
    for d in grants:
        agg[year(d), d["size_class"]][0] += 1
        agg[year(d), d["size_class"]][1] += D(d["subsidy_amount"])
    ok = True
    details = []
    for yr, rows in SIZE_TABLE.items():
        for c, (n, eur) in rows.items():
            n2, amt = agg[yr, c]
            ok &= n2 == n and amt.quantize(D(1), rounding=ROUND_HALF_UP) == eur
            details.append(f"{yr} {c} {n2}/{amt}")
        ok &= sum(agg[yr, c][1] for c in SIZES) == D(YEAR_TOTAL[yr][1])
    report("size class x year (count exact, amount rounds to published euro)", ok, "; ".join(details))

    # size class consistent with the accounts
    ok = True
    for d in data["dossiers"]:
        sb = d["size_basis"]
        acc = {a["year"]: a for a in comp[d["company"]]["accounts"]}[sb["accounting_year"]]
        ok &= all(acc[k] == sb[k] for k in ("headcount", "turnover", "balance_sheet_total"))
        ok &= classify(D(sb["headcount"]), D(sb["turnover"]), D(sb["balance_sheet_total"])) == d["size_class"]
        ok &= sb["accounting_year"] == int(d["decided_date"][:4]) - 1
        ok &= all(D(a["equity"]) > 0 for a in comp[d["company"]]["accounts"])
    report("size class = EU SME definition on the size basis accounts", ok)

    # NACE table
    agg = defaultdict(lambda: [0, D(0)])
    for d in grants:
        agg[year(d), comp[d["company"]]["nace_code"]][0] += 1
        agg[year(d), comp[d["company"]]["nace_code"]][1] += D(d["subsidy_amount"])
    ok = True
    expected = {}
    for code, _label, entries in NACE_TABLE:
        for yr, n, amt in entries:
            expected[yr, code] = [n, D(amt)]
    ok &= dict(agg) == expected
    merged = [sum(n for n, _ in PUBLISHED_70220_2021_ROWS), sum(D(a) for _, a in PUBLISHED_70220_2021_ROWS)]
    ok &= agg[2021, "70220"] == merged
    for yr in (2021, 2022):
        ok &= (
            sum(v[1] for k, v in agg.items() if k[0] == yr).quantize(D(1), rounding=ROUND_HALF_UP)
            == PUBLISHED_ROUNDED_TOTAL[yr]
        )
    report(
        "NACE x year (count, amount to the cent; 70.220 = 6+1 published rows)", ok, f"{len(expected)} code-year rows"
    )

    # package table
    agg = defaultdict(int)
    for d in grants:
        pk = "+".join(ln["package"] for ln in d["quote_lines"])
        agg[year(d), pk] += 1
    ok = all(agg[yr, pk] == n for yr, rows in PACKAGE_TABLE.items() for pk, n in rows.items())
    ok &= sum(agg.values()) == 70
    report("package x year counts", ok, ", ".join(f"{k[0]} {k[1]}={v}" for k, v in sorted(agg.items())))

    # subsidy rule and package plausibility
    ok = True
    for d in data["dossiers"]:
        q = sum(D(ln["amount_excl_vat"]) for ln in d["quote_lines"])
        ok &= q2(RATE * q * VAT) == D(d["subsidy_amount"])
        kinds = [ln["package"] for ln in d["quote_lines"]]
        ok &= kinds in (["BASIS"], ["LIGHT"], ["BASIS", "UITBREIDING"], ["LIGHT", "UITBREIDING"])
        for ln in d["quote_lines"]:
            lo, hi = {"BASIS": BASIS_RANGE, "LIGHT": LIGHT_RANGE, "UITBREIDING": UITBR_RANGE}[ln["package"]]
            ok &= lo <= D(ln["amount_excl_vat"]) <= hi
        if "LIGHT" in kinds:
            ok &= d["submitted_date"] >= "2021-09-01"
    report("subsidy = ROUND_HALF_UP(45% x quote x 1.21) and package ranges", ok)

    # dates, status, statements, payments
    ok = True
    msgs = []
    for d in data["dossiers"]:
        sub, dec = dt.date.fromisoformat(d["submitted_date"]), dt.date.fromisoformat(d["decided_date"])
        ok &= 14 <= (dec - sub).days <= 28
        if d["status"] == "rejected":
            ok &= d["started_date"] is None and not d["payments"] and not d["statements"] and dec.year == 2021
            ok &= d["size_class"] == "groot" and "kmo" in d["decision_reason"]
            continue
        st = dt.date.fromisoformat(d["started_date"])
        ok &= st > dec
        if d["status"] == "finished":
            fin = dt.date.fromisoformat(d["finished_date"])
            ok &= fin <= CUTOFF_STATUS
        else:
            ok &= d["status"] == "in_progress" and d["finished_date"] is None
        q = sum(D(ln["amount_excl_vat"]) for ln in d["quote_lines"])
        prev = D(0)
        for s in d["statements"]:
            da = D(s["delivered_amount"])
            ok &= prev <= da <= q
            prev = da
        sub_amt = D(d["subsidy_amount"])
        t1 = (sub_amt * TRANCHE1).quantize(C, rounding=ROUND_HALF_UP)
        stmts = {s["quarter"]: s for s in d["statements"]}
        for p in d["payments"]:
            s = stmts[p["quarter"]]
            pd = dt.date.fromisoformat(p["payment_date"])
            ok &= pd <= REFERENCE_DATE
            yr, qq = int(p["quarter"][:4]), int(p["quarter"][-1])
            nq = next_quarter((yr, qq))
            ok &= pd.year == nq[0] and pd.month == (nq[1] - 1) * 3 + 1 and pd.day >= 10
            if p["tranche"] == 1:
                ok &= D(p["amount"]) == t1 and D(s["delivered_amount"]) * 100 >= 60 * q
            else:
                ok &= D(p["amount"]) == sub_amt - t1 and D(s["delivered_amount"]) == q
        if d["status"] == "finished":
            ok &= len(d["payments"]) == 2
        if not ok and not msgs:
            msgs.append(d["reference"])
    report("dates, status, statements and payments", ok, ",".join(msgs))

    # companies
    ok = len(comp) == 72 == len({c["name"] for c in data["companies"]})
    ok &= all(valid_enterprise_number(n) for n in comp) and all(
        valid_enterprise_number(p["enterprise_number"]) for p in data["providers"]
    )
    ok &= len({d["company"] for d in data["dossiers"]}) == 72
    ok &= all(province_of_postal(c["postal_code"]) for c in data["companies"])
    report("companies (72 distinct, enterprise numbers mod 97, Flemish postal codes)", ok)
    return ok_all


def main() -> int:
    data = build()
    write_files(data)
    print(f"wrote {JSON_PATH.relative_to(ROOT)} and {CSV_PATH.relative_to(ROOT)}")
    ok = verify()
    print("ALL CHECKS PASSED" if ok else "CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
