"""The screening as a background job (cstraject.jobs): started from the web, run by a django-tasks task,
progress per call and indicator. `cstraject screening run` calls the same `screening_run`."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action
from cstraject.jobs.models import BackgroundJob, JobKind
from cstraject.jobs.services import JobOutcome, Progress, job_create, job_enqueue, job_execute

from .screening.run import screening_run


def _work(job: BackgroundJob, actor: Actor, progress: Progress) -> JobOutcome:
    def step(done: int, total: int, label: str) -> None:
        call_code, _sep, indicator = label.partition(" ")
        progress(
            done, total, _("Oproep %(call)s, indicator %(indicator)s") % {"call": call_code, "indicator": indicator}
        )

    progress(0, 0, _("Parameters lezen"))
    run = screening_run(actor=actor, progress=step)
    return JobOutcome(
        summary=_("Screening %(run)s: %(hits)s signalen op %(dossiers)s dossiers.")
        % {"run": run.pk, "hits": run.hit_count, "dossiers": run.dossier_count},
        data={"run": run.pk, "hits": run.hit_count, "dossiers": run.dossier_count},
    )


@task()
def screening_run_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_work)


@transaction.atomic
def screening_start(*, actor: Actor) -> BackgroundJob:
    """Start the screening of all dossiers in the background (the actor follows it under 'Mijn taken')."""
    job = job_create(actor=actor, kind=JobKind.SCREENING, action=Action.SCREENING_RUN)
    job_enqueue(job, screening_run_task)
    return job
