"""Generate the synthetic 2023-2025 dossiers with themes, final reports, feedback and follow-ups.

    python scripts/generate_impact_data.py  # writes src/cstraject/reference/data/impact_2023_2025.json

SYNTHETIC: fictional companies (enterprise numbers starting with 1, valid
mod 97), the real CS-2023 call's rules (50 % of the quote incl. 21 % VAT,
EUR 9,200-35,000, START/MEDIUM/PLUS), providers A-H of the reference set.
References CS-2023-0001 to CS-2023-0499 (the oversight lane's data starts at
0501). A fixed seed: running it again gives the same file. The loader
(`cstraject load-reference`) imports it through the services, after the
2021-2022 reference set, whose published tables it does not touch.
"""

import calendar
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from cstraject.core.money import round_half_up_cents, share_of

SEED = 20231
OUT = Path(__file__).resolve().parents[1] / "src/cstraject/reference/data/impact_2023_2025.json"
REFERENCE_DATE = date(2025, 12, 31)
RATE, VAT = Decimal("0.5000"), Decimal("0.2100")
PROVIDERS = "ABCDEFGH"
NACE = ["62010"] * 6 + ["70220"] * 3 + ["62020", "62090", "62090", "46693", "72190", "47410", "46311", "58290"]
NACE += ["64200", "69102", "10910", "85592", "73200", "45111", "63110", "82990", "28990", "20590", "86909"]
PLACES = [
    ("2000", "Antwerpen"),
    ("2800", "Mechelen"),
    ("2300", "Turnhout"),
    ("2440", "Geel"),
    ("2600", "Berchem"),
    ("3000", "Leuven"),
    ("1800", "Vilvoorde"),
    ("1500", "Halle"),
    ("3200", "Aarschot"),
    ("1930", "Zaventem"),
    ("3500", "Hasselt"),
    ("3600", "Genk"),
    ("3800", "Sint-Truiden"),
    ("9000", "Gent"),
    ("9300", "Aalst"),
    ("9100", "Sint-Niklaas"),
    ("9160", "Lokeren"),
    ("8000", "Brugge"),
    ("8500", "Kortrijk"),
    ("8800", "Roeselare"),
]
PACKAGES = {  # code: (price range excl. VAT, man-days per 1,000 EUR)
    "START": ((9200, 12000), Decimal("0.80")),
    "MEDIUM": ((16000, 24000), Decimal("0.78")),
    "PLUS": ((26000, 35000), Decimal("0.75")),
}
# Categories a package typically covers (analysis and plan first; guidance adds protection, detection, recovery).
THEMES_BY_PACKAGE = {
    "START": ["GV.RM", "GV.PO", "ID.AM", "ID.RA", "GV.OC"],
    "MEDIUM": ["ID.RA", "ID.AM", "PR.AA", "PR.DS", "PR.AT", "GV.PO", "RC.RP", "PR.PS"],
    "PLUS": ["PR.AA", "PR.DS", "PR.PS", "PR.IR", "DE.CM", "RS.MA", "RC.RP", "ID.RA", "PR.AT", "DE.AE", "GV.SC"],
}
FUNCTIONS = ["GV", "ID", "PR", "DE", "RS", "RC"]
DESCRIPTIONS = {
    "GV.OC": "Context en verwachtingen van klanten in kaart",
    "GV.RM": "Risicobereidheid en -aanpak vastgelegd",
    "GV.RR": "Verantwoordelijke voor cyberveiligheid aangeduid",
    "GV.PO": "Informatiebeveiligingsbeleid goedgekeurd",
    "GV.OV": "Halfjaarlijkse opvolging door de directie",
    "GV.SC": "Leveranciers beoordeeld op beveiliging",
    "ID.AM": "Inventaris van toestellen, software en gegevens",
    "ID.RA": "Risicoanalyse met kwetsbaarheidsscan",
    "ID.IM": "Verbeterplan met prioriteiten",
    "PR.AA": "Meerstapsverificatie en beheer van toegangsrechten",
    "PR.AT": "Bewustmakingsopleiding phishing voor alle medewerkers",
    "PR.DS": "Versleuteling en offline back-ups",
    "PR.PS": "Patchbeheer en veilige configuratie",
    "PR.IR": "Netwerksegmentatie en redundante verbinding",
    "DE.CM": "Monitoring van logs en eindpunten (EDR)",
    "DE.AE": "Procedure voor analyse van meldingen",
    "RS.MA": "Incidentresponsplan met rollen",
    "RS.AN": "Forensische analyse voorzien bij incidenten",
    "RS.CO": "Meldingsprocedure (CCB, klanten) opgesteld",
    "RS.MI": "Isolatieprocedure voor besmette toestellen",
    "RC.RP": "Herstelplan getest met terugzetten van back-ups",
    "RC.CO": "Communicatieplan bij herstel",
}
FEEDBACK = [
    "Heldere aanpak, veel geleerd.",
    "Nuttig, maar de opvolging vroeg meer tijd dan verwacht.",
    "Goede begeleiding bij de invoering van MFA.",
    "De risicoanalyse was een eyeopener.",
    "",
    "Meer praktische voorbeelden hadden geholpen.",
    "Zeer tevreden over de begeleiding.",
    "",
]


