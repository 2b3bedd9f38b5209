"""Drawing the next control sample: the highest-risk dossiers of the current
screening plus a stratified random sample (size class x year of the decision),
reproducible from its recorded seed, each dossier with the reason it was chosen.

The random part is what makes the red flags measurable: its rate of
irregularities is the baseline each indicator's hit rate is compared with.
"""

import random
import secrets
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.models import GRANTED_STATUSES, Dossier

from .models import ControlSelection, DossierRisk, IndicatorHit, SelectedDossier, SelectionBasis
from .screening.indicators import REGISTRY
from .selectors import current_run


def _allocate(strata: dict[tuple, list[int]], size: int) -> dict[tuple, int]:
    """Proportional allocation with largest remainders, in a fixed stratum order."""
    total = sum(len(ids) for ids in strata.values())
    if total == 0 or size <= 0:
        return {}
    size = min(size, total)
    exact = {key: Decimal(len(ids)) * size / total for key, ids in strata.items()}
    counts = {key: int(value) for key, value in exact.items()}
    rest = size - sum(counts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - counts[k]), k))[:rest]:
        counts[key] += 1
    return counts


def _int(value, field: str, errors: dict) -> int | None:
    if isinstance(value, bool):
        errors[field] = _("Geef een geheel getal.")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("'%(value)s' is geen geheel getal.") % {"value": value}
        return None
    if number < 0:
        errors[field] = _("Mag niet negatief zijn.")
        return None
    return number


@transaction.atomic
def control_select(*, actor: Actor, risk_size=10, random_size=10, seed=None) -> ControlSelection:
    require(actor, Action.CONTROL_SELECT)
    errors: dict = {}
    risk_size = _int(risk_size, "risk_size", errors)
    random_size = _int(random_size, "random_size", errors)
    if seed is not None:
        seed = _int(seed, "seed", errors)
    run = current_run()
    if run is None:
        errors["run"] = _("Er is nog geen risicoscreening; voer eerst 'cstraject screening run' uit.")
    if errors:
        raise ValidationError(errors)
    assert run is not None and risk_size is not None and random_size is not None
    if seed is None:
        seed = secrets.randbits(31)
    population = Dossier.objects.filter(status__in=GRANTED_STATUSES)
    selection = ControlSelection.objects.create(
        created_by_label=actor.label,
        seed=seed,
        run=run,
        parameters={"risk_size": risk_size, "random_size": random_size},
    )
    items = []
    risky = list(
        DossierRisk.objects.filter(run=run, dossier__in=population)
        .order_by("-score", "dossier__reference")
        .values_list("dossier_id", "score")[:risk_size]
    )
    codes = defaultdict(list)
    for dossier_id, code in IndicatorHit.objects.filter(run=run, dossier_id__in=[d for d, _score in risky]).values_list(
        "dossier_id", "indicator"
    ):
        codes[dossier_id].append(code)
    for rank, (dossier_id, score) in enumerate(risky, start=1):
        titles = "; ".join(str(REGISTRY[c].title) for c in sorted(codes[dossier_id]) if c in REGISTRY)
        items.append(
            SelectedDossier(
                selection=selection,
                dossier_id=dossier_id,
                basis=SelectionBasis.RISK,
                score=score,
                reason=_("Risicoscore %(score)s (plaats %(rank)s in de screening): %(titles)s.")
                % {"score": score, "rank": rank, "titles": titles},
            )
        )
    chosen = {d for d, _score in risky}
    # The strata: ids per (size class, year of the decision), read as columns in one query.
    strata: dict[tuple, list[int]] = defaultdict(list)
    for pk, size, year in (
        population.exclude(pk__in=chosen)
        .filter(decided_date__isnull=False)
        .annotate(year=ExtractYear("decided_date"))
        .values_list("pk", "size_class", "year")
        .order_by("pk")
    ):
        strata[(size or "onbekend", year)].append(pk)
    rng = random.Random(seed)
    scores = dict(DossierRisk.objects.filter(run=run).values_list("dossier_id", "score"))
    for key, count in sorted(_allocate(strata, random_size).items()):
        ids = strata[key]
        for pk in rng.sample(ids, count):
            items.append(
                SelectedDossier(
                    selection=selection,
                    dossier_id=pk,
                    basis=SelectionBasis.RANDOM,
                    stratum=f"{key[0]} {key[1]}",
                    score=scores.get(pk, Decimal("0")),
                    reason=_(
                        "Aselecte steekproef in stratum %(size)s x %(year)s: %(count)s van %(total)s dossiers, seed %(seed)s."
                    )
                    % {"size": key[0], "year": key[1], "count": count, "total": len(ids), "seed": seed},
                )
            )
    SelectedDossier.objects.bulk_create(items)
    audit_event_record(
        actor=actor,
        action=AuditAction.CONTROL,
        reason=_("Controlesteekproef getrokken: %(risk)s op risico, %(random)s aselect, seed %(seed)s.")
        % {"risk": len(risky), "random": len(items) - len(risky), "seed": seed},
        data={"selection": selection.pk, "run": run.pk, "seed": seed, "dossiers": [i.dossier_id for i in items]},
    )
    return selection
