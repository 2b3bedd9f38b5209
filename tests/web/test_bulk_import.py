"""Back office: applications from Excel, the same import as the CLI, errors on the page and as a workbook."""

import io

from openpyxl import Workbook, load_workbook

from cstraject.dossiers.models import Dossier
from cstraject.operations.excel import HEADERS
from tests.factories import enterprise_number


def upload(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "aanvragen"
    sheet.append(HEADERS)
    for values in rows:
        sheet.append([values.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "aanvragen.xlsx"
    return buffer


def application(n, **changes):
    values = dict(
        oproep="CS-2023",
        dienstverlener="A",
        ondernemingsnummer=enterprise_number(900 + n),
        naam=f"Excel {n} BV",
        rechtsvorm="bv",
        nace_code="62.010",
        postcode="9000",
        gemeente="Gent",
        pakket_1="BASIS",
        bedrag_1="20.000,00",
        mensdagen_1="15",
    )
    values.update(changes)
    return values


def test_a_provider_imports_applications_and_downloads_the_errors(world, login):
    client = login(world["users"]["provider"])
    page = client.get("/inlezen/")
    assert page.status_code == 200
    response = client.post(
        "/inlezen/",
        {"kind": "applications", "file": upload([application(1), application(2, rechtsvorm="gmbh")])},
    )
    assert response.status_code == 200
    assert Dossier.objects.filter(company__name="Excel 1 BV").exists()
    assert not Dossier.objects.filter(company__name="Excel 2 BV").exists()
    assert "rechtsvorm" in response.content.decode()
    errors = client.get("/inlezen/fouten.xlsx")
    assert errors.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(errors.streaming_content)))["fouten"]
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2)] == [(3, "rechtsvorm")]
    template = client.get("/inlezen/sjabloon-applications.xlsx")
    assert template.status_code == 200


def test_only_providers_file_applications_and_history_is_for_administrators(world, login):
    # The permission table: only providers file applications; case handlers neither file nor import history.
    assert login(world["users"]["case_handler"]).get("/inlezen/").status_code == 403
    client = login(world["users"]["provider"])
    response = client.post("/inlezen/", {"kind": "history", "file": upload([])})
    assert response.status_code == 400  # not a choice for a provider
    assert client.get("/inlezen/sjabloon-history.xlsx").status_code == 403
    # Another session has no error workbook to download.
    assert client.get("/inlezen/fouten.xlsx").status_code == 404
    admin = login(world["users"]["admin"])
    assert admin.get("/inlezen/sjabloon-history.xlsx").status_code == 200
    assert admin.get("/inlezen/sjabloon-applications.xlsx").status_code == 403


def test_not_an_excel_file_is_refused_on_the_form(world, login):
    client = login(world["users"]["provider"])
    text = io.BytesIO(b"not excel")
    text.name = "aanvragen.xlsx"
    response = client.post("/inlezen/", {"kind": "applications", "file": text})
    assert response.status_code == 400
    assert not Dossier.objects.exists()
