"""Screening and controls through the CLI, on the reference data: the same services, --json for scripts."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.accounts.models import Role
from cstraject.controls.models import Control, ControlSelection
from cstraject.providers.models import ServiceProvider
from tests.factories import user_with_role


def cli(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def cli_json(*args):
    return json.loads(cli(*args, "--json"))


@pytest.fixture
def screened(reference_db):
    user_with_role("carla", Role.CONTROLLER)
    user_with_role("piet", Role.PROVIDER, provider=ServiceProvider.objects.get(code="A"))
    return cli_json("screening", "run", "--as", "carla")


def test_screening_run_queue_and_flags(screened):
    assert screened["dossiers"] == 72 and screened["hits"] > 0
    queue = cli_json("screening", "queue", "--as", "carla", "--limit", "3")
    assert 1 <= len(queue) <= 3 and queue[0]["score"] >= queue[-1]["score"]
    flags = cli_json("screening", "flags", queue[0]["dossier"], "--as", "carla")
    assert flags["flags"] and all(f["explanation"] for f in flags["flags"])
    registry = cli_json("screening", "indicators")
    assert len(registry) >= 20


def test_select_plan_record_list(screened):
    selection = cli_json("controls", "select", "--as", "carla", "--risk", "2", "--random", "3", "--seed", "11")
    assert selection["seed"] == 11 and len(selection["dossiers"]) == 5
    again = cli_json("controls", "select", "--as", "carla", "--risk", "2", "--random", "3", "--seed", "11")
    assert [d["dossier"] for d in again["dossiers"]] == [d["dossier"] for d in selection["dossiers"]]
    planned = cli_json(
        "controls",
        "plan",
        "--selection",
        str(selection["selection"]),
        "--kind",
        "visit",
        "--date",
        "2026-12-01",
        "--scope",
        "Bezoek ter plaatse.",
        "--as",
        "carla",
    )
    assert len(planned) == 5 and {p["trigger"] for p in planned} == {"risk", "random"}
    done = cli_json(
        "controls",
        "record",
        "--dossier",
        "CS-2021-0001",
        "--kind",
        "ex_post_audit",
        "--trigger",
        "signal",
        "--outcome",
        "irregularity",
        "--date",
        "2022-03-01",
        "--scope",
        "Klacht.",
        "--finding",
        "price_inflated|1000.00|Mensdagen opgedreven.",
        "--as",
        "carla",
    )
    assert done["findings"][0]["recovery"] is not None and done["findings"][0]["financial_effect"] == "1000.00"
    listed = cli_json("controls", "list", "--dossier", "CS-2021-0001", "--as", "carla")
    assert done["id"] in [c["id"] for c in listed]


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ("--dossier", "CS-9999-0001", "--kind", "visit", "--trigger", "risk", "--scope", "x"),
            "dossier: Dossier CS-9999-0001 bestaat niet",
        ),
        (
            (
                "--dossier",
                "CS-2021-0001",
                "--kind",
                "visit",
                "--trigger",
                "risk",
                "--scope",
                "x",
                "--finding",
                "|10.00|x",
            ),
            "findings[0].category",
        ),
        (
            (
                "--dossier",
                "CS-2021-0001",
                "--kind",
                "visit",
                "--trigger",
                "risk",
                "--scope",
                "x",
                "--finding",
                "other|99999.00|x",
            ),
            "findings[0].financial_effect",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_field(screened, args, words):
    before = Control.objects.count()
    with pytest.raises(CommandError) as error:
        cli("controls", "record", "--outcome", "irregularity", "--date", "2022-03-01", *args, "--as", "carla")
    assert words in str(error.value) and "\n" not in str(error.value)
    assert Control.objects.count() == before


def test_providers_may_not_screen_or_select(screened):
    with pytest.raises(CommandError, match="Rol 'Dienstverlener' mag dit niet"):
        cli("screening", "run", "--as", "piet")
    with pytest.raises(CommandError, match="Rol 'Dienstverlener' mag dit niet"):
        cli("controls", "select", "--as", "piet")
    assert not ControlSelection.objects.exists()
