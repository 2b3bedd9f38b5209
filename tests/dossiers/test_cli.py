"""A full lifecycle through the CLI: intake from docs/examples/aanvraag.json to the final payment."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.audit.models import AuditEvent
from cstraject.payments.models import Payment
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import NaceCodeFactory

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json"


def cli(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def cli_json(*args):
    return json.loads(cli(*args, "--json"))


@pytest.fixture
def scheme(db):
    NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2023"])
    cli("users", "create", "anna", "--role", "provider", "--provider", "A")
    cli("users", "create", "bert", "--role", "case_handler")
    cli("users", "create", "carla", "--role", "controller")
    return calls


def test_full_lifecycle_through_the_cli(scheme):
    created = cli_json("dossiers", "new", "--file", str(EXAMPLE), "--as", "anna")
    ref = created["reference"]
    assert (ref, created["status"], created["subsidy_amount"]) == ("CS-2023-0001", "draft", "12009.25")

    assert "ingediend" in cli("dossiers", "submit", ref, "--as", "anna", "--date", "2024-02-01")
    approved = cli_json("dossiers", "approve", ref, "--as", "bert", "--date", "2024-02-20")
    assert approved["status"] == "approved" and approved["size_class"] == "klein"
    cli("dossiers", "start", ref, "--as", "anna", "--date", "2024-03-01")

    view = cli_json(
        "statements",
        "add",
        ref,
        "--as",
        "anna",
        "--quarter",
        "2024Q2",
        "--man-days",
        "10",
        "--amount",
        "11910.00",
        "--date",
        "2024-07-03",
    )
    assert view["tranche_due"]["tranche"] == 1 and view["remaining_amount"] == "7940.00"
    request = cli_json("payments", "request", ref, "--as", "anna", "--quarter", "2024Q2", "--date", "2024-07-03")
    assert (request["tranche"], request["amount"]) == (1, "7205.55")
    paid = cli_json("payments", "approve", str(request["id"]), "--as", "bert", "--date", "2024-07-15")
    assert paid["status"] == "approved" and paid["payment_date"] == "2024-07-15"

    cli("dossiers", "finish", ref, "--as", "anna", "--date", "2024-09-20")
    cli(
        "statements",
        "add",
        ref,
        "--as",
        "anna",
        "--quarter",
        "2024Q3",
        "--man-days",
        "16.5",
        "--amount",
        "19850.00",
        "--date",
        "2024-10-02",
    )
    request = cli_json("payments", "request", ref, "--as", "anna", "--quarter", "2024Q3", "--date", "2024-10-02")
    assert (request["tranche"], request["amount"]) == (2, "4803.70")
    cli("payments", "approve", str(request["id"]), "--as", "bert", "--date", "2024-10-10")

    shown = cli_json("dossiers", "show", ref, "--as", "bert")
    assert shown["status"] == "finished"
    assert [p["amount"] for p in shown["payments"]] == ["7205.55", "4803.70"]
    assert sum(Payment.objects.values_list("amount", flat=True)) == Decimal("12009.25")
    assert shown["statement"]["paid_amount"] == shown["subsidy_amount"] == "12009.25"
    assert [e["action"] for e in shown["audit"]] == [
        "edit",
        "edit",  # the declared annual accounts, relations and de minimis aid of this application
        "transition",
        "control",  # the check at application, recorded at the decision
        "transition",
        "transition",
        "statement",
        "payment_request",
        "control",  # the desk review of the statement before the payment
        "payment",
        "transition",
        "statement",
        "payment_request",
        "control",
        "payment",
    ]
    listed = cli("payments", "list", "--as", "bert")
    assert "schijf 1: € 7.205,55" in listed and "schijf 2: € 4.803,70" in listed
    assert cli("recoveries", "list", "--as", "carla").strip() == "Geen terugvorderingen."


def test_cli_errors_are_one_clear_line(scheme):
    ref = cli_json("dossiers", "new", "--file", str(EXAMPLE), "--as", "anna")["reference"]
    with pytest.raises(CommandError) as error:
        cli("dossiers", "approve", ref, "--as", "bert", "--date", "2024-02-20")
    assert "Goedkeuren kan niet voor dossier CS-2023-0001 in status 'ontwerp'" in str(error.value) and "\n" not in str(
        error.value
    )
    with pytest.raises(CommandError, match="Rol 'Dossierbehandelaar' mag dit niet: dossier indienen"):
        cli("dossiers", "submit", ref, "--as", "bert")
    with pytest.raises(CommandError, match="Onbekende gebruiker 'zorro'"):
        cli("dossiers", "list", "--as", "zorro")
    with pytest.raises(CommandError, match="geen datum"):
        cli("dossiers", "submit", ref, "--as", "anna", "--date", "1 februari")
    with pytest.raises(CommandError, match="Dossier 'CS-9999' bestaat niet"):
        cli("dossiers", "show", "CS-9999", "--as", "bert")
    with pytest.raises(CommandError, match="bestaat niet"):
        cli("dossiers", "new", "--file", "/nonexistent/aanvraag.json", "--as", "anna")
    cli("dossiers", "submit", ref, "--as", "anna", "--date", "2024-02-01")
    with pytest.raises(CommandError, match="reason: .*motivering"):
        cli("dossiers", "reject", ref, "--as", "bert", "--date", "2024-02-20")
    assert AuditEvent.objects.filter(action="transition").count() == 1


def test_provider_sees_only_its_own_dossiers(scheme):
    provider_upsert(code="B", name="Dienstverlener B", enterprise_number="0403.170.701")
    cli("users", "create", "bob", "--role", "provider", "--provider", "B")
    ref = cli_json("dossiers", "new", "--file", str(EXAMPLE), "--as", "anna")["reference"]
    assert cli_json("dossiers", "list", "--as", "bob") == []
    assert [d["reference"] for d in cli_json("dossiers", "list", "--as", "bert")] == [ref]
    # Like the web's 404: another provider's dossier does not exist for bob.
    with pytest.raises(CommandError, match=f"Dossier '{ref}' bestaat niet"):
        cli("dossiers", "show", ref, "--as", "bob")


def test_users_create_validates_role_and_organisation(db):
    with pytest.raises(CommandError, match="--provider CODE"):
        cli("users", "create", "piet", "--role", "provider")
    with pytest.raises(CommandError, match="Dienstverlener 'Z' is onbekend"):
        cli("users", "create", "piet", "--role", "provider", "--provider", "Z")
    cli("users", "create", "piet", "--role", "policy")
    with pytest.raises(CommandError, match="bestaat al"):
        cli("users", "create", "piet", "--role", "policy")
    assert cli_json("users", "list") == [
        {"username": "piet", "role": "policy", "provider": None, "company": None, "active": True, "can_log_in": False}
    ]


def test_request_all_at_the_start_of_a_quarter(scheme):
    first = cli_json("dossiers", "new", "--file", str(EXAMPLE), "--as", "anna")["reference"]
    cli("dossiers", "submit", first, "--as", "anna", "--date", "2024-02-01")
    cli("dossiers", "approve", first, "--as", "bert", "--date", "2024-02-20")
    cli("dossiers", "start", first, "--as", "anna", "--date", "2024-03-01")
    cli(
        "statements",
        "add",
        first,
        "--as",
        "anna",
        "--quarter",
        "2024Q1",
        "--man-days",
        "2",
        "--amount",
        "2000.00",
        "--date",
        "2024-04-02",
    )
    result = cli_json("payments", "request", "--all", "--as", "anna", "--quarter", "2024Q1", "--date", "2024-04-02")
    assert result["created"] == []
    assert result["skipped"][0]["dossier"] == first and "minstens 60 %" in result["skipped"][0]["reason"]
    with pytest.raises(CommandError, match="niet allebei"):
        cli("payments", "request", first, "--all", "--as", "anna", "--quarter", "2024Q1")


def test_recovery_and_collections_through_the_cli(scheme):
    ref = cli_json("dossiers", "new", "--file", str(EXAMPLE), "--as", "anna")["reference"]
    cli("dossiers", "submit", ref, "--as", "anna", "--date", "2024-02-01")
    cli("dossiers", "approve", ref, "--as", "bert", "--date", "2024-02-20")
    cli("dossiers", "start", ref, "--as", "anna", "--date", "2024-03-01")
    cli(
        "statements",
        "add",
        ref,
        "--as",
        "anna",
        "--quarter",
        "2024Q2",
        "--man-days",
        "10",
        "--amount",
        "11910.00",
        "--date",
        "2024-07-03",
    )
    request = cli_json("payments", "request", ref, "--as", "anna", "--quarter", "2024Q2", "--date", "2024-07-03")
    cli("payments", "approve", str(request["id"]), "--as", "bert", "--date", "2024-07-15")
    cli(
        "dossiers",
        "stop",
        ref,
        "--as",
        "bert",
        "--reason",
        "Bij controle: geen kmo (verbonden met een groot bedrijf).",
        "--date",
        "2024-08-01",
    )

    with pytest.raises(CommandError, match="Rol 'Dienstverlener' mag dit niet"):
        cli("recoveries", "create", ref, "--as", "anna", "--amount", "7205.55", "--reason", "x")
    recovery = cli_json(
        "recoveries",
        "create",
        ref,
        "--as",
        "carla",
        "--amount",
        "7205.55",
        "--reason",
        "Geen kmo.",
        "--date",
        "2024-08-05",
    )
    assert (recovery["amount"], recovery["outstanding"]) == ("7205.55", "7205.55")
    after = cli_json(
        "recoveries", "collect", str(recovery["id"]), "--as", "carla", "--amount", "5000.00", "--date", "2024-09-01"
    )
    assert (after["collected"], after["outstanding"]) == ("5000.00", "2205.55")
    with pytest.raises(CommandError, match="meer dan het openstaande bedrag € 2.205,55"):
        cli(
            "recoveries", "collect", str(recovery["id"]), "--as", "carla", "--amount", "2205.56", "--date", "2024-09-02"
        )
    listed = cli_json("recoveries", "list", "--as", "bert", "--dossier", ref)
    assert [(r["collected"], r["outstanding"]) for r in listed] == [("5000.00", "2205.55")]
    with pytest.raises(CommandError, match="min al teruggevorderd"):
        cli("recoveries", "create", ref, "--as", "carla", "--amount", "0.01", "--reason", "nog")
