"""Synthetic attributes: company names, annual accounts, enterprise numbers, dates, quote lines."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from .inputs import BASIS_RANGE, LIGHT_RANGE, UITBR_RANGE, money

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
