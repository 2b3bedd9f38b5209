"""The work queue at 100,000 dossiers (PostgreSQL): paginated in the database,
index-driven, a bounded number of queries, quick."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from cstraject.accounts.actors import actor_for_user
from cstraject.dossiers.models import Dossier
from cstraject.web.selectors import work_queue

pytestmark = pytest.mark.postgres_only

N = 100_000


@pytest.fixture
def many(world, is_postgres):
    if not is_postgres:
        pytest.skip("bulk generation with generate_series needs PostgreSQL")
    company, call, provider = world["company_a"], world["call"], world["provider_a"]
    statuses = "ARRAY['draft','submitted','approved','rejected','in_progress','finished']"
    provinces = "ARRAY['antwerpen','limburg','oost-vlaanderen','vlaams-brabant','west-vlaanderen']"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO dossiers_dossier (reference, call_id, provider_id, company_id, status, province, nace_code_id, size_class,
                package_mix, quote_excl_vat, quote_man_days, subsidy_amount, declarations, decision_reason, submitted_date, created_at, updated_at)
            SELECT 'BULK-' || lpad(g::text, 6, '0'), %s, %s, %s, ({statuses})[1 + g %% 6], ({provinces})[1 + g %% 5], %s, 'micro',
                'basis', 30000, 22, 16335 + (g %% 1000), '{{}}', '', DATE '2023-01-01' + (g %% 1000), now(), now()
            FROM generate_series(1, {N}) AS g
            """,
            [call.pk, provider.pk, company.pk, company.nace_code_id],
        )
        cursor.execute("ANALYZE dossiers_dossier")
    return N


def test_queue_at_100k_is_paginated_and_fast(many, world, login, django_assert_max_num_queries):
    assert Dossier.objects.count() >= many
    client = login(world["users"]["case_handler"])
    client.get(reverse("web:backoffice_queue"))  # warm up
    for params in (
        {},
        {"page": 600},
        {"province": "limburg", "sort": "-subsidy"},
        {"status": "", "sort": "reference", "page": 3},
    ):
        started = time.monotonic()
        with django_assert_max_num_queries(12):
            response = client.get(reverse("web:backoffice_queue"), params)
        elapsed = time.monotonic() - started
        assert response.status_code == 200 and response.content.decode().count("BULK-") == 25
        assert elapsed < 5, (params, elapsed)  # generous: two shared cores; locally it is tens of milliseconds


def test_default_queue_query_uses_the_status_index(many, world):
    page_qs = work_queue(actor=actor_for_user(world["users"]["case_handler"]), page=1)
    assert len(page_qs.rows) == 25
    from cstraject.dossiers.models import Dossier as D

    queryset = D.objects.filter(status="submitted").order_by("submitted_date", "id")[:26]
    plan = queryset.explain()
    assert "Seq Scan on dossiers_dossier" not in plan, plan
