"""The REST API for providers' software, `/api/v1/` (django-ninja; schema at /api/v1/openapi.json,
committed as docs/openapi.json; guide in docs/api.md).

Every call carries `Authorization: Bearer <token>` (a token per user, `cstraject api-tokens create`),
acts as that user through the same selectors and services as the web and the CLI, with the same
permission table: a dossier the user may not see does not exist (404), an action the role may not
take is refused (403), bad input is a 422 whose `errors` name each field in Dutch. Calls are rate
limited per token (429 with Retry-After).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from cstraject.dossiers.intake import dossier_intake
from cstraject.dossiers.models import DocumentKind, Dossier
from cstraject.dossiers.selectors import dossier_get, dossier_list
from cstraject.dossiers.services import dossier_submit
from cstraject.payments.services import payment_request_create, statement_submit
from cstraject.web.services import document_attach, pdf_check

from .services import api_token_actor


class TokenAuth:
    """What a valid token authenticates: the actor, and the token (for the rate limit)."""

    def __init__(self, token, actor):
        self.token, self.actor = token, actor

    def __str__(self) -> str:
        return f"api-token:{self.token.pk}"


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = api_token_actor(token)
        return TokenAuth(*found) if found else None


class TokenRateThrottle(AuthRateThrottle):
    """Per token (AuthRateThrottle keys on str(request.auth)); the rate is the setting CSTRAJECT_API_RATE
    (requests per s/m/h/d, default 120/m), read on each call."""

    def __init__(self):
        super().__init__(settings.CSTRAJECT_API_RATE)

    def allow_request(self, request) -> bool:
        if self.rate != settings.CSTRAJECT_API_RATE:
            self.rate = settings.CSTRAJECT_API_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="cstraject API",
    version="1.0.0",
    description=(
        "API voor de software van dienstverleners: aanvragen (het JSON-formaat van docs/intake-format.md), "
        "documenten, indienen, prestatiestaten en betalingsaanvragen, en de eigen dossiers lezen."
    ),
    urls_namespace="api-v1",
    auth=BearerToken(),
    throttle=[TokenRateThrottle()],
    docs_url="/docs",
)


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, str]


def _field_errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {key: " ".join(messages) for key, messages in error.message_dict.items()}
    return {"__all__": " ".join(error.messages)}


@api.exception_handler(ValidationError)
def _validation_error(request, error: ValidationError):
    return api.create_response(request, {"detail": "Ongeldige invoer.", "errors": _field_errors(error)}, status=422)


@api.exception_handler(NinjaValidationError)
def _schema_error(request, error: NinjaValidationError):
    errors = {}
    for item in error.errors:
        location = ".".join(str(part) for part in item.get("loc", ()) if part not in ("body", "payload", "form"))
        errors[location or "__all__"] = str(item.get("msg", "ongeldig"))[:300]
    return api.create_response(request, {"detail": "Ongeldige invoer.", "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request, error: PermissionDenied):
    return api.create_response(request, {"detail": str(error) or "Niet toegestaan."}, status=403)


@api.exception_handler(ObjectDoesNotExist)
def _not_found(request, error: ObjectDoesNotExist):
    return api.create_response(request, {"detail": str(error) or "Niet gevonden."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, error: AuthenticationError):
    return api.create_response(request, {"detail": "Geen geldige API-sleutel (Authorization: Bearer ...)."}, status=401)


# --- what the API returns ----------------------------------------------------------------------


class QuoteLineOut(Schema):
    package: str
    amount_excl_vat: str
    man_days: str


class DossierOut(Schema):
    reference: str
    status: str
    call: str
    provider: str
    enterprise_number: str
    company_name: str
    package_mix: str
    quote_excl_vat: str
    subsidy_amount: str
    submitted_date: date | None
    decided_date: date | None
    started_date: date | None
    finished_date: date | None


class DossierDetailOut(DossierOut):
    quote_lines: list[QuoteLineOut]
    statements: list[StatementOut]
    payment_requests: list[PaymentRequestOut]


class StatementOut(Schema):
    quarter: str
    delivered_man_days: str
    delivered_amount: str
    reported_date: date


class PaymentRequestOut(Schema):
    id: int
    quarter: str
    tranche: int
    amount: str
    status: str
    requested_date: date


class DocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    size_bytes: int
    sha256: str


DossierDetailOut.model_rebuild()


def _dossier(dossier: Dossier) -> dict:
    return {
        "reference": dossier.reference,
        "status": dossier.status,
        "call": dossier.call.code,
        "provider": dossier.provider.code,
        "enterprise_number": dossier.company.enterprise_number,
        "company_name": dossier.company.name,
        "package_mix": dossier.package_mix,
        "quote_excl_vat": str(dossier.quote_excl_vat),
        "subsidy_amount": str(dossier.subsidy_amount),
        "submitted_date": dossier.submitted_date,
        "decided_date": dossier.decided_date,
        "started_date": dossier.started_date,
        "finished_date": dossier.finished_date,
    }


def _statement(statement) -> dict:
    return {
        "quarter": statement.quarter,
        "delivered_man_days": str(statement.delivered_man_days),
        "delivered_amount": str(statement.delivered_amount),
        "reported_date": statement.reported_date,
    }


def _payment_request(request) -> dict:
    return {
        "id": request.pk,
        "quarter": request.statement.quarter,
        "tranche": request.tranche,
        "amount": str(request.amount),
        "status": request.status,
        "requested_date": request.requested_date,
    }


def _detail(dossier: Dossier) -> dict:
    data = _dossier(dossier)
    data["quote_lines"] = [
        {"package": line.package.code, "amount_excl_vat": str(line.amount_excl_vat), "man_days": str(line.man_days)}
        for line in dossier.quote_lines.select_related("package").order_by("id")
    ]
    data["statements"] = [_statement(s) for s in dossier.statements.order_by("quarter")]
    data["payment_requests"] = [
        _payment_request(r) for r in dossier.payment_requests.select_related("statement").order_by("id")
    ]
    return data


# --- what the API accepts -----------------------------------------------------------------------


class Application(Schema):
    """An application in the intake format (docs/intake-format.md); every value is checked by the intake."""

    call: str
    provider: str
    company: dict
    quote_lines: list[dict]
    declarations: dict[str, bool] | None = None


class StatementIn(Schema):
    quarter: str
    delivered_man_days: str
    delivered_amount: str


class PaymentRequestIn(Schema):
    quarter: str


AUTH_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: FieldErrors, 429: Error}


def _actor(request):
    return request.auth.actor


@api.get("/dossiers", response={200: list[DossierOut], **AUTH_ERRORS}, summary="Eigen dossiers")
def list_dossiers(request, status: str | None = None):
    return [_dossier(d) for d in dossier_list(actor=_actor(request), status=status or None)]


@api.get("/dossiers/{reference}", response={200: DossierDetailOut, **AUTH_ERRORS}, summary="Eén dossier")
def get_dossier(request, reference: str):
    return _detail(dossier_get(actor=_actor(request), reference=reference))


@api.post("/dossiers", response={201: DossierDetailOut, **AUTH_ERRORS}, summary="Aanvraag (ontwerp) aanmaken")
def create_dossier(request, application: Application):
    dossier = dossier_intake(actor=_actor(request), data=application.model_dump(exclude_none=True))
    return Status(201, _detail(dossier))


@api.post(
    "/dossiers/{reference}/documents",
    response={201: DocumentOut, **AUTH_ERRORS},
    summary="Document (PDF) opladen",
)
def upload_document(request, reference: str, kind: Form[str], file: File[UploadedFile]):
    actor = _actor(request)
    dossier = dossier_get(actor=actor, reference=reference)
    if kind not in DocumentKind.values:
        raise ValidationError(
            {
                "kind": (
                    _("Documentsoort '%(kind)s' is onbekend; kies uit %(values)s.")
                    % {"kind": kind[:30], "values": ", ".join(DocumentKind.values)}
                )
            }
        )
    document = document_attach(actor=actor, dossier=dossier, kind=kind, pdf=pdf_check(file, field="file"))
    return Status(
        201,
        {
            "id": document.pk,
            "kind": document.kind,
            "original_name": document.original_name,
            "size_bytes": document.size_bytes,
            "sha256": document.sha256,
        },
    )


@api.post("/dossiers/{reference}/submit", response={200: DossierDetailOut, **AUTH_ERRORS}, summary="Indienen")
def submit_dossier(request, reference: str):
    actor = _actor(request)
    dossier = dossier_submit(actor=actor, dossier=dossier_get(actor=actor, reference=reference))
    return _detail(dossier)


@api.post(
    "/dossiers/{reference}/statements", response={201: StatementOut, **AUTH_ERRORS}, summary="Prestatiestaat indienen"
)
def file_statement(request, reference: str, statement: StatementIn):
    actor = _actor(request)
    created = statement_submit(
        actor=actor,
        dossier=dossier_get(actor=actor, reference=reference),
        quarter=statement.quarter,
        delivered_man_days=statement.delivered_man_days,
        delivered_amount=statement.delivered_amount,
    )
    return Status(201, _statement(created))


@api.post(
    "/dossiers/{reference}/payment-requests",
    response={201: PaymentRequestOut, **AUTH_ERRORS},
    summary="Betaling aanvragen",
)
def request_payment(request, reference: str, payment: PaymentRequestIn):
    actor = _actor(request)
    created = payment_request_create(
        actor=actor, dossier=dossier_get(actor=actor, reference=reference), quarter=payment.quarter
    )
    return Status(201, _payment_request(created))
