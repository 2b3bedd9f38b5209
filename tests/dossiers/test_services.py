from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cstraject.accounts.actors import system_actor
from cstraject.audit.models import AuditEvent
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.services import dossier_import
from tests.factories import CallFactory, CompanyFactory, ServiceProviderFactory


@pytest.fixture
def parties(db):
    return dict(call=CallFactory(), provider=ServiceProviderFactory(), company=CompanyFactory())


def imported(parties, **overrides):
    values = dict(
        actor=system_actor(),
        reference="CS-2021-9001",
        quote_lines=[{"package": "BASIS", "amount_excl_vat": "25150.01", "man_days": "21"}],
        size_class="micro",
        status="approved",
        subsidy_amount="13694.18",
        submitted_date=date(2021, 3, 1),
        decided_date=date(2021, 3, 15),
        **parties,
    )
    values.update(overrides)
    return dossier_import(**values)


def test_import_computes_quote_and_snapshot(parties):
    dossier = imported(parties)
    assert (dossier.quote_excl_vat, dossier.subsidy_amount, dossier.package_mix) == (
        dossier.quote_excl_vat.__class__("25150.01"),
        dossier.subsidy_amount.__class__("13694.18"),
        "basis",
    )
    assert dossier.province == parties["company"].province
    assert AuditEvent.objects.filter(dossier=dossier, action="import").count() == 1


def test_extension_mix(parties):
    dossier = imported(
        parties,
        quote_lines=[
            {"package": "UITBREIDING", "amount_excl_vat": "6000", "man_days": "5"},
            {"package": "LIGHT", "amount_excl_vat": "18000", "man_days": "14"},
        ],
        subsidy_amount=None,
    )
    assert dossier.package_mix == "light+uitbreiding"
    assert str(dossier.subsidy_amount) == "13068.00"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"subsidy_amount": "13694.19"}, "subsidy_amount"),
        (
            {"quote_lines": [{"package": "BASIS", "amount_excl_vat": "-1", "man_days": "2"}]},
            "quote_lines[0].amount_excl_vat",
        ),
        (
            {"quote_lines": [{"package": "BASIS", "amount_excl_vat": "veel", "man_days": "2"}]},
            "quote_lines[0].amount_excl_vat",
        ),
        ({"quote_lines": [{"package": "GOUD", "amount_excl_vat": "100", "man_days": "2"}]}, "quote_lines[0].package"),
        (
            {"quote_lines": [{"package": "BASIS", "amount_excl_vat": "100", "man_days": "-2"}]},
            "quote_lines[0].man_days",
        ),
        ({"quote_lines": []}, "quote_lines"),
        ({"size_class": "reus"}, "size_class"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(parties, overrides, field):
    with pytest.raises(ValidationError) as error:
        imported(parties, **overrides)
    assert field in error.value.message_dict
    assert Dossier.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_subsidy_mismatch_message_gives_the_figures(parties):
    with pytest.raises(ValidationError) as error:
        imported(parties, subsidy_amount="13694.19")
    message = error.value.message_dict["subsidy_amount"][0]
    assert "€ 13.694,19" in message and "€ 13.694,18" in message and "45 %" in message
