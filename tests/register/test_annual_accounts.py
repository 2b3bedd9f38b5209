"""`cstraject accounts import`: filed accounts in NBB rubric codes become the SME test's figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from cstraject.accounts.actors import system_actor
from cstraject.audit.models import AuditEvent
from cstraject.companies.models import AnnualAccounts
from cstraject.companies.sme import size_class_for, sme_status
from cstraject.register.annual_accounts import annual_accounts_import
from cstraject.register.kbo import KboImportError
from cstraject.register.models import FiledAccounts
from tests.factories import CompanyFactory, enterprise_number

pytestmark = pytest.mark.django_db

SYSTEM = system_actor("test")
HEADER = "EnterpriseNumber,Year,Scheme,9087,70,20/58,10/15\n"


def dotted(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def write(tmp_path, lines: list[str], name="jaarrekeningen.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_filed_accounts_become_the_known_companys_figures_and_drive_the_sme_test(tmp_path):
    company = CompanyFactory()
    other = enterprise_number(9001)
    path = write(
        tmp_path,
        [
            f"{dotted(company.enterprise_number)},2023,volledig,12.5,2500000.00,1800000.00,450000.00",
            f'{dotted(company.enterprise_number)},2024,VOL,14.0,"2600000,00",1900000.00,-1000.00',
            f"{other},2024,verkort,3.0,,150000.00,20000.00",
        ],
    )
    result = annual_accounts_import(path, actor=SYSTEM)
    assert (result.rows, result.companies_updated) == (3, 2)
    accounts = AnnualAccounts.objects.get(company=company, year=2024)
    assert (accounts.headcount, accounts.turnover, accounts.balance_sheet_total, accounts.equity, accounts.scheme) == (
        Decimal("14.0"),
        Decimal("2600000.00"),
        Decimal("1900000.00"),
        Decimal("-1000.00"),
        "volledig",
    )
    # An enterprise the scheme does not know yet: kept as filed, for when it applies.
    assert FiledAccounts.objects.get(enterprise_number=other).turnover is None
    status = sme_status(company=company, on_date=date(2025, 3, 1))
    assert (status.size_class, status.basis.year) == ("klein", 2024)
    events = AuditEvent.objects.filter(data__enterprise_number=company.enterprise_number)
    assert sorted(e.data["year"] for e in events) == [2023, 2024]
    # The same file again changes nothing and audits no correction.
    again = annual_accounts_import(path, actor=SYSTEM)
    assert again.companies_updated == 0
    assert FiledAccounts.objects.count() == 3


def test_an_abbreviated_scheme_without_turnover_is_sized_on_the_balance_sheet(tmp_path):
    company = CompanyFactory()
    number = dotted(company.enterprise_number)
    write_path = write(
        tmp_path,
        [f"{number},2023,verkort,8.0,,1500000.00,300000.00", f"{number},2024,micro,9.0,,1900000.00,310000.00"],
    )
    annual_accounts_import(write_path, actor=SYSTEM)
    status = sme_status(company=company, on_date=date(2025, 1, 15))
    assert status.size_class == "micro"
    assert status.basis.turnover is None
    assert "omzet niet neergelegd" in status.basis.explanation


@settings(max_examples=80, deadline=None)
@given(
    headcount=st.decimals(min_value=0, max_value=300, places=1),
    balance=st.decimals(min_value=0, max_value=60_000_000, places=2),
    turnover=st.decimals(min_value=0, max_value=60_000_000, places=2),
)
def test_an_unknown_turnover_never_gives_a_smaller_class_than_a_known_one(headcount, balance, turnover):
    """EU 2003/361: turnover OR balance sheet within the ceiling. Without a turnover the balance sheet decides,
    which is the class of the worst possible turnover: never smaller than with any real turnover."""
    order = ["micro", "klein", "middelgroot", "groot"]
    unknown = size_class_for(headcount=headcount, turnover=None, balance_sheet_total=balance)
    known = size_class_for(headcount=headcount, turnover=turnover, balance_sheet_total=balance)
    assert order.index(unknown) >= order.index(known)
    assert unknown == size_class_for(headcount=headcount, turnover=Decimal("1e12"), balance_sheet_total=balance)


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("0403.170.702,2024,volledig,1.0,1.00,1.00,1.00", "EnterpriseNumber", "ondernemingsnummer"),
        ("{n},24,volledig,1.0,1.00,1.00,1.00", "Year", "boekjaar"),
        ("{n},2024,groot,1.0,1.00,1.00,1.00", "Scheme", "schema"),
        ("{n},2024,volledig,1.25,1.00,1.00,1.00", "9087", "9087"),
        ("{n},2024,volledig,1.0,,1.00,1.00", "70", "verplicht"),
        ("{n},2024,volledig,1.0,1.00,-5.00,1.00", "20/58", "negatief"),
        ("{n},2024,volledig,1.0,1.00,1.00,veel", "10/15", "geen bedrag"),
    ],
)
def test_a_bad_line_stops_the_import_naming_line_and_column_and_nothing_is_written(tmp_path, line, column, words):
    company = CompanyFactory()
    good = f"{dotted(company.enterprise_number)},2023,volledig,1.0,1.00,1.00,1.00"
    path = write(tmp_path, [good, line.format(n=dotted(company.enterprise_number))])
    with pytest.raises(KboImportError) as error:
        annual_accounts_import(path, actor=SYSTEM)
    assert (error.value.file, error.value.line, error.value.column) == ("jaarrekeningen.csv", 3, column)
    assert words in str(error.value)
    assert not FiledAccounts.objects.exists()
    assert not AnnualAccounts.objects.exists()


def test_skip_invalid_imports_the_good_lines_and_lists_the_bad(tmp_path, capsys):
    company = CompanyFactory()
    number = dotted(company.enterprise_number)
    path = write(tmp_path, [f"{number},2023,volledig,1.0,1.00,1.00,1.00", f"{number},2023,volledig,2.0,1.00,1.00,1.00"])
    with pytest.raises(CommandError, match="regel 3, kolom Year"):
        call_command("accounts", "import", str(path))
    call_command("accounts", "import", str(path), "--skip-invalid")
    out = capsys.readouterr().out
    assert "1 jaarrekeningen ingelezen" in out and "regel 3, kolom Year" in out
    assert AnnualAccounts.objects.get(company=company).headcount == Decimal("1.0")


def test_a_changed_header_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("EnterpriseNumber,Year,Scheme,FTE,70,20/58,10/15\n", encoding="utf-8")
    with pytest.raises(KboImportError, match="kopregel"):
        annual_accounts_import(path, actor=SYSTEM)
