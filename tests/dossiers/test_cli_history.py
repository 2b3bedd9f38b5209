"""History through the CLI: every date a statistic uses can be given (drafts, submissions, withdrawals,
stops in three years), and payment requests are addressed by dossier and quarter."""

from datetime import date

import pytest
from django.core.management.base import CommandError

from cstraject.dossiers.models import Dossier
from cstraject.reporting.statistics import question_tables
from tests.dossiers.test_cli import EXAMPLE, cli, cli_json, scheme  # noqa: F401
from tests.reporting.tables import by_key, figures

pytestmark = pytest.mark.usefixtures("scheme")


def new(on_date: str) -> str:
    return cli_json("dossiers", "new", "--file", str(EXAMPLE), "--as", "anna", "--date", on_date)["reference"]


def test_drafts_and_withdrawals_in_three_years_count_in_their_own_year():
    draft_2023 = new("2023-05-02")
    withdrawn_2024 = new("2024-01-10")
    cli("dossiers", "submit", withdrawn_2024, "--as", "anna", "--date", "2024-02-01")
    cli("dossiers", "withdraw", withdrawn_2024, "--as", "anna", "--date", "2024-03-01")
    draft_2025 = new("2025-11-30")

    shown = cli_json("dossiers", "show", withdrawn_2024, "--as", "bert")
    assert (shown["created_date"], shown["submitted_date"], shown["withdrawn_date"]) == (
        "2024-01-10",
        "2024-02-01",
        "2024-03-01",
    )
    assert cli_json("dossiers", "show", draft_2023, "--as", "bert")["created_date"] == "2023-05-02"
    assert Dossier.objects.get(reference=draft_2025).created_at.year == 2025

    rows = figures(by_key(question_tables(year_from=2023, year_to=2025), "1g_niet_afgewerkt_provincie"))
    per_year = {
        (year, stand): sum(v[(year, "aantal")] for k, v in rows.items() if k.endswith("," + stand))
        for year in ("2023", "2024", "2025")
        for stand in ("niet ingediend", "ingetrokken")
    }
    assert per_year == {
        ("2023", "niet ingediend"): 1,
        ("2023", "ingetrokken"): 0,
        ("2024", "niet ingediend"): 0,
        ("2024", "ingetrokken"): 1,
        ("2025", "niet ingediend"): 1,
        ("2025", "ingetrokken"): 0,
    }


def test_new_refuses_a_date_in_the_future_or_before_the_call():
    with pytest.raises(CommandError, match="on_date: .*toekomst"):
        new(date(date.today().year + 1, 1, 1).isoformat())
    with pytest.raises(CommandError, match="on_date: Oproep CS-2023 opende pas"):
        new("2022-12-31")
    assert not Dossier.objects.exists()


def test_stop_date_is_on_the_dossier_and_payments_approve_by_reference_and_quarter():
    ref = new("2024-01-15")
    cli("dossiers", "submit", ref, "--as", "anna", "--date", "2024-02-01")
    cli("dossiers", "approve", ref, "--as", "bert", "--date", "2024-02-20")
    cli("dossiers", "start", ref, "--as", "anna", "--date", "2024-03-01")
    cli("statements", "add", ref, "--as", "anna", "--quarter", "2024Q2", "--man-days", "10", "--amount", "11910.00")
    cli("payments", "request", ref, "--as", "anna", "--quarter", "2024Q2", "--date", "2024-07-03")

    with pytest.raises(CommandError, match="--quarter"):
        cli("payments", "approve", ref, "--as", "bert")
    with pytest.raises(CommandError, match="geen openstaande betalingsaanvraag voor 2024Q1"):
        cli("payments", "approve", ref, "--quarter", "2024Q1", "--as", "bert")
    paid = cli_json("payments", "approve", ref, "--quarter", "2024Q2", "--as", "bert", "--date", "2024-07-15")
    assert (paid["dossier"], paid["tranche"], paid["amount"], paid["status"]) == (ref, 1, "7205.55", "approved")

    with pytest.raises(CommandError, match="vóór 'gestart op'"):
        cli("dossiers", "stop", ref, "--as", "bert", "--reason", "De kmo stopt.", "--date", "2024-02-25")
    cli("dossiers", "stop", ref, "--as", "bert", "--reason", "De kmo stopt.", "--date", "2024-08-01")
    shown = cli_json("dossiers", "show", ref, "--as", "bert")
    assert shown["stopped_date"] == "2024-08-01"
    # 11,910.00 of 19,850.00 delivered (60 %), tranche 1 paid: the settlement balances to zero.
    assert shown["settlement"]["balance"] == "0.00" and shown["settlement"]["due"] == "7205.55"
