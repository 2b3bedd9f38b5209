"""Reads for the web application, with the role and tenant rules applied here:
a view never filters by organisation itself, it asks these functions, and
they ask the permission table (`cstraject.accounts.permissions`):

- provider user: its own provider's dossiers;
- SME contact: its own company's dossiers;
- case handler, controller, administrator: every dossier;
- policy staff: no dossier at all (statistics only, no personal data).
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.be import vat

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, may, require, scope
from cstraject.audit.models import AuditEvent
from cstraject.calls.models import Call, Package, package_order
from cstraject.companies.models import Company
from cstraject.core.search import search_text
from cstraject.dossiers.models import Dossier, DossierDocument, DossierStatus
from cstraject.dossiers.selectors import scope_dossiers
from cstraject.payments.models import Payment, PaymentRequest, PaymentRequestStatus, PerformanceStatement, Recovery


def visible_dossiers(*, actor: Actor) -> QuerySet[Dossier]:
    """Every dossier `actor` may see; PermissionDenied for roles that see none."""
    require(actor, Action.DOSSIER_VIEW)
    return scope_dossiers(actor, Dossier.objects.all())


def dossier_get(*, actor: Actor, pk: int, for_update: bool = False) -> Dossier:
    """One dossier if `actor` may see it; Http404 otherwise (another tenant's dossier does not exist for you)."""
    queryset = visible_dossiers(actor=actor).select_related(
        "call", "provider", "company", "nace_code", "company__nace_code"
    )
    try:
        return queryset.get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Dossier niet gevonden.")) from None


def dossiers_by_status(*, actor: Actor) -> list[tuple[str, str, list[Dossier]]]:
    """The dashboard of a provider or SME contact: its dossiers grouped by status (label order)."""
    dossiers = list(
        visible_dossiers(actor=actor).select_related("company", "call", "provider").order_by("-updated_at", "-id")[:500]
    )
    groups = []
    for value, label in DossierStatus.choices:
        rows = [d for d in dossiers if d.status == value]
        if rows:
            groups.append((value, str(label), rows))
    return groups


def open_call(*, today: date | None = None) -> Call | None:
    today = today or timezone.localdate()
    return (
        Call.objects.filter(opens_date__lte=today)
        .filter(Q(closes_date__isnull=True) | Q(closes_date__gte=today))
        .order_by("-opens_date")
        .first()
    )


def provider_catalogue(*, actor: Actor, call: Call) -> list[Package]:
    """The packages `actor`'s provider may quote in `call`."""
    require(actor, Action.PROVIDER_PORTAL)
    if actor.provider_id is None:  # a role with portal access but no provider of its own quotes nothing
        return []
    return list(Package.objects.filter(call=call, providers__id=actor.provider_id).order_by(*package_order()))


def _ensure_visible(*, actor: Actor, dossier: Dossier) -> None:
    """What dossier_get() checks, on a dossier already fetched, without fetching it again.

    PermissionDenied for a role that sees no dossier, Http404 for one it may not see.
    """
    require(actor, Action.DOSSIER_VIEW)
    if not may(actor, Action.DOSSIER_VIEW, dossier):
        raise Http404(_("Dossier niet gevonden."))


def dossier_documents(*, actor: Actor, dossier: Dossier) -> list[DossierDocument]:
    _ensure_visible(actor=actor, dossier=dossier)
    if not may(actor, Action.DOCUMENT_VIEW, dossier):
        return []
    return list(
        DossierDocument.objects.filter(dossier=dossier).select_related("uploaded_by").order_by("uploaded_at", "id")
    )


def document_get(*, actor: Actor, pk: int) -> DossierDocument:
    """A document, only for who may see its dossier (404 otherwise)."""
    try:
        document = DossierDocument.objects.select_related("dossier").get(pk=pk)
    except DossierDocument.DoesNotExist:
        raise Http404(_("Document niet gevonden.")) from None
    if not scope_dossiers(actor, Dossier.objects.all(), Action.DOCUMENT_VIEW).filter(pk=document.dossier_id).exists():
        raise Http404(_("Document niet gevonden."))
    return document


def dossier_audit_trail(*, actor: Actor, dossier: Dossier) -> list[AuditEvent]:
    require(actor, Action.AUDIT_VIEW_DOSSIER, dossier)
    return list(AuditEvent.objects.filter(dossier=dossier).order_by("occurred_at", "id"))


def dossier_money(*, actor: Actor, dossier: Dossier) -> dict:
    """Statements, payment requests, payments and recoveries of one dossier."""
    _ensure_visible(actor=actor, dossier=dossier)
    recoveries, statements, requests, payments = [], [], [], []
    if may(actor, Action.RECOVERY_VIEW, dossier):
        recoveries = list(Recovery.objects.filter(dossier=dossier).annotate(collected=_sum("collections__amount")))
    if may(actor, Action.STATEMENT_VIEW, dossier):
        statements = list(PerformanceStatement.objects.filter(dossier=dossier).order_by("quarter"))
    if may(actor, Action.PAYMENT_VIEW, dossier):
        requests = list(
            PaymentRequest.objects.filter(dossier=dossier).select_related("statement").order_by("requested_date", "id")
        )
        payments = list(Payment.objects.filter(dossier=dossier).order_by("payment_date", "id"))
    return {"statements": statements, "requests": requests, "payments": payments, "recoveries": recoveries}


def _sum(field):
    from django.db.models import Sum

    return Sum(field)


# ---------------------------------------------------------------- work queue

QUEUE_SORTS = {
    "submitted": ("submitted_date", "id"),
    "-submitted": ("-submitted_date", "-id"),
    "reference": ("reference",),
    "-reference": ("-reference",),
    "subsidy": ("subsidy_amount", "id"),
    "-subsidy": ("-subsidy_amount", "-id"),
}


@dataclass
class Page:
    rows: list
    number: int
    has_previous: bool
    has_next: bool
    size: int


MAX_PAGE = 100_000  # beyond any list the agency will hold; a larger number is not a page


def _page(queryset, *, page: int, size: int) -> Page:
    """LIMIT/OFFSET in the database, one row more to know whether a next page exists: no COUNT(*).

    A page past the end (or an absurd number) is Http404, never a database overflow."""
    page = max(1, page)
    if page > MAX_PAGE:
        raise Http404(_("Deze pagina bestaat niet."))
    rows = list(queryset[(page - 1) * size : page * size + 1])
    if page > 1 and not rows:
        raise Http404(_("Deze pagina bestaat niet."))
    return Page(rows=rows[:size], number=page, has_previous=page > 1, has_next=len(rows) > size, size=size)


# A name that matches at most this many companies is looked up by their ids (the company index);
# a broader one stays a subquery.
_SEARCH_ID_LIMIT = 500


def _enterprise_number_in(text: str) -> str | None:
    """The ten digits of an enterprise number typed in any format (BE 0123.456.789, 123456789), or None."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 9:
        digits = "0" + digits
    return digits if len(digits) == 10 and vat.is_valid(digits) else None


def queue_search(queryset: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Dossiers whose reference is `text`, whose company has `text` as enterprise number (any format),
    or whose company name contains it (case and accents ignored)."""
    text = text.strip()
    if not text:
        return queryset
    companies = Q()
    number = _enterprise_number_in(text)
    if number:
        companies |= Q(enterprise_number=number)
    name = search_text(text)
    if len(name) >= 2:
        companies |= Q(search_name__contains=name)
    match = Q(reference=text.upper())
    if companies:
        # The companies first (unique number, trigram or name index), then their dossiers by company.
        found = Company.objects.filter(companies).values_list("pk", flat=True)
        ids = list(found[: _SEARCH_ID_LIMIT + 1])
        match |= Q(company_id__in=ids if len(ids) <= _SEARCH_ID_LIMIT else found)
    return queryset.filter(match)


def work_queue(
    *,
    actor: Actor,
    q: str = "",
    status: str = DossierStatus.SUBMITTED,
    call: int | None = None,
    provider: int | None = None,
    province: str = "",
    size_class: str = "",
    sort: str = "submitted",
    page: int = 1,
    page_size: int = 25,
) -> Page:
    require(actor, Action.WORK_QUEUE)
    queryset = queue_search(Dossier.objects.all(), q)
    if status:
        queryset = queryset.filter(status=status)
    if call:
        queryset = queryset.filter(call_id=call)
    if provider:
        queryset = queryset.filter(provider_id=provider)
    if province:
        queryset = queryset.filter(province=province)
    if size_class:
        queryset = queryset.filter(size_class=size_class)
    queryset = queryset.select_related("company", "provider", "call").only(
        "reference",
        "status",
        "province",
        "size_class",
        "subsidy_amount",
        "submitted_date",
        "decided_date",
        "company__name",
        "company__enterprise_number",
        "provider__name",
        "call__code",
    )
    return _page(queryset.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["submitted"])), page=page, size=page_size)


