"""Themes of the quote, the structured final report and the follow-up survey: one page each.

The provider plans themes and files the final report; the SME contact answers
the follow-up survey. The services decide what may be done; these views show
the forms and put the services' errors back on the fields.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cstraject.accounts.permissions import Action
from cstraject.dossiers.models import QuoteLine
from cstraject.impact import services as impact_services
from cstraject.impact import themes as impact_themes
from cstraject.impact.models import FinalReport, FollowUp, PlannedTheme
from cstraject.web import selectors
from cstraject.web.impact_forms import FollowUpForm, PlannedThemesForm, StructuredReportForm

from .common import action_required, apply_errors, atomic_with_fresh, version_of
from .dossiers import _redirect


def _framework(dossier):
    themes = impact_themes.themes_for_call(dossier.call_id)
    ordered = sorted(themes.values(), key=lambda t: t.order)
    return [t for t in ordered if not t.is_function], [t for t in ordered if t.is_function]


@require_http_methods(["GET", "POST"])
@action_required(Action.THEMES_PLAN)
def planned_themes(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    categories, _functions = _framework(dossier)
    lines = list(QuoteLine.objects.filter(dossier=dossier).values_list("package__code", flat=True))
    existing = list(PlannedTheme.objects.filter(dossier=dossier).select_related("theme", "quote_line__package"))
    status = 200
    if request.method == "POST":
        form = PlannedThemesForm(request.POST, categories=categories, quote_lines=lines)
        if form.is_valid():
            filled = form.filled_rows()
            aliases = {"themes": form.row_names(0)["theme"]}
            for service_index, (form_index, _values) in enumerate(filled):
                for name, field in form.row_names(form_index).items():
                    aliases[f"themes[{service_index}].{name}"] = field
            try:
                with atomic_with_fresh(dossier, form.cleaned_data["version"]):
                    impact_themes.planned_themes_set(
                        actor=request.actor, dossier=dossier, themes=[values for _i, values in filled]
                    )
            except ValidationError as error:
                apply_errors(form, error, aliases=aliases)
            else:
                messages.success(request, _("Thema's van de offerte opgeslagen."))
                return _redirect(dossier, "themes")
        status = 400
    else:
        initial = {"version": version_of(dossier)}
        for index, row in enumerate(existing):
            names = PlannedThemesForm.row_names(PlannedThemesForm, index)
            initial.update(
                {
                    names["theme"]: row.theme.code,
                    names["man_days"]: str(row.man_days),
                    names["quote_line"]: row.quote_line.package.code if row.quote_line else "",
                    names["description"]: row.description,
                }
            )
        form = PlannedThemesForm(initial=initial, categories=categories, quote_lines=lines, rows=len(existing) + 3)
    return render(
        request,
        "web/planned_themes.html",
        {"dossier": dossier, "form": form, "has_framework": bool(categories)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@action_required(Action.FINAL_REPORT_SUBMIT)
def final_report_submit(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    categories, functions = _framework(dossier)
    report = FinalReport.objects.filter(dossier=dossier).first()
    status = 200
    if request.method == "POST":
        form = StructuredReportForm(request.POST, categories=categories, functions=functions)
        if form.is_valid():
            points, maturity, aliases = form.service_input()
            try:
                with atomic_with_fresh(dossier, form.cleaned_data["version"]):
                    impact_services.final_report_submit(
                        actor=request.actor,
                        dossier=dossier,
                        signatory=form.cleaned_data["signatory"],
                        points=points,
                        function_maturity=maturity,
                        improvements=form.cleaned_data["improvements"],
                    )
            except ValidationError as error:
                apply_errors(form, error, aliases=aliases)
            else:
                messages.success(request, _("Eindverslag ondertekend. De kmo kan het nu medeondertekenen."))
                return _redirect(dossier, "final-report")
        status = 400
    else:
        initial = {
            "version": version_of(dossier),
            "signatory": report.provider_signatory if report else request.user.get_full_name(),
            "improvements": report.improvements if report else "",
        }
        if report is not None:
            for index, point in enumerate(report.points.select_related("theme")):
                names = StructuredReportForm.row_names(StructuredReportForm, index)
                initial.update(
                    {
                        names["theme"]: point.theme.code,
                        names["description"]: point.description,
                        names["status"]: point.status,
                        names["maturity_before"]: str(point.maturity_before),
                        names["maturity_after"]: str(point.maturity_after),
                    }
                )
            for row in report.function_maturities.select_related("function"):
                initial[f"maturity_{row.function.code}_before"] = str(row.before)
                initial[f"maturity_{row.function.code}_after"] = str(row.after)
        points = report.points.count() if report is not None else 0
        form = StructuredReportForm(initial=initial, categories=categories, functions=functions, rows=points + 3)
    return render(
        request,
        "web/final_report_form.html",
        {
            "dossier": dossier,
            "form": form,
            "report": report,
            "has_framework": bool(categories),
            "locked": bool(report and report.is_cosigned),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@action_required(Action.FOLLOW_UP_ANSWER)
def follow_up(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    survey = FollowUp.objects.filter(final_report__dossier=dossier).select_related("final_report").first()
    if survey is None:
        raise Http404(_("Er is geen opvolgingsbevraging voor dit dossier."))
    points = list(impact_services.follow_up_points(survey))
    status = 200
    if request.method == "POST":
        form = FollowUpForm(request.POST, points=points)
        if form.is_valid():
            answers = {p.pk: form.cleaned_data[f"point_{p.pk}"] for p in points}
            try:
                with atomic_with_fresh(dossier, form.cleaned_data["version"]):
                    impact_services.follow_up_answer(
                        actor=request.actor, dossier=dossier, answers=answers, comment=form.cleaned_data["comment"]
                    )
            except ValidationError as error:
                apply_errors(form, error, aliases={"answers": None})
            else:
                messages.success(request, _("Bedankt: uw antwoorden op de opvolgingsbevraging zijn bewaard."))
                return _redirect(dossier, "final-report")
        status = 400
    else:
        form = FollowUpForm(initial={"version": version_of(dossier)}, points=points)
    return render(
        request, "web/follow_up_form.html", {"dossier": dossier, "form": form, "survey": survey}, status=status
    )
