"""The providers' API (/api/v1/): tokens, the same services and permissions as the web, 404 for others' dossiers."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from cstraject.accounts.actors import system_actor
from cstraject.accounts.models import Role
from cstraject.api.models import ApiToken
from cstraject.api.services import api_token_create, api_token_revoke
from cstraject.audit.models import AuditEvent
from cstraject.dossiers.models import Dossier, DossierDocument
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import NaceCodeFactory, pdf_bytes, user_with_role

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "docs" / "examples" / "aanvraag.json").read_text(encoding="utf-8"))
PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def providers(db):
    NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    a = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    b = provider_upsert(code="B", name="Dienstverlener B", enterprise_number="0403.170.701")
    for provider in (a, b):
        provider_offer_call(provider=provider, call=calls["CS-2023"])
    return a, b


def client_for(username, role, **links):
    user = user_with_role(username, role, **links)
    _token, key = api_token_create(actor=system_actor("test"), username=user.username)
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def anna(providers):
    return client_for("anna", Role.PROVIDER, provider=providers[0])


@pytest.fixture
def bram(providers):
    return client_for("bram", Role.PROVIDER, provider=providers[1])


def create(client, data=EXAMPLE):
    return client.post("/api/v1/dossiers", data=json.dumps(data), content_type="application/json")


def test_a_provider_creates_uploads_submits_and_reads_its_own_dossier(anna):
    response = create(anna)
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert response.json()["subsidy_amount"] == "12009.25"
    assert response.json()["quote_lines"] == [{"package": "MEDIUM", "amount_excl_vat": "19850.00", "man_days": "16.5"}]
    for kind in ("quote", "declarations"):
        upload = anna.post(
            f"/api/v1/dossiers/{reference}/documents",
            data={"kind": kind, "file": _pdf_file(f"{kind}.pdf")},
        )
        assert upload.status_code == 201, upload.content
    assert DossierDocument.objects.filter(dossier__reference=reference).count() == 2
    submitted = anna.post(f"/api/v1/dossiers/{reference}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    listed = anna.get("/api/v1/dossiers")
    assert [d["reference"] for d in listed.json()] == [reference]
    # Audited like any other door, as the token's user through the API channel.
    event = AuditEvent.objects.filter(dossier__reference=reference, to_status="submitted").get()
    assert (event.actor_label, event.channel) == ("anna", "api")


def _pdf_file(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_another_providers_dossier_does_not_exist_for_the_caller(anna, bram):
    reference = create(anna).json()["reference"]
    for method, path in (
        ("get", f"/api/v1/dossiers/{reference}"),
        ("post", f"/api/v1/dossiers/{reference}/submit"),
        ("post", f"/api/v1/dossiers/{reference}/payment-requests"),
    ):
        if method == "get":
            response = bram.get(path)
        else:
            response = bram.post(path, data=json.dumps({"quarter": "2024Q1"}), content_type="application/json")
        assert response.status_code == 404, (path, response.content)
    assert bram.get("/api/v1/dossiers").json() == []
    assert Dossier.objects.get(reference=reference).status == "draft"


def test_a_provider_files_only_for_its_own_provider(bram):
    response = create(bram)  # the example names provider A
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_bad_input_is_a_422_naming_the_field_and_saves_nothing(anna):
    bad = json.loads(json.dumps(EXAMPLE))
    bad["company"]["annual_accounts"][1]["turnover"] = "2710000.001"
    response = create(anna, bad)
    assert response.status_code == 422
    assert "company.annual_accounts[1].turnover" in response.json()["errors"]
    assert not Dossier.objects.exists()
    response = anna.post("/api/v1/dossiers", data="{", content_type="application/json")
    assert response.status_code in (400, 422)
    reference = create(anna).json()["reference"]
    upload = anna.post(
        f"/api/v1/dossiers/{reference}/documents",
        data={"kind": "quote", "file": _pdf_file_bytes("offerte.pdf", b"MZ not a pdf")},
    )
    assert upload.status_code == 422 and "file" in upload.json()["errors"]


def _pdf_file_bytes(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_no_or_a_revoked_token_is_refused(anna, providers):
    assert Client().get("/api/v1/dossiers").status_code == 401
    assert Client(headers={"Authorization": "Bearer cst_nope"}).get("/api/v1/dossiers").status_code == 401
    user = user_with_role("carl", Role.PROVIDER, provider=providers[0])
    token, key = api_token_create(actor=system_actor("test"), username=user.username)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/v1/dossiers").status_code == 200
    api_token_revoke(actor=system_actor("test"), prefix=token.prefix)
    assert client.get("/api/v1/dossiers").status_code == 401
    assert ApiToken.objects.get(pk=token.pk).key_sha256 != key  # only the digest is stored


def test_calls_are_rate_limited_per_token(anna, bram, settings):
    settings.CSTRAJECT_API_RATE = "3/m"
    statuses = [anna.get("/api/v1/dossiers").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert bram.get("/api/v1/dossiers").status_code == 200  # another token has its own budget


def test_the_committed_schema_is_the_served_one(anna):
    served = anna.get("/api/v1/openapi.json")
    assert served.status_code == 200
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert served.json() == committed, "run: cstraject api-schema -o docs/openapi.json"


def test_the_token_command_shows_the_key_once(providers, capsys):
    user_with_role("dirk", Role.PROVIDER, provider=providers[0])
    call_command("api_tokens", "create", "dirk", "--name", "boekhouding")
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    assert key.startswith("cst_")
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/dossiers").status_code == 200
    call_command("api_tokens", "list")
    assert key not in capsys.readouterr().out


def test_a_provider_files_a_statement_and_asks_the_first_tranche(anna, providers):
    from datetime import date

    from django.utils import timezone

    from cstraject.dossiers.models import DossierStatus
    from tests.factories import DossierFactory

    today = timezone.localdate()
    year, quarter = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
    previous = f"{year}Q{quarter}"
    dossier = DossierFactory(status=DossierStatus.IN_PROGRESS, started_date=date(2021, 4, 1), provider=providers[0])
    filed = anna.post(
        f"/api/v1/dossiers/{dossier.reference}/statements",
        data=json.dumps({"quarter": previous, "delivered_man_days": "14.0", "delivered_amount": "19000.00"}),
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    assert filed.json()["delivered_amount"] == "19000.00"
    asked = anna.post(
        f"/api/v1/dossiers/{dossier.reference}/payment-requests",
        data=json.dumps({"quarter": previous}),
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    assert (asked.json()["tranche"], asked.json()["status"]) == (1, "requested")
    detail = anna.get(f"/api/v1/dossiers/{dossier.reference}").json()
    assert [s["quarter"] for s in detail["statements"]] == [previous]
    again = anna.post(
        f"/api/v1/dossiers/{dossier.reference}/payment-requests",
        data=json.dumps({"quarter": previous}),
        content_type="application/json",
    )
    assert again.status_code == 422
