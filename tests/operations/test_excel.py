"""Bulk import of applications from Excel: each row through the intake, an error workbook for refused rows."""

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from cstraject.accounts.models import Role
from cstraject.dossiers.models import Dossier
from cstraject.operations.excel import HEADERS, applications_import, applications_template
from cstraject.providers.services import provider_offer_call, provider_upsert
from cstraject.reference.loader import load_calls
from tests.factories import NaceCodeFactory, actor, enterprise_number, user_with_role


@pytest.fixture
def provider(db):
    NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2023"])
    return provider


def row(n, **changes):
    values = dict.fromkeys(HEADERS)
    values.update(
        oproep="CS-2023",
        dienstverlener="A",
        ondernemingsnummer=enterprise_number(500 + n),
        naam=f"Bedrijf {n} BV",
        rechtsvorm="bv",
        nace_code="62.010",
        postcode="9000",
        gemeente="Gent",
        pakket_1="MEDIUM",
        bedrag_1="19.850,00",
        mensdagen_1=16.5,
        verklaring_sme_status="ja",
    )
    values.update(changes)
    return [values[h] for h in HEADERS]


def workbook(path, rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.title = "aanvragen"
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    book.save(path)
    return path


def test_the_template_has_the_columns_the_import_reads(tmp_path):
    path = tmp_path / "sjabloon.xlsx"
    applications_template(path)
    sheet = load_workbook(path)["aanvragen"]
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_valid_rows_are_imported_and_refused_rows_listed_per_column_leaving_nothing(provider, tmp_path):
    path = workbook(
        tmp_path / "aanvragen.xlsx",
        [
            row(1),
            row(2, bedrag_1="19850,001"),
            row(3, pakket_1="BASIS"),  # not a package of CS-2023
            row(4, mensdagen_1="veel"),
            row(5, verklaring_de_minimis="misschien"),
            row(6, bedrag_1=19850),
            row(7, postcode="99999"),
        ],
    )
    errors_path = tmp_path / "fouten.xlsx"
    result = applications_import(path, actor=actor(Role.PROVIDER, provider=provider), errors_path=errors_path)
    assert len(result.imported) == 2 and result.refused_rows == 5
    assert Dossier.objects.count() == 2
    assert {d.company.name for d in Dossier.objects.all()} == {"Bedrijf 1 BV", "Bedrijf 6 BV"}
    assert Dossier.objects.get(company__name="Bedrijf 1 BV").quote_excl_vat == 19850
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error.row, set()).add(error.column)
    assert by_row == {
        3: {"bedrag_1"},
        4: {"pakket_1"},
        5: {"mensdagen_1"},
        6: {"verklaring_de_minimis"},
        8: {"postcode"},
    }
    sheet = load_workbook(errors_path)["fouten"]
    listed = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2)]
    assert (3, "bedrag_1") in listed and (6, "verklaring_de_minimis") in listed
    # The refused rows left no company behind either.
    from cstraject.companies.models import Company

    assert not Company.objects.filter(name__in=["Bedrijf 2 BV", "Bedrijf 4 BV"]).exists()


def test_a_changed_header_is_refused_before_any_row(provider, tmp_path):
    path = workbook(tmp_path / "a.xlsx", [row(1)], headers=[*HEADERS[:3], "firmanaam", *HEADERS[4:]])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ontbreekt: naam; onbekend: firmanaam"):
        applications_import(path, actor=actor(Role.PROVIDER, provider=provider))
    assert not Dossier.objects.exists()


def test_the_commands_write_the_template_and_import_as_a_user(provider, tmp_path, capsys):
    user_with_role("anna", Role.PROVIDER, provider=provider)
    call_command("template", "applications", "-o", str(tmp_path / "sjabloon.xlsx"))
    path = workbook(tmp_path / "aanvragen.xlsx", [row(1), row(2, rechtsvorm="gmbh")])
    call_command("import", "applications", str(path), "--as", "anna")
    out = capsys.readouterr().out
    assert "1 aanvragen ingelezen" in out and "rij 3, kolom rechtsvorm" in out
    assert (tmp_path / "aanvragen-fouten.xlsx").exists()


# --- history ------------------------------------------------------------------------------------


def history_workbook(path, dossiers=(), statements=(), payments=()):
    from cstraject.operations.excel import HISTORY_SHEETS

    book = Workbook()
    book.remove(book.active)
    for name, rows in (("dossiers", dossiers), ("prestaties", statements), ("betalingen", payments)):
        sheet = book.create_sheet(name)
        sheet.append(HISTORY_SHEETS[name])
        for values in rows:
            sheet.append([values.get(h) for h in HISTORY_SHEETS[name]])
    book.save(path)
    return path


