"""The answer to question 526 (workbook, CSV or Word) for a chosen period as a background job
(cstraject.jobs): the file is kept with the job and downloaded by whoever started it (or a role that
sees all jobs) while they may still export the report. `cstraject report` calls the same `write_report`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tasks import task

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action
from cstraject.jobs.models import BackgroundJob, JobKind
from cstraject.jobs.services import (
    JobFailed,
    JobOutcome,
    Progress,
    job_create,
    job_enqueue,
    job_execute,
    job_result_path,
)

from .report import FORMATS, write_report
from .statistics import SECTOR_LEVELS


def _work(job: BackgroundJob, actor: Actor, progress: Progress) -> JobOutcome:
    p = job.parameters
    name = f"antwoord-526-{p['year_from']}-{p['year_to']}.{p['format']}"
    try:
        tables = write_report(
            year_from=p["year_from"],
            year_to=p["year_to"],
            target=job_result_path(job, name),
            fmt=p["format"],
            sector_level=p.get("sector_level", "subclass"),
            language=p.get("language", "nl"),
            progress=progress,
        )
    except ValueError as error:
        raise JobFailed(str(error)) from None
    return JobOutcome(
        summary=_("%(name)s: %(tables)s tabellen voor %(year_from)s-%(year_to)s.")
        % {"name": name, "tables": len(tables), "year_from": p["year_from"], "year_to": p["year_to"]},
        data={"tables": len(tables)},
        file_name=name,
    )


@task()
def report_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_work)


@transaction.atomic
def report_start(
    *, actor: Actor, year_from: int, year_to: int, fmt: str = "xlsx", sector_level: str = "subclass"
) -> BackgroundJob:
    """Start writing the answer for `year_from`-`year_to` as `fmt` (xlsx, csv, docx) in the background."""
    errors = {}
    for name, year in (("year_from", year_from), ("year_to", year_to)):
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            errors[name] = _("Een jaartal tussen 2000 en 2100.")
    if not errors and year_from > year_to:
        errors["year_to"] = _("Het laatste jaar ligt voor het eerste.")
    if fmt not in FORMATS:
        errors["format"] = _("Kies uit %(formats)s.") % {"formats": ", ".join(FORMATS)}
    if sector_level not in SECTOR_LEVELS:
        errors["sector_level"] = _("Kies uit %(levels)s.") % {"levels": ", ".join(SECTOR_LEVELS)}
    if errors:
        raise ValidationError(errors)
    job = job_create(
        actor=actor,
        kind=JobKind.REPORT,
        action=Action.REPORT_EXPORT,
        parameters={
            "year_from": year_from,
            "year_to": year_to,
            "format": fmt,
            "sector_level": sector_level,
            # the file in the language of whoever starts it (the web page's), Dutch for anything else
            "language": "en" if (get_language() or "").startswith("en") else "nl",
        },
    )
    job_enqueue(job, report_task)
    return job
