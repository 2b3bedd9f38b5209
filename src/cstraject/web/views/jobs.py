"""Background jobs on the web: starting the screening, the register imports and the report, and
"Mijn taken" (the user's jobs with status and progress, refreshed by static/web/jobs.js from
`jobs_status`, or by a meta refresh without JavaScript)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cstraject.accounts.permissions import Action, may
from cstraject.controls.tasks import screening_start
from cstraject.jobs.models import BackgroundJob
from cstraject.jobs.selectors import job_get, job_result_file, jobs_visible
from cstraject.register.tasks import accounts_import_start, kbo_import_start
from cstraject.reporting.tasks import report_start
from cstraject.web.job_forms import AccountsImportForm, KboImportForm, ReportJobForm

from .common import action_required, apply_errors

LISTED = 50


def _job_data(request, job: BackgroundJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.get_kind_display(),
        "status": job.status,
        "status_label": job.get_status_display(),
        "active": job.is_active,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "step": job.progress_label,
        "error": job.error,
        "summary": job.summary,
        "result_url": reverse("web:job_result", args=[job.pk])
        if job.result_path and job.status == "done" and may(request.actor, job.action)
        else "",
        "result_name": job.result_name,
        "created_at": formats.date_format(job.created_at, "SHORT_DATETIME_FORMAT"),
    }


def _listed(request):
    everyone = request.GET.get("alle") == "1" and may(request.actor, Action.JOB_VIEW_ALL)
    return everyone, list(jobs_visible(actor=request.actor, everyone=everyone)[:LISTED])


@require_GET
@action_required(Action.JOB_LIST)
def my_jobs(request):
    everyone, jobs = _listed(request)
    rows = [_job_data(request, job) | {"started_by": job.started_by_label} for job in jobs]
    return render(
        request,
        "web/jobs.html",
        {
            "jobs": rows,
            "everyone": everyone,
            "may_view_all": may(request.actor, Action.JOB_VIEW_ALL),
            "refresh": any(row["active"] for row in rows),
        },
    )


@require_GET
@action_required(Action.JOB_LIST)
def jobs_status(request):
    """The listed jobs as JSON, for the page's polling."""
    _everyone, jobs = _listed(request)
    return JsonResponse({"jobs": [_job_data(request, job) for job in jobs]})


@require_GET
@action_required(Action.JOB_LIST)
def job_status(request, pk):
    return JsonResponse(_job_data(request, job_get(actor=request.actor, pk=pk)))


@require_GET
@action_required(Action.JOB_LIST)
def job_result(request, pk):
    path, name = job_result_file(actor=request.actor, pk=pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def _started(request, job: BackgroundJob):
    messages.success(
        request,
        _("Achtergrondtaak %(id)s gestart: %(kind)s. De voortgang staat hier.")
        % {"id": job.pk, "kind": job.get_kind_display()},
    )
    return redirect(f"{reverse('web:my_jobs')}#job-{job.pk}")


@require_POST
@action_required(Action.SCREENING_RUN)
def screening_start_view(request):
    return _started(request, screening_start(actor=request.actor))


@require_http_methods(["GET", "POST"])
@action_required(Action.JOB_LIST)
def register_import(request):
    """Upload a KBO extract or a file of annual accounts; the import runs as a background job."""
    may_kbo, may_accounts = may(request.actor, Action.REGISTER_IMPORT), may(request.actor, Action.ACCOUNTS_IMPORT)
    if not (may_kbo or may_accounts):
        raise PermissionDenied(_("Uw rol mag het ondernemingsregister en de jaarrekeningen niet inlezen."))
    kbo_form, accounts_form = KboImportForm(prefix="kbo"), AccountsImportForm(prefix="accounts")
    status = 200
    if request.method == "POST":
        too_large = getattr(request, "uploads_too_large", None)
        if request.POST.get("kind") == "kbo":
            kbo_form = KboImportForm(request.POST, request.FILES, prefix="kbo")
            form, start = kbo_form, kbo_import_start
        else:
            accounts_form = AccountsImportForm(request.POST, request.FILES, prefix="accounts")
            form, start = accounts_form, accounts_import_start
        if too_large:
            form.add_error(
                None, _("Het bestand is groter dan 10 MB; lees een groot extract in met cstraject kbo import.")
            )
        elif form.is_valid():
            options = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            try:
                job = start(actor=request.actor, upload=form.cleaned_data["file"], **options)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return _started(request, job)
        status = 400
    return render(
        request,
        "web/register_import.html",
        {"kbo_form": kbo_form if may_kbo else None, "accounts_form": accounts_form if may_accounts else None},
        status=status,
    )


@require_POST
@action_required(Action.REPORT_EXPORT)
def report_start_view(request):
    form = ReportJobForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = report_start(
                actor=request.actor, year_from=data["year_from"], year_to=data["year_to"], fmt=data["format"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _started(request, job)
    for field, errors in form.errors.items():
        for message in errors:
            messages.error(request, f"{form.fields[field].label}: {message}" if field in form.fields else message)
    return redirect(reverse("web:statistics"))
