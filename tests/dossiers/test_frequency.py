"""The frequency rule in the order a case handler happens to work: a pending invalid application
must not cost the SME its valid one, whichever is decided first."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cstraject.accounts.models import Role
from cstraject.dossiers.models import DossierStatus, EligibilityResult
from cstraject.dossiers.services import dossier_approve, dossier_reject
from tests.factories import (
    ALL_DECLARATIONS,
    Call2023Factory,
    DossierFactory,
    actor,
    eligible_company,
    offering_provider,
)

DECIDED = date(2023, 6, 1)


@pytest.fixture
def two_applications(db):
    call = Call2023Factory()
    provider = offering_provider(call)
    company = eligible_company(accounts_years=(2021, 2022))

    def application(quote: str, submitted: date):
        return DossierFactory(
            call=call,
            provider=provider,
            company=company,
            status=DossierStatus.SUBMITTED,
            package_mix="plus",
            quote_excl_vat=Decimal(quote),
            declarations=ALL_DECLARATIONS,
            submitted_date=submitted,
            decided_date=None,
        )

    invalid = application("40000.00", date(2023, 5, 2))  # above the call's maximum of 35,000
    valid = application("20000.00", date(2023, 5, 3))
    return invalid, valid


def _frequency(dossier):
    return EligibilityResult.objects.filter(dossier=dossier, criterion="frequency").latest("checked_at", "id")


def test_valid_one_decided_first_needs_a_motivation_naming_the_pending_one(two_applications):
    invalid, valid = two_applications
    handler = actor(Role.CASE_HANDLER)
    with pytest.raises(ValidationError) as error:
        dossier_approve(actor=handler, dossier=valid, on_date=DECIDED)
    assert invalid.reference in str(error.value.message_dict["reason"])
    dossier_approve(actor=handler, dossier=valid, on_date=DECIDED, reason="Andere aanvraag valt buiten de grenzen.")
    assert _frequency(valid).outcome == "review" and "per onderneming" in _frequency(valid).reason

    with pytest.raises(ValidationError) as error:
        dossier_approve(actor=handler, dossier=invalid, on_date=DECIDED, reason="poging")
    refused = " ".join(error.value.message_dict["eligibility"])
    assert "offertebedrag binnen de grenzen" in refused and "eerdere steun (frequentie)" in refused
    assert valid.reference in refused and "quote_range" not in refused
    dossier_reject(actor=handler, dossier=invalid, on_date=DECIDED, reason="Offerte boven het maximum.")

    invalid.refresh_from_db()
    valid.refresh_from_db()
    assert (valid.status, invalid.status) == (DossierStatus.APPROVED, DossierStatus.REJECTED)


def test_invalid_one_decided_first_leaves_the_valid_one_a_clean_pass(two_applications):
    invalid, valid = two_applications
    handler = actor(Role.CASE_HANDLER)
    dossier_reject(actor=handler, dossier=invalid, on_date=DECIDED, reason="Offerte boven het maximum.")
    dossier_approve(actor=handler, dossier=valid, on_date=DECIDED)
    assert _frequency(valid).outcome == "pass"
    valid.refresh_from_db()
    assert valid.status == DossierStatus.APPROVED
