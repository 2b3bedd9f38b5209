"""`cstraject kbo import`: the published layout, full and update, atomic, idempotent, clear refusals."""

import zipfile

import pytest
from django.core.management import CommandError, call_command

from cstraject.accounts.actors import system_actor
from cstraject.audit.models import AuditEvent
from cstraject.companies.models import NaceCode
from cstraject.register.kbo import KboImportError, kbo_import
from cstraject.register.models import KboActivity, KboAddress, KboDenomination, KboEnterprise, KboExtract
from cstraject.register.selectors import register_enterprise
from cstraject.register.services import register_sync_companies
from tests.factories import CompanyFactory, NaceCodeFactory, actor

from . import extract
from .extract import BAKERY, BAKERY_SHOP, BRUSSELS, PERSON, digits

pytestmark = pytest.mark.django_db

SYSTEM = system_actor("test")


def run(path, **options):
    return kbo_import(path, actor=SYSTEM, after_switch=register_sync_companies, **options)


def state():
    """Everything the register holds, comparable."""
    return (
        sorted(KboEnterprise.objects.values_list("enterprise_number", "status", "juridical_form", "start_date")),
        sorted(
            KboDenomination.objects.values_list("entity_number", "language", "type_of_denomination", "denomination")
        ),
        sorted(KboAddress.objects.values_list("entity_number", "type_of_address", "zipcode", "province", "region")),
        sorted(KboActivity.objects.values_list("entity_number", "nace_version", "nace_code", "classification")),
    )


def test_a_full_extract_gives_names_seats_legal_form_activities_and_official_labels(tmp_path):
    result = run(extract.write_full(tmp_path))
    assert result.applied
    assert result.counts["enterprise"] == {"rows": 3}
    assert result.counts["activity"] == {"rows": 7}
    bakery = register_enterprise(digits(BAKERY))
    assert bakery.name == "Bakkerij Peeters"
    assert (bakery.juridical_form, bakery.juridical_form_label, bakery.legal_form) == (
        "610",
        "Besloten vennootschap",
        "bv",
    )
    assert str(bakery.start_date) == "2012-03-01"
    assert (bakery.status, bakery.status_label) == ("AC", "Actief")
    assert (bakery.seat.postal_code, bakery.seat.municipality, bakery.seat.province, bakery.seat.region) == (
        "2000",
        "Antwerpen",
        "antwerpen",
        "vlaanderen",
    )
    main = bakery.main_activity("2008")
    assert (main.code, main.label_nl, main.label_fr) == (
        "10711",
        "Ambachtelijke vervaardiging van brood en van vers banketbakkerswerk",
        "Boulangerie",
    )
    assert bakery.main_activity("2025").label_nl == "Ambachtelijke vervaardiging van brood (2025)"
    assert [(a.code, a.classification) for a in bakery.activities if a.version == "2008"] == [
        ("10711", "MAIN"),
        ("47240", "SECO"),
    ]
    [(number, shop)] = bakery.establishments
    assert (number, shop.postal_code, shop.province) == (digits(BAKERY_SHOP), "9000", "oost-vlaanderen")
    # A sole trader is an eenmanszaak; a French-only name is the name.
    assert register_enterprise(digits(PERSON)).legal_form == "eenmanszaak"
    brussels = register_enterprise(digits(BRUSSELS))
    assert (brussels.name, brussels.legal_form, brussels.seat.region) == ("Logiciel Bruxellois", "nv", "brussel")
    # The code table gives NaceCode its official labels, at every level.
    assert NaceCode.objects.get(version="2008", code="62").label_nl.startswith("Computerprogrammering")
    assert NaceCode.objects.get(version="2025", code="62100").label_fr == "Programmation informatique"
    assert KboExtract.objects.get().number == 140
    assert AuditEvent.objects.filter(action="import", reason__contains="KBO-extract 140").count() == 1


def test_the_same_extract_twice_changes_nothing(tmp_path):
    path = extract.write_full(tmp_path)
    run(path)
    before = state()
    again = run(path)
    assert not again.applied
    assert state() == before
    forced = run(path, force=True)
    assert forced.applied and state() == before
    assert KboExtract.objects.count() == 1


def test_a_known_company_gets_its_master_data_from_the_register_audited(tmp_path):
    NaceCodeFactory(code="62010")
    company = CompanyFactory(
        enterprise_number=digits(BAKERY), name="Bakkerij P. (getypt)", postal_code="9000", municipality="Gent"
    )
    result = run(extract.write_full(tmp_path))
    assert result.companies_updated == 1
    company.refresh_from_db()
    assert (company.name, company.postal_code, company.province, company.legal_form, company.nace_code.code) == (
        "Bakkerij Peeters",
        "2000",
        "antwerpen",
        "bv",
        "10711",
    )
    event = AuditEvent.objects.get(data__enterprise_number=digits(BAKERY), reason__contains="ondernemingsregister")
    assert event.data["before"]["name"] == "Bakkerij P. (getypt)"
    assert event.data["after"]["nace_code"] == "10711"
    # A second import with the same data changes and audits nothing more.
    assert run(extract.write_full(tmp_path, number=141)).companies_updated == 0