def enterprise_number(n: int) -> str:
    first_eight = f"1{n:07d}"
    return first_eight + f"{97 - int(first_eight) % 97:02d}"


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, q: int) -> date:
    return (date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - timedelta(days=1)


def next_quarter(year: int, q: int) -> tuple[int, int]:
    return (year + 1, 1) if q == 4 else (year, q + 1)


def one_decimal(value) -> Decimal:
    return round_half_up_cents(Decimal(value)).quantize(Decimal("0.1"))


def split_man_days(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    weights = [rng.uniform(1, 3) for _ in range(parts)]
    shares = [one_decimal(total * Decimal(str(w / sum(weights)))) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def size_for(rng: random.Random) -> tuple[str, dict]:
    size = rng.choices(["micro", "klein", "middelgroot"], weights=[45, 35, 20])[0]
    staff, turnover = {
        "micro": ((2, 9), (300, 1900)),
        "klein": ((10, 49), (2200, 9500)),
        "middelgroot": ((50, 240), (11000, 45000)),
    }[size]
    headcount = Decimal(rng.randint(*staff))
    turnover_eur = Decimal(rng.randint(*turnover) * 1000)
    return size, {
        "headcount": f"{headcount:.1f}",
        "turnover": f"{turnover_eur:.2f}",
        "balance_sheet_total": f"{turnover_eur * Decimal('0.6'):.2f}",
        "equity": f"{turnover_eur * Decimal('0.2'):.2f}",
    }


def maturity(value: float) -> str:
    return f"{min(5.0, max(1.0, round(value * 2) / 2)):.1f}"


def payments_for(rng, subsidy, quote, started, finished, end):
    """Cumulative quarterly statements and the tranches they give (the rule of payments.selectors)."""
    statements, payments = [], []
    last = quarter_of(finished or end)
    quarters = []
    y, q = quarter_of(started)
    while (y, q) <= last and quarter_end(y, q) < end:
        quarters.append((y, q))
        y, q = next_quarter(y, q)
    if not quarters:
        return statements, payments
    fractions = sorted(rng.uniform(0.15, 0.95) for _ in quarters)
    if finished:
        fractions[-1] = 1.0
    paid1 = False
    for (y, q), fraction in zip(quarters, fractions):
        delivered = quote if fraction >= 1.0 else round_half_up_cents(quote * Decimal(str(round(fraction, 3))))
        statements.append({"quarter": f"{y}Q{q}", "delivered_man_days": None, "delivered_amount": f"{delivered:.2f}"})
        pay_day = quarter_end(y, q) + timedelta(days=rng.randint(18, 40))
        if pay_day > end:
            continue
        final = finished is not None and (y, q) >= quarter_of(finished)
        if not paid1 and delivered >= quote * Decimal("0.6"):
            payments.append(
                {
                    "tranche": 1,
                    "amount": f"{share_of(subsidy, Decimal('0.6')):.2f}",
                    "payment_date": pay_day.isoformat(),
                    "quarter": f"{y}Q{q}",
                }
            )
            paid1 = True
        if final:
            rest = subsidy - sum((Decimal(p["amount"]) for p in payments), Decimal(0))
            if rest > 0:
                payments.append(
                    {
                        "tranche": 2,
                        "amount": f"{rest:.2f}",
                        "payment_date": (pay_day + timedelta(days=1 if paid1 else 0)).isoformat(),
                        "quarter": f"{y}Q{q}",
                    }
                )
    return statements, payments


def main() -> None:
    rng = random.Random(SEED)
    companies, dossiers = [], []
    number = 0
    plan = {2023: (96, 3, 2), 2024: (128, 4, 3), 2025: (146, 4, 3)}  # granted, rejected, withdrawn
    for year, (granted, rejected, withdrawn) in plan.items():
        outcomes = ["granted"] * granted + ["rejected"] * rejected + ["withdrawn"] * withdrawn
        rng.shuffle(outcomes)
        for outcome in outcomes:
            number += 1
            reference = f"CS-2023-{number:04d}"
            postal, municipality = rng.choice(PLACES)
            size, accounts = size_for(rng)
            company = {
                "enterprise_number": enterprise_number(number),
                "name": f"Synthetische Kmo {number:03d} {rng.choice(['BV', 'NV', 'BV', 'BV', 'CV'])}",
                "legal_form": rng.choice(["bv", "bv", "bv", "nv", "cv"]),
                "nace_code": rng.choice(NACE),
                "nace_version": "2008",
                "postal_code": postal,
                "municipality": municipality,
                "accounts": [{"year": y, **accounts} for y in (year - 2, year - 1)],
            }
            companies.append(company)
            package = rng.choices(["START", "MEDIUM", "PLUS"], weights=[22, 40, 38])[0]
            (low, high), per_thousand = PACKAGES[package]
            quote = Decimal(rng.randrange(low, high + 1, 50))
            man_days = one_decimal(quote / 1000 * per_thousand)
            subsidy = round_half_up_cents(quote * (1 + VAT) * RATE)
            submitted = date(year, 1, 1) + timedelta(days=rng.randint(0, 330))
            decided = submitted + timedelta(days=rng.randint(10, 30))
            if decided.year != year:
                decided = date(year, 12, rng.randint(15, 30))
            dossier = {
                "reference": reference,
                "company": company["enterprise_number"],
                "provider": rng.choice(PROVIDERS),
                "call": "CS-2023",
                "quote_lines": [{"package": package, "amount_excl_vat": f"{quote:.2f}", "man_days": f"{man_days}"}],
                "subsidy_amount": f"{subsidy:.2f}",
                "size_class": size,
                "size_basis": {
                    "accounting_year": year - 1,
                    **{k: accounts[k] for k in ("headcount", "turnover", "balance_sheet_total")},
                },
                "submitted_date": submitted.isoformat(),
                "decided_date": decided.isoformat(),
            }
            if outcome != "granted":
                dossier["status"] = outcome
                if outcome == "withdrawn":
                    dossier["decided_date"] = None
                dossier["decision_reason"] = "Geen kmo volgens de Europese definitie." if outcome == "rejected" else ""
                dossiers.append(dossier)
                continue
            started = decided + timedelta(days=rng.randint(5, 40))
            duration = {"START": (60, 150), "MEDIUM": (120, 260), "PLUS": (180, 360)}[package]
            finished = started + timedelta(days=rng.randint(*duration))
            if started > REFERENCE_DATE:
                status, finished = "approved", None
                started = None
            elif finished > REFERENCE_DATE - timedelta(days=20):
                status, finished = "in_progress", None
            else:
                status = "finished"
            dossier.update(
                status=status,
                started_date=started and started.isoformat(),
                finished_date=finished and finished.isoformat(),
            )
            # Themes of the quote: a few categories, the man-days split over them.
            count = {"START": rng.randint(1, 2), "MEDIUM": rng.randint(2, 3), "PLUS": rng.randint(3, 5)}[package]
            themes = rng.sample(THEMES_BY_PACKAGE[package], count)
            days = split_man_days(man_days, count, rng)
            dossier["themes"] = [
                {"theme": t, "man_days": f"{d}", "quote_line": package, "description": DESCRIPTIONS[t]}
                for t, d in zip(themes, days)
            ]
            if started:
                statements, payments = payments_for(rng, subsidy, quote, started, finished, REFERENCE_DATE)
                for statement in statements:
                    fraction = Decimal(statement["delivered_amount"]) / quote
                    statement["delivered_man_days"] = f"{min(man_days, one_decimal(man_days * fraction))}"
                dossier["statements"], dossier["payments"] = statements, payments
            if status == "finished" and rng.random() < 0.95:
                dossier["final_report"] = final_report(rng, themes, finished)
            dossiers.append(dossier)
    data = {
        "meta": {
            "title": "Synthetische dossiers 2023-2025 met thema's, eindverslagen en opvolging",
            "synthetic": True,
            "notice": "Synthetic data: fictional companies; generated with a fixed seed by scripts/generate_impact_data.py to show questions 1e and 5. Not real VLAIO records.",
            "generated_by": "scripts/generate_impact_data.py",
            "seed": SEED,
            "reference_date": REFERENCE_DATE.isoformat(),
            "references": "CS-2023-0001..CS-2023-0499",
        },
        "companies": companies,
        "dossiers": dossiers,
    }
    OUT.write_text(_compact(data), encoding="utf-8")
    print(f"{OUT}: {len(dossiers)} dossiers")


def _compact(data: dict) -> str:
    """Valid JSON with one company or dossier per line: small, and a diff shows which dossier changed."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = ["{", f' "meta": {json.dumps(data["meta"], ensure_ascii=False, indent=2)},']
    for key in ("companies", "dossiers"):
        rows = [f"  {one(row)}" for row in data[key]]
        parts.append(f' "{key}": [\n' + ",\n".join(rows) + "\n ]" + ("," if key == "companies" else ""))
    parts.append("}")
    return "\n".join(parts) + "\n"


def final_report(rng: random.Random, themes: list[str], finished: date) -> dict:
    points = []
    for theme in themes:
        status = rng.choices(["realised", "partly", "not"], weights=[72, 20, 8])[0]
        before = rng.uniform(1.0, 2.6)
        gain = {"realised": rng.uniform(1.0, 2.0), "partly": rng.uniform(0.3, 1.0), "not": 0.0}[status]
        points.append(
            {
                "theme": theme,
                "description": DESCRIPTIONS[theme],
                "status": status,
                "maturity_before": maturity(before),
                "maturity_after": maturity(before + gain),
            }
        )
    covered = {t[:2] for t in themes}
    stalled = rng.random() < 0.08  # some trajectories end without a measurable gain
    function_maturity = []
    for function in FUNCTIONS:
        before = rng.uniform(1.0, 2.8)
        gain = rng.uniform(0.4, 1.6) if function in covered else rng.uniform(-0.1, 0.4)
        after = before if stalled else max(before, before + gain)
        function_maturity.append({"function": function, "before": maturity(before), "after": maturity(after)})
    report = {
        "signed_date": (finished + timedelta(days=rng.randint(3, 20))).isoformat(),
        "signatory": "Projectleider dienstverlener",
        "points": points,
        "function_maturity": function_maturity,
    }
    if rng.random() < 0.92:
        satisfaction = rng.choices([2, 3, 4, 5], weights=[4, 16, 45, 35])[0]
        report["cosign"] = {
            "signed_date": (finished + timedelta(days=rng.randint(21, 45))).isoformat(),
            "signatory": "Zaakvoerder kmo",
            "satisfaction": satisfaction,
            "would_recommend": satisfaction >= 4 or rng.random() < 0.4,
            "changed_practice": rng.random() < (0.85 if satisfaction >= 4 else 0.5),
            "feedback": rng.choice(FEEDBACK),
        }
        # Twelve months after the end, as impact.services.follow_up_opens_on counts them.
        opens = date(
            finished.year + 1,
            finished.month,
            min(finished.day, calendar.monthrange(finished.year + 1, finished.month)[1]),
        )
        if opens <= REFERENCE_DATE and rng.random() < 0.97:
            follow_up = {"sent_date": opens.isoformat()}
            if rng.random() < 0.65:
                answered = opens + timedelta(days=rng.randint(3, 55))
                if answered <= REFERENCE_DATE:
                    asked = [p["theme"] for p in points if p["status"] != "not"]
                    follow_up["answered_date"] = answered.isoformat()
                    follow_up["still_in_place"] = {t: rng.random() < 0.86 for t in asked}
                    follow_up["comment"] = rng.choice(
                        [
                            "",
                            "",
                            "Back-ups worden nog elke week getest.",
                            "MFA blijft, de opleiding herhalen we jaarlijks.",
                        ]
                    )
            report["cosign"]["follow_up"] = follow_up
    return report


if __name__ == "__main__":
    main()
