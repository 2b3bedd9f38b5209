"""The work queue's search: by dossier reference, enterprise number (any format), company name
(case- and accent-insensitive, partial), across every status unless a status is chosen."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cstraject.accounts.actors import actor_for_user
from cstraject.companies.models import Company
from cstraject.core.enterprise_number import format_enterprise_number
from cstraject.core.search import search_text
from cstraject.web.selectors import work_queue
from tests.factories import CompanyFactory, DossierFactory


@pytest.fixture
def bakery(world):
    company = CompanyFactory(name="Bakkerij Van Éénde  & Zonen BV", postal_code="3500", municipality="Hasselt")
    dossier = DossierFactory(
        reference="CS-2023-0777",
        call=world["call"],
        provider=world["provider_a"],
        company=company,
        status="approved",
        submitted_date=date(2024, 5, 2),
        decided_date=date(2024, 6, 1),
    )
    return company, dossier


def _references(world, **filters) -> list[str]:
    page = work_queue(actor=actor_for_user(world["users"]["case_handler"]), **{"status": "", **filters})
    return [dossier.reference for dossier in page.rows]


def test_the_search_name_is_kept_with_the_name(bakery):
    company, _ = bakery
    assert company.search_name == "bakkerij van eende & zonen bv"
    company.name = "Brouwerij Ölbrück"
    company.save(update_fields=["name"])
    company.refresh_from_db()
    assert company.search_name == "brouwerij olbruck"


@pytest.mark.parametrize("typed", ["EENDE", "van eénde", "bakkerij", "Zonen bv", "  Éénde  "])
def test_name_search_ignores_case_and_accents_and_finds_parts(world, bakery, dossier_a, typed):
    assert _references(world, q=typed) == ["CS-2023-0777"]


def test_enterprise_number_in_any_format(world, bakery, dossier_a):
    company, _ = bakery
    digits = company.enterprise_number
    for typed in (digits, format_enterprise_number(digits), f"BE {format_enterprise_number(digits)}", f"be{digits}"):
        assert _references(world, q=typed) == ["CS-2023-0777"], typed
    if digits.startswith("0"):
        assert _references(world, q=digits[1:]) == ["CS-2023-0777"]  # the old nine-digit form


def test_reference_search_is_exact_and_case_insensitive(world, bakery, dossier_a):
    assert _references(world, q="cs-2023-0777") == ["CS-2023-0777"]
    assert _references(world, q="CS-2023-0901") == [dossier_a.reference]
    assert _references(world, q="Geen zulke onderneming") == []


def test_search_combines_with_the_filters(world, bakery):
    assert _references(world, q="eende", status="approved") == ["CS-2023-0777"]
    assert _references(world, q="eende", status="submitted") == []
    assert _references(world, q="eende", province="antwerpen") == []


def test_search_page_looks_in_every_status_and_keeps_the_search_when_filtering(world, login, bakery, dossier_a):
    client = login(world["users"]["case_handler"])
    body = client.get(reverse("web:backoffice_queue"), {"q": "Éénde"}).content.decode()
    assert "CS-2023-0777" in body and dossier_a.reference not in body  # approved, found without choosing a status
    assert 'name="q" value="Éénde"' in body  # the filter form carries the search along
    body = client.get(reverse("web:backoffice_queue")).content.decode()
    assert "CS-2023-0777" not in body and dossier_a.reference in body  # the queue itself opens on submitted


def test_a_broad_name_search_stays_a_subquery_and_correct(world, monkeypatch, django_assert_max_num_queries):
    for n in range(12):
        company = CompanyFactory(name=f"Breed Gezocht {n} BV")
        DossierFactory(call=world["call"], provider=world["provider_a"], company=company, status="submitted")
    from cstraject.web import selectors

    monkeypatch.setattr(selectors, "_SEARCH_ID_LIMIT", 5)  # the subquery branch with a handful of rows
    with django_assert_max_num_queries(2):
        found = _references(world, q="breed gezocht", page_size=50)
    assert len(found) == 12


@given(st.text(max_size=40))
def test_search_text_is_idempotent_lower_case_and_without_accents(text):
    once = search_text(text)
    assert search_text(once) == once
    assert once == once.strip() and "  " not in once
    assert not any(ch in once for ch in "ÉéÄäÖöÇç")


def test_postgres_searches_the_name_through_the_trigram_index(world, bakery, is_postgres):
    if not is_postgres:
        pytest.skip("trigram index: PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Company.objects.filter(search_name__contains="eende").explain()
    assert "companies_company_search_name_trgm" in plan, plan