def test_a_monthly_update_deletes_and_inserts_per_entity_and_twice_is_the_same(tmp_path):
    run(extract.write_full(tmp_path))
    company = CompanyFactory(
        enterprise_number=digits(BAKERY), name="Bakkerij Peeters", nace_code=NaceCodeFactory(code="10711")
    )
    new = extract.enterprise(7777777)
    update = extract.write_update(
        tmp_path,
        number=141,
        deletes={
            "enterprise": [BRUSSELS],
            "denomination": [BAKERY, BRUSSELS],
            "address": [BRUSSELS],
            "activity": [BRUSSELS],
        },
        inserts={
            "enterprise": [[new, "AC", "000", "2", "014", "", "01-12-2026"]],
            "denomination": [[BAKERY, "2", "001", "Bakkerij Peeters & Zonen"], [new, "2", "001", "Nieuw NV"]],
            "address": [[new, "REGO", "", "", "8500", "Kortrijk", "Courtrai", "Markt", "Marché", "3", "", "", ""]],
            "activity": [[new, "001", "2008", "62010", "MAIN"]],
        },
    )
    result = run(update)
    assert result.counts["enterprise"] == {"deleted": 1, "inserted": 1}
    assert register_enterprise(digits(BRUSSELS)) is None
    assert not KboDenomination.objects.filter(entity_number=digits(BRUSSELS)).exists()
    assert register_enterprise(digits(BAKERY)).name == "Bakkerij Peeters & Zonen"
    # The bakery's other rows are untouched.
    assert register_enterprise(digits(BAKERY)).main_activity().code == "10711"
    assert register_enterprise(digits(new)).seat.province == "west-vlaanderen"
    company.refresh_from_db()
    assert company.name == "Bakkerij Peeters & Zonen"
    after = state()
    assert run(update, force=True).applied
    assert state() == after


def test_an_interrupted_update_applies_nothing(tmp_path):
    run(extract.write_full(tmp_path))
    before = state()
    bad = extract.write_update(
        tmp_path,
        number=141,
        deletes={"enterprise": [BRUSSELS], "denomination": [BAKERY]},
        inserts={
            "denomination": [[BAKERY, "2", "001", "Nieuwe naam"]],
            # The last file of the update has a bad row: the deletes and inserts staged before it are not applied.
            "activity": [[BAKERY, "001", "2008", "10711", "MAIN"], [BAKERY, "001", "2008", "10711", "HOOFD"]],
        },
    )
    with pytest.raises(KboImportError) as error:
        run(bad)
    assert (error.value.file, error.value.line, error.value.column) == ("activity_insert.csv", 3, "Classification")
    assert "HOOFD" in str(error.value)
    assert state() == before
    assert KboExtract.objects.count() == 1


def _bad_full(tmp_path, file, row_index, column, value):
    rows = extract.full_rows()
    position = extract.HEADERS[file].index(column)
    rows[file][row_index][position] = value
    return extract.write_full(tmp_path, number=150, rows=rows)


@pytest.mark.parametrize(
    ("file", "row_index", "column", "value", "words"),
    [
        ("enterprise", 1, "EnterpriseNumber", "1234.567.890", "ondernemingsnummer"),
        ("enterprise", 2, "StartDate", "31-02-1999", "geen datum"),
        ("denomination", 0, "EntityNumber", "0403170701", "ondernemingsnummer"),
        ("enterprise", 0, "JuridicalForm", "999", "codetabel"),
        ("activity", 4, "NaceCode", "99999", "Nace2008"),
        ("establishment", 0, "EstablishmentNumber", "2.000.000.001", "vestigingseenheidsnummer"),
        ("denomination", 3, "Denomination", "x" * 321, "hoogstens 320"),
        ("activity", 0, "NaceVersion", "2030", "NACE-versie"),
    ],
)
def test_a_bad_row_stops_the_import_naming_file_line_and_column(tmp_path, file, row_index, column, value, words):
    run(extract.write_full(tmp_path))
    before = state()
    with pytest.raises(KboImportError) as error:
        run(_bad_full(tmp_path, file, row_index, column, value))
    assert (error.value.file, error.value.line, error.value.column) == (f"{file}.csv", row_index + 2, column)
    assert words in str(error.value)
    assert f"{file}.csv, regel {row_index + 2}, kolom {column}" in str(error.value)
    assert state() == before


