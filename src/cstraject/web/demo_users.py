"""Demo accounts, one per role, for the local demo (`cstraject demo`).

All use DEMO_PASSWORD. Idempotent: running it again resets the password and
the role of these accounts and changes nothing else. Needs the reference data
(provider "A" = Dienstverlener A, and its companies) loaded first.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from cstraject.accounts.models import Profile, Role
from cstraject.companies.models import Company
from cstraject.dossiers.models import Dossier
from cstraject.providers.models import ServiceProvider

DEMO_PASSWORD = "cyber-demo-2026"
DEMO_PROVIDER_CODE = "A"


def _demo_company(provider: ServiceProvider) -> Company:
    """A reference company that has a dossier with the demo provider, so both demo tenants meet."""
    dossier = Dossier.objects.filter(provider=provider).select_related("company").order_by("reference").first()
    if dossier is not None:
        return dossier.company
    company = Company.objects.order_by("enterprise_number").first()
    if company is None:
        raise RuntimeError(
            "Geen ondernemingen in de databank: laad eerst de referentiedata (cstraject load-reference)."
        )
    return company


@transaction.atomic
def create_demo_users() -> list[tuple[str, str, str, str]]:
    """Create or reset the demo accounts; returns (username, password, role, description) per account."""
    try:
        provider = ServiceProvider.objects.get(code=DEMO_PROVIDER_CODE)
    except ServiceProvider.DoesNotExist:
        raise RuntimeError(
            "Dienstverlener A ontbreekt: laad eerst de referentiedata (cstraject load-reference)."
        ) from None
    company = _demo_company(provider)
    specs = [
        (
            "dienstverlener",
            Role.PROVIDER,
            "Demo",
            "Dienstverlener",
            {"provider": provider},
            f"dienstverlener: gebruiker van {provider.name}",
        ),
        (
            "kmo",
            Role.SME_CONTACT,
            "Demo",
            "Kmo",
            {"company": company},
            f"contactpersoon kmo: {company.name} ({company.display_enterprise_number})",
        ),
        (
            "behandelaar",
            Role.CASE_HANDLER,
            "Demo",
            "Behandelaar",
            {},
            "dossierbehandelaar VLAIO: werkvoorraad, beslissingen, betalingen",
        ),
        (
            "controleur",
            Role.CONTROLLER,
            "Demo",
            "Controleur",
            {},
            "controleur VLAIO: risicowachtrij, controles, terugvorderingen en audittrail",
        ),
        ("beleid", Role.POLICY, "Demo", "Beleid", {}, "beleidsmedewerker: statistieken en werkboek vraag 526"),
        ("beheerder", Role.ADMIN, "Demo", "Beheerder", {}, "beheerder: Django-beheer (superuser)"),
    ]
    User = get_user_model()
    result = []
    for username, role, first, last, links, description in specs:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.invalid"
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={"role": role, "provider": links.get("provider"), "company": links.get("company")},
        )
        result.append((username, DEMO_PASSWORD, str(role), description))
    return result
