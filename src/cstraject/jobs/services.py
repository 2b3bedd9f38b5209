"""Starting, running and finishing background jobs.

A domain app offers a long piece of work as a job in its own `tasks.py` (controls: the screening,
register: the KBO and annual-accounts imports, reporting: the answer to question 526):

1. a start service (`screening_start(actor=...)`) calls `job_create` (checks the action in the
   permission table, records the job and an audit event) and `job_enqueue` (hands the job's id to
   the django-tasks task after the commit);
2. the task (`@task() def screening_run_task(job_id)`) calls `job_execute(job_id=..., work=...)`:
   the job becomes running, the starter's actor and language are restored, `work(job, actor, progress)`
   runs the same service the CLI calls, with `progress(done, total, label)`; the job ends done (with
   its summary and result file) or failed (with the message), with an audit event either way.

Which backend runs the task (immediate, the database with `cstraject db-worker`, Celery) is the
`TASKS` setting; nothing here depends on it. A job runs once: a second delivery of its message finds
it no longer queued and does nothing.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cstraject.accounts.actors import Actor, actor_for_user, system_actor
from cstraject.accounts.permissions import Action, require
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record

from .models import BackgroundJob, JobKind, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class JobFailed(Exception):
    """An expected failure of a job's work (bad input): its message is shown to the user as it is."""


@dataclass
class JobOutcome:
    """What a job's work returns: one line for the user, figures, and the name of a file it wrote
    with `job_result_path` (empty: no file)."""

    summary: str
    data: dict = field(default_factory=dict)
    file_name: str = ""


def job_folder(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / str(job_id)


def job_result_path(job: BackgroundJob, name: str) -> Path:
    """Where the work writes its result file `name` (under MEDIA_ROOT, served only through the job's view)."""
    folder = job_folder(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / get_valid_filename(name)


def job_create(
    *,
    actor: Actor,
    kind: JobKind,
    action: Action,
    parameters: dict | None = None,
    upload=None,
) -> BackgroundJob:
    """Record a queued job for `actor` (who must be a user and may take `action`); an uploaded file is
    kept under MEDIA_ROOT/jobs/<id>/input/. Call inside the transaction that enqueues it (`job_enqueue`)."""
    require(actor, action)
    if actor.user_id is None:
        raise PermissionDenied(_("Een achtergrondtaak wordt gestart door een aangemelde gebruiker."))
    job = BackgroundJob.objects.create(
        kind=kind,
        action=action,
        started_by_id=actor.user_id,
        started_by_label=actor.label,
        channel=str(actor.channel),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        parameters=parameters or {},
    )
    if upload is not None:
        folder = job_folder(job.pk) / "input"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / get_valid_filename(Path(upload.name).name or "upload")
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job.input_name = Path(upload.name).name[:255]
        job.input_path = str(target)
        job.save(update_fields=["input_name", "input_path"])
    audit_event_record(
        actor=actor,
        action=AuditAction.JOB,
        reason=_("Achtergrondtaak %(id)s gestart: %(kind)s.") % {"id": job.pk, "kind": job.get_kind_display()},
        data={"job": job.pk, "kind": kind, "parameters": job.parameters, "input": job.input_name},
    )
    return job


def job_enqueue(job: BackgroundJob, task) -> None:
    """Hand the job to its django-tasks task once the current transaction commits (at once outside one).
    With the immediate backend the work runs here, in this process."""

    def enqueue() -> None:
        try:
            result = task.enqueue(job.pk)
        except Exception as error:  # the broker is down or refuses: say so on the job instead of a 500
            logger.exception("Job %s could not be enqueued", job.pk)
            BackgroundJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                error=(
                    _("De taak kon niet in de wachtrij gezet worden (%(error)s); probeer later opnieuw.")
                    % {"error": error}
                )[:2000],
            )
            return
        BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:100])

    transaction.on_commit(enqueue)


class _Reporter:
    """`progress(done, total, label)` for a running job: written at most twice a second, and always the
    first and the last step, so a fast loop does not turn into a stream of updates."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id, self.interval, self.last = job_id, interval, 0.0
        self.pending: tuple[int, int, str] | None = None

    def __call__(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if self.last and done < total and now - self.last < self.interval:
            self.pending = (done, total, str(label))
            return
        self.last, self.pending = now, None
        self._write(done, total, str(label))

    def flush(self) -> None:
        """Write the last step if it was held back."""
        if self.pending:
            self._write(*self.pending)
            self.pending = None

    def _write(self, done: int, total: int, label: str) -> None:
        BackgroundJob.objects.filter(pk=self.job_id).update(
            progress_done=max(0, done),
            progress_total=max(0, total),
            progress_label=str(label)[:300],
            updated_at=timezone.now(),
        )


def _one_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error)


def _end(job: BackgroundJob, actor: Actor, *, status: str, **fields) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)
    if job.input_path:
        shutil.rmtree(Path(job.input_path).parent, ignore_errors=True)  # the upload served its purpose
    if status == JobStatus.DONE:
        reason = _("Achtergrondtaak %(id)s klaar: %(kind)s.") % {"id": job.pk, "kind": job.get_kind_display()}
    else:
        reason = _("Achtergrondtaak %(id)s mislukt: %(kind)s.") % {"id": job.pk, "kind": job.get_kind_display()}
    audit_event_record(
        actor=actor,
        action=AuditAction.JOB,
        reason=reason,
        data={"job": job.pk, "kind": job.kind, "status": status, "error": fields.get("error", "")[:500]},
    )


def job_execute(*, job_id: int, work: Callable[[BackgroundJob, Actor, Progress], JobOutcome]) -> str:
    """Run a queued job's work as its starter, in the starter's language; returns the final status.

    Bad input (JobFailed, ValidationError, PermissionDenied) fails the job with its message; any other
    error fails it too and is raised again, so the worker logs the traceback."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = BackgroundJob.objects.select_related("started_by", "started_by__profile").get(pk=job_id)
    if not claimed:
        return job.status  # delivered twice, or already ended: a job runs once
    with translation.override(job.language):
        actor: Actor = system_actor()
        try:
            actor = actor_for_user(job.started_by, channel=job.channel)
            reporter = _Reporter(job.pk)
            outcome = work(job, actor, reporter)
            reporter.flush()
        except (JobFailed, ValidationError, PermissionDenied) as error:
            _end(job, actor, status=JobStatus.FAILED, error=_one_line(error))
            return JobStatus.FAILED
        except Exception as error:
            message = _("Onverwachte fout (%(type)s): %(error)s") % {"type": type(error).__name__, "error": error}
            _end(job, actor, status=JobStatus.FAILED, error=message[:2000])
            raise
        fields: dict = {"summary": outcome.summary, "result": outcome.data}
        if outcome.file_name:
            fields["result_name"] = outcome.file_name
            fields["result_path"] = str(job_result_path(job, outcome.file_name))
        job.refresh_from_db(fields=["progress_total"])
        fields["progress_done"] = job.progress_total
        _end(job, actor, status=JobStatus.DONE, **fields)
        return JobStatus.DONE
