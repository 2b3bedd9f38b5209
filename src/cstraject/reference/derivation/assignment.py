"""The integer programs (PuLP + CBC) that assign province, size class, package and amount to every grant."""

from __future__ import annotations

from collections import defaultdict

from .inputs import (
    NACE_TABLE,
    PACKAGE_QUOTE_RANGE,
    PACKAGE_TABLE,
    PACKAGES,
    PROVINCE_TABLE,
    SIZE_TABLE,
    SIZES,
    cents,
    subsidy_for_quote_cents,
)

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
