"""Reads on themes and final reports for the dossier page."""

from .models import FinalReport, FollowUp, PlannedTheme


def dossier_impact(*, dossier, report: FinalReport | None) -> dict:
    """The planned themes, the report's improvement points, maturity per function and follow-up, for display."""
    context = {
        "planned_themes": list(
            PlannedTheme.objects.filter(dossier=dossier).select_related("theme", "quote_line__package")
        ),
        "report_points": [],
        "report_maturities": [],
        "report_follow_up": None,
    }
    if report is not None and report.is_structured:
        context["report_points"] = list(report.points.select_related("theme"))
        context["report_maturities"] = list(report.function_maturities.select_related("function"))
        context["report_follow_up"] = FollowUp.objects.filter(final_report=report).first()
    return context
