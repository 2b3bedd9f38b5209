from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.actors import Actor
from cstraject.accounts.models import Role
from cstraject.impact.services import final_report_cosign, final_report_submit
from tests.factories import DossierFactory


@pytest.fixture
def dossier(db):
    return DossierFactory(status="in_progress", started_date=date(2021, 4, 1))


def provider_actor(dossier):
    return Actor(label="p", role=Role.PROVIDER, provider_id=dossier.provider_id)


def sme_actor(dossier):
    return Actor(label="k", role=Role.SME_CONTACT, company_id=dossier.company_id)


def test_provider_signs_and_sme_cosigns(dossier):
    report = final_report_submit(actor=provider_actor(dossier), dossier=dossier, improvements="MFA", signatory="An")
    assert report.provider_signed_at and not report.is_cosigned
    report = final_report_cosign(
        actor=sme_actor(dossier), dossier=dossier, signatory="Bart", satisfaction=5, feedback="Top"
    )
    assert report.is_cosigned and report.satisfaction == 5


def test_rules(dossier):
    with pytest.raises(ValidationError):
        final_report_cosign(
            actor=sme_actor(dossier), dossier=dossier, signatory="Bart", satisfaction=5
        )  # nothing to co-sign
    with pytest.raises(PermissionDenied):
        final_report_submit(
            actor=Actor(label="x", role=Role.PROVIDER, provider_id=dossier.provider_id + 999),
            dossier=dossier,
            improvements="x",
            signatory="x",
        )
    with pytest.raises(PermissionDenied):
        final_report_submit(actor=sme_actor(dossier), dossier=dossier, improvements="x", signatory="x")
    with pytest.raises(ValidationError) as error:
        final_report_submit(actor=provider_actor(dossier), dossier=dossier, improvements=" ", signatory="")
    assert set(error.value.message_dict) == {"improvements", "signatory"}
    final_report_submit(actor=provider_actor(dossier), dossier=dossier, improvements="MFA", signatory="An")
    with pytest.raises(ValidationError) as error:
        final_report_cosign(actor=sme_actor(dossier), dossier=dossier, signatory="Bart", satisfaction=0)
    assert "satisfaction" in error.value.message_dict


def test_not_before_approval(db):
    dossier = DossierFactory(status="submitted", decided_date=None)
    with pytest.raises(ValidationError):
        final_report_submit(actor=provider_actor(dossier), dossier=dossier, improvements="MFA", signatory="An")
