"""Generate the SYNTHETIC 2023-2025 demo data of the oversight features.

    python scripts/generate_oversight_demo.py            # writes src/cstraject/reference/data/oversight_2023_2025.json

Fictional companies and dossiers of the call CS-2023 (references CS-2023-0501
upward), with a fixed seed so the file is the same on every run: ordinary
trajectories, and a few built so that red-flag indicators fire (size near an
SME ceiling, one group applying through linked companies, quotes at the
ceiling, a man-day rate far from the peers', statements jumping to exactly
60 %, a trajectory finished in weeks, near-identical final reports, de minimis
aid for the same purpose, a company supported again within four years), plus
the controls that were performed on some of them. Payments are not in the
file: the loader replays the tranche rule on the statements. Nothing here is
a real VLAIO record.
"""

import json
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "cstraject" / "reference" / "data"
TARGET = DATA / "oversight_2023_2025.json"
SEED = 2023
FIRST_NUMBER = 501
PROVIDERS = list("ABCDEFGH")
POSTAL = [("2000", "Antwerpen"), ("9000", "Gent"), ("3000", "Leuven"), ("8000", "Brugge"), ("3500", "Hasselt"),
          ("2800", "Mechelen"), ("8500", "Kortrijk"), ("9300", "Aalst")]  # fmt: skip
NACE = ["62010", "62020", "62090", "63110", "70220", "86909", "69102", "47410", "58290"]
NAMES = ["Beuk", "Eik", "Linde", "Wilg", "Es", "Els", "Berk", "Den", "Spar", "Lork", "Hazelaar", "Kastanje", "Iep",
         "Populier", "Esdoorn", "Meidoorn", "Vlier", "Hulst", "Taxus", "Olm"]  # fmt: skip
KINDS = ["Consult", "Logistiek", "Techniek", "Bouw", "Zorg", "Voeding", "Advies", "Transport", "Druk", "Metaal"]
PACKAGES = {  # package: (amount range excl. VAT, man-day range)
    "START": ((9200, 9200), (7, 9)),
    "MEDIUM": ((16000, 20000), (13, 17)),
    "PLUS": ((25000, 33000), (20, 27)),
}
SENTENCES = [
    "Er werd een volledige inventaris van alle toestellen, servers en clouddiensten opgemaakt.",
    "Multifactorauthenticatie is nu verplicht voor alle accounts met toegang van buitenaf.",
    "Het netwerk werd gesegmenteerd zodat de productieomgeving gescheiden is van het kantoornetwerk.",
    "Er is een back-upplan met een offline kopie en het herstel werd met succes getest.",
    "Alle medewerkers volgden een opleiding over phishing en het melden van verdachte berichten.",
    "Een incidentresponsplan beschrijft wie wat doet bij een aanval en wie verwittigd wordt.",
    "De firewall werd vervangen en de logging wordt centraal bewaard en wekelijks nagekeken.",
    "Een patchbeleid zorgt dat servers en werkposten maandelijks worden bijgewerkt.",
    "Beheerdersrechten werden beperkt tot twee personen met aparte beheerdersaccounts.",
    "De wifi voor bezoekers is losgekoppeld van het interne netwerk.",
    "Een wachtwoordbeheerder werd uitgerold voor alle medewerkers.",
    "De website en de webshop kregen een kwetsbaarheidsscan en de bevindingen werden opgelost.",
    "Er werd een verwerkersovereenkomst gesloten met de externe IT-partner.",
    "Laptops zijn voortaan versleuteld en kunnen op afstand gewist worden.",
    "De zaakvoerder volgt het beveiligingsplan op in het maandelijkse managementoverleg.",
    "E-mail wordt gefilterd op schadelijke bijlagen en vervalste afzenders (SPF, DKIM, DMARC).",
    "Oude, niet meer ondersteunde systemen werden vervangen of van het netwerk gehaald.",
    "Er is een overzicht van de kritieke bedrijfsprocessen en hun maximale hersteltijd.",
]


def enterprise_number(n: int) -> str:
    first_eight = f"0{9_100_000 + n * 37:07d}"
    return first_eight + f"{97 - int(first_eight) % 97:02d}"


def money(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_end(label: str) -> date:
    year, q = int(label[:4]), int(label[5])
    return date(year, 3 * q, 31 if q in (1, 4) else 30)


def next_quarter(label: str) -> str:
    year, q = int(label[:4]), int(label[5])
    return f"{year + 1}Q1" if q == 4 else f"{year}Q{q + 1}"


class Generator:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.companies: list[dict] = []
        self.relations: list[dict] = []
        self.de_minimis: list[dict] = []
        self.dossiers: list[dict] = []
        self.controls: list[dict] = []
        self.number = FIRST_NUMBER
        self.reference = json.loads((DATA / "antwoord526.json").read_text(encoding="utf-8"))
        self.taken = {c["enterprise_number"] for c in self.reference["companies"]}
        self.taken |= {p["enterprise_number"] for p in self.reference["providers"]}

    # --- companies ----------------------------------------------------------------------------------
    def company(self, *, size="klein", figures=None, name=None) -> dict:
        n = len(self.companies) + 1
        number = enterprise_number(n)
        assert number not in self.taken
        postal, municipality = self.rng.choice(POSTAL)
        headcount, turnover, balance = figures or {
            "micro": (self.rng.randint(2, 8), self.rng.randint(300, 1600) * 1000, self.rng.randint(200, 1400) * 1000),
            "klein": (self.rng.randint(12, 45), self.rng.randint(2500, 8500) * 1000, self.rng.randint(1500, 7000) * 1000),
            "middelgroot": (self.rng.randint(60, 220), self.rng.randint(12, 40) * 1_000_000, self.rng.randint(9, 30) * 1_000_000),
            "groot": (self.rng.randint(300, 900), self.rng.randint(60, 200) * 1_000_000, self.rng.randint(50, 150) * 1_000_000),
        }[size]  # fmt: skip
        accounts = [
            {
                "year": year,
                "headcount": f"{Decimal(headcount):.1f}",
                "turnover": money(turnover),
                "balance_sheet_total": money(balance),
                "equity": money(Decimal(balance) * Decimal("0.3")),
            }
            for year in (2021, 2022, 2023, 2024)
        ]
        company = {
            "enterprise_number": number,
            "name": name
            or f"{self.rng.choice(NAMES)}{self.rng.choice(['hof', 'veld', 'dal', 'berg'])} {self.rng.choice(KINDS)} (synthetisch)",
            "legal_form": "bv",
            "nace_code": self.rng.choice(NACE),
            "postal_code": postal,
            "municipality": municipality,
            "accounts": accounts,
            "_size": size,
            "_figures": (headcount, turnover, balance),
        }
        self.companies.append(company)
        return company

    # --- dossiers -----------------------------------------------------------------------------------
    def dossier(
        self,
        company: dict,
        *,
        submitted: date,
        package: str | None = None,
        amount=None,
        man_days=None,
        provider: str | None = None,
        status: str = "auto",
        shares: list | None = None,
        duration_days: int | None = None,
        report: str | None = "auto",
        size_basis=None,
    ) -> dict:
        package = package or self.rng.choice(list(PACKAGES))
        (low, high), (d_low, d_high) = PACKAGES[package]
        amount = Decimal(amount if amount is not None else self.rng.randint(low // 50, high // 50) * 50)
        man_days = Decimal(man_days if man_days is not None else self.rng.randint(d_low, d_high))
        reference = f"CS-2023-{self.number:04d}"
        self.number += 1
        decided = submitted + timedelta(days=self.rng.randint(10, 30))
        size = company["_size"]
        headcount, turnover, balance = size_basis or company["_figures"]
        dossier = {
            "reference": reference,
            "company": company["enterprise_number"],
            "provider": provider or self.rng.choice(PROVIDERS),
            "call": "CS-2023",
            "quote_lines": [{"package": package, "amount_excl_vat": money(amount), "man_days": f"{man_days:.1f}"}],
            "size_class": size,
            "size_basis": {
                "accounting_year": submitted.year - 1,
                "headcount": f"{Decimal(headcount):.1f}",
                "turnover": money(turnover),
                "balance_sheet_total": money(balance),
            },
            "submitted_date": submitted.isoformat(),
            "decided_date": decided.isoformat(),
            "started_date": None,
            "finished_date": None,
            "decision_reason": "",
            "statements": [],
            "payments": [],
            "final_report": None,
        }
        if size == "groot":
            dossier["status"] = "rejected"
            dossier["decision_reason"] = (
                "Geweigerd: de onderneming is geen kmo volgens de Europese definitie (Aanbeveling 2003/361/EG)."
            )
            self.dossiers.append(dossier)
            return dossier
        started = decided + timedelta(days=self.rng.randint(5, 20))
        dossier["started_date"] = started.isoformat()
        duration = duration_days or self.rng.randint(150, 330)
        finished = started + timedelta(days=duration)
        horizon = date(2025, 9, 30)
        if status == "auto":
            status = "finished" if finished <= horizon else "in_progress"
        dossier["status"] = status
        if status == "finished":
            dossier["finished_date"] = finished.isoformat()
        # Cumulative statements per quarter up to the finish (or the horizon), with the tranche payments.
        last = finished if status == "finished" else horizon
        quarters = []
        label = quarter(started)
        while quarter_end(label) <= last or label == quarter(last):
            quarters.append(label)
            label = next_quarter(label)
        if status != "finished":
            quarters = [q for q in quarters if quarter_end(q) < horizon]
        if not quarters:
            self.dossiers.append(dossier)
            return dossier
        if shares is None:
            steps = len(quarters)
            shares = [Decimal(i + 1) / steps for i in range(steps)]
            shares = [min(Decimal("1"), s * Decimal(self.rng.choice(["0.8", "0.9", "1.0"]))) for s in shares]
            shares = sorted(shares)
            if status == "finished":
                shares[-1] = Decimal("1")
            else:
                shares[-1] = min(shares[-1], Decimal("0.9"))
        # The last statements: the final one (100 %) belongs to the quarter of the finish.
        shares = shares[-len(quarters) :]
        quarters = quarters[-len(shares) :]
        paid_first = False
        for label, share in zip(quarters, shares):
            share = Decimal(share)
            dossier["statements"].append(
                {
                    "quarter": label,
                    "delivered_man_days": f"{(man_days * share).quantize(Decimal('0.1')):.1f}",
                    "delivered_amount": money(amount * share),
                }
            )
            pay_day = quarter_end(label) + timedelta(days=self.rng.randint(15, 30))
            if pay_day > date(2025, 11, 30):
                continue
            if not paid_first and share >= Decimal("0.6"):
                dossier["payments"].append({"tranche": 1, "payment_date": pay_day.isoformat(), "quarter": label})
                paid_first = True
            if status == "finished" and share == 1:
                tranche = 2 if paid_first else 1
                day = (
                    pay_day + timedelta(days=1)
                    if paid_first and dossier["payments"][-1]["quarter"] == label
                    else pay_day
                )
                dossier["payments"].append({"tranche": tranche, "payment_date": day.isoformat(), "quarter": label})
        if status == "finished" and report is not None:
            opening = (
                f"Bij {company.get('name', 'de kmo')} werden {self.rng.randint(3, 60)} werkposten, "
                f"{self.rng.randint(1, 9)} servers en {self.rng.randint(1, 12)} clouddiensten in het traject opgenomen."
            )
            text = f"{opening} {self.report_text()}" if report == "auto" else report
            dossier["final_report"] = {"improvements": text, "signatory": "Projectleider (synthetisch)"}
        self.dossiers.append(dossier)
        return dossier

    def report_text(self) -> str:
        return " ".join(self.rng.sample(SENTENCES, 7))

    def control(self, dossier, *, kind, trigger, performed: date, outcome, scope, findings=()):
        self.controls.append(
            {
                "dossier": dossier["reference"],
                "kind": kind,
                "trigger": trigger,
                "performed_date": performed.isoformat(),
                "outcome": outcome,
                "scope": scope,
                "findings": list(findings),
            }
        )

    # --- the data set -------------------------------------------------------------------------------
    def build(self) -> dict:
        rng = self.rng
        ordinary = []
        for _ in range(56):
            size = rng.choice(["micro", "micro", "klein", "klein", "middelgroot"])
            submitted = date(2023, 1, 15) + timedelta(days=rng.randint(0, 960))
            ordinary.append(self.dossier(self.company(size=size), submitted=submitted))
        # Refused at application: not an SME (2023 and 2024).
        for submitted in (date(2023, 5, 3), date(2024, 9, 12)):
            self.dossier(self.company(size="groot"), submitted=submitted, package="PLUS")
        # A1: size figures just under a ceiling.
        near_micro = self.company(size="micro", figures=(9.7, 1_950_000, 1_200_000))
        near_small = self.company(size="klein", figures=(38, 9_850_000, 6_000_000))
        self.dossier(near_micro, submitted=date(2024, 2, 5))
        self.dossier(near_small, submitted=date(2024, 4, 18))
        # A3 + F2 + P1: one group, three companies, the same provider, within weeks.
        parent = self.company(size="klein", name="Groep Zwaluw Holding (synthetisch)")
        group = [parent]
        for name in ("Zwaluw Logistiek (synthetisch)", "Zwaluw Techniek (synthetisch)"):
            member = self.company(size="micro", name=name)
            self.relations.append(
                {"company": member["enterprise_number"], "related": parent["enterprise_number"], "share_pct": "100.00"}
            )
            group.append(member)
        group_dossiers = [
            self.dossier(company, submitted=date(2024, 3, 4) + timedelta(days=20 * i), provider="G", package="PLUS")
            for i, company in enumerate(group)
        ]
        # Q1: quotes at the ceiling of EUR 35,000.
        ceiling = [
            self.dossier(
                self.company(size="klein"),
                submitted=date(2024, 6, 3) + timedelta(days=9 * i),
                package="PLUS",
                amount=amount,
                man_days=28,
            )
            for i, amount in enumerate(("35000.00", "34900.00", "34750.00"))
        ]
        # Q2: man-day rates far above the peers' for PLUS.
        expensive = [
            self.dossier(
                self.company(size="micro"),
                submitted=date(2023, 10, 2) + timedelta(days=30 * i),
                package="PLUS",
                amount="32000.00",
                man_days=10,
                provider="E",
            )
            for i in range(2)
        ]
        # R1: nothing, then exactly 60 %, then 100 %.
        jumps = [
            self.dossier(
                self.company(size="klein"),
                submitted=date(2023, 6, 1) + timedelta(days=45 * i),
                package="MEDIUM",
                shares=["0", "0.6", "1"],
                duration_days=240,
                provider="C",
            )
            for i in range(3)
        ]
        # R2 + R3: everything delivered in one quarter, finished in weeks.
        fast = [
            self.dossier(
                self.company(size="micro"),
                submitted=date(2024, 1, 8) + timedelta(days=60 * i),
                package="PLUS",
                shares=["1"],
                duration_days=18,
                provider="F",
            )
            for i in range(2)
        ]
        # D2: near-identical final reports for different SMEs (same provider); D4: a one-line report.
        template = self.report_text()
        copied = [
            self.dossier(
                self.company(size="micro"),
                submitted=date(2023, 9, 4) + timedelta(days=14 * i),
                provider="D",
                report=template.replace("twee personen", f"{i + 2} personen"),
            )
            for i in range(3)
        ]
        self.dossier(self.company(size="micro"), submitted=date(2023, 11, 6), report="Traject afgerond, alles in orde.")
        # F1: de minimis aid for cybersecurity shortly before applying.
        for i in range(2):
            company = self.company(size="klein")
            submitted = date(2024, 5, 6) + timedelta(days=21 * i)
            self.de_minimis.append(
                {
                    "company": company["enterprise_number"],
                    "granted_date": (submitted - timedelta(days=300)).isoformat(),
                    "amount": "7500.00",
                    "grantor": "Vlaamse overheid (synthetisch)",
                    "description": "KMO-portefeuille: advies cyberbeveiliging",
                }
            )
            self.dossier(company, submitted=submitted)
        # F3: a company supported in 2021 (reference data) applies again in 2024, within four years.
        again = next(d for d in self.reference["dossiers"] if d["status"] == "finished")
        returning = next(c for c in self.reference["companies"] if c["enterprise_number"] == again["company"])
        returning_stub = {"enterprise_number": returning["enterprise_number"], "_size": again["size_class"], "_figures": (
            again["size_basis"]["headcount"], again["size_basis"]["turnover"], again["size_basis"]["balance_sheet_total"])}  # fmt: skip
        self.dossier(returning_stub, submitted=date(2024, 10, 7), package="START")

        # Controls performed.
        for dossier in expensive:
            self.control(dossier, kind="visit", trigger="risk", performed=date(2025, 3, 12), outcome="irregularity",
                         scope="Geleverde mensdagen en uurstaten ter plaatse nagekeken.",
                         findings=[{"category": "price_inflated", "description": "Dagtarief van 3.200 euro niet gestaafd door de raamovereenkomst.", "financial_effect": "1500.00"}])  # fmt: skip
        self.control(jumps[0], kind="desk_review", trigger="risk", performed=date(2024, 11, 20), outcome="no_findings",
                     scope="Prestatiestaten tegen de planning en de tijdsregistratie van de dienstverlener.")  # fmt: skip
        self.control(jumps[1], kind="visit", trigger="risk", performed=date(2025, 2, 4), outcome="irregularity",
                     scope="Prestatiestaat van 60 % vergeleken met de opgeleverde documenten.",
                     findings=[{"category": "not_delivered", "description": "Op het moment van de staat was de analyse nog niet opgeleverd.", "financial_effect": "800.00"}])  # fmt: skip
        self.control(copied[1], kind="final_report", trigger="risk", performed=date(2025, 4, 2), outcome="suspected_fraud",
                     scope="Eindverslag vergeleken met de andere eindverslagen van de dienstverlener.",
                     findings=[{"category": "document", "description": "Eindverslag overgenomen van een andere kmo; de kmo bevestigt de verbeteringen niet.", "fraud_referred": True}])  # fmt: skip
        self.control(fast[0], kind="visit", trigger="risk", performed=date(2024, 9, 10), outcome="irregularity",
                     scope="Bezoek: welke verbeteringen zijn er werkelijk?",
                     findings=[{"category": "not_delivered", "description": "Begeleiding bij de implementatie niet geleverd.", "financial_effect": "2000.00"}])  # fmt: skip
        self.control(group_dossiers[2], kind="ex_post_audit", trigger="signal", performed=date(2025, 6, 16), outcome="irregularity",
                     scope="Melding: drie vennootschappen van één groep met hetzelfde traject.",
                     findings=[{"category": "double_funding", "description": "Eén project over drie groepsvennootschappen verdeeld.", "financial_effect": "0"}])  # fmt: skip
        sample = [d for d in ordinary if d["payments"]]
        for i, dossier in enumerate(rng.sample(sample, 8)):
            found = i == 0
            self.control(dossier, kind="ex_post_audit", trigger="random", performed=date(2025, 5, 5) + timedelta(days=7 * i),
                         outcome="irregularity" if found else "no_findings",
                         scope="Aselecte steekproef: offerte, prestatiestaten, facturen en eindverslag.",
                         findings=[{"category": "document", "description": "Offerte niet ondertekend door de kmo.", "financial_effect": "0"}] if found else [])  # fmt: skip
        del ceiling
        for company in self.companies:
            company.pop("_size", None)
            company.pop("_figures", None)
        return {
            "meta": {
                "title": "Synthetische demodata 2023-2025 voor controles en risicoscreening",
                "synthetic": True,
                "notice": (
                    "SYNTHETIC demo data 2023-2025 (call CS-2023, dossiers CS-2023-0501 and up): fictional companies, "
                    f"generated by scripts/generate_oversight_demo.py with seed {SEED}; some built to raise red flags. "
                    "Not real VLAIO records."
                ),
                "generated_by": "scripts/generate_oversight_demo.py",
                "seed": SEED,
            },
            "companies": self.companies,
            "relations": self.relations,
            "de_minimis": self.de_minimis,
            "dossiers": self.dossiers,
            "controls": self.controls,
        }


def main() -> None:
    data = Generator().build()
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{TARGET.relative_to(ROOT)}: {len(data['dossiers'])} dossiers, {len(data['controls'])} controls (synthetic)."
    )


if __name__ == "__main__":
    main()
