"""Running the screening: every indicator over all dossiers, per call with that
call's parameters, into a new run; the run becomes current only at the end.

Idempotent: the same data gives the same hits. Atomic from the reader's
side: hits are written into a run that nobody reads until the last step
switches `is_current` in one transaction, so an interrupted run leaves the
previous results in place (the next run removes the leftovers).
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.calls.models import Call
from cstraject.dossiers.models import Dossier

from ..models import DossierRisk, IndicatorHit, ScreeningParameters, ScreeningRun, ScreeningRunStatus
from .indicators import INDICATORS, REGISTRY, SCREENED, Context

Progress = Callable[[int, int, str], None]


def parameters_read(*, call_code: str, values: dict | None) -> dict[str, dict]:
    """The typed parameters of every indicator for one call: the call's values over the registry's defaults.
    A wrong type or an unknown name is a ValidationError naming the field."""
    values = values or {}
    errors: dict = {}
    if not isinstance(values, dict):
        raise ValidationError({f"screening.{call_code}": _("De screeningparameters zijn een object per indicator.")})
    for code in values:
        if code not in REGISTRY:
            errors[f"screening.{call_code}.{code}"] = _("Onbekende indicator '%(code)s'.") % {"code": code}
    result = {}
    for indicator in INDICATORS:
        given = values.get(indicator.code) or {}
        known = {p.name for p in indicator.parameters}
        for name in given:
            if name not in known:
                errors[f"screening.{call_code}.{indicator.code}.{name}"] = _(
                    "Indicator %(code)s kent geen parameter '%(name)s'; wel: %(known)s."
                ) % {"code": indicator.code, "name": name, "known": ", ".join(sorted(known)) or "-"}
        typed = {}
        for parameter in indicator.parameters:
            field_name = f"screening.{call_code}.{indicator.code}.{parameter.name}"
            raw = given.get(parameter.name, parameter.default)
            try:
                typed[parameter.name] = parameter.read(raw, field_name=field_name)
            except ValidationError as error:
                errors.update(error.message_dict)
        result[indicator.code] = typed
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def screening_parameters_set(*, actor: Actor, call: Call, values: dict) -> ScreeningParameters:
    """Set a call's screening parameters (part of its configuration); checked before anything is saved."""
    require(actor, Action.SCREENING_CONFIGURE)
    parameters_read(call_code=call.code, values=values)
    stored, _created = ScreeningParameters.objects.update_or_create(call=call, defaults={"values": values})
    audit_event_record(
        actor=actor,
        action=AuditAction.SCREENING,
        reason=_("Screeningparameters van oproep %(call)s ingesteld.") % {"call": call.code},
        data={"call": call.code, "values": values},
    )
    return stored


def _all_parameters() -> dict[Call, dict]:
    stored = {p.call_id: p.values for p in ScreeningParameters.objects.all()}
    return {
        call: parameters_read(call_code=call.code, values=stored.get(call.pk))
        for call in Call.objects.order_by("opens_date")
    }


def _jsonable(parameters: dict[Call, dict]) -> dict:
    return {
        call.code: {
            code: {k: (str(v) if not isinstance(v, int | list | type(None)) else v) for k, v in p.items()}
            for code, p in per.items()
        }
        for call, per in parameters.items()
    }


def _insert_risks(run: ScreeningRun) -> None:
    risk, hit = DossierRisk._meta.db_table, IndicatorHit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {risk} (run_id, dossier_id, score, hit_count) "
            f"SELECT run_id, dossier_id, SUM(weight), COUNT(*) FROM {hit} WHERE run_id = %s GROUP BY run_id, dossier_id",
            [run.pk],
        )


def screening_run(*, actor: Actor, today: date | None = None, progress: Progress | None = None) -> ScreeningRun:
    """Screen every dossier with every indicator; returns the new current run."""
    require(actor, Action.SCREENING_RUN)
    parameters = _all_parameters()  # a wrong parameter stops the run before anything is written
    today = today or timezone.localdate()
    # Leftovers of an interrupted run are never read; remove them.
    ScreeningRun.objects.filter(status=ScreeningRunStatus.RUNNING).delete()
    run = ScreeningRun.objects.create(
        started_at=timezone.now(),
        status=ScreeningRunStatus.RUNNING,
        started_by_label=actor.label,
        parameters=_jsonable(parameters),
    )
    steps = [(call, indicator) for call in parameters for indicator in INDICATORS]
    hit_total = 0
    for done, (call, indicator) in enumerate(steps, start=1):
        ctx = Context(call=call, p=parameters[call][indicator.code], today=today)
        if indicator.enabled(ctx.p):
            hits = [
                IndicatorHit(
                    run=run,
                    dossier_id=pk,
                    indicator=indicator.code,
                    weight=indicator.weight,
                    figures=figures,
                    explanation=indicator.explain(figures),
                )
                for pk, figures in indicator.compute(ctx)
            ]
            IndicatorHit.objects.bulk_create(hits, batch_size=2000)
            hit_total += len(hits)
        if progress:
            progress(done, len(steps), f"{call.code} {indicator.code}")
    with transaction.atomic():
        # Still ours? A run started meanwhile removes the leftovers of others: then this one stops here,
        # and the current run stays what it was.
        if not ScreeningRun.objects.select_for_update().filter(pk=run.pk, status=ScreeningRunStatus.RUNNING).exists():
            raise RuntimeError(f"Screening run {run.pk} was removed by another run before it finished.")
        _insert_risks(run)
        ScreeningRun.objects.filter(is_current=True).update(is_current=False)
        run.status = ScreeningRunStatus.COMPLETE
        run.is_current = True
        run.finished_at = timezone.now()
        run.hit_count = hit_total
        run.dossier_count = Dossier.objects.filter(SCREENED).count()
        run.save(force_update=True)
        # Keep the history that a control selection rests on, and the run before this one.
        ScreeningRun.objects.filter(
            status=ScreeningRunStatus.COMPLETE, is_current=False, selections__isnull=True
        ).exclude(
            pk__in=ScreeningRun.objects.filter(is_current=False, status=ScreeningRunStatus.COMPLETE)
            .order_by("-started_at", "-id")
            .values("pk")[:1]
        ).delete()
        audit_event_record(
            actor=actor,
            action=AuditAction.SCREENING,
            reason=_("Risicoscreening uitgevoerd: %(hits)s signalen op %(dossiers)s dossiers.")
            % {"hits": hit_total, "dossiers": run.dossier_count},
            data={"run": run.pk, "hits": hit_total, "dossiers": run.dossier_count, "today": today.isoformat()},
        )
    return run
