"""Shared set-up for the web tests: two providers, two companies, one user per role."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from cstraject.accounts.models import Role
from cstraject.providers.services import provider_offer_call
from tests.factories import (
    TEST_PASSWORD,
    AnnualAccountsFactory,
    CallFactory,
    CompanyFactory,
    DossierFactory,
    ServiceProviderFactory,
    UserFactory,
    pdf_bytes,
    user_with_role,
)

PASSWORD = TEST_PASSWORD
PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """An open call (2023 rules), providers A and B with their catalogue, two companies, a user per role."""
    call = CallFactory(
        code="CS-2023",
        name="Cybersecurity verbetertrajecten 2023",
        opens_date=date(2023, 1, 1),
        closes_date=None,
        subsidy_rate=Decimal("0.5000"),
    )
    provider_a = ServiceProviderFactory(code="A", name="Dienstverlener A")
    provider_b = ServiceProviderFactory(code="B", name="Dienstverlener B")
    provider_offer_call(provider=provider_a, call=call)
    provider_offer_call(provider=provider_b, call=call)
    company_a = CompanyFactory(name="Kmo Alfa BV", postal_code="9000", municipality="Gent")
    company_b = CompanyFactory(name="Kmo Beta BV", postal_code="2000", municipality="Antwerpen")
    for company in (company_a, company_b):
        for year in (2021, 2022, 2023, 2024, 2025):
            AnnualAccountsFactory(company=company, year=year)
    users = {
        "provider": user_with_role("prov_a", Role.PROVIDER, provider=provider_a),
        "provider_b": user_with_role("prov_b", Role.PROVIDER, provider=provider_b),
        "sme": user_with_role("sme_a", Role.SME_CONTACT, company=company_a),
        "sme_b": user_with_role("sme_b", Role.SME_CONTACT, company=company_b),
        "case_handler": user_with_role("handler", Role.CASE_HANDLER),
        "controller": user_with_role("controller", Role.CONTROLLER),
        "policy": user_with_role("policy", Role.POLICY),
    }
    admin = UserFactory(username="root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    users["admin"] = admin
    return {
        "call": call,
        "provider_a": provider_a,
        "provider_b": provider_b,
        "company_a": company_a,
        "company_b": company_b,
        "users": users,
    }


@pytest.fixture
def dossier_a(world):
    """A submitted dossier of provider A for company A."""
    return DossierFactory(
        reference="CS-2023-0901",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="submitted",
        package_mix="basis",
        decided_date=None,
        submitted_date=date(2025, 3, 1),
    )


@pytest.fixture
def dossier_b(world):
    """A submitted dossier of provider B for company B (the other tenant)."""
    return DossierFactory(
        reference="CS-2023-0902",
        call=world["call"],
        provider=world["provider_b"],
        company=world["company_b"],
        status="submitted",
        package_mix="basis",
        decided_date=None,
        submitted_date=date(2025, 3, 2),
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def actor(user):
    from cstraject.accounts.actors import actor_for_user

    return actor_for_user(user)


ALL_DECLARED = {
    "sme_status": True,
    "legal_form": True,
    "main_activity": True,
    "de_minimis": True,
    "no_negative_equity": True,
}


@pytest.fixture
def submitted(world):
    """A dossier filed through the services by provider A for company A, as the wizard does it."""
    from cstraject.dossiers.services import dossier_create_draft, dossier_submit

    provider_actor = actor(world["users"]["provider"])
    dossier = dossier_create_draft(
        actor=provider_actor,
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        quote_lines=[{"package": "BASIS", "amount_excl_vat": "30000", "man_days": "22"}],
        declarations=ALL_DECLARED,
    )
    return dossier_submit(actor=provider_actor, dossier=dossier)


@pytest.fixture
def running(world):
    """A dossier of provider A in progress since the start of the previous quarter, so a statement can be filed now."""
    from django.utils import timezone

    from cstraject.payments.quarters import quarter_of

    previous = quarter_of(timezone.localdate()).previous()
    return DossierFactory(
        reference="CS-2023-0950",
        call=world["call"],
        provider=world["provider_a"],
        company=world["company_a"],
        status="in_progress",
        submitted_date=previous.start.replace(day=1),
        decided_date=previous.start,
        started_date=previous.start,
    ), previous