def payment_requests_waiting(*, actor: Actor, page: int = 1, page_size: int = 25, provider: int | None = None) -> Page:
    require(actor, Action.WORK_QUEUE)
    require(actor, Action.PAYMENT_VIEW)
    queryset = scope(
        actor,
        Action.PAYMENT_VIEW,
        PaymentRequest.objects.filter(status=PaymentRequestStatus.REQUESTED),
        provider_field="dossier__provider_id",
        company_field="dossier__company_id",
    )
    if provider:
        queryset = queryset.filter(dossier__provider_id=provider)
    queryset = queryset.select_related("dossier", "dossier__company", "dossier__provider", "statement").order_by(
        "requested_date", "id"
    )
    return _page(queryset, page=page, size=page_size)


def payment_request_get(*, actor: Actor, pk: int) -> PaymentRequest:
    try:
        request = PaymentRequest.objects.select_related("dossier").get(pk=pk)
    except PaymentRequest.DoesNotExist:
        raise Http404(_("Betalingsaanvraag niet gevonden.")) from None
    if not scope_dossiers(actor, Dossier.objects.all(), Action.PAYMENT_VIEW).filter(pk=request.dossier_id).exists():
        raise Http404(_("Betalingsaanvraag niet gevonden."))
    return request


def queue_counts(*, actor: Actor) -> dict:
    """Two cheap counts on indexed columns for the back-office header."""
    require(actor, Action.WORK_QUEUE)
    return {
        "submitted": Dossier.objects.filter(status=DossierStatus.SUBMITTED).count(),
        "payment_requests": PaymentRequest.objects.filter(status=PaymentRequestStatus.REQUESTED).count(),
    }


# ---------------------------------------------------------------- control


def recoveries_overview(*, actor: Actor, page: int = 1, page_size: int = 25) -> Page:
    require(actor, Action.RECOVERY_LIST)
    queryset = (
        Recovery.objects.select_related("dossier", "dossier__company")
        .annotate(collected=_sum("collections__amount"), n_collections=Count("collections"))
        .order_by("-issued_date", "-id")
    )
    return _page(queryset, page=page, size=page_size)


def audit_trail(*, actor: Actor, page: int = 1, page_size: int = 50, reference: str = "", action: str = "") -> Page:
    require(actor, Action.AUDIT_VIEW)
    queryset = AuditEvent.objects.select_related("dossier", "company").order_by("-occurred_at", "-id")
    if reference:
        queryset = queryset.filter(dossier__reference=reference.strip())
    if action:
        queryset = queryset.filter(action=action)
    return _page(queryset, page=page, size=page_size)
