"""The dossier page every role with access to dossiers shares, and the
actions on it. What is shown and which forms appear depends on the role;
what may be done is decided by the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cstraject.accounts.permissions import Action, may
from cstraject.calls.models import package_order
from cstraject.core.money import format_euro
from cstraject.dossiers import services as dossier_services
from cstraject.dossiers import workflow
from cstraject.dossiers.models import DossierStatus, EligibilityResult, QuoteLine
from cstraject.impact import selectors as impact_selectors
from cstraject.impact import services as impact_services
from cstraject.impact.models import FinalReport, FollowUp
from cstraject.impact.themes import PLANNABLE_STATUSES
from cstraject.payments import services as payment_services
from cstraject.payments.models import PaymentRequestStatus, Recovery
from cstraject.payments.selectors import settlement_preview, tranche_review
from cstraject.web import selectors
from cstraject.web import services as web_services
from cstraject.web.forms import (
    CollectionForm,
    ConfirmForm,
    CosignForm,
    PaymentApproveForm,
    PaymentRejectForm,
    PaymentRequestForm,
    RecoveryForm,
    SettlementForm,
    StatementForm,
    TransitionForm,
    needed_when,
)

from .common import action_required, apply_errors, atomic_with_fresh, version_of

MONEY_STATUSES = (DossierStatus.APPROVED, DossierStatus.IN_PROGRESS, DossierStatus.FINISHED)
# Statements and payment requests only once the work has started (the lifecycle services say so too).
WORK_STATUSES = (DossierStatus.IN_PROGRESS, DossierStatus.FINISHED)
SETTLEMENT_STATUSES = (DossierStatus.FINISHED, DossierStatus.STOPPED)


def _transition_form(transition, data=None, initial=None):
    form = TransitionForm(data, initial=initial, prefix=transition.name)
    reason = form.fields["reason"]
    reason.required = transition.requires_reason
    needed_when(reason, transition.reason_required_when)  # the label's "(verplicht als ...)"
    return form


def _final_report(dossier):
    return FinalReport.objects.filter(dossier=dossier).first()


def _detail_context(request, dossier, forms=None):
    """What the page shows and which forms it offers: each asked of the permission table."""
    actor = request.actor
    forms = forms or {}
    version = version_of(dossier)
    money = selectors.dossier_money(actor=actor, dossier=dossier)
    report = _final_report(dossier)
    # The buttons of this page; submitting is the wizard's last step.
    transitions = workflow.allowed_transitions(dossier, actor, in_wizard=False)
    context = {
        "dossier": dossier,
        "quote_lines": list(
            QuoteLine.objects.filter(dossier=dossier).select_related("package").order_by(*package_order("package__"))
        ),
        "documents": selectors.dossier_documents(actor=actor, dossier=dossier),
        "money": money,
        "final_report": report if may(actor, Action.FINAL_REPORT_VIEW, dossier) else None,
        **(
            impact_selectors.dossier_impact(dossier=dossier, report=report)
            if may(actor, Action.FINAL_REPORT_VIEW, dossier)
            else {}
        ),
        "transitions": [
            (
                t,
                forms.get(f"transition_{t.name}")
                or _transition_form(t, initial={"transition": t.name, "version": version}),
            )
            for t in transitions
        ],
        "can_edit_draft": may(actor, Action.PROVIDER_PORTAL, dossier)
        and may(actor, Action.DOSSIER_EDIT_DRAFT, dossier),
        "show_recoveries": may(actor, Action.RECOVERY_VIEW, dossier),
        "eligibility": None,
        "audit_trail": None,
        # What the provider declared with this application (never the company's master data).
        "declared": {
            "accounts": list(dossier.declared_accounts.select_related("company").order_by("company_id", "year")),
            "relations": list(dossier.declared_relations.select_related("company", "related_company")),
            "de_minimis_aid": list(dossier.declared_de_minimis_aid.select_related("company")),
        },
    }
    if may(actor, Action.ELIGIBILITY_VIEW, dossier):
        context["eligibility"] = list(
            EligibilityResult.objects.filter(dossier=dossier).order_by("stage", "checked_at", "id")
        )
    if may(actor, Action.AUDIT_VIEW_DOSSIER, dossier):
        context["audit_trail"] = selectors.dossier_audit_trail(actor=actor, dossier=dossier)
    if may(actor, Action.PAYMENT_DECIDE, dossier):
        # Each waiting request is decided on its own page, with the statement and the arithmetic.
        context["payment_decisions"] = [r for r in money["requests"] if r.status == PaymentRequestStatus.REQUESTED]
    if dossier.status in SETTLEMENT_STATUSES and may(actor, Action.SETTLEMENT_VIEW, dossier):
        settlement = settlement_preview(dossier=dossier)
        context["settlement"] = settlement
        if not settlement.blocked and may(actor, Action.SETTLEMENT_APPROVE, dossier):
            context["settlement_form"] = forms.get("settlement") or SettlementForm(initial={"version": version})
    if dossier.status in (*MONEY_STATUSES, DossierStatus.STOPPED):
        if may(actor, Action.RECOVERY_CREATE, dossier):
            context["recovery_form"] = forms.get("recovery") or RecoveryForm()
        if may(actor, Action.COLLECTION_RECORD, dossier):
            context["collection_forms"] = [
                (r, forms.get(f"collection_{r.pk}") or CollectionForm(prefix=f"c{r.pk}"))
                for r in money["recoveries"]
                if (r.collected or 0) < r.amount
            ]
    if dossier.status in WORK_STATUSES and may(actor, Action.STATEMENT_SUBMIT, dossier):
        context["statement_form"] = forms.get("statement") or StatementForm(initial={"version": version})
    quarters = [s.quarter for s in money["statements"]]
    if quarters and dossier.status in WORK_STATUSES and may(actor, Action.PAYMENT_REQUEST_CREATE, dossier):
        context["payment_request_form"] = forms.get("payment_request") or PaymentRequestForm(
            quarters=list(reversed(quarters)), initial={"version": version}
        )
    if (
        dossier.status in MONEY_STATUSES
        and (report is None or not report.is_cosigned)
        and may(actor, Action.FINAL_REPORT_SUBMIT, dossier)
    ):
        context["can_file_final_report"] = True
    if dossier.status in PLANNABLE_STATUSES and may(actor, Action.THEMES_PLAN, dossier):
        context["can_plan_themes"] = True
    if report is not None and report.is_cosigned and may(actor, Action.FOLLOW_UP_ANSWER, dossier):
        follow_up = FollowUp.objects.filter(final_report=report).first()
        context["follow_up_open"] = follow_up is not None and not follow_up.is_answered
    if (
        dossier.status in (DossierStatus.DRAFT, DossierStatus.SUBMITTED)
        and dossier.sme_confirmed_at is None
        and may(actor, Action.DOSSIER_CONFIRM, dossier)
    ):
        context["confirm_form"] = forms.get("confirm") or ConfirmForm(initial={"version": version})
    if report is not None and not report.is_cosigned and may(actor, Action.FINAL_REPORT_COSIGN, dossier):
        context["cosign_form"] = forms.get("cosign") or CosignForm(initial={"version": version})
    from .controls import dossier_controls_context  # red flags, controls and the control form

    context.update(dossier_controls_context(request, dossier, forms))
    context["error_forms"] = [f for f in forms.values() if f.errors]
    return context


def _render_detail(request, dossier, forms=None, status=200):
    return render(request, "web/dossier_detail.html", _detail_context(request, dossier, forms), status=status)


@require_GET
@action_required(Action.DOSSIER_VIEW)
def dossier_detail(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    return _render_detail(request, dossier)


def _redirect(dossier, anchor=""):
    response = redirect("web:dossier_detail", pk=dossier.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _act(request, dossier, form, form_key, perform, *, anchor="", version_checked=True, aliases=None):
    """The shape every action on the dossier page shares.

    For a valid form, `perform(cleaned_data)` calls the service and returns the
    success message; it runs in one transaction, with the dossier row locked
    and checked to be unchanged since the form was shown when the form carries
    a version. A service's ValidationError lands on the form's fields and the
    page is shown again (400) with nothing saved.
    """
    if form.is_valid():
        data = form.cleaned_data
        try:
            with atomic_with_fresh(dossier, data["version"]) if version_checked else transaction.atomic():
                message = perform(data)
        except ValidationError as error:
            apply_errors(form, error, aliases=aliases)
        else:
            messages.success(request, message)
            return _redirect(dossier, anchor)
    return _render_detail(request, dossier, {form_key: form}, status=400)


@require_POST
@action_required(Action.DOSSIER_VIEW)
def dossier_transition(request, pk, name):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    transition = workflow.transition_get(name)

    def perform(data):
        dossier_services.dossier_transition(
            actor=request.actor, dossier=dossier, transition=name, reason=data["reason"].strip()
        )
        return _("Dossier %(ref)s: %(label)s gelukt.") % {"ref": dossier.reference, "label": transition.label}

    form = _transition_form(transition, data=request.POST)
    return _act(request, dossier, form, f"transition_{name}", perform, aliases={"status": None})


@require_POST
@action_required(Action.STATEMENT_SUBMIT)
def statement_create(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)

    def perform(data):
        payment_services.statement_submit(
            actor=request.actor,
            dossier=dossier,
            quarter=data["quarter"],
            delivered_man_days=data["delivered_man_days"],
            delivered_amount=data["delivered_amount"],
        )
        return _("Prestatiestaat %(q)s ingediend.") % {"q": data["quarter"]}

    return _act(request, dossier, StatementForm(request.POST), "statement", perform, anchor="money")


@require_POST
@action_required(Action.PAYMENT_REQUEST_CREATE)
def payment_request_create(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)
    quarters = [s.quarter for s in selectors.dossier_money(actor=request.actor, dossier=dossier)["statements"]]

    def perform(data):
        payment_request = payment_services.payment_request_create(
            actor=request.actor, dossier=dossier, quarter=data["quarter"]
        )
        return _("Betalingsaanvraag voor schijf %(t)s (%(a)s) ingediend.") % {
            "t": payment_request.tranche,
            "a": format_euro(payment_request.amount),
        }

    form = PaymentRequestForm(request.POST, quarters=quarters)
    return _act(request, dossier, form, "payment_request", perform, anchor="money")


def _review_context(request, payment_request, *, approve_form=None, reject_form=None) -> dict:
    dossier = payment_request.dossier
    context = {
        "dossier": dossier,
        "payment_request": payment_request,
        "review": tranche_review(payment_request=payment_request),
        "next": "queue" if request.GET.get("next", request.POST.get("next")) == "queue" else "",
        "is_open": payment_request.status == PaymentRequestStatus.REQUESTED,
    }
    if context["is_open"] and may(request.actor, Action.PAYMENT_DECIDE, dossier):
        context["approve_form"] = approve_form or PaymentApproveForm(initial={"version": version_of(dossier)})
        context["reject_form"] = reject_form or PaymentRejectForm(prefix=f"pr{payment_request.pk}")
    context["error_forms"] = [f for f in (approve_form, reject_form) if f is not None and f.errors]
    return context


def _payment_request(request, pk):
    payment_request = selectors.payment_request_get(actor=request.actor, pk=pk)
    payment_request.dossier = selectors.dossier_get(actor=request.actor, pk=payment_request.dossier_id)
    return payment_request


def _after_decision(request, dossier):
    if request.POST.get("next") == "queue":
        return redirect("web:backoffice_payments")
    return _redirect(dossier, "money")


@require_GET
@action_required(Action.PAYMENT_DECIDE)
def payment_request_review(request, pk):
    """A payment request on its own page: the performance statement, the tranche arithmetic and
    what was paid before, with the confirmation that approves it (and the refusal)."""
    payment_request = _payment_request(request, pk)
    return render(request, "web/payment_request_review.html", _review_context(request, payment_request))


@require_POST
@action_required(Action.PAYMENT_DECIDE)
def payment_request_approve(request, pk):
    """Approve with the confirmation of the review page, on the dossier version it showed."""
    payment_request = _payment_request(request, pk)
    dossier = payment_request.dossier
    form = PaymentApproveForm(request.POST)
    if form.is_valid():
        try:
            with atomic_with_fresh(dossier, form.cleaned_data["version"]):
                payment = payment_services.payment_request_approve(actor=request.actor, payment_request=payment_request)
        except ValidationError as error:
            apply_errors(form, error, aliases={"amount": None, "tranche": None, "payment_date": None})
        else:
            messages.success(
                request,
                _("Schijf %(t)s van dossier %(ref)s goedgekeurd: %(a)s.")
                % {"t": payment.tranche, "ref": dossier.reference, "a": format_euro(payment.amount)},
            )
            return _after_decision(request, dossier)
    payment_request.refresh_from_db()
    context = _review_context(request, payment_request, approve_form=form)
    return render(request, "web/payment_request_review.html", context, status=400)


@require_POST
@action_required(Action.PAYMENT_DECIDE)
def payment_request_reject(request, pk):
    payment_request = _payment_request(request, pk)
    dossier = payment_request.dossier
    form = PaymentRejectForm(request.POST, prefix=f"pr{payment_request.pk}")
    if form.is_valid():
        try:
            with transaction.atomic():
                payment_services.payment_request_reject(
                    actor=request.actor, payment_request=payment_request, reason=form.cleaned_data["reason"].strip()
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Betalingsaanvraag van dossier %(ref)s afgewezen.") % {"ref": dossier.reference}
            )
            return _after_decision(request, dossier)
    payment_request.refresh_from_db()
    context = _review_context(request, payment_request, reject_form=form)
    return render(request, "web/payment_request_review.html", context, status=400)


@require_POST
@action_required(Action.FINAL_REPORT_COSIGN)
def final_report_cosign(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)

    def perform(data):
        impact_services.final_report_cosign(
            actor=request.actor,
            dossier=dossier,
            signatory=data["signatory"],
            satisfaction=data["satisfaction"],
            would_recommend=data["would_recommend"],
            changed_practice=data["changed_practice"],
            feedback=data["feedback"],
        )
        return _("Eindverslag medeondertekend. Bedankt voor uw feedback.")

    return _act(request, dossier, CosignForm(request.POST), "cosign", perform, anchor="final-report")


@require_POST
@action_required(Action.DOSSIER_CONFIRM)
def sme_confirm(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)

    def perform(data):
        web_services.sme_confirm(actor=request.actor, dossier=dossier)
        return _("U hebt de offerte en de verklaringen op eer bevestigd.")

    return _act(request, dossier, ConfirmForm(request.POST), "confirm", perform, aliases={"confirm": "confirm"})


@require_POST
@action_required(Action.SETTLEMENT_APPROVE)
def settlement_approve(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)

    def perform(data):
        settlement = payment_services.settlement_approve(
            actor=request.actor, dossier=dossier, reason=data["reason"].strip(), ineligible=data["ineligible"]
        )
        if settlement.payment_id:
            return _("Afrekening goedgekeurd: laatste betaling van %(a)s.") % {"a": format_euro(settlement.balance)}
        if settlement.recovery_id:
            return _("Afrekening goedgekeurd: terugvordering van %(a)s.") % {"a": format_euro(-settlement.balance)}
        return _("Afrekening goedgekeurd: niets te betalen of terug te vorderen.")

    return _act(
        request,
        dossier,
        SettlementForm(request.POST),
        "settlement",
        perform,
        anchor="settlement",
        aliases={"dossier": None},
    )


@require_POST
@action_required(Action.RECOVERY_CREATE)
def recovery_create(request, pk):
    dossier = selectors.dossier_get(actor=request.actor, pk=pk)

    def perform(data):
        payment_services.recovery_create(
            actor=request.actor, dossier=dossier, amount=data["amount"], reason=data["reason"].strip()
        )
        return _("Terugvordering verstuurd.")

    return _act(
        request, dossier, RecoveryForm(request.POST), "recovery", perform, anchor="money", version_checked=False
    )


@require_POST
@action_required(Action.COLLECTION_RECORD)
def collection_record(request, pk):
    try:
        recovery = Recovery.objects.get(pk=pk)
    except Recovery.DoesNotExist:
        raise Http404(_("Terugvordering niet gevonden.")) from None
    dossier = selectors.dossier_get(actor=request.actor, pk=recovery.dossier_id)

    def perform(data):
        payment_services.collection_record(
            actor=request.actor, recovery=recovery, amount=data["amount"], collected_date=data["collected_date"]
        )
        return _("Inning geregistreerd.")

    form = CollectionForm(request.POST, prefix=f"c{recovery.pk}")
    return _act(request, dossier, form, f"collection_{recovery.pk}", perform, anchor="money", version_checked=False)


@require_GET
@action_required(Action.DOCUMENT_VIEW)
def document_download(request, pk):
    document = selectors.document_get(actor=request.actor, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Bestand niet gevonden.")) from None
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=document.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
