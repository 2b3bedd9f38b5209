"""The dataset: grants from the assignment, companies, providers, dates, statements, payments; and the files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from .assignment import solve_assignment
from .inputs import (
    CALL,
    CSV_PATH,
    CUTOFF_STATUS,
    DIVISIONS,
    JSON_PATH,
    NACE_TABLE,
    POSTAL,
    REFERENCE_DATE,
    REFUSED_LABELS,
    REFUSED_NACE,
    SEED,
    TRANCHE1,
    money,
    quote_for_subsidy_cents,
    subsidy_for_quote_cents,
)
from .synthetic import (
    NAME_FIRST,
    NAME_SECTOR,
    add_months,
    enterprise_number,
    make_accounts,
    next_quarter,
    qlabel,
    quarter_end,
    quarter_of,
    split_quote,
    weekday_backward,
    weekday_forward,
)


# --------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------
def build() -> dict[str, Any]:
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
    postal_idx: defaultdict[str, int] = defaultdict(int)
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


def write_files(data: dict[str, Any], *, json_path: Path = JSON_PATH, csv_path: Path = CSV_PATH) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
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
    csv_path.write_text(buf.getvalue(), encoding="utf-8")
