"""cstraject impact: themes, planned themes, the final report from JSON, follow-ups."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.accounts.models import Role
from cstraject.impact.models import FollowUp, PlannedTheme
from cstraject.impact.services import final_report_cosign
from tests.factories import DossierFactory, ServiceProviderFactory, user_with_role

from .helpers import sme_actor, valid_report, with_framework


def cli(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def dossier(db):
    dossier = DossierFactory(reference="CS-2023-0007", status="in_progress", started_date=date(2022, 1, 10))
    with_framework(dossier.call)
    user_with_role("anna", Role.PROVIDER, provider=dossier.provider)
    user_with_role("bert", Role.CASE_HANDLER)
    user_with_role("other", Role.PROVIDER, provider=ServiceProviderFactory())
    return dossier


def test_themes_lists_the_framework(dossier):
    out = cli("impact", "themes", "--version", "CYFUN-2025")
    assert "CYFUN-2025" in out and "PR.AA" in out and "RC.RP" in out
    with pytest.raises(CommandError, match="bestaat niet"):
        cli("impact", "themes", "--version", "CYFUN-1900")


def test_plan_report_show_and_follow_up(dossier, tmp_path):
    out = cli("impact", "plan", "CS-2023-0007", "--as", "anna", "--theme", "PR.AA=8:BASIS", "--theme", "ID.AM=4")
    assert "PR.AA 8,0 mensdagen (hoofdthema)" in out
    assert PlannedTheme.objects.filter(dossier=dossier).count() == 2
    with pytest.raises(CommandError, match=r"themes\[0\]\.theme: .*XX\.YY"):
        cli("impact", "plan", "CS-2023-0007", "--as", "anna", "--theme", "XX.YY=1")
    with pytest.raises(CommandError, match="bestaat niet"):
        cli("impact", "plan", "CS-2023-0007", "--as", "other", "--theme", "PR.AA=1")

    spec = valid_report()
    spec["points"][0]["maturity_after"] = "6"
    path = tmp_path / "eindverslag.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(CommandError, match=r"points\[0\]\.maturity_after: .*1 tot 5"):
        cli("impact", "report", "CS-2023-0007", "--as", "anna", "--file", str(path))
    spec["points"][0]["maturity_after"] = "4"
    path.write_text(json.dumps(spec), encoding="utf-8")
    assert "2 verbeterpunten" in cli("impact", "report", "CS-2023-0007", "--as", "anna", "--file", str(path))
    shown = json.loads(cli("impact", "show", "CS-2023-0007", "--as", "bert", "--json"))
    assert shown["final_report"]["points"][0]["theme__code"] == "PR.AA"

    final_report_cosign(
        actor=sme_actor(dossier),
        dossier=dossier,
        signatory="B",
        satisfaction=4,
        would_recommend=True,
        changed_practice=False,
    )
    dossier.status, dossier.finished_date = "finished", date(2022, 6, 30)
    dossier.save()
    assert "0 opvolgingsbevragingen" in cli("impact", "followups-send", "--as", "bert", "--date", "2023-06-29")
    out = cli("impact", "followups-send", "--as", "bert", "--date", "2023-06-30")
    assert "1 opvolgingsbevragingen" in out and "CS-2023-0007 tot 29-08-2023" in out
    assert FollowUp.objects.count() == 1
    with pytest.raises(CommandError, match="mag dit niet"):
        cli("impact", "followups-send", "--as", "anna")
