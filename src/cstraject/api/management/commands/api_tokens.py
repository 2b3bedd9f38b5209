"""`cstraject api-tokens create GEBRUIKER [--name NAAM]`, `revoke PREFIX`, `list`: API keys per user."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.actors import cli_operator_actor
from cstraject.accounts.cli import one_line
from cstraject.accounts.permissions import Action, require
from cstraject.api.models import ApiToken
from cstraject.api.services import api_token_create, api_token_revoke
from cstraject.core.commands import CstrajectCommand, dutch_help


class Command(CstrajectCommand):
    help = "API-sleutels van dienstverleners. Zie docs/api.md."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTIE")
        create = dutch_help(sub.add_parser("create", help="nieuwe sleutel; wordt één keer getoond"))
        create.add_argument("username", help="de gebruiker van de dienstverlener")
        create.add_argument("--name", default="api", help="naam van de sleutel, bv. boekhouding")
        revoke = dutch_help(sub.add_parser("revoke", help="sleutel intrekken (de eerste 12 tekens volstaan)"))
        revoke.add_argument("prefix", help="het begin van de sleutel (12 tekens)")
        dutch_help(sub.add_parser("list", help="sleutels tonen (nooit het geheim)"))

    def handle(self, *args, action, **options):
        actor = cli_operator_actor()
        try:
            if action == "create":
                token, key = api_token_create(actor=actor, username=options["username"], name=options["name"])
                self.stdout.write(
                    _("API-sleutel voor %(username)s (%(token)s); bewaar ze nu, ze wordt niet meer getoond:")
                    % {"username": token.user.username, "token": token.name}
                )
                self.stdout.write(key)
            elif action == "revoke":
                token = api_token_revoke(actor=actor, prefix=options["prefix"])
                self.stdout.write(
                    _("Sleutel %(prefix)s… van %(username)s ingetrokken.")
                    % {"prefix": token.prefix, "username": token.user.username}
                )
            else:
                require(actor, Action.API_TOKEN_MANAGE)
                for token in ApiToken.objects.select_related("user"):
                    state = "ingetrokken" if token.revoked_at else "actief"
                    self.stdout.write(f"{token.prefix}…  {token.user.username:<20} {token.name:<20} {state}")
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(one_line(error)) from None
        except ObjectDoesNotExist as error:
            raise CommandError(str(error)) from None
