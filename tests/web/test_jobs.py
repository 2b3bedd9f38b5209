"""Background jobs on the web: start, follow under "Mijn taken", download; one user's job is not another's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.controls.models import ScreeningRun
from cstraject.jobs.models import BackgroundJob, JobKind, JobStatus
from cstraject.register.models import FiledAccounts
from tests.factories import Role, user_with_role


@pytest.fixture
def database_tasks(settings):
    """django-tasks' database backend, as in production (django-tasks resets its backends on the change)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_a_controller_starts_the_screening_the_worker_runs_it_and_the_page_follows(
    world, dossier_a, login, database_tasks
):
    client = login(world["users"]["controller"])
    page = client.get(reverse("web:risk_queue"))
    assert reverse("web:screening_start") in page.content.decode()

    response = client.post(reverse("web:screening_start"))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#job-{job.pk}")
    assert (job.kind, job.status, job.started_by) == (JobKind.SCREENING, JobStatus.QUEUED, world["users"]["controller"])
    assert job.task_id  # handed to django-tasks
    listed = client.get(reverse("web:my_jobs"))
    assert "in de wachtrij" in listed.content.decode() and 'http-equiv="refresh"' in listed.content.decode()
    assert client.get(reverse("web:jobs_status")).json()["jobs"][0]["active"] is True
    assert not ScreeningRun.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_total > 1 and job.progress_done == job.progress_total
    assert "indicator" in job.progress_label
    run = ScreeningRun.objects.get(is_current=True)
    assert job.result["run"] == run.pk and str(run.hit_count) in job.summary
    state = client.get(reverse("web:jobs_status")).json()["jobs"][0]
    assert (state["status"], state["percent"], state["active"]) == ("done", 100, False)
    assert "klaar" in client.get(reverse("web:my_jobs")).content.decode()
    # Started and finished in the audit trail, by the controller; the screening itself too.
    events = AuditEvent.objects.filter(action=AuditAction.JOB).order_by("pk")
    assert [e.data.get("status", "started") for e in events] == ["started", "done"]
    assert {e.actor_id for e in events} == {world["users"]["controller"].pk}
    assert AuditEvent.objects.filter(action=AuditAction.SCREENING, actor=world["users"]["controller"]).exists()


def test_the_immediate_backend_runs_the_job_inline(world, dossier_a, login, django_capture_on_commit_callbacks):
    client = login(world["users"]["controller"])
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit (tests run in a transaction)
        client.post(reverse("web:screening_start"))
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE and ScreeningRun.objects.filter(is_current=True).exists()


def test_roles_without_the_action_cannot_start_a_job(world, login):
    client = login(world["users"]["case_handler"])
    assert client.post(reverse("web:screening_start")).status_code == 403
    assert client.get(reverse("web:my_jobs")).status_code == 403
    client = login(world["users"]["policy"])
    assert client.post(reverse("web:screening_start")).status_code == 403
    assert client.get(reverse("web:register_import")).status_code == 403
    assert not BackgroundJob.objects.exists()


def test_a_failing_import_shows_its_error_and_imports_nothing(world, login, django_capture_on_commit_callbacks):
    client = login(world["users"]["admin"])
    bad = SimpleUploadedFile("jaarrekeningen.csv", b"Nummer,Jaar\n0403170701,2023\n", content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:register_import"), {"kind": "accounts", "accounts-file": bad})
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.FAILED and job.kind == JobKind.ACCOUNTS_IMPORT
    assert "jaarrekeningen.csv" in job.error and "kopregel" in job.error
    assert not FiledAccounts.objects.exists()
    assert not (job.input_path and __import__("pathlib").Path(job.input_path).exists())  # the upload is removed
    page = client.get(reverse("web:my_jobs")).content.decode()
    assert "mislukt" in page and "kopregel" in page
    assert AuditEvent.objects.filter(action=AuditAction.JOB, data__status="failed").exists()

    not_a_zip = SimpleUploadedFile("KboOpenData_0001_2026_01_Update.zip", b"not a zip", content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:register_import"), {"kind": "kbo", "kbo-file": not_a_zip})
    kbo = BackgroundJob.objects.get(kind=JobKind.KBO_IMPORT)
    assert kbo.status == JobStatus.FAILED and "zipbestand" in kbo.error


def test_an_accounts_file_is_imported_in_the_background(world, login, django_capture_on_commit_callbacks):
    client = login(world["users"]["admin"])
    content = (
        "EnterpriseNumber,Year,Scheme,9087,70,20/58,10/15\n0403.170.701,2023,volledig,12.5,1500000,900000,300000\n"
    )
    upload = SimpleUploadedFile("jaarrekeningen.csv", content.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:register_import"), {"kind": "accounts", "accounts-file": upload})
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert FiledAccounts.objects.count() == 1 and job.result["rows"] == 1
    assert job.progress_done == job.progress_total


def test_a_wrong_file_type_is_refused_on_the_form(world, login):
    client = login(world["users"]["admin"])
    upload = SimpleUploadedFile("extract.txt", b"x", content_type="text/plain")
    response = client.post(reverse("web:register_import"), {"kind": "kbo", "kbo-file": upload})
    assert response.status_code == 400 and "zipbestand" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_another_user_cannot_see_or_download_a_jobs_result(world, login, django_capture_on_commit_callbacks):
    starter = world["users"]["policy"]
    client = login(starter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:report_start"), {"year_from": 2021, "year_to": 2022, "format": "xlsx"})
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert job.result_name == "antwoord-526-2021-2022.xlsx"
    result_url = reverse("web:job_result", args=[job.pk])
    assert result_url in client.get(reverse("web:my_jobs")).content.decode()
    download = client.get(result_url)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"

    other = login(user_with_role("policy_b", Role.POLICY))
    assert result_url not in other.get(reverse("web:my_jobs")).content.decode()
    assert other.get(reverse("web:jobs_status")).json() == {"jobs": []}
    assert other.get(reverse("web:job_status", args=[job.pk])).status_code == 404
    assert other.get(result_url).status_code == 404
    assert other.get(reverse("web:my_jobs") + "?alle=1").content.decode().count("job-") == 0
    # A controller may follow jobs but not export the report: not its job, so not found.
    assert login(world["users"]["controller"]).get(result_url).status_code == 404
    # The administrator sees every job and may export the report.
    admin = login(world["users"]["admin"])
    assert f"job-{job.pk}" in admin.get(reverse("web:my_jobs") + "?alle=1").content.decode()
    assert admin.get(result_url).status_code == 200


def test_a_bad_period_names_the_field_and_starts_nothing(world, login):
    client = login(world["users"]["policy"])
    response = client.post(
        reverse("web:report_start"), {"year_from": 2023, "year_to": 2021, "format": "xlsx"}, follow=True
    )
    assert "eindjaar" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_a_kbo_extract_uploaded_on_the_web_is_imported_with_progress_per_file(
    world, login, tmp_path, django_capture_on_commit_callbacks
):
    from cstraject.register.models import KboEnterprise, KboExtract
    from tests.register import extract

    path = extract.write_full(tmp_path)
    client = login(world["users"]["admin"])
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:register_import"), {"kind": "kbo", "kbo-file": upload})
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert KboExtract.objects.filter(number=140).exists() and KboEnterprise.objects.count() == 3
    files = len(extract.HEADERS)  # one CSV per table of the published layout, meta and code included
    assert (job.progress_done, job.progress_total) == (files + 1, files + 1)
    assert "140" in job.summary and job.result["applied"] is True
