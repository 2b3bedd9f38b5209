"""Demo accounts, one per role, for the local demo (`cstraject demo`).

All use DEMO_PASSWORD. Only missing accounts are created: an account that
exists already (a demo account whose password was changed, or any other) is
never touched. Needs the reference data (provider "A" = Dienstverlener A, and
its companies) loaded first.

`non_demo_data` tells whether a database holds anything but the reference
data and what the demo accounts made: `cstraject demo` refuses such a
database, so it can never run against production data.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.accounts.models import Profile, Role
from cstraject.companies.models import Company
from cstraject.dossiers.models import Dossier
from cstraject.providers.models import ServiceProvider

DEMO_PASSWORD = "cyber-demo-2026"
DEMO_PROVIDER_CODE = "A"
DEMO_USERNAMES = ("dienstverlener", "kmo", "behandelaar", "controleur", "beleid", "beheerder")
REFERENCE_LOADER_LABEL = "referentiedata"
OVERSIGHT_DEMO_LABEL = "demodata (synthetisch)"  # reference/oversight_demo.py


def non_demo_data() -> list[str]:
    """What makes this database more than a demo, in Dutch (empty: a demo database or an empty one).

    Non-demo: any user other than the demo accounts; any dossier that neither the reference
    loader nor a demo account created (judged by its first audit event).
    """
    from cstraject.audit.models import AuditEvent

    problems = []
    users = get_user_model().objects.exclude(username__in=DEMO_USERNAMES)
    if users.exists():
        names = ", ".join(users.order_by("username").values_list("username", flat=True)[:3])
        problems.append(
            _("%(count)s gebruiker(s) buiten de demo-accounts (bv. %(names)s)")
            % {"count": users.count(), "names": names}
        )
    demo_made = AuditEvent.objects.filter(
        actor_label__in=(*DEMO_USERNAMES, REFERENCE_LOADER_LABEL, OVERSIGHT_DEMO_LABEL), dossier__isnull=False
    ).values("dossier_id")
    dossiers = Dossier.objects.exclude(pk__in=demo_made)
    if dossiers.exists():
        references = ", ".join(dossiers.order_by("reference").values_list("reference", flat=True)[:3])
        problems.append(
            _("%(count)s dossier(s) die niet uit de demo komen (bv. %(references)s)")
            % {"count": dossiers.count(), "references": references}
        )
    return problems


def _demo_company(provider: ServiceProvider) -> Company:
    """The company of the demo's live dossiers (`demo_lifecycle`) when it is there; else a reference company
    that has a dossier with the demo provider, so both demo tenants meet."""
    from .demo_lifecycle import COMPANY

    live = Company.objects.filter(enterprise_number=COMPANY["enterprise_number"]).first()
    if live is not None:
        return live
    dossier = Dossier.objects.filter(provider=provider).select_related("company").order_by("reference").first()
    if dossier is not None:
        return dossier.company
    company = Company.objects.order_by("enterprise_number").first()
    if company is None:
        raise RuntimeError(
            _("Geen ondernemingen in de databank: laad eerst de referentiedata (cstraject load-reference).")
        )
    return company


@transaction.atomic
def create_demo_users() -> list[tuple[str, str | None, str, str]]:
    """Create the missing demo accounts; returns (username, password, role, description) per account,
    password None for an account that existed already (left as it was)."""
    try:
        provider = ServiceProvider.objects.get(code=DEMO_PROVIDER_CODE)
    except ServiceProvider.DoesNotExist:
        raise RuntimeError(
            _("Dienstverlener A ontbreekt: laad eerst de referentiedata (cstraject load-reference).")
        ) from None
    company = _demo_company(provider)
    specs: list[tuple[str, Role, str, str, dict[str, Any], str]] = [
        (
            "dienstverlener",
            Role.PROVIDER,
            "Demo",
            "Dienstverlener",
            {"provider": provider},
            (_("dienstverlener: gebruiker van %(provider)s") % {"provider": provider.name}),
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
    result: list[tuple[str, str | None, str, str]] = []  # password None: the account existed already
    for username, role, first, last, links, description in specs:
        if User.objects.filter(username=username).exists():
            result.append((username, None, str(role), description))
            continue
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.invalid")
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.create(user=user, role=role, provider=links.get("provider"), company=links.get("company"))
        result.append((username, DEMO_PASSWORD, str(role), description))
    return result