def history_dossier(reference, **changes):
    from datetime import date

    values = {
        "referentie": reference,
        "oproep": "CS-2021",
        "dienstverlener": "A",
        "ondernemingsnummer": enterprise_number(700),
        "naam": "Historisch BV",
        "rechtsvorm": "bv",
        "nace_code": "62.010",
        "postcode": "2000",
        "gemeente": "Antwerpen",
        "grootte": "micro",
        "status": "finished",
        "pakket_1": "BASIS",
        "bedrag_1": "30000,00",
        "mensdagen_1": 22,
        "steunbedrag": "16335.00",
        "ingediend_op": date(2021, 3, 1),
        "beslist_op": "20-03-2021",
        "gestart_op": "2021-04-01",
        "afgerond_op": "2021-12-15",
    }
    values.update(changes)
    return values


@pytest.fixture
def provider_2021(db):
    NaceCodeFactory(code="62010")
    calls = {call.code: call for call, _ in load_calls()}
    provider = provider_upsert(code="A", name="Dienstverlener A", enterprise_number="0456.789.034")
    provider_offer_call(provider=provider, call=calls["CS-2021"])
    return provider


def test_history_brings_dossiers_statements_and_payments_with_their_dates(provider_2021, tmp_path):
    from datetime import date

    from cstraject.operations.excel import history_import
    from cstraject.payments.models import Payment

    path = history_workbook(
        tmp_path / "geschiedenis.xlsx",
        dossiers=[history_dossier("CS-2021-0901"), history_dossier("CS-2021-0902", oproep="CS-2019")],
        statements=[
            {
                "referentie": "CS-2021-0901",
                "kwartaal": "2021Q2",
                "mensdagen": 14,
                "bedrag": "18000",
                "ingediend_op": "2021-07-05",
            },
            {
                "referentie": "CS-2021-0901",
                "kwartaal": "2021Q4",
                "mensdagen": 22,
                "bedrag": "30000",
                "ingediend_op": "2022-01-05",
            },
            {
                "referentie": "CS-2021-0999",
                "kwartaal": "2021Q4",
                "mensdagen": 1,
                "bedrag": "1",
                "ingediend_op": "2022-01-05",
            },
        ],
        payments=[
            {
                "referentie": "CS-2021-0901",
                "schijf": 1,
                "bedrag": "9801.00",
                "betaald_op": "2021-07-20",
                "kwartaal": "2021Q2",
            },
            {
                "referentie": "CS-2021-0901",
                "schijf": 2,
                "bedrag": "6534.00",
                "betaald_op": "2022-01-20",
                "kwartaal": "2021Q4",
            },
            {"referentie": "CS-2021-0901", "schijf": 3, "bedrag": "1.00", "betaald_op": "2022-01-20"},
        ],
    )
    errors_path = tmp_path / "fouten.xlsx"
    result = history_import(path, actor=actor(Role.ADMIN), errors_path=errors_path)
    assert (result.dossiers, result.statements, result.payments) == (1, 2, 2)
    dossier = Dossier.objects.get(reference="CS-2021-0901")
    assert (dossier.status, dossier.submitted_date, dossier.decided_date, dossier.finished_date) == (
        "finished",
        date(2021, 3, 1),
        date(2021, 3, 20),
        date(2021, 12, 15),
    )
    assert [p.payment_date for p in Payment.objects.order_by("tranche")] == [date(2021, 7, 20), date(2022, 1, 20)]
    assert {(e.sheet, e.row, e.column) for e in result.errors} == {
        ("dossiers", 3, "oproep"),
        ("prestaties", 4, "referentie"),
        ("betalingen", 4, "schijf"),
    }
    assert not Dossier.objects.filter(reference="CS-2021-0902").exists()
    sheet = load_workbook(errors_path)["fouten"]
    assert sheet.max_row == 4


def test_history_is_for_the_agency_only(provider_2021, tmp_path):
    from django.core.exceptions import PermissionDenied

    from cstraject.operations.excel import history_import

    path = history_workbook(tmp_path / "g.xlsx", dossiers=[history_dossier("CS-2021-0901")])
    with pytest.raises(PermissionDenied):
        history_import(path, actor=actor(Role.PROVIDER, provider=provider_2021))
    assert not Dossier.objects.exists()
