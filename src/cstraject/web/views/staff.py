"""SME dashboard, back office (work queue, payment requests), control
(recoveries, audit trail)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cstraject.accounts.permissions import Action, may
from cstraject.audit.models import AuditAction
from cstraject.companies.models import Company
from cstraject.controls.selectors import risk_scores
from cstraject.impact.selectors import open_follow_ups
from cstraject.web import selectors
from cstraject.web.forms import QueueFilterForm

from .common import action_required


def _page_number(request) -> int:
    """The page asked for; 1 when it is not a number (huge numbers give 404 in `selectors._page`)."""
    text = request.GET.get("page", "1").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return 1 if not (text.isascii() and text.isdigit()) else 10**9
    return max(1, int(text))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@action_required(Action.SME_PORTAL)
def sme_dashboard(request):
    company = Company.objects.select_related("nace_code").get(pk=request.actor.company_id)
    return render(
        request,
        "web/sme_dashboard.html",
        {
            "groups": selectors.dossiers_by_status(actor=request.actor),
            "company": company,
            "follow_ups": open_follow_ups(company_id=company.pk, today=timezone.localdate()),
        },
    )


@require_GET
@action_required(Action.WORK_QUEUE)
def backoffice_queue(request):
    data = request.GET.copy()
    if "status" not in data:
        # The queue opens on the submitted dossiers; a search looks in every status.
        data["status"] = "" if data.get("q", "").strip() else "submitted"
    form = QueueFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {"status": "submitted"}
    page = selectors.work_queue(
        actor=request.actor,
        q=filters.get("q") or "",
        status=filters.get("status") or "",
        call=filters["call"].pk if filters.get("call") else None,
        provider=filters["provider"].pk if filters.get("provider") else None,
        province=filters.get("province") or "",
        size_class=filters.get("size_class") or "",
        sort=filters.get("sort") or "submitted",
        page=_page_number(request),
    )
    return render(
        request,
        "web/backoffice_queue.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "counts": selectors.queue_counts(actor=request.actor),
        },
    )


@require_GET
@action_required(Action.PAYMENT_DECIDE)
def backoffice_payments(request):
    page = selectors.payment_requests_waiting(actor=request.actor, page=_page_number(request))
    # The red flags of each dossier (current screening), next to the link to the approval page.
    scores = (
        risk_scores(dossier_ids=[r.dossier_id for r in page.rows]) if may(request.actor, Action.SCREENING_VIEW) else {}
    )
    rows = [(r, scores.get(r.dossier_id)) for r in page.rows]
    return render(
        request,
        "web/backoffice_payments.html",
        {"page": page, "rows": rows, "query": "", "counts": selectors.queue_counts(actor=request.actor)},
    )


@require_GET
@action_required(Action.RECOVERY_LIST)
def control_home(request):
    page = selectors.recoveries_overview(actor=request.actor, page=_page_number(request))
    return render(request, "web/control_recoveries.html", {"page": page, "query": ""})


@require_GET
@action_required(Action.AUDIT_VIEW)
def control_audit(request):
    reference = request.GET.get("reference", "")[:40].replace("\x00", "")
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    page = selectors.audit_trail(actor=request.actor, page=_page_number(request), reference=reference, action=action)
    return render(
        request,
        "web/control_audit.html",
        {
            "page": page,
            "reference": reference,
            "action": action,
            "actions": AuditAction.choices,
            "query": _query_without_page(request),
        },
    )
