"""Writes on users and their role (Profile)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from cstraject.companies.models import Company
from cstraject.core.enterprise_number import normalize_enterprise_number
from cstraject.providers.models import ServiceProvider

from .models import Profile, Role


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    provider_code: str | None = None,
    company_number: str | None = None,
    email: str = "",
    password: str | None = None,
):
    """A user with one role; providers belong to a provider, SME contacts to a company."""
    User = get_user_model()
    username = (username or "").strip()
    errors: dict[str, str | list[str]] = {}
    if not username:
        errors["username"] = "Gebruikersnaam is verplicht."
    elif User.objects.filter(username=username).exists():
        errors["username"] = f"Gebruiker '{username}' bestaat al."
    if role not in Role.values:
        errors["role"] = f"Rol '{role}' is onbekend; kies uit {', '.join(Role.values)}."
    provider = company = None
    if provider_code:
        provider = ServiceProvider.objects.filter(code=provider_code).first()
        if provider is None:
            errors["provider"] = f"Dienstverlener '{provider_code}' is onbekend."
    if company_number:
        try:
            company = Company.objects.filter(
                enterprise_number=normalize_enterprise_number(company_number, field="company")
            ).first()
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if company is None:
                errors["company"] = f"Onderneming '{company_number}' is onbekend."
    if role == Role.PROVIDER and not provider_code:
        errors["provider"] = "Een gebruiker met rol dienstverlener hoort bij een dienstverlener: geef --provider CODE."
    if role == Role.SME_CONTACT and not company_number:
        errors["company"] = "Een contactpersoon van een kmo hoort bij een onderneming: geef --company NUMMER."
    if provider_code and role != Role.PROVIDER:
        errors["provider"] = "Enkel een dienstverlener hoort bij een dienstverlener."
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(username=username, email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Profile.objects.create(user=user, role=role, provider=provider, company=company)
    return user
