"""The controller's risk queue, and the red flags and controls on the dossier page."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cstraject.accounts.permissions import Action, may
from cstraject.controls.selectors import controls_for, current_run, dossier_flags, risk_queue
from cstraject.controls.services import control_record
from cstraject.web import selectors
from cstraject.web.forms import ControlForm, RiskQueueFilterForm

from .common import action_required, apply_errors
from .staff import _page_number, _query_without_page


def dossier_controls_context(request, dossier, forms) -> dict:
    """What the dossier page shows of the screening and the controls, per the permission table."""
    actor = request.actor
    context: dict[str, object] = {}
    if may(actor, Action.SCREENING_VIEW, dossier):
        run = current_run()
        flags = dossier_flags(dossier=dossier, run=run) if run else []
        context["red_flags"] = flags
        context["risk_score"] = sum((flag.weight for flag in flags), Decimal("0"))  # the run's score: its weights
        context["screening"] = run
    if may(actor, Action.CONTROL_VIEW, dossier):
        context["controls"] = list(controls_for(actor=actor, dossier=dossier))
    if may(actor, Action.CONTROL_RECORD, dossier):
        context["control_form"] = forms.get("control") or ControlForm()
    return context


@require_POST
@action_required(Action.CONTROL_RECORD)
def control_create(request, pk):
    from .dossiers import _redirect, _render_detail

    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    form = ControlForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                control_record(
                    actor=request.actor,
                    dossier=dossier,
                    kind=data["kind"],
                    trigger=data["trigger"],
                    performed_date=data["performed_date"],
                    outcome=data["outcome"],
                    scope=data["scope"],
                    conclusion=data["conclusion"],
                    findings=form.findings(),
                )
        except ValidationError as error:
            apply_errors(
                form,
                error,
                aliases={"findings": "category", "findings[0].category": "category"},
            )
        else:
            messages.success(request, _("Controle geregistreerd."))
            return _redirect(dossier, "controls")
    return _render_detail(request, dossier, {"control": form}, status=400)


@require_GET
@action_required(Action.SCREENING_VIEW)
def risk_queue_view(request):
    form = RiskQueueFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {
            "indicator": form.cleaned_data["indicator"] or None,
            "category": form.cleaned_data["category"] or None,
            "provider": form.cleaned_data["provider"].code if form.cleaned_data["provider"] else None,
        }
    page = selectors._page(risk_queue(actor=request.actor, **filters), page=_page_number(request), size=25)
    flags = {}
    if page.rows:
        from cstraject.controls.models import IndicatorHit
        from cstraject.controls.screening.indicators import REGISTRY

        for hit in IndicatorHit.objects.filter(run=page.rows[0].run, dossier_id__in=[r.dossier_id for r in page.rows]):
            indicator = REGISTRY.get(hit.indicator)
            flags.setdefault(hit.dossier_id, []).append(
                # The sentence in the active language, from the stored figures (the stored text is Dutch).
                (indicator.title, indicator.explain(hit.figures)) if indicator else (hit.indicator, hit.explanation)
            )
    rows = [(row, flags.get(row.dossier_id, [])) for row in page.rows]
    return render(
        request,
        "web/control_risk_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
            "screening": current_run(),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )
