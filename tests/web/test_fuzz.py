"""Fuzz: random, huge, empty and unicode values into every form field and every query
parameter of every page, for every role; never a 5xx, and a refused submission writes nothing.

The forms are not listed by hand: every page is fetched as every role and its <form>s are
read from the HTML (action, method, fields, options), so a new form is fuzzed as soon as a
page shows it. Posts go to every role's forms as every role (cross-tenant included)."""

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cstraject.accounts.actors import system_actor
from cstraject.companies.models import Company
from cstraject.dossiers.models import Dossier
from cstraject.impact.services import final_report_submit
from cstraject.payments.models import PaymentRequest
from cstraject.payments.services import payment_import, recovery_create
from tests.factories import DossierFactory, pdf_bytes
from tests.impact.helpers import valid_report, with_framework

from .conftest import actor as web_actor

ROLES = ("anonymous", "provider", "provider_b", "sme", "sme_b", "case_handler", "controller", "policy", "admin")
QUERY_PARAMS = (
    "page",
    "company",
    "status",
    "call",
    "provider",
    "province",
    "size_class",
    "sort",
    "reference",
    "action",
    "year_from",
    "year_to",
    "enterprise_number",
    "next",
)
SKIPPED_ACTIONS = ("/i18n/", "/afmelden/")  # language switch and logout: not ours, and they end the session

HUGE = "9" * 40
VALUES = st.one_of(
    st.just(""),
    st.text(max_size=30),
    st.text(min_size=1, max_size=3).map(lambda s: s * 2000),  # far over any column
    st.from_regex(r"-?[0-9]{1,45}([.,][0-9]{0,5})?", fullmatch=True),
    st.sampled_from(
        [
            HUGE,
            "1e999999999",
            "NaN",
            "-Infinity",
            "0",
            "-1",
            "2026Q3",
            "9999Q9",
            "2026-02-30",
            "0403.170.701",
            "١٢٣٤",
            "\x00",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "approve",
            "reject",
        ]
    ),
)
FILES = st.sampled_from(
    [
        b"",
        b"%PDF-1.4 kapot",
        b"<html><script>alert(1)</script></html>",
        rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
        None,  # a real PDF
    ]
)
KINDS = ("", "x" * 5000, "Ünïcødé ✓ 漢字 🙂", HUGE)


@dataclass
class Field:
    name: str
    kind: str  # text, checkbox, radio, select, file, hidden, textarea
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field]
    role: str

    def __repr__(self) -> str:
        return f"<{self.method} {self.action} ({self.role}) {sorted(self.fields)}>"


class FormParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.forms: list[tuple[str, str, dict[str, Field]]] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = (a.get("action") or self.url, (a.get("method") or "get").lower(), {})
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            fields = self._form[2]
            existing = fields.get(a["name"])
            if existing and kind in ("checkbox", "radio"):
                existing.options.append(a.get("value", "on"))
            else:
                value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
                fields[a["name"]] = Field(a["name"], kind, value, [value] if kind in ("checkbox", "radio") else [])
        elif tag == "textarea":
            self._form[2][a["name"]] = Field(a["name"], "textarea")
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form[2][a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def snapshot() -> dict:
    """Every row count of our apps, the state of every dossier and the identity of every company."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("cstraject.")
    }
    return {
        "counts": counts,
        "dossiers": list(Dossier.objects.order_by("pk").values_list("pk", "status", "updated_at", "subsidy_amount")),
        "companies": list(
            Company.objects.order_by("pk").values_list("pk", "name", "postal_code", "legal_form", "nace_code_id")
        ),
    }


@pytest.fixture
def fuzz(world, dossier_a, dossier_b, running, login):
    """Dossiers in every state the pages care about, a client per role, and the forms each role sees."""
    dossier, _quarter = running
    draft = DossierFactory(
        reference="CS-2023-0960",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="draft",
    )
    finished = DossierFactory(
        reference="CS-2023-0970",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="finished",
        submitted_date=date(2024, 1, 10),
        decided_date=date(2024, 1, 20),
        started_date=date(2024, 2, 1),
        finished_date=date(2024, 12, 1),
    )
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(world["users"][role])
        clients[role] = client
    provider = clients["provider"]

    def version(d):
        d.refresh_from_db()
        return d.updated_at.isoformat()

    # A statement and a payment request on the running dossier (the decision form), a final
    # report on the finished one (the co-signature form).
    provider.post(
        reverse("web:statement_create", args=[dossier.pk]),
        {
            "version": version(dossier),
            "quarter": str(_quarter),
            "delivered_man_days": "14",
            "delivered_amount": "19000",
        },
    )
    provider.post(
        reverse("web:payment_request_create", args=[dossier.pk]),
        {"version": version(dossier), "quarter": str(_quarter)},
    )
    with_framework(world["call"])
    final_report_submit(actor=web_actor(world["users"]["provider"]), dossier=finished, **valid_report())
    # A payment and a recovery order on the finished dossier (the collection form).
    payment_import(actor=system_actor(), dossier=finished, tranche=1, amount="1000.00", payment_date=date(2025, 1, 2))
    recovery_create(
        actor=web_actor(world["users"]["controller"]), dossier=finished, amount="100.00", reason="Steekproef."
    )
    # The provider's wizard: choose a company, so the package step has a form.
    provider.post(reverse("web:provider_new"), {"enterprise_number": world["company_a"].enterprise_number})
    # Pages whose forms appear only in the answer to a POST: the company form for an unknown number.
    posted = [("provider_b", reverse("web:provider_new"), {"enterprise_number": "0403.170.701"})]
    dossiers = [dossier_a, dossier_b, dossier, draft, finished]
    pages = [
        reverse("web:home"),
        reverse("login"),
        reverse("web:provider_dashboard"),
        reverse("web:provider_new"),
        reverse("web:provider_new_packages"),
        reverse("web:sme_dashboard"),
        reverse("web:backoffice_queue"),
        reverse("web:backoffice_payments"),
        # The payment request's own page: the approval (confirmation) and rejection forms.
        *[reverse("web:payment_request_review", args=[r.pk]) for r in PaymentRequest.objects.all()],
        reverse("web:company_search"),
        reverse("web:company_master_data", args=[world["company_a"].pk]),
        reverse("web:control_home"),
        reverse("web:control_audit"),
        reverse("web:statistics"),
        *[reverse("web:dossier_detail", args=[d.pk]) for d in dossiers],
        *[
            reverse(f"web:{name}", args=[draft.pk])
            for name in ("provider_packages", "provider_documents", "provider_submit")
        ],
        *[
            reverse(f"web:{name}", args=[d.pk])
            for d in (dossier, finished)
            for name in ("planned_themes", "final_report_submit", "follow_up")
        ],
    ]
    forms: list[Form] = []
    seen = set()
    visits = [(role, url, None) for role in clients for url in pages] + posted
    for role, url, post_data in visits:
        client = clients[role]
        response = client.get(url) if post_data is None else client.post(url, post_data)
        assert response.status_code < 500, (role, url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser(url)
        parser.feed(response.content.decode())
        for action, method, fields in parser.forms:
            if action.startswith(SKIPPED_ACTIONS):
                continue
            key = (role, action, method, tuple(sorted(fields)))
            if key not in seen:
                seen.add(key)
                forms.append(Form(action, method, fields, role))
    # Forms posted only from pages with their own state (the wizard's company form) are reached above;
    # make sure the main ones are there, so the fuzz cannot silently shrink.
    actions = {f.action for f in forms}
    for expected in (
        reverse("web:provider_new"),
        reverse("web:provider_new_packages"),
        reverse("web:provider_documents", args=[draft.pk]),
        reverse("web:statement_create", args=[dossier.pk]),
        reverse("web:recovery_create", args=[dossier.pk]),
        reverse("web:company_master_data", args=[world["company_a"].pk]),
        reverse("web:backoffice_queue"),
        reverse("web:final_report_cosign", args=[finished.pk]),
        reverse("web:planned_themes", args=[dossier.pk]),
        reverse("web:final_report_submit", args=[finished.pk]),
        reverse("login"),
    ):
        assert expected in actions, expected
    assert any("name" in f.fields and f.action == reverse("web:provider_new") for f in forms)
    assert any(f.action.startswith("/betalingsaanvragen/") for f in forms)
    return {"clients": clients, "forms": forms, "pages": pages}


def _file(content):
    return SimpleUploadedFile("bestand.pdf", pdf_bytes() if content is None else content)


def _send(client, form: Form, payload: dict):
    if form.method == "post":
        return client.post(form.action, payload)
    return client.get(form.action + "?" + urlencode(payload, doseq=True))


def _check(client, form: Form, payload: dict):
    before = snapshot()
    response = _send(client, form, payload)
    assert response.status_code < 500, (form, payload, response.content[:2000])
    if form.method == "post" and response.status_code != 302:
        assert snapshot() == before, ("a refused submission wrote something", form, response.status_code)
    return response


def _fill(form: Form, value: str) -> dict:
    payload = {}
    for name, f in form.fields.items():
        if f.kind == "file":
            payload[name] = _file(value.encode()[:1000])
        else:
            payload[name] = value
    return payload


def test_every_form_field_of_every_page_for_every_role(fuzz):
    """Deterministic sweep: each role posts each form it sees with every field empty, huge, unicode, 40 digits."""
    for form in fuzz["forms"]:
        client = fuzz["clients"][form.role]
        for value in KINDS:
            _check(client, form, _fill(form, value))


def test_every_query_parameter_of_every_page_for_every_role(fuzz):
    for role, client in fuzz["clients"].items():
        for url in fuzz["pages"]:
            for value in KINDS:
                response = client.get(url + "?" + urlencode(dict.fromkeys(QUERY_PARAMS, value)))
                assert response.status_code < 500, (role, url, value[:20])


@st.composite
def payloads(draw, form: Form):
    payload = {}
    for name, f in form.fields.items():
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue  # field left out
        if f.kind == "file":
            payload[name] = _file(draw(FILES))
        elif choice <= 4 and (f.options or f.value):
            # Mostly valid-looking values, so the fuzz gets past the first check.
            options = f.options or [f.value]
            payload[name] = draw(st.lists(st.sampled_from(options), min_size=1, max_size=2, unique=True))
        else:
            payload[name] = draw(VALUES)
    return payload


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_submissions_by_any_role(fuzz, data):
    form = data.draw(st.sampled_from(fuzz["forms"]), label="form")
    role = data.draw(st.sampled_from(ROLES), label="role")
    payload = data.draw(payloads(form), label="payload")
    _check(fuzz["clients"][role], form, payload)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_query_parameters(fuzz, data):
    url = data.draw(st.sampled_from(fuzz["pages"]), label="url")
    role = data.draw(st.sampled_from(ROLES), label="role")
    params = data.draw(
        st.dictionaries(st.one_of(st.sampled_from(QUERY_PARAMS), st.text(max_size=10)), VALUES, max_size=4),
        label="params",
    )
    response = fuzz["clients"][role].get(url + "?" + urlencode(params))
    assert response.status_code < 500, (role, url, params)
