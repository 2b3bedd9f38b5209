"""Which jobs a user sees: their own; every job for the roles the permission table allows (`job.view_all`).
A result file is handed out only to those who may also still take the job's action."""

from pathlib import Path

from django.db.models import QuerySet
from django.http import Http404

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, may, require

from .models import BackgroundJob, JobStatus


def jobs_visible(*, actor: Actor, everyone: bool = False) -> QuerySet[BackgroundJob]:
    """The actor's own jobs, newest first; with `everyone` all jobs when the role may (`job.view_all`)."""
    require(actor, Action.JOB_LIST)
    jobs = BackgroundJob.objects.order_by("-created_at", "-id")
    if everyone and may(actor, Action.JOB_VIEW_ALL):
        return jobs
    return jobs.filter(started_by_id=actor.user_id)


def job_get(*, actor: Actor, pk: int) -> BackgroundJob:
    """A job the actor may see (404 otherwise: another user's job is not revealed)."""
    if not may(actor, Action.JOB_LIST):
        raise Http404
    job = BackgroundJob.objects.filter(pk=pk).first()
    if job is None or not (job.started_by_id == actor.user_id or may(actor, Action.JOB_VIEW_ALL)):
        raise Http404
    return job


def job_result_file(*, actor: Actor, pk: int) -> tuple[Path, str]:
    """(path, download name) of a finished job's result for an actor who may see the job and take its action."""
    job = job_get(actor=actor, pk=pk)
    require(actor, job.action)
    if job.status != JobStatus.DONE or not job.result_path or not Path(job.result_path).is_file():
        raise Http404
    return Path(job.result_path), job.result_name
