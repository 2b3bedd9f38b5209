"""Property-based calls against the served OpenAPI schema (schemathesis): no 5xx, every response as declared.

Bounded: a few examples per operation, as a provider with one draft dossier of its own (its reference is
offered to the path parameters, so the calls reach the services and not only the 404)."""

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from cstraject.accounts.actors import system_actor
from cstraject.accounts.models import Role
from cstraject.api.services import api_token_create
from cstraject.dossiers.intake import dossier_intake
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import NaceCodeFactory, actor, user_with_role

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json").read_text())

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def _keep_the_test_connection():
    """schemathesis calls the WSGI application directly; like Django's test client, keep the request
    signals from closing the test's database connection (PostgreSQL runs each test in a transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def provider_key(db, settings, _keep_the_test_connection):
    settings.CSTRAJECT_API_RATE = "100000/m"
    cache.clear()
    NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2023"])
    dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=EXAMPLE)
    user = user_with_role("api-fuzz", Role.PROVIDER, provider=provider)
    return api_token_create(actor=system_actor("test"), username=user.username)[1]


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_answers_as_its_schema_says(case, provider_key):
    if "reference" in (case.path_parameters or {}) and case.path_parameters["reference"] == "":
        case.path_parameters["reference"] = "CS-2023-0001"
    response = case.call(headers={"Authorization": f"Bearer {provider_key}"})
    case.validate_response(response, checks=CHECKS)
