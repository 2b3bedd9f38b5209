"""The register imports as background jobs (cstraject.jobs): a KBO open-data extract and a file of
annual accounts (NBB), uploaded on the web, run by django-tasks tasks with progress per file and phase.
`cstraject kbo import` and `cstraject accounts import` call the same services."""

import zipfile
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action
from cstraject.jobs.models import BackgroundJob, JobKind
from cstraject.jobs.services import JobFailed, JobOutcome, Progress, job_create, job_enqueue, job_execute

from .annual_accounts import annual_accounts_import, count_lines
from .kbo import KboImportError, kbo_import
from .kbo import Progress as KboProgress
from .services import register_sync_companies


class _KboJobProgress(KboProgress):
    """The KBO import's progress (per CSV file: bytes and rows) as job steps: step n of the files
    in the archive (+1 for the switch), with the file's name, percentage and rows read."""

    def __init__(self, progress: Progress, files: int):
        super().__init__(enabled=False)
        self.report, self.files, self.index = progress, files, 0

    def start(self, name: str, total: int) -> None:
        super().start(name, total)
        self.index += 1
        self._report()

    def advance(self, nbytes: int) -> None:
        self.done += nbytes
        percent = min(100, self.done * 100 // self.total)
        if percent != self.shown:
            self.shown = percent
            self._report()

    def finish(self) -> None:
        self.done = self.total
        self._report()

    def note(self, text: str) -> None:
        self.report(self.files, self.files + 1, text)

    def _report(self) -> None:
        label = _("Bestand %(file)s (%(index)s van %(files)s): %(percent)s%%, %(rows)s rijen") % {
            "file": self.name,
            "index": self.index,
            "files": self.files,
            "percent": min(100, self.done * 100 // self.total),
            "rows": self.rows,
        }
        self.report(max(0, self.index - 1), self.files + 1, label)


def _csv_files(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(1 for name in archive.namelist() if name.lower().endswith(".csv"))
    except (OSError, zipfile.BadZipFile):
        return 0  # kbo_import reports it with the file's name


def _kbo_work(job: BackgroundJob, actor: Actor, progress: Progress) -> JobOutcome:
    path = Path(job.input_path)
    try:
        result = kbo_import(
            path,
            actor=actor,
            skip_invalid=bool(job.parameters.get("skip_invalid")),
            force=bool(job.parameters.get("force")),
            progress=_KboJobProgress(progress, _csv_files(path)),
            after_switch=register_sync_companies,
        )
    except KboImportError as error:
        raise JobFailed(error.located()) from None
    meta = result.meta
    if not result.applied:
        return JobOutcome(
            summary=_("Extract %(n)s (%(kind)s) is al toegepast; niets gewijzigd.")
            % {"n": meta.number, "kind": meta.kind},
            data={"extract": meta.number, "kind": meta.kind, "applied": False},
        )
    return JobOutcome(
        summary=_(
            "Extract %(n)s (%(kind)s) ingelezen; %(companies)s ondernemingen bijgewerkt, %(skipped)s rijen overgeslagen."
        )
        % {"n": meta.number, "kind": meta.kind, "companies": result.companies_updated, "skipped": result.skipped_count},
        data={
            "extract": meta.number,
            "kind": meta.kind,
            "applied": True,
            "counts": result.counts,
            "companies_updated": result.companies_updated,
            "skipped": result.skipped,
        },
    )


def _accounts_work(job: BackgroundJob, actor: Actor, progress: Progress) -> JobOutcome:
    path = Path(job.input_path)
    lines = count_lines(path)
    # The import is one transaction: what it reports inside shows once it commits.
    progress(0, lines, _("%(n)s regels lezen en inlezen (één transactie)") % {"n": lines})
    try:
        result = annual_accounts_import(
            path, actor=actor, skip_invalid=bool(job.parameters.get("skip_invalid")), progress=progress
        )
    except KboImportError as error:
        raise JobFailed(error.located()) from None
    return JobOutcome(
        summary=_(
            "%(rows)s jaarrekeningen ingelezen; %(updated)s van gekende ondernemingen bijgewerkt, %(skipped)s regels overgeslagen."
        )
        % {"rows": result.rows, "updated": result.companies_updated, "skipped": result.skipped_count},
        data={"rows": result.rows, "companies_updated": result.companies_updated, "skipped": result.skipped},
    )


@task()
def kbo_import_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_kbo_work)


@task()
def accounts_import_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_accounts_work)


@transaction.atomic
def kbo_import_start(*, actor: Actor, upload, skip_invalid: bool = False, force: bool = False) -> BackgroundJob:
    """Start importing an uploaded KBO extract (zip) in the background."""
    job = job_create(
        actor=actor,
        kind=JobKind.KBO_IMPORT,
        action=Action.REGISTER_IMPORT,
        parameters={"skip_invalid": skip_invalid, "force": force},
        upload=upload,
    )
    job_enqueue(job, kbo_import_task)
    return job


@transaction.atomic
def accounts_import_start(*, actor: Actor, upload, skip_invalid: bool = False) -> BackgroundJob:
    """Start importing an uploaded file of annual accounts (CSV) in the background."""
    job = job_create(
        actor=actor,
        kind=JobKind.ACCOUNTS_IMPORT,
        action=Action.ACCOUNTS_IMPORT,
        parameters={"skip_invalid": skip_invalid},
        upload=upload,
    )
    job_enqueue(job, accounts_import_task)
    return job
