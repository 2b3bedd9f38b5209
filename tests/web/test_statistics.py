"""Statistics for policy staff: the question 526 tables, an SVG chart per table, the workbook."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from cstraject.reporting.report import write_report
from tests.factories import DossierFactory


@pytest.fixture
def granted(world):
    DossierFactory(
        reference="CS-2023-0801",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        submitted_date=date(2023, 2, 1),
        decided_date=date(2023, 3, 1),
    )
    DossierFactory(
        reference="CS-2023-0802",
        call=world["call"],
        provider=world["provider_b"],
        company=world["company_b"],
        submitted_date=date(2024, 2, 1),
        decided_date=date(2024, 3, 1),
    )


def test_statistics_page_shows_tables_and_charts(world, login, granted):
    response = login(world["users"]["policy"]).get(reverse("web:statistics"), {"year_from": 2023, "year_to": 2024})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 3 and 'role="img"' in body
    assert "Oost-Vlaanderen" in body and "Antwerpen" in body
    assert "€ 18.150,00" in body  # 50 % x 30,000 x 1.21, one dossier per year
    # No personal data: neither company names nor dossier references.
    assert "Kmo Alfa" not in body and "CS-2023-0801" not in body


def test_invalid_period_gets_a_field_message(world, login):
    response = login(world["users"]["policy"]).get(reverse("web:statistics"), {"year_from": 2024, "year_to": 2023})
    assert response.status_code == 400 and 'id="id_year_to-error"' in response.content.decode()


def test_workbook_download_is_the_report_workbook(world, login, granted):
    response = login(world["users"]["policy"]).get(
        reverse("web:statistics_workbook"), {"year_from": 2023, "year_to": 2024}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="antwoord-526-2023-2024.xlsx"' in response["Content-Disposition"]
    downloaded = openpyxl.load_workbook(io.BytesIO(response.content))
    expected = io.BytesIO()
    write_report(year_from=2023, year_to=2024, target=expected, fmt="xlsx")
    reference = openpyxl.load_workbook(expected)
    assert downloaded.sheetnames == reference.sheetnames
    for name in reference.sheetnames:
        assert list(downloaded[name].iter_rows(values_only=True)) == list(reference[name].iter_rows(values_only=True))


@pytest.mark.parametrize("rows", [5, 50])
def test_statistics_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries, rows):
    for _n in range(rows):
        DossierFactory(
            call=world["call"],
            provider=world["provider_a"],
            submitted_date=date(2023, 2, 1),
            decided_date=date(2023, 3, 1),
        )
    client = login(world["users"]["policy"])
    with django_assert_max_num_queries(60):
        assert client.get(reverse("web:statistics"), {"year_from": 2023, "year_to": 2024}).status_code == 200


def test_workbook_refused_for_other_roles(world, login):
    for role in ("provider", "sme", "case_handler", "controller"):
        assert login(world["users"][role]).get(reverse("web:statistics_workbook")).status_code == 403