def test_skip_invalid_leaves_the_bad_row_out_lists_it_and_goes_on(tmp_path):
    result = run(_bad_full(tmp_path, "enterprise", 1, "StartDate", "2019-09-15"), skip_invalid=True)
    assert result.applied and result.skipped_count == 1
    assert result.skipped == ["enterprise.csv, regel 3, kolom StartDate: '2019-09-15' is geen datum (dd-mm-jjjj)."]
    assert KboEnterprise.objects.count() == 2
    assert KboExtract.objects.get().skipped == result.skipped


def test_a_zip_without_the_expected_files_is_refused(tmp_path):
    with pytest.raises(KboImportError) as error:
        run(extract.write_full(tmp_path, omit=("activity", "branch")))
    assert "activity.csv, branch.csv" in str(error.value)
    assert not KboEnterprise.objects.exists()


def test_a_changed_header_is_refused(tmp_path):
    headers = {"address": [*extract.HEADERS["address"][:4], "PostalCode", *extract.HEADERS["address"][5:]]}
    with pytest.raises(KboImportError) as error:
        run(extract.write_full(tmp_path, headers=headers))
    assert (error.value.file, error.value.line) == ("address.csv", 1)
    assert "PostalCode" in str(error.value)
    assert not KboEnterprise.objects.exists()


def test_not_a_zip_and_not_a_kbo_extract_are_refused(tmp_path):
    text = tmp_path / "KboOpenData_0001_2026_11_Full.zip"
    text.write_text("not a zip")
    with pytest.raises(KboImportError, match="zipbestand"):
        run(text)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(KboImportError, match="meta.csv"):
        run(other)


def test_only_the_system_and_administrators_import(tmp_path):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        kbo_import(extract.write_full(tmp_path), actor=actor("case_handler"))
    assert not KboEnterprise.objects.exists()


def test_the_command_imports_and_reports_refusals_in_one_line(tmp_path, capsys):
    call_command("kbo", "import", str(extract.write_full(tmp_path)), "--quiet")
    out = capsys.readouterr().out
    assert "Extract 140 (full, 01-11-2026) ingelezen" in out
    call_command("kbo", "import", str(extract.write_full(tmp_path)), "--quiet")
    assert "al toegepast" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"enterprise.csv, regel 2, kolom StartDate"):
        call_command("kbo", "import", str(_bad_full(tmp_path, "enterprise", 0, "StartDate", "x")), "--quiet")
    call_command("kbo", "show", BAKERY)
    out = capsys.readouterr().out
    assert "Bakkerij Peeters" in out and "10.711" in out


def test_a_company_from_the_register_needs_no_typing_and_brings_its_filed_accounts(tmp_path):
    from cstraject.register.annual_accounts import annual_accounts_import
    from cstraject.register.services import company_from_register

    run(extract.write_full(tmp_path))
    accounts = tmp_path / "jaarrekeningen.csv"
    accounts.write_text(
        f"EnterpriseNumber,Year,Scheme,9087,70,20/58,10/15\n{BAKERY},2024,verkort,6.0,,800000.00,120000.00\n",
        encoding="utf-8",
    )
    annual_accounts_import(accounts, actor=SYSTEM)
    company = company_from_register(actor=SYSTEM, enterprise_number=digits(BAKERY))
    assert (company.name, company.legal_form, company.nace_code.code, company.postal_code, company.region) == (
        "Bakkerij Peeters",
        "bv",
        "10711",
        "2000",
        "vlaanderen",
    )
    assert company.annual_accounts.get().balance_sheet_total == 800000
    assert company_from_register(actor=SYSTEM, enterprise_number=digits(BAKERY)) == company
    # Not in the register: the caller asks the data.
    assert company_from_register(actor=SYSTEM, enterprise_number=extract.digits(extract.enterprise(42))) is None


def test_a_full_import_keeps_every_index_as_the_migrations_made_it(tmp_path):
    from django.db import connection

    from cstraject.register.kbo import FILES, _secondary_indexes

    def indexes():
        with connection.cursor() as cursor:
            return {spec.table: sorted(_secondary_indexes(cursor, spec.table)) for spec in FILES}

    before = indexes()
    assert before["register_kboactivity"], "entity_number is indexed"
    run(extract.write_full(tmp_path))
    assert indexes() == before


def test_a_second_import_at_the_same_time_is_refused(tmp_path):
    from django.db import connection

    from cstraject.register.kbo import _ImportLock

    held = _ImportLock() if connection.vendor == "sqlite" else None
    other = None
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        other = psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
        )
        other.execute("SELECT pg_advisory_lock(%s)", [_ImportLock.KEY])
    try:
        with pytest.raises(KboImportError, match="er loopt al een KBO-import"):
            run(extract.write_full(tmp_path))
    finally:
        if held is not None:
            held.release()
        if other is not None:
            other.close()
    assert not KboEnterprise.objects.exists()
    assert run(extract.write_full(tmp_path)).applied
