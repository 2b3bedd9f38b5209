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


def open_follow_ups(*, company_id: int, today):
    """The follow-up surveys a company may still answer (open, not answered, deadline not passed)."""
    return list(
        FollowUp.objects.filter(
            final_report__dossier__company_id=company_id,
            answered_at__isnull=True,
            opens_on__lte=today,
            deadline__gte=today,
        )
        .select_related("final_report__dossier")
        .order_by("deadline")
    )
