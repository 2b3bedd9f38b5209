"""The Celery option: a job enqueued through django-tasks-fennel runs on a real Celery worker that takes
it from Redis. Skipped without the `celery` extra or without Redis on 127.0.0.1:6379."""

import socket
import time

import pytest

pytest.importorskip("celery")
pytest.importorskip("django_tasks_fennel")

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.mark.django_db(transaction=True)  # the worker thread reads the job through its own connection
def test_a_screening_job_runs_on_a_celery_worker_against_redis(settings):
    from celery import Celery
    from celery.contrib.testing.worker import start_worker
    from django_tasks_fennel.backend import Task as CeleryTask

    from cstraject.accounts.models import Role
    from cstraject.controls.models import ScreeningRun
    from cstraject.controls.tasks import screening_run_task, screening_start
    from cstraject.jobs.models import BackgroundJob, JobStatus
    from tests.factories import DossierFactory, actor, user_with_role

    broker = f"redis://{REDIS[0]}:{REDIS[1]}/15"
    app = Celery("cstraject-test", broker=broker, backend=broker, set_as_current=True)
    app.conf.task_default_queue = "default"  # django-tasks' queue name, as django_tasks_fennel.app sets it
    app.set_default()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_fennel.CeleryBackend"}}
    # With CSTRAJECT_TASKS_BACKEND=celery the worker's import of controls/tasks.py registers the task with
    # Celery; this test process imported it under the immediate backend, so register it the same way here.
    CeleryTask(
        priority=0,
        func=screening_run_task.func,
        queue_name="default",
        backend="default",
        takes_context=False,
        run_after=None,
    )
    DossierFactory()
    controller = actor(Role.CONTROLLER, user=user_with_role("controller", Role.CONTROLLER))

    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
        job = screening_start(actor=controller)  # enqueued at the commit: to Redis, not run here
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if not job.is_active:
                break
            time.sleep(0.2)

    assert job.status == JobStatus.DONE, job.error
    assert job.task_id and job.progress_done == job.progress_total > 0
    assert BackgroundJob.objects.count() == 1 and ScreeningRun.objects.filter(is_current=True).exists()
