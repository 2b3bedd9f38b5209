"""cstraject users create|list: users with a role, so the CLI can act as them (--as)."""

from django.contrib.auth import get_user_model

from cstraject.accounts.cli import LifecycleCommand
from cstraject.accounts.models import Role
from cstraject.accounts.services import user_create


class Command(LifecycleCommand):
    help = "Gebruikers en hun rol (dienstverlener, behandelaar, ...)."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "create", "gebruiker met rol aanmaken", actor=False)
        sub.add_argument("username", metavar="GEBRUIKER", help="gebruikersnaam")
        sub.add_argument("--role", required=True, choices=Role.values, help="de rol van de gebruiker")
        sub.add_argument("--provider", metavar="CODE", help="code van de dienstverlener (rol provider)")
        sub.add_argument("--company", metavar="ONDERNEMINGSNUMMER", help="ondernemingsnummer (rol sme_contact)")
        sub.add_argument("--email", default="", metavar="E-MAIL", help="e-mailadres")
        sub.add_argument(
            "--password", metavar="WACHTWOORD", help="wachtwoord; zonder: geen aanmelding op het web mogelijk"
        )
        self.action(subparsers, "list", "gebruikers tonen", actor=False)

    def do_create(self, actor, *, username, role, provider=None, company=None, email="", password=None, **options):
        user = user_create(
            username=username, role=role, provider_code=provider, company_number=company, email=email, password=password
        )
        profile = user.profile
        data = {
            "username": user.username,
            "role": profile.role,
            "provider": profile.provider.code if profile.provider else None,
            "company": profile.company.enterprise_number if profile.company else None,
        }
        return data, [f"Gebruiker {user.username} aangemaakt als {Role(profile.role).label}."]

    def do_list(self, actor, **options):
        users = (
            get_user_model()
            .objects.select_related("profile", "profile__provider", "profile__company")
            .order_by("username")
        )
        data = []
        for user in users:
            profile = getattr(user, "profile", None)
            data.append(
                {
                    "username": user.username,
                    "role": profile.role if profile else None,
                    "provider": profile.provider.code if profile and profile.provider else None,
                    "company": profile.company.enterprise_number if profile and profile.company else None,
                }
            )
        return data, [
            f"{u['username']:<20} {u['role'] or '-':<14} {u['provider'] or u['company'] or ''}".rstrip() for u in data
        ]
