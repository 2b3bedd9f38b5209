"""Question 4 of the answer: the red flags of the automatic screening (cstraject.controls), by category,
with per indicator its hits in the current screening and its hit rate in performed controls, against the
random sample's rate. Kept beside the engine's tables: a rate is not a sum (its Totaal is the overall rate)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cstraject.controls.models import ControlOutcome, ControlStatus, ControlTrigger, IndicatorHit
from cstraject.controls.screening.indicators import INDICATORS
from cstraject.controls.screening.registry import Category

from .engine import NO_DATA, Measure, Period, Row, Table
from .impact_tables import RatioMeasure

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SIGNALS = Measure("signalen", gettext_lazy("Signalen"), False, "")
CONTROLLED = Measure("gecontroleerd", gettext_lazy("Gecontroleerd"), False, "")
FOUND = Measure("met_bevinding", gettext_lazy("Met bevinding"), False, "")
RATE = RatioMeasure("trefkans", gettext_lazy("Trefkans"), False, "", unit="%")
TITLE_4 = gettext_lazy("Rode vlaggen van de automatische screening, per categorie, met signalen en trefkans")
FOUND_Q = Q(outcome__in=[ControlOutcome.IRREGULARITY, ControlOutcome.SUSPECTED_FRAUD])


def _rate(found: int, controlled: int) -> Decimal | None:
    """Found per 100 controlled, in %; None (an empty cell) when nothing was controlled."""
    return (Decimal(found) * 100 / controlled).quantize(Decimal("0.1")) if controlled else None


@dataclass(frozen=True)
class IndicatorTable:
    """Question 4: the indicators by category with hits and hit rates (a table spec of the report engine)."""

    key: str = "4_indicatoren"
    question: str = "4"
    title: StrOrPromise = TITLE_4

    def sources(self) -> set[str]:
        return set()

    def compute(self, run) -> list[Table]:
        return [self.table(run.period)]

    def table(self, period) -> Table:
        from cstraject.controls.models import Control
        from cstraject.controls.selectors import current_run

        year = period.label
        basis = _(
            "signalen: dossiers ingediend in %(year)s met de indicator in de huidige screening; gecontroleerd: controles uitgevoerd in %(year)s op risico, steekproef of signaal (niet de standaardstappen)"
        ) % {"year": year}
        measures = (
            *(Measure(m.key, m.label, False, basis) for m in (SIGNALS, CONTROLLED, FOUND)),
            RatioMeasure(RATE.key, RATE.label, False, basis, unit="%"),
        )
        screening = current_run()
        performed = Control.objects.filter(
            status=ControlStatus.PERFORMED,
            performed_date__year__gte=period.year_from,
            performed_date__year__lte=period.year_to,
        ).exclude(trigger=ControlTrigger.STANDARD)
        hits: dict[str, int] = {}
        rates: dict[str, Any] = {}
        if screening is not None:
            in_period = IndicatorHit.objects.filter(
                run=screening,
                dossier__submitted_date__year__gte=period.year_from,
                dossier__submitted_date__year__lte=period.year_to,
            )
            hits = dict(in_period.values_list("indicator").annotate(n=Count("id")))
            found_q = Q(dossier__controls__outcome__in=[ControlOutcome.IRREGULARITY, ControlOutcome.SUSPECTED_FRAUD])
            for row in (
                IndicatorHit.objects.filter(run=screening, dossier__controls__in=performed.values("pk"))
                .values("indicator")
                .annotate(
                    n=Count("dossier__controls", distinct=True),
                    found=Count("dossier__controls", filter=found_q, distinct=True),
                )
            ):
                rates[row["indicator"]] = row
        random = performed.filter(trigger=ControlTrigger.RANDOM).aggregate(
            n=Count("id"), found=Count("id", filter=FOUND_Q)
        )

        def values(signals: int, controlled: int, found: int) -> dict:
            return {
                (year, "signalen"): signals,
                (year, "gecontroleerd"): controlled,
                (year, "met_bevinding"): found,
                (year, "trefkans"): _rate(found, controlled),
            }

        rows = []
        if hits or rates or random["n"]:
            for indicator in sorted(INDICATORS, key=lambda i: (Category.ORDER.index(i.category), i.code)):
                rate = rates.get(indicator.code, {})
                rows.append(
                    Row(
                        category=(
                            indicator.category_label,
                            (
                                _("%(title)s (%(code)s, gewicht %(weight)s)")
                                % {"title": indicator.title, "code": indicator.code, "weight": indicator.weight}
                            ),
                        ),
                        values=values(hits.get(indicator.code, 0), rate.get("n", 0), rate.get("found", 0)),
                    )
                )
            rows.append(
                Row(
                    category=(_("Vergelijkingsbasis"), _("Aselecte steekproef (zonder rode vlag gekozen)")),
                    values=values(0, random["n"], random["found"]),
                )
            )
        # Totaal: all signals; controls and findings over the flagged dossiers counted once per indicator.
        total = None
        if rows:
            flagged = [row for row in rows[:-1]]
            sums = [
                sum(int(row.values[(year, key)] or 0) for row in flagged)
                for key in ("signalen", "gecontroleerd", "met_bevinding")
            ]
            total = Row(category=("Totaal",), values=values(*sums), is_total=True)
        if screening is None:
            when = _("%(no_data)s Er is nog geen screening uitgevoerd.") % {"no_data": NO_DATA}
        elif not rows:
            when = _("%(no_data)s Screening %(screening_pk)s van %(finished_at)s.") % {
                "no_data": NO_DATA,
                "screening_pk": screening.pk,
                "finished_at": format(screening.finished_at, "%d/%m/%Y"),
            }
        else:
            when = _("Screening %(screening_pk)s van %(finished_at)s.") % {
                "screening_pk": screening.pk,
                "finished_at": format(screening.finished_at, "%d/%m/%Y"),
            }
        note = _(
            "%(when)s Trefkans = aandeel van de controles op gemarkeerde dossiers dat een onregelmatigheid of een vermoeden van fraude vond, in %%; te vergelijken met de aselecte steekproef. Het register (wat elke indicator nagaat, waarom, met welke bron en drempels): `cstraject screening indicators`."
        ) % {"when": when}
        return Table(
            question=self.question,
            key=self.key,
            title=str(self.title),
            dimensions=("categorie", "indicator"),
            years=(year,),
            measures=measures,
            rows=tuple(rows),
            total=total,
            note=note,
        )


def answer_tables(*, year_from: int, year_to: int) -> list[Table]:
    """The tables of question 4, after those of the report engine (`statistics.question_tables`).

    Kept apart from the engine's tables: a rate is not a sum (its Totaal is the overall rate)."""
    return [IndicatorTable().table(Period(year_from, year_to))]


def with_answer_tables(tables: list[Table], *, year_from: int, year_to: int) -> list[Table]:
    """`tables` (the engine's, in the answer's order) with question 4's table in its place: before part 5."""
    extra = answer_tables(year_from=year_from, year_to=year_to)
    at = next((i for i, table in enumerate(tables) if table.question == "5"), len(tables))
    return [*tables[:at], *extra, *tables[at:]]
