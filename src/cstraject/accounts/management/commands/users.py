"""cstraject users create|set-password|deactivate|list|permissions: accounts with a role.

These commands are for whoever runs cstraject on the server: they act as the
system through the CLI, and every change is audited with the operating-system
account that ran it. Passwords are never command-line arguments (they would
end up in the shell history and the process list): they are read from a
prompt, or from standard input with --password-stdin, and checked by
AUTH_PASSWORD_VALIDATORS.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.actors import cli_operator_actor
from cstraject.accounts.cli import LifecycleCommand
from cstraject.accounts.models import Role
from cstraject.accounts.permissions import table
from cstraject.accounts.services import user_create, user_deactivate, user_set_password


def read_password(*, from_stdin: bool, stdin=None) -> str:
    """One line from standard input, or a prompt asked twice on a terminal."""
    stdin = stdin or sys.stdin
    if from_stdin:
        return stdin.readline().rstrip("\r\n")
    if not stdin.isatty():
        raise CommandError(
            _("Geen terminal om het wachtwoord te vragen: geef het via standaardinvoer met --password-stdin.")
        )
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nog eens: ") != first:
        raise CommandError(_("De twee wachtwoorden verschillen."))
    return first


def user_data(user) -> dict:
    profile = getattr(user, "profile", None)
    return {
        "username": user.username,
        "role": profile.role if profile else None,
        "provider": profile.provider.code if profile and profile.provider else None,
        "company": profile.company.enterprise_number if profile and profile.company else None,
        "active": user.is_active,
        "can_log_in": user.is_active and user.has_usable_password(),
    }


class Command(LifecycleCommand):
    stealth_options = ("stdin",)
    help = "Gebruikers, hun rol en wachtwoord. Wachtwoorden via prompt of stdin."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "create", "gebruiker met rol aanmaken", actor=False)
        sub.add_argument("username", metavar="GEBRUIKER", help="gebruikersnaam")
        sub.add_argument("--role", required=True, choices=Role.values, help="de rol van de gebruiker")
        sub.add_argument("--provider", metavar="CODE", help="code van de dienstverlener (rol provider)")
        sub.add_argument("--company", metavar="ONDERNEMINGSNUMMER", help="ondernemingsnummer (rol sme_contact)")
        sub.add_argument("--email", default="", metavar="E-MAIL", help="e-mailadres")
        sub.add_argument(
            "--language",
            default="",
            choices=["nl", "en"],
            help="taal van de berichten en brieven voor deze gebruiker (standaard: Nederlands)",
        )
        sub.add_argument(
            "--with-password",
            action="store_true",
            help="meteen een wachtwoord vragen (anders: geen aanmelding op het web tot set-password)",
        )
        sub.add_argument("--password-stdin", action="store_true", help="het wachtwoord staat op standaardinvoer")
        sub = self.action(subparsers, "set-password", "wachtwoord instellen (prompt of --password-stdin)", actor=False)
        sub.add_argument("username", metavar="GEBRUIKER", help="gebruikersnaam")
        sub.add_argument("--password-stdin", action="store_true", help="het wachtwoord staat op standaardinvoer")
        sub = self.action(subparsers, "deactivate", "gebruiker deactiveren (geen aanmelding, geen --as)", actor=False)
        sub.add_argument("username", metavar="GEBRUIKER", help="gebruikersnaam")
        self.action(subparsers, "list", "gebruikers tonen", actor=False)
        self.action(subparsers, "permissions", "de permissietabel: wie mag wat", actor=False)

    def _stdin(self, options):
        return options.get("stdin")

    def do_create(
        self,
        actor,
        *,
        username,
        role,
        provider=None,
        company=None,
        email="",
        language="",
        password_stdin=False,
        **options,
    ):
        password = None
        if options.get("with_password") or password_stdin:
            password = read_password(from_stdin=password_stdin, stdin=self._stdin(options))
        user = user_create(
            actor=cli_operator_actor(),
            username=username,
            role=role,
            provider_code=provider,
            company_number=company,
            email=email,
            password=password,
            language=language,
        )
        return user_data(user), [
            (
                _("Gebruiker %(username)s aangemaakt als %(role)s.")
                % {"username": user.username, "role": Role(user.profile.role).label}
            )
        ]

    def do_set_password(self, actor, *, username, password_stdin=False, **options):
        password = read_password(from_stdin=password_stdin, stdin=self._stdin(options))
        user = user_set_password(actor=cli_operator_actor(), username=username, password=password)
        return user_data(user), [(_("Wachtwoord van %(username)s ingesteld.") % {"username": user.username})]

    def do_deactivate(self, actor, *, username, **options):
        user = user_deactivate(actor=cli_operator_actor(), username=username)
        return user_data(user), [(_("Gebruiker %(username)s gedeactiveerd.") % {"username": user.username})]

    def do_list(self, actor, **options):
        users = (
            get_user_model()
            .objects.select_related("profile", "profile__provider", "profile__company")
            .order_by("username")
        )
        data = [user_data(user) for user in users]
        return data, [
            f"{u['username']:<20} {u['role'] or '-':<14} {u['provider'] or u['company'] or '':<14}"
            f"{'' if u['active'] else ' gedeactiveerd'}".rstrip()
            for u in data
        ]

    def do_permissions(self, actor, **options):
        rows = table()
        return rows, [
            f"{row['action']:<24} {', '.join(f'{role} ({rel})' for role, rel in row['roles'].items())}" for row in rows
        ]
