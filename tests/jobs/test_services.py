"""cstraject.jobs: a job runs once, as its starter, in the starter's language; failures are kept on the job."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.controls.models import ScreeningRun
from cstraject.controls.tasks import screening_run_task, screening_start
from cstraject.jobs.models import BackgroundJob, JobKind, JobStatus
from cstraject.jobs.services import JobOutcome, job_create, job_execute
from cstraject.reporting.tasks import report_start
from tests.factories import DossierFactory, actor, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def controller():
    return actor(Role.CONTROLLER, user=user_with_role("controller", Role.CONTROLLER))


def test_a_job_runs_once_even_when_its_message_comes_twice(controller, django_capture_on_commit_callbacks):
    DossierFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = screening_start(actor=controller)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert screening_run_task.call(job.pk) == JobStatus.DONE  # a second delivery does nothing
    assert ScreeningRun.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.JOB).count() == 2


def test_an_unexpected_error_fails_the_job_with_its_message_and_reaches_the_worker(controller):
    job = job_create(actor=controller, kind=JobKind.SCREENING, action="screening.run")

    def broken(job, actor, progress):
        progress(1, 4, "stap 1")
        raise RuntimeError("schijf vol")

    with pytest.raises(RuntimeError):
        job_execute(job_id=job.pk, work=broken)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "schijf vol" in job.error and job.finished_at
    assert (job.progress_done, job.progress_total, job.progress_label) == (1, 4, "stap 1")


def test_the_work_runs_as_the_starter_in_the_starters_language(controller):
    with translation.override("en"):
        job = job_create(actor=controller, kind=JobKind.SCREENING, action="screening.run")
    seen = {}

    def work(job, actor, progress):
        seen.update(actor=actor, language=translation.get_language())
        return JobOutcome(summary="ok", data={"n": 1})

    assert job_execute(job_id=job.pk, work=work) == JobStatus.DONE
    assert seen["language"] == "en"
    assert (seen["actor"].user_id, seen["actor"].role) == (controller.user_id, Role.CONTROLLER)
    job.refresh_from_db()
    assert (job.summary, job.result) == ("ok", {"n": 1})


def test_a_role_that_may_not_is_refused_before_anything_is_recorded():
    handler = actor(Role.CASE_HANDLER, user=user_with_role("handler", Role.CASE_HANDLER))
    with pytest.raises(Exception, match="risicoscreening uitvoeren"):
        screening_start(actor=handler)
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"year_from": 2023, "year_to": 2021}, "year_to"),
        ({"year_from": 1999, "year_to": 2021}, "year_from"),
        ({"fmt": "pdf"}, "format"),
        ({"sector_level": "group"}, "sector_level"),
    ],
)
def test_a_bad_report_request_names_the_field_and_starts_nothing(values, field):
    policy = actor(Role.POLICY, user=user_with_role("policy", Role.POLICY))
    arguments = {"year_from": 2021, "year_to": 2022} | values
    with pytest.raises(ValidationError) as error:
        report_start(actor=policy, **arguments)
    assert field in error.value.message_dict
    assert not BackgroundJob.objects.exists()


def test_a_job_started_in_english_reports_in_english(controller, django_capture_on_commit_callbacks):
    DossierFactory()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = screening_start(actor=controller)
    job.refresh_from_db()
    assert job.language == "en" and "signals on" in job.summary and job.progress_label.startswith("Call ")
