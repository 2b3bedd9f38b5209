"""The indicators: each finds all its hits in one call's dossiers with a fixed
number of set-based queries (SQL valid on SQLite and PostgreSQL, or the ORM),
never a query per dossier. The near-duplicate final reports use MinHash with
locality-sensitive hashing (`near_duplicates.py`), linear in the number of
reports.

A computation gets a `Context` (the call, its parameters, the reference date)
and returns (dossier id, figures) pairs; the figures are what the Dutch
explanation sentence shows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Min, Q
from django.db.models.functions import ExtractYear, Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cstraject.calls.models import Call
from cstraject.companies.models import Company, CompanyRelation, DeMinimisAid
from cstraject.dossiers.models import Dossier, DossierDocument, EligibilityResult, QuoteLine
from cstraject.impact.models import FinalReport
from cstraject.payments.models import PaymentRequest
from cstraject.providers.models import ServiceProvider

from .near_duplicates import near_duplicate_pairs
from .registry import Category, Indicator, Parameter

SCREENED = Q(status__in=["submitted", "approved", "rejected", "withdrawn", "in_progress", "finished", "stopped"])
GRANTED = ["approved", "in_progress", "finished", "stopped"]


@dataclass(frozen=True)
class Context:
    call: Call
    p: dict  # parameter name -> value (typed), None when the call switches the indicator off
    today: date


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _days(later: str, earlier: str) -> str:
    """Whole days from `earlier` to `later` (two DATE expressions)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _rows(query: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _money(value) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def _num(value, places: str = "0.1") -> str:
    return f"{Decimal(str(value)).quantize(Decimal(places))}"


def _pct(part, whole) -> str:
    return _num(Decimal(str(part)) * 100 / Decimal(str(whole)), "0.1") if whole else "0"


def _dossiers(ctx: Context):
    return Dossier.objects.filter(SCREENED, call=ctx.call)


def _links_sql() -> str:
    """Pairs (a, b) of linked enterprises (> 50 %), in both directions."""
    rel = _t(CompanyRelation)
    return (
        f"SELECT company_id AS a, related_company_id AS b FROM {rel} WHERE share_pct > 50 "
        f"UNION ALL SELECT related_company_id AS a, company_id AS b FROM {rel} WHERE share_pct > 50"
    )


def _least(x: str, y: str, z: str) -> str:
    """The smallest of three non-null expressions (SQLite has no LEAST)."""
    return f"CASE WHEN {x} <= {y} AND {x} <= {z} THEN {x} WHEN {y} <= {z} THEN {y} ELSE {z} END"


SCREENED_SQL = "d.status IN ('submitted','approved','rejected','withdrawn','in_progress','finished','stopped')"


# --------------------------------------------------------------------------- applicant

SME_CEILINGS = {
    # size class: (headcount, turnover, balance sheet total), EU Recommendation 2003/361
    "micro": (Decimal("10"), Decimal("2000000"), Decimal("2000000")),
    "klein": (Decimal("50"), Decimal("10000000"), Decimal("10000000")),
    "middelgroot": (Decimal("250"), Decimal("50000000"), Decimal("43000000")),
}


def size_near_ceiling(ctx: Context):
    share = 1 - ctx.p["margin_pct"] / 100
    condition = Q()
    for size, (headcount, turnover, balance) in SME_CEILINGS.items():
        near = (
            Q(size_headcount__gte=headcount * share, size_headcount__lt=headcount)
            | Q(size_turnover__gte=turnover * share, size_turnover__lte=turnover)
            | Q(size_balance_sheet_total__gte=balance * share, size_balance_sheet_total__lte=balance)
        )
        condition |= Q(size_class=size) & near
    rows = (
        _dossiers(ctx)
        .filter(condition)
        .values_list("id", "size_class", "size_headcount", "size_turnover", "size_balance_sheet_total")
    )
    for pk, size, headcount, turnover, balance in rows:
        ceilings = SME_CEILINGS[size]
        figures = {"size_class": size, "margin_pct": _num(ctx.p["margin_pct"])}
        close = []
        for label, value, ceiling in zip(
            (gettext_noop("personeel"), gettext_noop("omzet"), gettext_noop("balanstotaal")),
            (headcount, turnover, balance),
            ceilings,
        ):
            value = None if value is None else Decimal(str(value))
            # Staff must stay under the ceiling (< 10, 50, 250); money may reach it (<= 2, 10, 50/43 million).
            below = value is not None and (value < ceiling if label == "personeel" else value <= ceiling)
            if below and value is not None and ceiling * share <= value:
                # Stored as (msgid, figures) and written in the reader's language when shown (Indicator.explain).
                if label == "personeel":
                    close.append(
                        [
                            gettext_noop("personeel %(headcount)s (plafond %(limit)s)"),
                            {"headcount": _num(value, "0.1"), "limit": str(ceiling)},
                        ]
                    )
                else:
                    close.append(
                        [
                            gettext_noop("%(label)s %(amount)s (plafond %(ceiling)s)"),
                            {"label": label, "amount": _money(value), "ceiling": _money(ceiling)},
                        ]
                    )
        figures["near"] = close
        yield pk, figures


def young_company(ctx: Context):
    rows = (
        _dossiers(ctx)
        .filter(submitted_date__isnull=False)
        .annotate(first_year=Min("company__annual_accounts__year"), submitted_year=ExtractYear("submitted_date"))
        .filter(Q(first_year__isnull=True) | Q(first_year__gte=F("submitted_year") - ctx.p["years"]))
        .values_list("id", "first_year", "submitted_year")
    )
    for pk, first_year, submitted_year in rows:
        yield (
            pk,
            {
                "first_year": first_year if first_year is not None else "geen",
                "submitted_year": submitted_year,
                "years": ctx.p["years"],
            },
        )


def group_applicants(ctx: Context):
    d = _t(Dossier)
    query = (
        f"SELECT d.id, COUNT(DISTINCT d2.company_id) FROM {d} d "
        f"JOIN ({_links_sql()}) l ON l.a = d.company_id "
        f"JOIN {d} d2 ON d2.company_id = l.b AND d2.call_id = d.call_id AND d2.status <> 'draft' "
        f"WHERE d.call_id = %s AND {SCREENED_SQL} GROUP BY d.id HAVING COUNT(DISTINCT d2.company_id) + 1 >= %s"
    )
    for pk, others in _rows(query, [ctx.call.pk, ctx.p["min_companies"]]):
        yield pk, {"companies": others + 1, "min_companies": ctx.p["min_companies"]}


def review_overridden(ctx: Context):
    rows = (
        EligibilityResult.objects.filter(
            dossier__call=ctx.call, dossier__status__in=GRANTED, stage="decision", outcome="review"
        )
        .values_list("dossier_id", "criterion")
        .distinct()
        .order_by("dossier_id", "criterion")
    )
    criteria = defaultdict(list)
    for pk, criterion in rows:
        criteria[pk].append(criterion)
    for pk, names in criteria.items():
        if len(names) >= ctx.p["min_criteria"]:
            yield pk, {"criteria": ", ".join(names), "count": len(names)}


def public_participation_near_limit(ctx: Context):
    limit = ctx.call.max_public_participation_pct
    low = limit - ctx.p["margin_points"]
    rows = (
        _dossiers(ctx)
        .filter(company__public_participation_pct__gte=low, company__public_participation_pct__lt=limit)
        .values_list("id", "company__public_participation_pct")
    )
    for pk, pct in rows:
        yield pk, {"pct": _num(pct, "0.01"), "limit": _num(limit, "0.01"), "margin": _num(ctx.p["margin_points"])}


# --------------------------------------------------------------------------- provider


def provider_group_concentration(ctx: Context):
    """A group: a company with its linked enterprises up to two links deep (the smallest id names it)."""
    d = _t(Dossier)
    query = f"""
        WITH links AS ({_links_sql()}),
        g1 AS (SELECT a, MIN(b) AS m FROM links GROUP BY a),
        g2 AS (SELECT l.a, MIN(g1.m) AS m FROM links l JOIN g1 ON g1.a = l.b GROUP BY l.a),
        keyed AS (
            SELECT d.id, d.provider_id, {_least("d.company_id", "COALESCE(g1.m, d.company_id)", "COALESCE(g2.m, d.company_id)")} AS grp
            FROM {d} d LEFT JOIN g1 ON g1.a = d.company_id LEFT JOIN g2 ON g2.a = d.company_id
            WHERE d.call_id = %s AND {SCREENED_SQL}
        ),
        per_group AS (SELECT provider_id, grp, COUNT(*) AS n FROM keyed GROUP BY provider_id, grp),
        per_provider AS (SELECT provider_id, COUNT(*) AS total FROM keyed GROUP BY provider_id)
        SELECT k.id, pg.n, pp.total FROM keyed k
        JOIN per_group pg ON pg.provider_id = k.provider_id AND pg.grp = k.grp
        JOIN per_provider pp ON pp.provider_id = k.provider_id
        WHERE pg.n >= %s AND pg.n * 100.0 >= %s * pp.total
    """
    rows = _rows(query, [ctx.call.pk, ctx.p["min_dossiers"], ctx.p["share_pct"]])
    for pk, n, total in rows:
        yield pk, {"group_dossiers": n, "provider_dossiers": total, "share_pct": _pct(n, total)}


def provider_sme_linked(ctx: Context):
    d, c, p = _t(Dossier), _t(Company), _t(ServiceProvider)
    rel = _t(CompanyRelation)
    query = f"""
        SELECT d.id, MAX(pc.enterprise_number) FROM {d} d
        JOIN {p} p ON p.id = d.provider_id
        JOIN {c} pc ON pc.enterprise_number = p.enterprise_number
        LEFT JOIN {rel} r1 ON r1.company_id = d.company_id AND r1.related_company_id = pc.id
        LEFT JOIN {rel} r2 ON r2.related_company_id = d.company_id AND r2.company_id = pc.id
        WHERE d.call_id = %s AND {SCREENED_SQL}
          AND (d.company_id = pc.id OR r1.id IS NOT NULL OR r2.id IS NOT NULL)
        GROUP BY d.id
    """
    for pk, number in _rows(query, [ctx.call.pk]):
        yield pk, {"provider_enterprise_number": number}


def provider_failure_rate(ctx: Context):
    stats = (
        _dossiers(ctx)
        .exclude(status__in=["submitted", "withdrawn"])
        .values("provider_id")
        .annotate(decided=Count("id"), failed=Count("id", filter=Q(status__in=["rejected", "stopped"])))
        .filter(decided__gte=ctx.p["min_dossiers"])
    )
    flagged = {row["provider_id"]: row for row in stats if row["failed"] * 100 >= ctx.p["share_pct"] * row["decided"]}
    if not flagged:
        return
    rows = (
        _dossiers(ctx)
        .filter(provider_id__in=flagged, status__in=["approved", "in_progress"])
        .values_list("id", "provider_id")
    )
    for pk, provider_id in rows:
        row = flagged[provider_id]
        yield pk, {"failed": row["failed"], "decided": row["decided"], "share_pct": _pct(row["failed"], row["decided"])}


# --------------------------------------------------------------------------- quote and price


def quote_at_ceiling(ctx: Context):
    ceiling = ctx.p["ceiling"] if ctx.p["ceiling"] is not None else ctx.call.max_quote_excl_vat
    if ceiling is None:
        return
    low = ceiling * (1 - ctx.p["margin_pct"] / 100)
    rows = (
        _dossiers(ctx).filter(quote_excl_vat__gte=low, quote_excl_vat__lte=ceiling).values_list("id", "quote_excl_vat")
    )
    for pk, quote in rows:
        yield pk, {"quote": _money(quote), "ceiling": _money(ceiling), "margin_pct": _num(ctx.p["margin_pct"])}


def man_day_rate_outlier(ctx: Context):
    d = _t(Dossier)
    query = f"""
        WITH r AS (
            SELECT d.id, d.package_mix AS g, d.quote_excl_vat * 1.0 / d.quote_man_days AS rate
            FROM {d} d WHERE d.call_id = %s AND {SCREENED_SQL} AND d.quote_man_days > 0
        ),
        ranked AS (
            SELECT g, rate, ROW_NUMBER() OVER (PARTITION BY g ORDER BY rate) AS rn, COUNT(*) OVER (PARTITION BY g) AS cnt
            FROM r
        ),
        med AS (SELECT g, AVG(rate) AS med, MAX(cnt) AS cnt FROM ranked WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2) GROUP BY g),
        dev AS (SELECT r.g, ABS(r.rate - med.med) AS dv FROM r JOIN med ON med.g = r.g),
        ranked2 AS (
            SELECT g, dv, ROW_NUMBER() OVER (PARTITION BY g ORDER BY dv) AS rn, COUNT(*) OVER (PARTITION BY g) AS cnt
            FROM dev
        ),
        mad AS (SELECT g, AVG(dv) AS mad FROM ranked2 WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2) GROUP BY g)
        SELECT r.id, r.g, r.rate, med.med, mad.mad, med.cnt FROM r
        JOIN med ON med.g = r.g JOIN mad ON mad.g = r.g
        WHERE med.cnt >= %s AND mad.mad > 0 AND ABS(r.rate - med.med) > %s * 1.4826 * mad.mad
          AND ABS(r.rate - med.med) * 100 >= %s * med.med
    """
    rows = _rows(query, [ctx.call.pk, ctx.p["min_peers"], ctx.p["z_threshold"], ctx.p["min_deviation_pct"]])
    for pk, mix, rate, median, mad, peers in rows:
        z = (Decimal(str(rate)) - Decimal(str(median))) / (Decimal("1.4826") * Decimal(str(mad)))
        yield (
            pk,
            {
                "package_mix": mix,
                "rate": _money(rate),
                "median": _money(median),
                "z": _num(z),
                "peers": peers,
                "z_threshold": _num(ctx.p["z_threshold"]),
                "deviation_pct": _pct(abs(Decimal(str(rate)) - Decimal(str(median))), median),
                "min_deviation_pct": _num(ctx.p["min_deviation_pct"]),
            },
        )


def quote_above_list_price(ctx: Context):
    factor = 1 + ctx.p["over_pct"] / 100
    rows = (
        QuoteLine.objects.filter(dossier__in=_dossiers(ctx), package__list_price_excl_vat__isnull=False)
        .filter(amount_excl_vat__gt=F("package__list_price_excl_vat") * factor)
        .values_list("dossier_id", "package__code", "amount_excl_vat", "package__list_price_excl_vat")
        .order_by("dossier_id", "package__code")
    )
    seen = set()
    for pk, code, amount, price in rows:
        if pk in seen:
            continue
        seen.add(pk)
        yield (
            pk,
            {
                "package": code,
                "amount": _money(amount),
                "list_price": _money(price),
                "over_pct": _num(ctx.p["over_pct"]),
            },
        )


# --------------------------------------------------------------------------- performance


def statement_jump(ctx: Context):
    threshold = ctx.call.tranche1_delivery_threshold
    tolerance = ctx.p["tolerance_pct"] / 100
    quote = F("quote_excl_vat")
    low, high = quote * threshold, quote * (threshold + tolerance)
    rows = (
        _dossiers(ctx)
        .filter(quote_excl_vat__gt=0)
        .annotate(
            at_threshold=Count(
                "statements", filter=Q(statements__delivered_amount__gte=low, statements__delivered_amount__lte=high)
            ),
            complete=Count("statements", filter=Q(statements__delivered_amount__gte=quote)),
            between=Count(
                "statements",
                filter=Q(statements__delivered_amount__gt=0)
                & ~Q(statements__delivered_amount__gte=low, statements__delivered_amount__lte=high)
                & Q(statements__delivered_amount__lt=quote),
            ),
        )
        .filter(at_threshold__gte=1, complete__gte=1, between=0)
        .values_list("id", "quote_excl_vat")
    )
    for pk, _quote in rows:
        yield pk, {"threshold_pct": _num(threshold * 100, "1"), "tolerance_pct": _num(ctx.p["tolerance_pct"])}


def delivery_in_one_quarter(ctx: Context):
    rows = (
        _dossiers(ctx)
        .filter(quote_excl_vat__gt=0, quote_man_days__gte=ctx.p["min_man_days"])
        .annotate(
            first_positive=Min("statements__delivered_amount", filter=Q(statements__delivered_amount__gt=0)),
            statements_count=Count("statements"),
        )
        .filter(first_positive__gte=F("quote_excl_vat"))
        .values_list("id", "quote_man_days", "statements_count")
    )
    for pk, man_days, count in rows:
        yield pk, {"man_days": _num(man_days), "statements": count, "min_man_days": ctx.p["min_man_days"]}


def finished_too_fast(ctx: Context):
    d = _t(Dossier)
    days = _days("d.finished_date", "d.started_date")
    query = (
        f"SELECT d.id, {days} FROM {d} d WHERE d.call_id = %s AND d.status = 'finished' "
        f"AND d.finished_date IS NOT NULL AND d.started_date IS NOT NULL AND {days} < %s"
    )
    for pk, days_taken in _rows(query, [ctx.call.pk, ctx.p["min_days"]]):
        yield pk, {"days": days_taken, "min_days": ctx.p["min_days"]}


# --------------------------------------------------------------------------- payment


def request_soon_after_approval(ctx: Context):
    d, r = _t(Dossier), _t(PaymentRequest)
    days = _days("r.requested_date", "d.decided_date")
    query = (
        f"SELECT d.id, MIN({days}) FROM {d} d JOIN {r} r ON r.dossier_id = d.id "
        f"WHERE d.call_id = %s AND d.decided_date IS NOT NULL AND {days} <= %s GROUP BY d.id"
    )
    for pk, days_after in _rows(query, [ctx.call.pk, ctx.p["max_days"]]):
        yield pk, {"days": days_after, "max_days": ctx.p["max_days"]}


def request_after_stop(ctx: Context):
    d, r = _t(Dossier), _t(PaymentRequest)
    query = f"""
        SELECT d.id, d.stopped_date, MAX(r.requested_date) FROM {d} d JOIN {r} r ON r.dossier_id = d.id
        WHERE d.call_id = %s AND d.status = 'stopped' AND d.stopped_date IS NOT NULL
          AND r.requested_date > d.stopped_date
        GROUP BY d.id, d.stopped_date
    """
    for pk, stopped, requested in _rows(query, [ctx.call.pk]):
        yield pk, {"stopped": str(stopped), "requested": str(requested)}


def rejected_requests(ctx: Context):
    rows = (
        PaymentRequest.objects.filter(dossier__call=ctx.call, status="rejected")
        .values("dossier_id")
        .annotate(n=Count("id"))
        .filter(n__gte=ctx.p["min_rejected"])
        .values_list("dossier_id", "n")
    )
    for pk, n in rows:
        yield pk, {"rejected": n, "min_rejected": ctx.p["min_rejected"]}


# --------------------------------------------------------------------------- documents


def same_file(ctx: Context):
    shared = (
        DossierDocument.objects.values("sha256")
        .annotate(n=Count("dossier", distinct=True))
        .filter(n__gte=2)
        .values("sha256")
    )
    rows = (
        DossierDocument.objects.filter(sha256__in=shared)
        .values_list("sha256", "dossier_id", "dossier__reference", "dossier__call_id")
        .distinct()
        .order_by("sha256", "dossier__reference")
    )
    by_hash = defaultdict(list)
    for sha, pk, reference, call_id in rows:
        by_hash[sha].append((pk, reference, call_id))
    flagged = {}
    for sha, dossiers in by_hash.items():
        for pk, _reference, call_id in dossiers:
            if call_id != ctx.call.pk or pk in flagged:
                continue
            others = [ref for other, ref, _ in dossiers if other != pk]
            flagged[pk] = {"sha256": sha[:12], "others": ", ".join(others[:5]), "count": len(others)}
    yield from flagged.items()


def _report_texts(ctx: Context):
    """(dossier id, company id, reference, free text) of the call's final reports with at least `min_words`
    words. The structured improvement points are left out: they come from a shared list of themes, so two
    reports may rightly share them; a copied free text is the red flag."""
    reports = (
        FinalReport.objects.filter(dossier__call=ctx.call)
        .annotate(chars=Length("improvements"))
        .filter(chars__gte=ctx.p["min_words"] * 3)
        .values_list("dossier_id", "dossier__company_id", "dossier__reference", "improvements")
        .order_by("id")
        .iterator(chunk_size=5000)
    )
    for dossier_id, company_id, reference, text in reports:
        if len(text.split()) >= ctx.p["min_words"]:
            yield dossier_id, company_id, reference, text


def near_duplicate_report(ctx: Context):
    pairs = near_duplicate_pairs(
        _report_texts(ctx),
        threshold=float(ctx.p["similarity"]),
        num_perm=ctx.p["permutations"],
        shingle=ctx.p["shingle_words"],
    )
    best: dict[int, dict] = {}
    for (a, ref_a), (b, ref_b), similarity in pairs:
        for pk, other in ((a, ref_b), (b, ref_a)):
            if pk not in best or similarity > Decimal(best[pk]["similarity_pct"]) / 100:
                best[pk] = {
                    "other": other,
                    "similarity_pct": _num(similarity * 100, "1"),
                    "threshold_pct": _num(ctx.p["similarity"] * 100, "1"),
                }
    yield from best.items()


def final_report_missing(ctx: Context):
    if ctx.p["days"] is None:
        return
    d, f = _t(Dossier), _t(FinalReport)
    days = _days("%s", "d.finished_date")
    query = (
        f"SELECT d.id, {days}, f.id FROM {d} d LEFT JOIN {f} f ON f.dossier_id = d.id "
        f"WHERE d.call_id = %s AND d.status = 'finished' AND d.finished_date IS NOT NULL "
        f"AND (f.id IS NULL OR f.sme_signed_at IS NULL) AND {days} > %s"
    )
    today = ctx.today
    for pk, days_since, report in _rows(query, [today, ctx.call.pk, today, ctx.p["days"]]):
        yield (
            pk,
            {
                "days": days_since,
                "max_days": ctx.p["days"],
                "state": gettext_noop("niet medeondertekend") if report else gettext_noop("ontbreekt"),
            },
        )


def short_final_report(ctx: Context):
    """Little free text and (almost) no structured improvement points."""
    rows = (
        FinalReport.objects.filter(dossier__call=ctx.call)
        .annotate(chars=Length("improvements"), n_points=Count("points"))
        .filter(chars__lt=ctx.p["min_chars"], n_points__lt=ctx.p["min_points"])
        .values_list("dossier_id", "chars", "n_points")
    )
    for pk, chars, n_points in rows:
        yield (
            pk,
            {
                "chars": chars,
                "points": n_points,
                "min_chars": ctx.p["min_chars"],
                "min_points": ctx.p["min_points"],
            },
        )


# --------------------------------------------------------------------------- double funding and frequency


def de_minimis_same_purpose(ctx: Context):
    d, aid = _t(Dossier), _t(DeMinimisAid)
    days = _days("d.submitted_date", "a.granted_date")
    keywords = ctx.p["keywords"]
    like = " OR ".join(["LOWER(a.description) LIKE %s"] * len(keywords))
    query = f"""
        SELECT d.id, MAX(a.granted_date), COUNT(a.id) FROM {d} d JOIN {aid} a ON a.company_id = d.company_id
        WHERE d.call_id = %s AND {SCREENED_SQL} AND d.submitted_date IS NOT NULL
          AND {days} BETWEEN 0 AND %s AND ({like})
        GROUP BY d.id
    """
    params = [ctx.call.pk, ctx.p["years"] * 366, *[f"%{k}%" for k in keywords]]
    for pk, granted, n in _rows(query, params):
        yield pk, {"granted": str(granted), "count": n, "years": ctx.p["years"]}


def split_over_linked(ctx: Context):
    d = _t(Dossier)
    days = _days("d2.submitted_date", "d.submitted_date")
    query = f"""
        SELECT d.id, MIN(d2.reference) FROM {d} d
        JOIN ({_links_sql()}) l ON l.a = d.company_id
        JOIN {d} d2 ON d2.company_id = l.b AND d2.provider_id = d.provider_id AND d2.status <> 'draft'
        WHERE d.call_id = %s AND {SCREENED_SQL} AND d.submitted_date IS NOT NULL AND d2.submitted_date IS NOT NULL
          AND {days} BETWEEN -%s AND %s
        GROUP BY d.id
    """
    for pk, other in _rows(query, [ctx.call.pk, ctx.p["days"], ctx.p["days"]]):
        yield pk, {"other": other, "days": ctx.p["days"]}


def repeated_support(ctx: Context):
    d = _t(Dossier)
    interval = ctx.call.support_interval_years
    window = f"AND ABS({_days('d2.submitted_date', 'd.submitted_date')}) < %s" if interval else ""
    query = f"""
        SELECT d.id, MIN(d2.reference) FROM {d} d
        JOIN {d} d2 ON d2.company_id = d.company_id AND d2.id <> d.id
            AND d2.status IN ('approved','in_progress','finished','stopped')
        WHERE d.call_id = %s AND {SCREENED_SQL} AND d.submitted_date IS NOT NULL AND d2.submitted_date IS NOT NULL
            AND d2.submitted_date <= d.submitted_date {window}
        GROUP BY d.id
    """
    params = [ctx.call.pk] + ([interval * 365] if interval else [])
    for pk, other in _rows(query, params):
        yield pk, {"other": other, "rule": f"eens per {interval} jaar" if interval else "eenmaal per onderneming"}


# --------------------------------------------------------------------------- the registry

ARACHNE = "ARACHNE-risicocategorie"
EU_FRAUD = "Europese Commissie, fraude-indicatoren (OLAF, 'red flags' voor aanbestedingen en subsidies)"

P = Parameter
INDICATORS: list[Indicator] = [
    Indicator(
        code="A1_GROOTTE_NABIJ_PLAFOND",
        category=Category.APPLICANT,
        title=_("Grootte vlak onder een kmo-plafond"),
        detects=_(
            "Personeel, omzet of balanstotaal ligt binnen enkele procent onder het plafond van de eigen grootteklasse."
        ),
        why=_(
            "Cijfers net onder een drempel wijzen op afgeronde of aangepaste opgaven om als kmo (of kleinere kmo) te gelden."
        ),
        source=f"{ARACHNE} 'begunstigde'; EU-kmo-definitie (Aanbeveling 2003/361/EG)",
        weight=Decimal("1.0"),
        parameters=(P("margin_pct", "decimal", "5", _("marge onder het plafond, in %")),),
        explanation=_("Grootteklasse %(size_class)s, maar binnen %(margin_pct)s %% van het plafond: %(near)s."),
        compute=size_near_ceiling,
    ),
    Indicator(
        code="A2_JONGE_ONDERNEMING",
        category=Category.APPLICANT,
        title=_("Onderneming kort voor de aanvraag opgericht"),
        detects=_(
            "Het eerste boekjaar van de onderneming ligt hoogstens enkele jaren vóór de aanvraag, of er is geen jaarrekening."
        ),
        why=_(
            "Een vennootschap die pas voor de subsidie werd opgericht, is een bekend patroon van schijnbegunstigden."
        ),
        source=f"{ARACHNE} 'begunstigde'; {EU_FRAUD}",
        weight=Decimal("0.5"),
        parameters=(
            P("years", "int", 1, _("hoeveel jaar vóór het jaar van indiening het eerste boekjaar mag liggen")),
        ),
        explanation=_(
            "Eerste boekjaar %(first_year)s, aanvraag in %(submitted_year)s: de onderneming bestond hoogstens %(years)s jaar."
        ),
        compute=young_company,
    ),
    Indicator(
        code="A3_GROEP_MEERDERE_AANVRAGERS",
        category=Category.APPLICANT,
        title=_("Meerdere ondernemingen van één groep vragen steun aan"),
        detects=_("Verbonden ondernemingen (meer dan 50 %) dienen elk een aanvraag in binnen dezelfde oproep."),
        why=_(
            "Eén groep kan zo het plafond per onderneming omzeilen; de kmo-toets telt verbonden ondernemingen samen."
        ),
        source=f"{ARACHNE} 'begunstigde'; EU-kmo-definitie (verbonden ondernemingen)",
        weight=Decimal("1.5"),
        parameters=(P("min_companies", "int", 2, _("minimum aantal ondernemingen van de groep met een aanvraag")),),
        explanation=_(
            "%(companies)s verbonden ondernemingen van dezelfde groep hebben een aanvraag in deze oproep (drempel %(min_companies)s)."
        ),
        compute=group_applicants,
    ),
    Indicator(
        code="A4_TOETS_OVERRULED",
        category=Category.APPLICANT,
        title=_("Goedgekeurd ondanks na te kijken criteria"),
        detects=_("De dossierbehandelaar keurde goed met een motivering terwijl criteria 'na te kijken' bleven."),
        why=_("Uitzonderingen op de toets zijn legitiem maar verdienen een tweede blik."),
        source=_("Interne controle (vier-ogenprincipe)"),
        weight=Decimal("0.5"),
        parameters=(P("min_criteria", "int", 1, _("minimum aantal na te kijken criteria")),),
        explanation=_("Goedgekeurd met %(count)s na te kijken criterium/criteria: %(criteria)s."),
        compute=review_overridden,
    ),
    Indicator(
        code="A5_OVERHEIDSPARTICIPATIE_NABIJ_GRENS",
        category=Category.APPLICANT,
        title=_("Overheidsparticipatie vlak onder de grens"),
        detects=_("De participatie van overheden ligt net onder het maximum van de oproep."),
        why=_(
            "Net onder de grens van 25 % valt een onderneming nog onder de kmo-definitie; een kleine wijziging sluit ze uit."
        ),
        source=_("EU-kmo-definitie (Aanbeveling 2003/361/EG, art. 3.4)"),
        weight=Decimal("0.5"),
        parameters=(P("margin_points", "decimal", "2", _("marge onder de grens, in procentpunt")),),
        explanation=_(
            "Overheidsparticipatie %(pct)s %%, binnen %(margin)s procentpunt onder de grens van %(limit)s %%."
        ),
        compute=public_participation_near_limit,
    ),
    Indicator(
        code="P1_DIENSTVERLENER_GROEPSCONCENTRATIE",
        category=Category.PROVIDER,
        title=_("Dienstverlener werkt vooral voor één groep"),
        detects=_("Een groot deel van de dossiers van een dienstverlener gaat naar ondernemingen van één groep."),
        why=_("Concentratie bij één klantengroep wijst op verweven belangen of een rondpompconstructie."),
        source=f"{ARACHNE} 'contractant'; {EU_FRAUD}",
        weight=Decimal("1.0"),
        parameters=(
            P("share_pct", "decimal", "25", _("aandeel van de dossiers van de dienstverlener, in %")),
            P("min_dossiers", "int", 3, _("minimum aantal dossiers van de groep")),
        ),
        explanation=_(
            "%(group_dossiers)s van de %(provider_dossiers)s dossiers van deze dienstverlener (%(share_pct)s %%) gaan naar dezelfde groep."
        ),
        compute=provider_group_concentration,
    ),
    Indicator(
        code="P2_DIENSTVERLENER_VERBONDEN_MET_KMO",
        category=Category.PROVIDER,
        title=_("Dienstverlener en kmo zijn verbonden"),
        detects=_(
            "De kmo is de dienstverlener zelf of heeft een relatie (partner of verbonden) met de onderneming van de dienstverlener."
        ),
        why=_("Belangenconflict: de dienstverlener factureert aan zichzelf en de subsidie vloeit terug."),
        source=f"{ARACHNE} 'belangenconflict'; {EU_FRAUD}",
        weight=Decimal("3.0"),
        parameters=(),
        explanation=_(
            "De kmo heeft een band met de onderneming van de dienstverlener (ondernemingsnummer %(provider_enterprise_number)s)."
        ),
        compute=provider_sme_linked,
    ),
    Indicator(
        code="P3_DIENSTVERLENER_VEEL_MISLUKT",
        category=Category.PROVIDER,
        title=_("Dienstverlener met veel geweigerde of stopgezette dossiers"),
        detects=_("Een hoog aandeel van de beslist dossiers van de dienstverlener werd geweigerd of stopgezet."),
        why=_(
            "Een dienstverlener die vaak onsubsidiabele aanvragen indient of trajecten niet afwerkt, verdient opvolging van zijn lopende dossiers."
        ),
        source=f"{ARACHNE} 'contractant'",
        weight=Decimal("0.5"),
        parameters=(
            P("share_pct", "decimal", "30", _("aandeel geweigerd of stopgezet, in %")),
            P("min_dossiers", "int", 5, _("minimum aantal beslist dossiers van de dienstverlener")),
        ),
        explanation=_(
            "%(failed)s van de %(decided)s beslist dossiers van deze dienstverlener (%(share_pct)s %%) werden geweigerd of stopgezet."
        ),
        compute=provider_failure_rate,
    ),
    Indicator(
        code="Q1_OFFERTE_AAN_PLAFOND",
        category=Category.PRICE,
        title=_("Offerte op of net onder het plafond van de oproep"),
        detects=_("Het offertebedrag ligt binnen enkele procent onder het maximum van de oproep."),
        why=_("Offertes die het maximum opzoeken, volgen vaak het budget in plaats van het werk."),
        source=f"{EU_FRAUD} (prijzen net onder drempels)",
        weight=Decimal("0.5"),
        parameters=(
            P("ceiling", "decimal", None, _("plafond excl. btw; leeg: het maximum van de oproep")),
            P("margin_pct", "decimal", "2", _("marge onder het plafond, in %")),
        ),
        explanation=_("Offerte %(quote)s excl. btw ligt binnen %(margin_pct)s %% onder het plafond van %(ceiling)s."),
        compute=quote_at_ceiling,
    ),
    Indicator(
        code="Q2_DAGTARIEF_AFWIJKEND",
        category=Category.PRICE,
        title=_("Dagtarief ver van dat van de collega's"),
        detects=_(
            "Het bedrag per mensdag wijkt sterk af van de mediaan voor dezelfde pakketcombinatie (robuuste z-score met de MAD)."
        ),
        why=_("Opgedreven prijzen of mensdagen: hetzelfde pakket hoort ongeveer hetzelfde te kosten per dag."),
        source=f"{ARACHNE} 'contract' (prijsafwijkingen); {EU_FRAUD}",
        weight=Decimal("1.5"),
        parameters=(
            P("z_threshold", "decimal", "3.5", _("drempel voor de robuuste z-score")),
            P("min_peers", "int", 10, _("minimum aantal dossiers met dezelfde pakketcombinatie")),
            P("min_deviation_pct", "decimal", "25", _("minimale afwijking van de mediaan, in %")),
        ),
        explanation=_(
            "Dagtarief %(rate)s tegenover een mediaan van %(median)s voor '%(package_mix)s' (%(peers)s dossiers): "
            "%(deviation_pct)s %% afwijking, robuuste z-score %(z)s (drempels %(min_deviation_pct)s %% en %(z_threshold)s)."
        ),
        compute=man_day_rate_outlier,
    ),
    Indicator(
        code="Q3_BOVEN_RICHTPRIJS",
        category=Category.PRICE,
        title=_("Pakket boven de richtprijs"),
        detects=_("Een offertelijn ligt meer dan een marge boven de richtprijs van het pakket."),
        why=_("De raamovereenkomst legt de prijzen vast; een hogere offerte is een opgedreven prijs of een fout."),
        source=_("Raamovereenkomst dienstverleners (catalogusprijzen)"),
        weight=Decimal("1.0"),
        parameters=(P("over_pct", "decimal", "25", _("marge boven de richtprijs, in %")),),
        explanation=_(
            "Pakket %(package)s geofferteerd aan %(amount)s, meer dan %(over_pct)s %% boven de richtprijs van %(list_price)s."
        ),
        compute=quote_above_list_price,
    ),
    Indicator(
        code="R1_PRESTATIE_SPRONG_NAAR_DREMPEL",
        category=Category.PERFORMANCE,
        title=_("Prestatiestaat springt van niets naar precies de drempel en dan 100 %"),
        detects=_(
            "De enige tussentijdse staat ligt exact op de drempel van de eerste schijf, daarna volgt meteen 100 %."
        ),
        why=_(
            "Staten die precies de betalingsdrempel raken, zijn vaak naar de betaling toe geschreven in plaats van gemeten."
        ),
        source=f"{EU_FRAUD} (prestatiestaten)",
        weight=Decimal("1.0"),
        parameters=(P("tolerance_pct", "decimal", "1", _("hoeveel procentpunt boven de drempel nog 'precies' is")),),
        explanation=_(
            "De staten gaan van niets naar %(threshold_pct)s %% (binnen %(tolerance_pct)s procentpunt) en dan naar 100 %%, zonder tussenstappen."
        ),
        compute=statement_jump,
    ),
    Indicator(
        code="R2_ALLES_IN_EEN_KWARTAAL",
        category=Category.PERFORMANCE,
        title=_("Alle prestaties in één kwartaal"),
        detects=_(
            "De eerste staat met prestaties meldt meteen de volledige offerte, bij een traject van vele mensdagen."
        ),
        why=_(
            "Een begeleidingstraject van weken in één keer afgerond, wijst op niet of niet volledig geleverde diensten."
        ),
        source=f"{EU_FRAUD} (niet-geleverde diensten)",
        weight=Decimal("1.0"),
        parameters=(P("min_man_days", "int", 10, _("minimum mensdagen in de offerte")),),
        explanation=_(
            "De volledige offerte van %(man_days)s mensdagen werd in één kwartaal geleverd (%(statements)s staat/staten)."
        ),
        compute=delivery_in_one_quarter,
    ),
    Indicator(
        code="R3_TE_SNEL_AFGEROND",
        category=Category.PERFORMANCE,
        title=_("Traject onwaarschijnlijk snel afgerond"),
        detects=_("Tussen start en afronding liggen minder dagen dan een traject redelijkerwijs duurt."),
        why=_("Analyse, plan en begeleiding vragen tijd; een traject van enkele dagen is wellicht niet geleverd."),
        source=f"{EU_FRAUD} (niet-geleverde diensten)",
        weight=Decimal("1.5"),
        parameters=(P("min_days", "int", 30, _("minimum aantal dagen tussen start en afronding")),),
        explanation=_("Afgerond %(days)s dagen na de start; minder dan %(min_days)s dagen is onwaarschijnlijk."),
        compute=finished_too_fast,
    ),
    Indicator(
        code="B1_AANVRAAG_OP_DAG_GOEDKEURING",
        category=Category.PAYMENT,
        title=_("Betalingsaanvraag op de dag van de goedkeuring"),
        detects=_("Een betalingsaanvraag volgt binnen enkele dagen op de goedkeuring van het dossier."),
        why=_("Er kan nog niets geleverd zijn: de aanvraag steunt op werk van vóór de goedkeuring of op niets."),
        source=f"{ARACHNE} 'contract' (betalingen)",
        weight=Decimal("1.5"),
        parameters=(P("max_days", "int", 0, _("hoogstens zoveel dagen na de goedkeuring")),),
        explanation=_("Betalingsaanvraag %(days)s dag(en) na de goedkeuring (drempel %(max_days)s)."),
        compute=request_soon_after_approval,
    ),
    Indicator(
        code="B2_AANVRAAG_NA_STOPZETTING",
        category=Category.PAYMENT,
        title=_("Betalingsaanvraag na de stopzetting"),
        detects=_("Een betalingsaanvraag is gedateerd na de stopzetting van het traject."),
        why=_("Na een stopzetting is enkel het geleverde tot dan verschuldigd; latere aanvragen zijn verdacht."),
        source=f"{ARACHNE} 'contract' (betalingen)",
        weight=Decimal("2.0"),
        parameters=(),
        explanation=_("Gestopt op %(stopped)s, maar een betalingsaanvraag op %(requested)s."),
        compute=request_after_stop,
    ),
    Indicator(
        code="B3_AFGEWEZEN_AANVRAGEN",
        category=Category.PAYMENT,
        title=_("Herhaald afgewezen betalingsaanvragen"),
        detects=_("Meerdere betalingsaanvragen van het dossier werden afgewezen."),
        why=_("Wie blijft aanvragen wat niet verschuldigd is, test de controle."),
        source=_("Interne controle"),
        weight=Decimal("1.0"),
        parameters=(P("min_rejected", "int", 2, _("minimum aantal afgewezen aanvragen")),),
        explanation=_("%(rejected)s betalingsaanvragen van dit dossier werden afgewezen (drempel %(min_rejected)s)."),
        compute=rejected_requests,
    ),
    Indicator(
        code="D1_ZELFDE_BESTAND",
        category=Category.DOCUMENTS,
        title=_("Hetzelfde bestand in meerdere dossiers"),
        detects=_("Een document (zelfde SHA-256) zit ook in een ander dossier."),
        why=_(
            "Een offerte, verklaring of verslag hoort bij één kmo; hergebruik wijst op kopieerwerk of valse stukken."
        ),
        source=f"{ARACHNE} 'documenten'; {EU_FRAUD} (documenten)",
        weight=Decimal("2.0"),
        parameters=(),
        explanation=_("Bestand %(sha256)s… zit ook in %(count)s ander(e) dossier(s): %(others)s."),
        compute=same_file,
    ),
    Indicator(
        code="D2_EINDVERSLAG_BIJNA_IDENTIEK",
        category=Category.DOCUMENTS,
        title=_("Eindverslag bijna identiek aan dat van een andere kmo"),
        detects=_(
            "Het eindverslag lijkt tekstueel sterk op dat van een andere kmo (MinHash met locality-sensitive hashing, nooit alle paren)."
        ),
        why=_("Een verslag dat voor twee kmo's hetzelfde is, beschrijft wellicht geen echt geleverd traject."),
        source=f"{EU_FRAUD} (documenten); ARACHNE",
        weight=Decimal("2.0"),
        parameters=(
            P(
                "similarity",
                "decimal",
                "0.8",
                _("geschatte Jaccard-gelijkenis (0-1) vanaf wanneer verslagen bijna identiek zijn"),
            ),
            P("permutations", "int", 128, _("aantal MinHash-permutaties")),
            P("shingle_words", "int", 3, _("woorden per shingle")),
            P("min_words", "int", 30, _("enkel verslagen met minstens zoveel woorden vrije tekst")),
        ),
        explanation=_(
            "Het eindverslag is voor %(similarity_pct)s %% gelijk aan dat van dossier %(other)s (drempel %(threshold_pct)s %%)."
        ),
        compute=near_duplicate_report,
    ),
    Indicator(
        code="D3_EINDVERSLAG_ONTBREEKT",
        category=Category.DOCUMENTS,
        title=_("Eindverslag ontbreekt of is niet medeondertekend"),
        detects=_("Lang na de afronding is er geen eindverslag, of de kmo ondertekende het niet mee."),
        why=_("Het eindverslag is het bewijs dat het traject geleverd werd; de kmo bevestigt het."),
        source=_("Reglement cybersecurity verbetertrajecten (eindverslag)"),
        weight=Decimal("1.0"),
        parameters=(P("days", "int", 120, _("zoveel dagen na de afronding; leeg: niet toepassen")),),
        explanation=_("Afgerond %(days)s dagen geleden en het eindverslag %(state)s (termijn %(max_days)s dagen)."),
        compute=final_report_missing,
    ),
    Indicator(
        code="D4_EINDVERSLAG_TE_KORT",
        category=Category.DOCUMENTS,
        title=_("Eindverslag opvallend kort"),
        detects=_("De beschrijving van de gerealiseerde verbeteringen telt weinig tekens."),
        why=_("Een verslag van een paar regels toont niet aan welke verbeteringen werden gerealiseerd."),
        source=_("Reglement cybersecurity verbetertrajecten (eindverslag)"),
        weight=Decimal("0.5"),
        parameters=(
            P("min_chars", "int", 200, _("minimum aantal tekens vrije tekst")),
            P("min_points", "int", 2, _("minimum aantal gestructureerde verbeterpunten")),
        ),
        explanation=_(
            "Het eindverslag telt %(chars)s tekens vrije tekst (minder dan %(min_chars)s) en %(points)s "
            "verbeterpunten (minder dan %(min_points)s)."
        ),
        compute=short_final_report,
    ),
    Indicator(
        code="F1_DEMINIMIS_ZELFDE_DOEL",
        category=Category.DOUBLE_FUNDING,
        title=_("Andere de-minimissteun voor hetzelfde doel"),
        detects=_(
            "De onderneming kreeg in de jaren vóór de aanvraag de-minimissteun met een omschrijving over cyberbeveiliging."
        ),
        why=_("Dezelfde kosten mogen niet twee keer gesubsidieerd worden (cumulregel)."),
        source=f"{ARACHNE} 'concentratie'; Verordening (EU) 2023/2831 (cumulatie)",
        weight=Decimal("2.0"),
        parameters=(
            P("years", "int", 3, _("hoeveel jaar vóór de aanvraag")),
            P(
                "keywords",
                "keywords",
                ["cyber", "informatiebeveiliging", "it-beveiliging"],
                _("trefwoorden in de omschrijving van de steun"),
            ),
        ),
        explanation=_(
            "%(count)s de-minimissteun(en) voor een gelijkaardig doel in de %(years)s jaar vóór de aanvraag, de laatste op %(granted)s."
        ),
        compute=de_minimis_same_purpose,
    ),
    Indicator(
        code="F2_PROJECT_GESPLITST",
        category=Category.DOUBLE_FUNDING,
        title=_("Eén project gesplitst over verbonden ondernemingen"),
        detects=_("Verbonden ondernemingen dienen bij dezelfde dienstverlener kort na elkaar een aanvraag in."),
        why=_("Eén traject opsplitsen over groepsvennootschappen omzeilt het plafond en de eenmaligheid."),
        source=f"{EU_FRAUD} (opsplitsen van opdrachten)",
        weight=Decimal("2.0"),
        parameters=(P("days", "int", 90, _("hoogstens zoveel dagen tussen de aanvragen")),),
        explanation=_(
            "Verbonden onderneming diende bij dezelfde dienstverlener binnen %(days)s dagen ook een aanvraag in (dossier %(other)s)."
        ),
        compute=split_over_linked,
    ),
    Indicator(
        code="F3_HERHAALDE_STEUN",
        category=Category.DOUBLE_FUNDING,
        title=_("Opnieuw steun binnen de termijn"),
        detects=_("Dezelfde onderneming kreeg al steun binnen de termijn van de frequentieregel."),
        why=_("De frequentieregel (eenmaal, of eens per vier jaar) beperkt steun per onderneming."),
        source=_("Reglement cybersecurity verbetertrajecten (frequentie)"),
        weight=Decimal("2.0"),
        parameters=(),
        explanation=_("De onderneming kreeg al steun in dossier %(other)s (regel: %(rule)s)."),
        compute=repeated_support,
    ),
]

REGISTRY: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
