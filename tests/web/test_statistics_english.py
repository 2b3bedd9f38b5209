"""The statistics page and its downloads in the English interface: English titles, headers, notes and
labels, figures the English way; the workbook in the user's language."""

import io
from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

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


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_statistics_page_in_english(world, login, granted):
    client = in_english(login(world["users"]["policy"]))
    body = client.get(reverse("web:statistics"), {"year_from": 2023, "year_to": 2024}).content.decode()
    assert "Granted and paid support per province" in body and "Submitted applications per outcome" in body
    assert "Total" in body and "East Flanders" in body and "Oost-Vlaanderen" not in body
    assert "€ 18,150.00" in body and "€ 18.150,00" not in body
    for dutch in ("Toegekende en uitbetaalde steun", "Totaal", "Geen gegevens", "Jaar van", "kmo-toets", "Provincie"):
        assert dutch not in body, dutch


def test_workbook_download_in_the_language_of_the_user(world, login, granted):
    client = in_english(login(world["users"]["policy"]))
    response = client.get(reverse("web:statistics_workbook"), {"year_from": 2023, "year_to": 2023})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Cover sheet", "1a granted support"]
