"""Statistics for policy staff: the tables of question 526 for a chosen
period, a bar chart per table, and the same workbook as `cstraject report`."""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from cstraject.accounts.permissions import Action
from cstraject.controls.answers import control_process
from cstraject.reporting.answer_text import part_text
from cstraject.reporting.oversight import with_answer_tables
from cstraject.reporting.report import write_report
from cstraject.reporting.statistics import question_tables, years_with_data
from cstraject.web.charts import bar_chart
from cstraject.web.forms import PeriodForm

from .common import action_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


FIRST_YEAR = 2021  # the scheme's first call


def default_period() -> tuple[int, int]:
    """The years that have data (never a future year); this year alone when there is nothing yet."""
    this_year = timezone.localdate().year
    found = years_with_data()
    if found is None:
        return this_year, this_year
    first, last = max(found[0], FIRST_YEAR), min(found[1], this_year)
    return (first, last) if first <= last else (this_year, this_year)


def _period(request):
    """The period asked for; a year not given is one of the years with data."""
    asked = {key: request.GET.get(key) for key in ("year_from", "year_to")}
    if None in asked.values():
        first, last = default_period()
        asked = {"year_from": asked["year_from"] or str(first), "year_to": asked["year_to"] or str(last)}
    form = PeriodForm(asked)
    return form, (form.cleaned_data["year_from"], form.cleaned_data["year_to"]) if form.is_valid() else None


def _is_empty_year(table, year) -> bool:
    """No figure of `table` in `year` (every count and amount zero, every ratio absent)."""
    return all(not row.value(year, m.key) for row in table.all_rows() for m in table.measures)


def years_shown(table) -> tuple[list[str], list[str]]:
    """(the table's years with data, its years without): an empty year is named, not drawn as zeros."""
    shown: list[str] = []
    empty: list[str] = []
    for year in table.years:
        (empty if _is_empty_year(table, year) else shown).append(year)
    return shown, empty


@require_GET
@action_required(Action.STATISTICS_VIEW)
def statistics(request):
    form, period = _period(request)
    tables = []
    if period:
        computed = question_tables(year_from=period[0], year_to=period[1])
        computed = with_answer_tables(computed, year_from=period[0], year_to=period[1])  # question 4 (red flags)
        seen = set()
        for table in computed:
            # The answer's generated text (main figures; for 5 the method) above the first table of each part.
            text = part_text(table.question, computed) if table.question not in seen else []
            seen.add(table.question)
            shown, empty = years_shown(table)
            tables.append((table, bar_chart(table, shown), text, shown, empty))
    return render(
        request,
        "web/statistics.html",
        {"form": form, "period": period, "tables": tables, "process": control_process() if period else None},
        status=200 if period else 400,
    )


def _language() -> str:
    """The download in the user's language (the page's), Dutch for anything else."""
    return "en" if (translation.get_language() or "").startswith("en") else "nl"


@require_GET
@action_required(Action.REPORT_EXPORT)
def statistics_workbook(request):
    form, period = _period(request)
    if not period:
        return render(request, "web/statistics.html", {"form": form, "period": None, "tables": []}, status=400)
    buffer = io.BytesIO()
    write_report(year_from=period[0], year_to=period[1], target=buffer, fmt="xlsx", language=_language())
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="antwoord-526-{period[0]}-{period[1]}.xlsx"'
    return response


@require_GET
@action_required(Action.REPORT_EXPORT)
def statistics_document(request):
    """The answer as a Word document, the same as `cstraject report --format docx`."""
    form, period = _period(request)
    if not period:
        return render(request, "web/statistics.html", {"form": form, "period": None, "tables": []}, status=400)
    buffer = io.BytesIO()
    write_report(year_from=period[0], year_to=period[1], target=buffer, fmt="docx", language=_language())
    response = HttpResponse(buffer.getvalue(), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="antwoord-526-{period[0]}-{period[1]}.docx"'
    return response
