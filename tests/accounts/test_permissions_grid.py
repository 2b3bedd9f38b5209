"""The grid: every role x every action that both doors offer x own/other object, through the web
test client AND the CLI (call_command); both must give the permission table's verdict.

A verdict is "refused" when the door refuses for permission (web: 403 or 404; CLI: a
PermissionDenied or does-not-exist behind the CommandError) and "allowed" otherwise (the action
happened, or was refused for the data: a web 400, a CLI ValidationError). Every probe posts a
valid form with the dossier's current version, so the web reaches the service and the service's
own check speaks. Reads that a door shows as part of a page (statements, recoveries, audit trail,
eligibility) are "allowed" when that part is there.

Actions that only one door offers are checked against the table in test_permissions.py and the
web tests: documents (upload, download), final report and SME confirmation (web only), drafts
(web wizard only), statistics and the workbook (web; `cstraject report` prints aggregated figures
for the operator), user management (CLI; admin), admin configuration (admin).
The system role has no login and no --as: it is the loader's and the operator's.
"""

import itertools
import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from cstraject.accounts.actors import actor_for_user
from cstraject.accounts.permissions import Action, may
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.models import Dossier, EligibilityResult
from cstraject.payments.models import Payment, PaymentRequest, PerformanceStatement, Recovery
from cstraject.payments.quarters import quarter_of
from tests.factories import DossierFactory
from tests.web import conftest as web_conftest

# The web tests' set-up: providers A and B, companies A and B, a user per role.
world = web_conftest.world
_clean_cache_and_media = web_conftest._clean_cache_and_media

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json"
ALLOWED, REFUSED = "allowed", "refused"
ROLES = {
    "provider": "prov_a",
    "sme_contact": "sme_a",
    "case_handler": "handler",
    "controller": "controller",
    "policy": "policy",
    "admin": "root",
}
TODAY = timezone.localdate()
LAST_QUARTER = str(quarter_of(TODAY).previous())
PAYMENT_MARKER = "Bewijs van levering gevraagd."


@dataclass
class Case:
    dossier: Dossier
    target: object  # what the table is asked about
    request: PaymentRequest | None = None
    recovery: Recovery | None = None


def _dossier(world, relation, status, n=[0]):  # noqa: B006  (a counter for unique references)
    n[0] += 1
    suffix = "a" if relation == "own" else "b"
    started = TODAY - timedelta(days=200)
    return DossierFactory(
        reference=f"CS-2023-{7000 + n[0]}",
        call=world["call"],
        provider=world[f"provider_{suffix}"],
        company=world[f"company_{suffix}"],
        status=status,
        submitted_date=None if status == "draft" else started - timedelta(days=40),
        decided_date=None if status in ("draft", "submitted") else started - timedelta(days=20),
        started_date=started if status in ("in_progress", "finished") else None,
        finished_date=TODAY - timedelta(days=5) if status == "finished" else None,
    )


def _with_statement(dossier):
    return PerformanceStatement.objects.create(
        dossier=dossier,
        quarter=LAST_QUARTER,
        delivered_man_days=Decimal("20.0"),
        delivered_amount=dossier.quote_excl_vat,
        reported_date=TODAY,
    )


def setup_case(action, world, relation) -> Case:
    if action == Action.DOSSIER_CREATE:
        return Case(dossier=None, target=world["provider_a" if relation == "own" else "provider_b"])
    status = {
        "dossier.submit": "draft",
        "dossier.withdraw": "submitted",
        "dossier.approve": "submitted",
        "dossier.reject": "submitted",
        "dossier.start": "approved",
        "settlement.view": "finished",
        "settlement.approve": "finished",
    }.get(action, "in_progress")
    dossier = _dossier(world, relation, status)
    case = Case(dossier=dossier, target=dossier)
    if action in (Action.STATEMENT_VIEW, Action.PAYMENT_REQUEST_CREATE, Action.PAYMENT_DECIDE, Action.PAYMENT_VIEW):
        statement = _with_statement(dossier)
        if action in (Action.PAYMENT_DECIDE, Action.PAYMENT_VIEW):
            case.request = PaymentRequest.objects.create(
                dossier=dossier,
                statement=statement,
                tranche=1,
                amount=Decimal("100.00"),
                requested_date=TODAY,
                decision_reason=PAYMENT_MARKER,
            )
            case.target = case.request
    if action in (Action.RECOVERY_CREATE, Action.COLLECTION_RECORD, Action.RECOVERY_VIEW, Action.RECOVERY_LIST):
        Payment.objects.create(dossier=dossier, tranche=1, amount=Decimal("1000.00"), payment_date=TODAY)
        if action != Action.RECOVERY_CREATE:
            case.recovery = Recovery.objects.create(
                dossier=dossier, amount=Decimal("500.00"), reason="Te veel betaald.", issued_date=TODAY
            )
            if action == Action.COLLECTION_RECORD:
                case.target = case.recovery
    if action == Action.RECOVERY_LIST:
        case.target = None
    if action == Action.AUDIT_VIEW_DOSSIER:
        audit_event_record(
            actor=actor_for_user(world["users"]["case_handler"]), action=AuditAction.EDIT, dossier=dossier, reason="x"
        )
    if action == Action.ELIGIBILITY_VIEW:
        EligibilityResult.objects.create(
            dossier=dossier,
            stage="submission",
            criterion="region",
            outcome="pass",
            reason="Vlaams Gewest.",
            checked_at=timezone.now(),
        )
    dossier.refresh_from_db()
    return case


# ------------------------------------------------------------------------------------------- web


def web_status(response) -> str:
    if response.status_code in (403, 404):
        return REFUSED
    assert response.status_code in (200, 302, 400), response.status_code
    return ALLOWED


def _version(dossier):
    dossier.refresh_from_db()
    return dossier.updated_at.isoformat()


def _detail_shows(client, dossier, marker) -> str:
    response = client.get(reverse("web:dossier_detail", args=[dossier.pk]))
    if response.status_code in (403, 404):
        return REFUSED
    assert response.status_code == 200
    return ALLOWED if marker in response.content.decode() else REFUSED


def web_probe(action, client, case: Case, world) -> str:
    d = case.dossier
    if action == Action.DOSSIER_LIST:
        for url in (
            reverse("web:provider_dashboard"),
            reverse("web:sme_dashboard"),
            reverse("web:backoffice_queue") + f"?status={d.status}",
        ):
            response = client.get(url)
            if response.status_code == 200 and d.reference in response.content.decode():
                return ALLOWED
        return REFUSED
    if action == Action.DOSSIER_VIEW:
        return web_status(client.get(reverse("web:dossier_detail", args=[d.pk])))
    if action == Action.DOSSIER_CREATE:
        url = reverse("web:provider_new_packages") + f"?company={world['company_a'].pk}"
        return web_status(client.post(url, {"company": world["company_a"].pk, "packages": ["BASIS"]}))
    if action.value.startswith("dossier."):
        name = action.value.split(".", 1)[1]
        data = {f"{name}-transition": name, f"{name}-version": _version(d), f"{name}-reason": "Motivering."}
        return web_status(client.post(reverse("web:dossier_transition", args=[d.pk, name]), data))
    if action == Action.STATEMENT_SUBMIT:
        data = {
            "version": _version(d),
            "quarter": LAST_QUARTER,
            "delivered_man_days": "5",
            "delivered_amount": "100.00",
        }
        return web_status(client.post(reverse("web:statement_create", args=[d.pk]), data))
    if action == Action.STATEMENT_VIEW:
        return _detail_shows(client, d, f"<td>{LAST_QUARTER}</td>")
    if action == Action.PAYMENT_VIEW:
        return _detail_shows(client, d, PAYMENT_MARKER)
    if action == Action.PAYMENT_REQUEST_CREATE:
        data = {"version": _version(d), "quarter": LAST_QUARTER}
        return web_status(client.post(reverse("web:payment_request_create", args=[d.pk]), data))
    if action == Action.PAYMENT_DECIDE:
        prefix = f"pr{case.request.pk}"
        data = {f"{prefix}-reason": "Niet aangetoond."}
        return web_status(client.post(reverse("web:payment_request_reject", args=[case.request.pk]), data))
    if action == Action.RECOVERY_CREATE:
        data = {"amount": "10.00", "reason": "Te veel betaald."}
        return web_status(client.post(reverse("web:recovery_create", args=[d.pk]), data))
    if action == Action.COLLECTION_RECORD:
        prefix = f"c{case.recovery.pk}"
        data = {f"{prefix}-amount": "10.00", f"{prefix}-collected_date": TODAY.isoformat()}
        return web_status(client.post(reverse("web:collection_record", args=[case.recovery.pk]), data))
    if action == Action.RECOVERY_VIEW:
        return _detail_shows(client, d, "Te veel betaald.")
    if action == Action.RECOVERY_LIST:
        return web_status(client.get(reverse("web:control_home")))
    if action == Action.AUDIT_VIEW_DOSSIER:
        return _detail_shows(client, d, 'id="audit-title"')
    if action == Action.ELIGIBILITY_VIEW:
        return _detail_shows(client, d, 'id="eligibility-title"')
    if action == Action.SETTLEMENT_VIEW:
        return _detail_shows(client, d, 'id="settlement-title"')
    if action == Action.SETTLEMENT_APPROVE:
        data = {"version": _version(d), "reason": "Afgerond volgens offerte."}
        return web_status(client.post(reverse("web:settlement_approve", args=[d.pk]), data))
    raise AssertionError(f"no web probe for {action}")


# ------------------------------------------------------------------------------------------- CLI


def cli(*args) -> tuple[str, str]:
    """(verdict, output) of one command."""
    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as error:
        cause = error.__context__
        if isinstance(cause, (PermissionDenied, ObjectDoesNotExist)):
            return REFUSED, ""
        if isinstance(cause, ValidationError):
            return ALLOWED, ""
        raise
    return ALLOWED, out.getvalue()


def cli_probe(action, username, case: Case, world) -> str:
    as_user = ("--as", username)
    d = case.dossier
    if action == Action.DOSSIER_LIST:
        verdict, output = cli("dossiers", "list", "--json", *as_user)
        return ALLOWED if verdict == ALLOWED and d.reference in output else REFUSED
    if action == Action.DOSSIER_VIEW:
        return cli("dossiers", "show", d.reference, *as_user)[0]
    if action == Action.DOSSIER_CREATE:
        return cli("dossiers", "new", "--file", str(EXAMPLE), *as_user)[0]
    if action.value.startswith("dossier."):
        name = action.value.split(".", 1)[1]
        return cli("dossiers", name, d.reference, "--reason", "Motivering.", *as_user)[0]
    if action == Action.STATEMENT_SUBMIT:
        return cli(
            "statements",
            "add",
            d.reference,
            "--quarter",
            LAST_QUARTER,
            "--man-days",
            "5",
            "--amount",
            "100.00",
            *as_user,
        )[0]
    if action == Action.STATEMENT_VIEW:
        return cli("statements", "show", d.reference, *as_user)[0]
    if action == Action.PAYMENT_VIEW:
        verdict, output = cli("payments", "list", "--json", *as_user)
        return ALLOWED if verdict == ALLOWED and d.reference in output else REFUSED
    if action == Action.PAYMENT_REQUEST_CREATE:
        return cli("payments", "request", d.reference, "--quarter", LAST_QUARTER, *as_user)[0]
    if action == Action.PAYMENT_DECIDE:
        return cli("payments", "reject", str(case.request.pk), "--reason", "Niet aangetoond.", *as_user)[0]
    if action == Action.RECOVERY_CREATE:
        return cli("recoveries", "create", d.reference, "--amount", "10.00", "--reason", "Te veel betaald.", *as_user)[
            0
        ]
    if action == Action.COLLECTION_RECORD:
        return cli("recoveries", "collect", str(case.recovery.pk), "--amount", "10.00", *as_user)[0]
    if action == Action.RECOVERY_VIEW:
        return cli("recoveries", "list", "--dossier", d.reference, *as_user)[0]
    if action == Action.RECOVERY_LIST:
        return cli("recoveries", "list", *as_user)[0]
    if action in (Action.AUDIT_VIEW_DOSSIER, Action.ELIGIBILITY_VIEW):
        verdict, output = cli("dossiers", "show", d.reference, "--json", *as_user)
        key = "audit" if action == Action.AUDIT_VIEW_DOSSIER else "eligibility"
        return ALLOWED if verdict == ALLOWED and json.loads(output)[key] else REFUSED
    if action == Action.SETTLEMENT_VIEW:
        return cli("settlements", "show", d.reference, *as_user)[0]
    if action == Action.SETTLEMENT_APPROVE:
        return cli("settlements", "approve", d.reference, "--reason", "Afgerond volgens offerte.", *as_user)[0]
    raise AssertionError(f"no CLI probe for {action}")


# ------------------------------------------------------------------------------------------ grid

GRID_ACTIONS = [
    Action.DOSSIER_LIST,
    Action.DOSSIER_VIEW,
    Action.DOSSIER_CREATE,
    Action.DOSSIER_SUBMIT,
    Action.DOSSIER_WITHDRAW,
    Action.DOSSIER_APPROVE,
    Action.DOSSIER_REJECT,
    Action.DOSSIER_START,
    Action.DOSSIER_FINISH,
    Action.DOSSIER_STOP,
    Action.ELIGIBILITY_VIEW,
    Action.STATEMENT_VIEW,
    Action.STATEMENT_SUBMIT,
    Action.PAYMENT_VIEW,
    Action.PAYMENT_REQUEST_CREATE,
    Action.PAYMENT_DECIDE,
    Action.RECOVERY_VIEW,
    Action.RECOVERY_LIST,
    Action.RECOVERY_CREATE,
    Action.COLLECTION_RECORD,
    Action.AUDIT_VIEW_DOSSIER,
    Action.SETTLEMENT_VIEW,
    Action.SETTLEMENT_APPROVE,
]


@pytest.mark.parametrize(
    "action, role, relation",
    [
        (action, role, relation)
        for action, role, relation in itertools.product(GRID_ACTIONS, ROLES, ("own", "other"))
        # A list of everything has no relation; the web wizard always files for the user's own provider.
        if not (action in (Action.RECOVERY_LIST, Action.DOSSIER_CREATE) and relation == "other")
    ],
)
def test_web_and_cli_give_the_tables_verdict(world, client, action, role, relation):
    user = world["users"]["sme" if role == "sme_contact" else role]
    client.force_login(user)
    web_case = setup_case(action, world, relation)
    expected = ALLOWED if may(actor_for_user(user), action, web_case.target) else REFUSED
    web = web_probe(action, client, web_case, world)
    cli_case = setup_case(action, world, relation)
    command_line = cli_probe(action, ROLES[role], cli_case, world)
    assert (web, command_line) == (expected, expected)


def test_the_grid_covers_every_role_with_a_login():
    from cstraject.accounts.models import Role

    assert set(ROLES) == {r.value for r in Role} - {"system"}
