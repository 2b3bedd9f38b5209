"""The checks, in pure Python (Decimal), on the written JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from .inputs import (
    BASIS_RANGE,
    CUTOFF_STATUS,
    JSON_PATH,
    LIGHT_RANGE,
    NACE_TABLE,
    PACKAGE_TABLE,
    PROVINCE_TABLE,
    PUBLISHED_70220_2021_ROWS,
    PUBLISHED_ROUNDED_TOTAL,
    RATE,
    REFERENCE_DATE,
    SIZE_TABLE,
    SIZES,
    TRANCHE1,
    UITBR_RANGE,
    VAT,
    YEAR_TOTAL,
    C,
    province_of_postal,
    q2,
)
from .synthetic import classify, next_quarter, valid_enterprise_number


# --------------------------------------------------------------------------------------
# Verification (pure Python, from the written JSON)
# --------------------------------------------------------------------------------------
def verify(json_path: Path = JSON_PATH) -> bool:
    """Check the dataset in `json_path` against the published figures; print one line per check."""
    data = json.loads(json_path.read_text(encoding="utf-8"))
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
    agg: defaultdict[tuple[int, str | None], list[Any]] = defaultdict(lambda: [0, D(0)])
    for d in grants:
        p = province_of_postal(comp[d["company"]]["postal_code"])
        agg[year(d), p][0] += 1
        agg[year(d), p][1] += D(d["subsidy_amount"])
    ok = True
    for yr, rows in PROVINCE_TABLE.items():
        for p, (n, amt) in rows.items():
            ok &= agg[yr, p] == [n, D(amt)]
        ok &= all(k[1] in rows for k in agg if k[0] == yr)
        tot: list[Any] = [
            sum(v[0] for k, v in agg.items() if k[0] == yr),
            sum((v[1] for k, v in agg.items() if k[0] == yr), D(0)),
        ]
        ok &= tot == [YEAR_TOTAL[yr][0], D(YEAR_TOTAL[yr][1])]
    report("province x year (count, amount to the cent, totals)", ok)

    # size table
    by_size: defaultdict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, D(0)])
    for d in grants:
        by_size[year(d), d["size_class"]][0] += 1
        by_size[year(d), d["size_class"]][1] += D(d["subsidy_amount"])
    ok = True
    details = []
    for yr, size_rows in SIZE_TABLE.items():
        for c, (n, eur) in size_rows.items():
            n2, amt = by_size[yr, c]
            ok &= n2 == n and amt.quantize(D(1), rounding=ROUND_HALF_UP) == eur
            details.append(f"{yr} {c} {n2}/{amt}")
        ok &= sum(by_size[yr, c][1] for c in SIZES) == D(YEAR_TOTAL[yr][1])
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
    by_nace: defaultdict[tuple[int, str], list[Any]] = defaultdict(lambda: [0, D(0)])
    for d in grants:
        by_nace[year(d), comp[d["company"]]["nace_code"]][0] += 1
        by_nace[year(d), comp[d["company"]]["nace_code"]][1] += D(d["subsidy_amount"])
    ok = True
    expected: dict[tuple[int, str], list[Any]] = {}
    for code, _label, entries in NACE_TABLE:
        for yr, n, amt in entries:
            expected[yr, code] = [n, D(amt)]
    ok &= dict(by_nace) == expected
    merged: list[Any] = [sum(n for n, _ in PUBLISHED_70220_2021_ROWS), sum(D(a) for _, a in PUBLISHED_70220_2021_ROWS)]
    ok &= by_nace[2021, "70220"] == merged
    for yr in (2021, 2022):
        ok &= (
            sum(v[1] for k, v in by_nace.items() if k[0] == yr).quantize(D(1), rounding=ROUND_HALF_UP)
            == PUBLISHED_ROUNDED_TOTAL[yr]
        )
    report(
        "NACE x year (count, amount to the cent; 70.220 = 6+1 published rows)", ok, f"{len(expected)} code-year rows"
    )

    # package table
    by_package: defaultdict[tuple[int, str], int] = defaultdict(int)
    for d in grants:
        pk = "+".join(ln["package"] for ln in d["quote_lines"])
        by_package[year(d), pk] += 1
    ok = all(by_package[yr, pk] == n for yr, package_rows in PACKAGE_TABLE.items() for pk, n in package_rows.items())
    ok &= sum(by_package.values()) == 70
    report("package x year counts", ok, ", ".join(f"{k[0]} {k[1]}={v}" for k, v in sorted(by_package.items())))

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
    msgs: list[str] = []
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
