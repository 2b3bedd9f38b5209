"""Fuzz of the JSON intake (`cstraject dossiers new --file`, dossiers/intake.py): any document
gives a draft or one clear refusal, never a traceback, and a refused document writes nothing."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cstraject.accounts.models import Role
from cstraject.companies.models import Company
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import CompanyFactory, NaceCodeFactory, user_with_role
from tests.web.test_fuzz import snapshot

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json").read_text("utf-8"))

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=False),
    st.text(max_size=20),
    st.text(min_size=1, max_size=2).map(lambda s: s * 3000),
    st.from_regex(r"-?[0-9]{1,45}([.,][0-9]{0,5})?", fullmatch=True),
    st.sampled_from(["", "\x00", "9" * 40, "1e999999999", "NaN", "0403.170.701", "0712.345.630", "2023-02-29"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)),
    max_leaves=8,
)


def _paths(node, prefix=()):
    """Every path in the document (containers and leaves)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = [p for p in _paths(EXAMPLE) if p]


def _set(document, path, value):
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@pytest.fixture
def scheme(db, tmp_path):
    nace = NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2023"])
    user_with_role("anna", Role.PROVIDER, provider=provider)
    # The holding of the example is known: the identity comparison is fuzzed too.
    CompanyFactory(
        enterprise_number="0712345630",
        name="Van Acker Holding NV",
        legal_form="nv",
        nace_code=nace,
        postal_code="9050",
        municipality="Gentbrugge",
    )
    return tmp_path


def _intake(path: Path, document) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = snapshot()
    try:
        call_command("dossiers", "new", "--file", str(path), "--as", "anna", stdout=StringIO())
    except CommandError as error:
        assert str(error) and "\n" not in str(error).strip()
        assert snapshot() == before, ("a refused intake wrote something", document)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=3))
def test_any_mutation_of_the_example_is_a_draft_or_a_refusal(scheme, mutations):
    document = copy.deepcopy(EXAMPLE)
    for path, value in mutations:
        try:
            _set(document, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced a parent of this path
    _intake(scheme / "aanvraag.json", document)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=VALUES)
def test_any_json_document_is_refused_cleanly(scheme, document):
    _intake(scheme / "aanvraag.json", document)


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00 not utf-8",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"call": ' + b"9" * 5000 + b"}",
        b"",
        b"{",
    ],
)
def test_files_that_are_no_usable_json_are_one_line_refusals(scheme, content):
    path = scheme / "aanvraag.json"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("dossiers", "new", "--file", str(path), "--as", "anna", stdout=StringIO())
    assert snapshot() == before


def test_huge_amounts_and_long_strings_are_refused_by_field(scheme):
    document = copy.deepcopy(EXAMPLE)
    document["quote_lines"][0]["amount_excl_vat"] = "9" * 40
    document["company"]["municipality"] = "G" * 101
    document["company"]["de_minimis_aid"][0]["grantor"] = "V" * 201
    with pytest.raises(CommandError) as error:
        _intake_strict(scheme / "aanvraag.json", document)
    message = str(error.value)
    assert "company.municipality" in message and "Maximaal 100 tekens" in message
    assert not Company.objects.filter(enterprise_number="0403170701").exists()


def _intake_strict(path, document):
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("dossiers", "new", "--file", str(path), "--as", "anna", stdout=StringIO())
