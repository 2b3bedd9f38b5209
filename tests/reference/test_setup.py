"""`cstraject setup`: the configuration alone, idempotent, enough for a first application."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cstraject.accounts.models import Role
from cstraject.calls.models import Call, Package
from cstraject.companies.models import NaceCode
from cstraject.dossiers.intake import dossier_intake
from cstraject.dossiers.models import Dossier
from cstraject.providers.models import ServiceProvider
from cstraject.reference.loader import DATA
from tests.factories import actor

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "aanvraag.json"


def counts():
    return (
        NaceCode.objects.count(),
        Call.objects.count(),
        Package.objects.count(),
        ServiceProvider.objects.count(),
        ServiceProvider.packages.through.objects.count(),
        Dossier.objects.count(),
    )


@pytest.mark.django_db
def test_setup_loads_the_configuration_without_dossiers_and_twice_changes_nothing():
    out = StringIO()
    call_command("setup", "--no-migrate", stdout=out)
    first = counts()
    nace, calls, packages, providers, offers, dossiers = first
    assert (calls, packages, providers, dossiers) == (2, 6, 9, 0)
    assert nace == len(list(csv.DictReader((DATA / "nace_bel_2008.csv").open(encoding="utf-8"))))
    assert offers == 9 * 3 + 8 * 3
    assert "Geen dossiers" in out.getvalue()
    call_command("setup", "--no-migrate", stdout=StringIO())
    assert counts() == first
    assert Call.objects.get(code="CS-2023").frequency_scope == "enterprise"


@pytest.mark.django_db
def test_after_setup_a_provider_can_file_the_documented_example():
    call_command("setup", "--no-migrate", stdout=StringIO())
    provider = ServiceProvider.objects.get(code="A")
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    dossier = dossier_intake(actor=actor(Role.PROVIDER, provider=provider), data=data)
    assert (dossier.reference, str(dossier.subsidy_amount)) == ("CS-2023-0001", "12009.25")
