import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.actors import actor_for_user, actor_for_username
from cstraject.accounts.models import Role
from cstraject.accounts.services import user_create
from tests.factories import CompanyFactory, ServiceProviderFactory, UserFactory


def test_user_create_ties_roles_to_their_organisation(db):
    provider = ServiceProviderFactory(code="A")
    company = CompanyFactory()
    anna = user_create(username="anna", role=Role.PROVIDER, provider_code="A")
    kim = user_create(username="kim", role=Role.SME_CONTACT, company_number=company.enterprise_number)
    assert actor_for_username("anna").provider_id == provider.pk
    assert actor_for_user(kim).company_id == company.pk and not anna.has_usable_password()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(role=Role.PROVIDER), "provider"),
        (dict(role=Role.SME_CONTACT), "company"),
        (dict(role=Role.CASE_HANDLER, provider_code="A"), "provider"),
        (dict(role="baas"), "role"),
        (dict(role=Role.SME_CONTACT, company_number="0403.170.702"), "company"),
    ],
)
def test_user_create_refuses_inconsistent_roles(db, kwargs, field):
    ServiceProviderFactory(code="A")
    with pytest.raises(ValidationError) as error:
        user_create(username="x", **kwargs)
    assert field in error.value.message_dict


def test_user_without_profile_has_no_role(db):
    with pytest.raises(PermissionDenied, match="geen rol"):
        actor_for_user(UserFactory(username="zonder"))
    assert actor_for_user(UserFactory(username="root", is_superuser=True)).role == Role.ADMIN
