"""Reads on controls and screening: the current run, the risk queue, a dossier's
flags, the controls, and which red flags work (hit rate per indicator against
the random sample's rate). All aggregates are GROUP BY queries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.dossiers.models import Dossier

from .models import Control, ControlOutcome, ControlStatus, ControlTrigger, DossierRisk, IndicatorHit, ScreeningRun
from .screening.indicators import INDICATORS, REGISTRY


def current_run() -> ScreeningRun | None:
    return ScreeningRun.objects.filter(is_current=True).first()


def risk_queue(
    *,
    actor: Actor,
    indicator: str | None = None,
    category: str | None = None,
    provider: str | None = None,
    run: ScreeningRun | None = None,
) -> QuerySet[DossierRisk]:
    """The current run's flagged dossiers, highest score first; filters by indicator, category, provider code."""
    require(actor, Action.SCREENING_VIEW)
    run = run or current_run()
    if run is None:
        return DossierRisk.objects.none()
    rows = DossierRisk.objects.filter(run=run).select_related("dossier", "dossier__provider", "dossier__company")
    if indicator:
        rows = rows.filter(
            Exists(IndicatorHit.objects.filter(run=run, dossier_id=OuterRef("dossier_id"), indicator=indicator))
        )
    if category:
        codes = [i.code for i in INDICATORS if i.category == category]
        rows = rows.filter(
            Exists(IndicatorHit.objects.filter(run=run, dossier_id=OuterRef("dossier_id"), indicator__in=codes))
        )
    if provider:
        rows = rows.filter(dossier__provider__code=provider)
    return rows.order_by("-score", "dossier__reference")


@dataclass(frozen=True)
class Flag:
    code: str
    title: str
    category: str
    weight: Decimal
    explanation: str
    figures: dict


def dossier_flags(*, dossier: Dossier, run: ScreeningRun | None = None) -> list[Flag]:
    """The red flags of one dossier in the current run, heaviest first, each with its sentence."""
    run = run or current_run()
    if run is None:
        return []
    flags = []
    for hit in IndicatorHit.objects.filter(run=run, dossier=dossier):
        indicator = REGISTRY.get(hit.indicator)
        flags.append(
            Flag(
                code=hit.indicator,
                title=str(indicator.title) if indicator else hit.indicator,
                category=indicator.category_label if indicator else "",
                weight=hit.weight,
                explanation=indicator.explain(hit.figures) if indicator else hit.explanation,
                figures=hit.figures,
            )
        )
    return sorted(flags, key=lambda f: (-f.weight, f.code))


def dossier_score(*, dossier: Dossier, run: ScreeningRun | None = None) -> Decimal:
    run = run or current_run()
    risk = DossierRisk.objects.filter(run=run, dossier=dossier).first() if run else None
    return risk.score if risk else Decimal("0")


def risk_scores(*, dossier_ids) -> dict[int, tuple[Decimal, int]]:
    """(score, number of red flags) per dossier id in the current run, for a page of a list: one query."""
    return {
        dossier_id: (score, hits)
        for dossier_id, score, hits in DossierRisk.objects.filter(
            run__is_current=True, dossier_id__in=list(dossier_ids)
        ).values_list("dossier_id", "score", "hit_count")
    }


def controls_for(*, actor: Actor, dossier: Dossier | None = None, status: str | None = None) -> QuerySet[Control]:
    require(actor, Action.CONTROL_VIEW)
    rows = Control.objects.select_related("dossier").prefetch_related("findings")
    if dossier is not None:
        rows = rows.filter(dossier=dossier)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-performed_date", "-planned_date", "-id")


FOUND = Q(outcome__in=[ControlOutcome.IRREGULARITY, ControlOutcome.SUSPECTED_FRAUD])


@dataclass(frozen=True)
class IndicatorStats:
    code: str
    category: str
    title: str
    weight: Decimal
    hits: int
    controlled: int  # flagged dossiers' performed controls (risk, random or signal: not the standard steps)
    found: int  # of which found an irregularity or suspected fraud

    @property
    def hit_rate(self) -> Decimal | None:
        return (Decimal(self.found) / self.controlled).quantize(Decimal("0.001")) if self.controlled else None


def indicator_stats(*, run: ScreeningRun | None = None) -> tuple[list[IndicatorStats], tuple[int, int]]:
    """Per indicator: hits in the run, and of the performed (non-standard) controls on flagged dossiers how many
    found something; plus (controls, found) of the random sample: the baseline a red flag must beat."""
    run = run or current_run()
    performed = Control.objects.filter(status=ControlStatus.PERFORMED).exclude(trigger=ControlTrigger.STANDARD)
    random = performed.filter(trigger=ControlTrigger.RANDOM).aggregate(n=Count("id"), found=Count("id", filter=FOUND))
    hits: dict[str, int] = {}
    rates: dict[str, Any] = {}
    if run is not None:
        hits = dict(IndicatorHit.objects.filter(run=run).values_list("indicator").annotate(n=Count("id")))
        performed_ids = performed.values("pk")
        found_q = Q(dossier__controls__outcome__in=[ControlOutcome.IRREGULARITY, ControlOutcome.SUSPECTED_FRAUD])
        for row in (
            IndicatorHit.objects.filter(run=run, dossier__controls__in=performed_ids)
            .values("indicator")
            .annotate(
                n=Count("dossier__controls", distinct=True),
                found=Count("dossier__controls", filter=found_q, distinct=True),
            )
        ):
            rates[row["indicator"]] = row
    stats = [
        IndicatorStats(
            code=i.code,
            category=i.category,
            title=str(i.title),
            weight=i.weight,
            hits=hits.get(i.code, 0),
            controlled=rates.get(i.code, {}).get("n", 0),
            found=rates.get(i.code, {}).get("found", 0),
        )
        for i in INDICATORS
    ]
    return stats, (random["n"], random["found"])
