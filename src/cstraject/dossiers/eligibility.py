"""Eligibility (subsidiabiliteit): every criterion checked separately and stored.

`eligibility_check` runs at submission and again at the decision. Each
criterion gives an `EligibilityResult` with an outcome (pass / fail /
review), a Dutch reason naming the rule and the figures, and the data used.
The approve transition refuses when a criterion fails, and accepts "review"
only with an explicit motivation by a case handler (see services).

Every threshold that can change comes from the call (`Call`), the de minimis
regime table (`de_minimis.REGIMES`) or the EU SME ceilings
(`companies.sme.CEILINGS`); no rule tests a year.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.calls.models import FrequencyScope
from cstraject.companies.figures import MASTER_DATA, CompanyFigures
from cstraject.companies.models import Company
from cstraject.companies.sme import LINKED_ABOVE_PCT, sme_status
from cstraject.core.geography import Region
from cstraject.core.money import format_euro
from cstraject.core.numbers import format_date, format_number

from .de_minimis import regime_on
from .declarations import DECLARATIONS, declarations_missing
from .declared import dossier_figures
from .models import (
    GRANTED_STATUSES,
    Criterion,
    Dossier,
    DossierStatus,
    EligibilityOutcome,
    EligibilityResult,
    EligibilityStage,
)

PASS, FAIL, REVIEW = EligibilityOutcome.PASS, EligibilityOutcome.FAIL, EligibilityOutcome.REVIEW


@dataclass
class Outcome:
    outcome: str
    reason: str
    data: dict


def single_undertaking(company: Company, figures: CompanyFigures = MASTER_DATA) -> set[int]:
    """The company and its linked enterprises (> 50 %, either direction): one undertaking."""
    ids = {company.pk}
    frontier = {company.pk}
    while frontier:
        found = set()
        for a, b in figures.links(company_ids=frontier, above_pct=LINKED_ABOVE_PCT):
            found.update({a, b})
        frontier = found - ids
        ids |= found
    return ids


def _years_before(on_date: date, years: int) -> date:
    try:
        return on_date.replace(year=on_date.year - years)
    except ValueError:  # 29 February
        return on_date.replace(year=on_date.year - years, day=28)


# --- the criteria -------------------------------------------------------------------------


def check_sme(dossier: Dossier, on_date: date) -> Outcome:
    company, call = dossier.company, dossier.call
    status = sme_status(company=company, on_date=on_date, source=dossier_figures(dossier))
    data = {
        "size_class": status.size_class,
        "years": [y.as_data() for y in status.years],
        "is_social_enterprise": company.is_social_enterprise,
        "social_enterprises_excluded": call.social_enterprises_excluded,
    }
    if company.is_social_enterprise and call.social_enterprises_excluded:
        return Outcome(
            PASS,
            _("Maatwerkbedrijf: vrijgesteld van de kmo-toets volgens de oproep. %(reason)s")
            % {"reason": status.reason},
            data,
        )
    if status.size_class is None:
        return Outcome(REVIEW, status.reason, data)
    if not status.complete:
        missing = sorted({n for y in status.years for n in y.missing})
        return Outcome(
            REVIEW,
            (
                _(
                    "Jaarrekening ontbreekt voor partner- of verbonden onderneming(en) %(missing)s; zonder hun cijfers: %(reason)s"
                )
                % {"missing": ", ".join(missing), "reason": status.reason}
            ),
            data,
        )
    if status.size_class == "groot":
        return Outcome(
            FAIL, (_("Geen kmo volgens Aanbeveling 2003/361/EG. %(reason)s") % {"reason": status.reason}), data
        )
    return Outcome(PASS, status.reason, data)


def check_frequency(dossier: Dossier, on_date: date) -> Outcome:
    """Once per company (or per N years): granted dossiers count; a pending one is "to review", named.

    Whom it counts is the call's `frequency_scope`: the enterprise itself (default, as the call says
    "een onderneming kan slechts één maal steun verkrijgen") or the group with its linked enterprises.
    A pending application is not a refusal: it may itself be refused, and the order in which a case
    handler works must not decide which of two applications survives.
    """
    call = dossier.call
    per_group = call.frequency_scope == FrequencyScope.UNDERTAKING
    companies = single_undertaking(dossier.company, dossier_figures(dossier)) if per_group else {dossier.company_id}
    scope = (
        _("per groep (de onderneming met haar verbonden ondernemingen)")
        if per_group
        else _("per onderneming (ondernemingsnummer)")
    )
    others = Dossier.objects.filter(company_id__in=companies).exclude(pk=dossier.pk).select_related("company")
    granted = list(others.filter(status__in=GRANTED_STATUSES).order_by("decided_date", "reference"))
    pending = list(others.filter(status=DossierStatus.SUBMITTED).order_by("submitted_date", "reference"))
    interval = call.support_interval_years
    if interval is None:
        rule = _("eenmaal steun %(scope)s") % {"scope": scope}
    else:
        since = _years_before(on_date, interval)
        granted = [d for d in granted if d.decided_date is None or d.decided_date > since]
        rule = _("eenmaal steun per %(years)s jaar %(scope)s (toegekend na %(since)s)") % {
            "years": interval,
            "scope": scope,
            "since": format_date(since),
        }

    def one(d) -> str:
        when = ""
        if d.decided_date:
            when = ", " + format_date(d.decided_date)
        elif d.submitted_date:
            when = ", " + _("ingediend %(date)s") % {"date": format_date(d.submitted_date)}
        return f"{d.reference} ({d.company.enterprise_number}, {DossierStatus(d.status).label}{when})"

    def listed(dossiers) -> str:
        return ", ".join(one(d) for d in dossiers)

    def described(dossiers) -> list[dict]:
        return [
            {
                "reference": d.reference,
                "company": d.company.enterprise_number,
                "status": d.status,
                "submitted_date": d.submitted_date.isoformat() if d.submitted_date else None,
                "decided_date": d.decided_date.isoformat() if d.decided_date else None,
            }
            for d in dossiers
        ]

    data = {
        "support_interval_years": interval,
        "frequency_scope": call.frequency_scope,
        "counted_companies": sorted(
            Company.objects.filter(pk__in=companies).values_list("enterprise_number", flat=True)
        ),
        "granted": described(granted),
        "pending": described(pending),
        # kept for readers of older results
        "conflicts": described(granted),
    }
    if granted:
        return Outcome(
            FAIL,
            (
                _("Regel van oproep %(code)s: %(rule)s; al toegekend: %(listed)s.")
                % {"code": call.code, "rule": rule, "listed": listed(granted)}
            ),
            data,
        )
    if pending:
        return Outcome(
            REVIEW,
            (
                _(
                    "Regel van oproep %(code)s: %(rule)s; geen eerdere toekenning, maar nog in behandeling: %(listed)s. Beslis eerst over dat dossier, of keur dit goed met een motivering (dan volgt voor het andere dossier een weigering op deze regel)."
                )
                % {"code": call.code, "rule": rule, "listed": listed(pending)}
            ),
            data,
        )
    return Outcome(
        PASS,
        (
            _("Regel van oproep %(code)s: %(rule)s; geen eerdere steun en geen andere aanvraag in behandeling.")
            % {"code": call.code, "rule": rule}
        ),
        data,
    )


def check_de_minimis(dossier: Dossier, on_date: date) -> Outcome:
    regime = regime_on(on_date)
    start = regime.window_start(on_date)
    figures = dossier_figures(dossier)
    undertaking = single_undertaking(dossier.company, figures)
    declared_total = figures.de_minimis_total(company_ids=undertaking, start=start, end=on_date)
    earlier = Dossier.objects.filter(
        company_id__in=undertaking, status__in=GRANTED_STATUSES, decided_date__gte=start, decided_date__lte=on_date
    ).exclude(pk=dossier.pk)
    earlier_total = Decimal("0.00") + (earlier.aggregate(total=Sum("subsidy_amount"))["total"] or 0)
    total = declared_total + earlier_total + dossier.subsidy_amount
    data = {
        "regime": regime.name,
        "ceiling": str(regime.ceiling),
        "window_start": start.isoformat(),
        "window_end": on_date.isoformat(),
        "declared_aid": str(declared_total),
        "earlier_grants": str(earlier_total),
        "this_grant": str(dossier.subsidy_amount),
        "total": str(total),
    }
    shown = {
        "regime": regime.name,
        "ceiling": format_euro(regime.ceiling),
        "start": format_date(start),
        "end": format_date(on_date),
        "declared": format_euro(declared_total),
        "earlier": format_euro(earlier_total),
        "this": format_euro(dossier.subsidy_amount),
        "total": format_euro(total),
    }
    if total > regime.ceiling:
        return Outcome(
            FAIL,
            _(
                "%(regime)s: plafond %(ceiling)s van %(start)s tot %(end)s; eerdere de-minimissteun %(declared)s "
                "+ eerdere steun in deze regeling %(earlier)s + deze steun %(this)s = %(total)s, meer dan het plafond."
            )
            % shown,
            data,
        )
    return Outcome(
        PASS,
        _(
            "%(regime)s: plafond %(ceiling)s van %(start)s tot %(end)s; eerdere de-minimissteun %(declared)s "
            "+ eerdere steun in deze regeling %(earlier)s + deze steun %(this)s = %(total)s."
        )
        % shown,
        data,
    )


def check_region(dossier: Dossier, on_date: date) -> Outcome:
    company = dossier.company
    data = {"postal_code": company.postal_code, "province": company.province, "region": company.region}
    if company.region != Region.VLAANDEREN:
        return Outcome(
            FAIL,
            (
                _("Zetel in %(region)s (postcode %(postal_code)s), niet in het Vlaams Gewest.")
                % {"region": Region(company.region).label, "postal_code": company.postal_code}
            ),
            data,
        )
    return Outcome(
        PASS, (_("Zetel in het Vlaams Gewest (postcode %(postal_code)s).") % {"postal_code": company.postal_code}), data
    )


def check_legal_form(dossier: Dossier, on_date: date) -> Outcome:
    accepted = dossier.call.acceptable_legal_forms or []
    form = dossier.company.legal_form
    data = {"legal_form": form, "acceptable_legal_forms": accepted}
    if accepted and form not in accepted:
        return Outcome(
            FAIL,
            (
                _("Rechtsvorm '%(form)s' is niet aanvaard in oproep %(code)s (aanvaard: %(accepted)s).")
                % {"form": form, "code": dossier.call.code, "accepted": ", ".join(accepted)}
            ),
            data,
        )
    return Outcome(PASS, (_("Rechtsvorm '%(form)s' is aanvaard.") % {"form": form}), data)


def check_main_activity(dossier: Dossier, on_date: date) -> Outcome:
    code = dossier.nace_code.code
    excluded = dossier.call.excluded_nace_prefixes or []
    data = {"nace_code": code, "excluded_nace_prefixes": excluded}
    hits = [p for p in excluded if code.startswith(str(p))]
    if hits:
        return Outcome(
            FAIL,
            (
                _("Hoofdactiviteit NACE %(display_code)s valt onder uitgesloten code(s) %(hits)s van oproep %(code)s.")
                % {"display_code": dossier.nace_code.display_code, "hits": ", ".join(hits), "code": dossier.call.code}
            ),
            data,
        )
    return Outcome(
        PASS,
        (
            _("Hoofdactiviteit NACE %(display_code)s is aanvaardbaar.")
            % {"display_code": dossier.nace_code.display_code}
        ),
        data,
    )


def check_public_participation(dossier: Dossier, on_date: date) -> Outcome:
    pct = Decimal(str(dossier.company.public_participation_pct))
    limit = Decimal(str(dossier.call.max_public_participation_pct))
    data = {"public_participation_pct": str(pct), "max_public_participation_pct": str(limit)}
    if pct >= limit:
        return Outcome(
            FAIL,
            (
                _("Overheidsparticipatie %(pct)s %% is niet lager dan %(limit)s %%.")
                % {"pct": format_number(pct), "limit": format_number(limit)}
            ),
            data,
        )
    return Outcome(
        PASS,
        (
            _("Overheidsparticipatie %(pct)s %% ligt onder %(limit)s %%.")
            % {"pct": format_number(pct), "limit": format_number(limit)}
        ),
        data,
    )


def check_equity(dossier: Dossier, on_date: date) -> Outcome:
    figures = dossier_figures(dossier)
    years = figures.accounting_years(company_id=dossier.company_id, before=on_date.year)
    latest = figures.annual_accounts(company_id=dossier.company_id, year=years[-1]) if years else None
    if latest is None:
        return Outcome(
            REVIEW,
            (_("Geen afgesloten boekjaar vóór %(year)s: eigen vermogen niet te toetsen.") % {"year": on_date.year}),
            {},
        )
    data = {"year": latest.year, "equity": str(latest.equity)}
    if latest.equity < 0:
        return Outcome(
            FAIL,
            (
                _("Negatief eigen vermogen (%(equity)s) in boekjaar %(year)s.")
                % {"equity": latest.equity, "year": latest.year}
            ),
            data,
        )
    return Outcome(
        PASS,
        (
            _("Eigen vermogen %(equity)s in boekjaar %(year)s is niet negatief.")
            % {"equity": latest.equity, "year": latest.year}
        ),
        data,
    )


def check_quote_catalogue(dossier: Dossier, on_date: date) -> Outcome:
    provider = dossier.provider
    offered = set(provider.packages.filter(call=dossier.call).values_list("pk", flat=True))
    lines = list(dossier.quote_lines.select_related("package"))
    outside = [line.package.code for line in lines if line.package_id not in offered]
    data = {
        "provider": provider.code,
        "packages": [line.package.code for line in lines],
        "outside_catalogue": outside,
        "provider_active": provider.is_active,
    }
    if not provider.is_active:
        return Outcome(FAIL, (_("Dienstverlener %(code)s is niet (meer) actief.") % {"code": provider.code}), data)
    if outside:
        return Outcome(
            FAIL,
            (
                _(
                    "Pakket(ten) %(outside)s staan niet in de catalogus van dienstverlener %(code)s voor oproep %(code2)s."
                )
                % {"outside": ", ".join(outside), "code": provider.code, "code2": dossier.call.code}
            ),
            data,
        )
    return Outcome(
        PASS, (_("Alle pakketten staan in de catalogus van dienstverlener %(code)s.") % {"code": provider.code}), data
    )


def check_quote_range(dossier: Dossier, on_date: date) -> Outcome:
    call, amount = dossier.call, dossier.quote_excl_vat
    low, high = (None if v is None else Decimal(str(v)) for v in (call.min_quote_excl_vat, call.max_quote_excl_vat))
    data = {
        "quote_excl_vat": str(amount),
        "min_quote_excl_vat": str(low) if low is not None else None,
        "max_quote_excl_vat": str(high) if high is not None else None,
    }
    if low is not None and amount < low:
        return Outcome(
            FAIL,
            (
                _("Offerte %(amount)s excl. btw ligt onder het minimum %(low)s van oproep %(code)s.")
                % {"amount": format_euro(amount), "low": format_euro(low), "code": call.code}
            ),
            data,
        )
    if high is not None and amount > high:
        return Outcome(
            FAIL,
            (
                _("Offerte %(amount)s excl. btw ligt boven het maximum %(high)s van oproep %(code)s.")
                % {"amount": format_euro(amount), "high": format_euro(high), "code": call.code}
            ),
            data,
        )
    return Outcome(
        PASS,
        (
            _("Offerte %(amount)s excl. btw ligt binnen de grenzen van oproep %(code)s.")
            % {"amount": format_euro(amount), "code": call.code}
        ),
        data,
    )


def check_package_combination(dossier: Dossier, on_date: date) -> Outcome:
    lines = list(dossier.quote_lines.select_related("package"))
    main = [line.package.code for line in lines if not line.package.is_extension]
    extensions = [line.package.code for line in lines if line.package.is_extension]
    data = {"main": main, "extensions": extensions}
    if len(main) != 1:
        if not main:
            return Outcome(
                FAIL,
                (
                    _("Uitbreidingspakket (%(extensions)s) kan enkel samen met een basis- of lightpakket.")
                    % {"extensions": ", ".join(extensions)}
                ),
                data,
            )
        return Outcome(
            FAIL,
            (
                _("Eén hoofdpakket per offerte; deze offerte heeft er %(n_main)s (%(main)s).")
                % {"n_main": len(main), "main": ", ".join(main)}
            ),
            data,
        )
    return Outcome(
        PASS, (_("Pakketcombinatie %(package_mix)s is toegelaten.") % {"package_mix": dossier.package_mix}), data
    )


def check_declarations(dossier: Dossier, on_date: date) -> Outcome:
    missing = declarations_missing(dossier.declarations or {})
    data = {"declarations": dossier.declarations or {}, "missing": missing}
    if missing:
        return Outcome(
            FAIL,
            _("Verklaring(en) op eer ontbreken of zijn niet bevestigd: %(missing)s")
            % {"missing": "; ".join(str(DECLARATIONS[k]) for k in missing)},
            data,
        )
    return Outcome(PASS, _("Alle verklaringen op eer zijn ondertekend."), data)


# Every criterion (its label: `models.Criterion`) and its check, in the order of `Criterion`.
CRITERIA = {
    Criterion.SME.value: check_sme,
    Criterion.FREQUENCY.value: check_frequency,
    Criterion.DE_MINIMIS.value: check_de_minimis,
    Criterion.REGION.value: check_region,
    Criterion.LEGAL_FORM.value: check_legal_form,
    Criterion.MAIN_ACTIVITY.value: check_main_activity,
    Criterion.PUBLIC_PARTICIPATION.value: check_public_participation,
    Criterion.EQUITY.value: check_equity,
    Criterion.QUOTE_CATALOGUE.value: check_quote_catalogue,
    Criterion.QUOTE_RANGE.value: check_quote_range,
    Criterion.PACKAGE_COMBINATION.value: check_package_combination,
    Criterion.DECLARATIONS.value: check_declarations,
}
assert list(CRITERIA) == Criterion.values, "every criterion has a label and a check"


def _set_size(dossier: Dossier, on_date: date) -> None:
    status = sme_status(company=dossier.company, on_date=on_date, source=dossier_figures(dossier))
    if status.size_class is None or status.basis is None:
        return
    dossier.size_class = status.size_class
    dossier.size_accounting_year = status.basis.year
    dossier.size_headcount = status.basis.headcount
    dossier.size_turnover = status.basis.turnover
    dossier.size_balance_sheet_total = status.basis.balance_sheet_total
    dossier.save(
        update_fields=[
            "size_class",
            "size_accounting_year",
            "size_headcount",
            "size_turnover",
            "size_balance_sheet_total",
            "updated_at",
        ]
    )


@transaction.atomic
def eligibility_check(*, dossier: Dossier, stage: str, on_date: date) -> list[EligibilityResult]:
    """Check every criterion for `dossier` on `on_date`, store and return the results.

    At submission the SME computation also sets the dossier's size class and size basis.
    """
    if stage not in EligibilityStage.values:
        raise ValueError(f"Unknown eligibility stage {stage!r}")
    if stage == EligibilityStage.SUBMISSION:
        _set_size(dossier, on_date)
    now = timezone.now()
    results = []
    for name, check in CRITERIA.items():
        outcome = check(dossier, on_date)
        results.append(
            EligibilityResult(
                dossier=dossier,
                stage=stage,
                criterion=name,
                outcome=outcome.outcome,
                reason=outcome.reason,
                data={**outcome.data, "on_date": on_date.isoformat()},
                checked_at=now,
            )
        )
    return EligibilityResult.objects.bulk_create(results)


def eligibility_latest(*, dossier: Dossier, stage: str | None = None) -> list[EligibilityResult]:
    """The most recent result per criterion (optionally of one stage)."""
    results = EligibilityResult.objects.filter(dossier=dossier)
    if stage:
        results = results.filter(stage=stage)
    latest: dict[str, EligibilityResult] = {}
    for result in results.order_by("checked_at", "id"):
        latest[result.criterion] = result
    return list(latest.values())
