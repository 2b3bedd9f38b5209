"""Shared machinery of the lifecycle commands (`cstraject dossiers|statements|payments|recoveries|users`).

Every subcommand acts as a user (`--as USERNAME`, whose Profile gives the
role), goes through the services, prints one line per record or `--json`
for scripts, and turns a refused action into one clear line (CommandError).
"""

import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.core.commands import CstrajectCommand, dutch_help, schema_ensure

from .actors import Actor, actor_for_username


def one_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error)


def parse_date(value: str | None, *, option: str = "--date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: '%(value)s' is geen datum; schrijf JJJJ-MM-DD.") % {"option": option, "value": value}
        ) from None


def to_json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class LifecycleCommand(CstrajectCommand):
    """A command with subcommands; each subcommand gets --as and --json."""

    needs_actor = True

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="ACTIE")
        self.add_actions(subparsers)

    def add_actions(self, subparsers):
        raise NotImplementedError

    def action(self, subparsers, name: str, help_text: str, *, actor: bool = True):
        sub = dutch_help(subparsers.add_parser(name, help=help_text, description=help_text, allow_abbrev=False))
        if actor:
            sub.add_argument(
                "--as", dest="as_user", required=True, metavar="GEBRUIKER", help="handel als deze gebruiker"
            )
        sub.add_argument("--json", action="store_true", help="uitvoer als JSON")
        return sub

    def handle(self, *args, **options):
        action = options["action"]
        handler = getattr(self, f"do_{action.replace('-', '_')}")
        schema_ensure(stderr=self.stderr)
        try:
            actor = actor_for_username(options["as_user"]) if options.get("as_user") else None
            result = handler(actor, **options)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(one_line(error)) from None
        except ObjectDoesNotExist as error:
            raise CommandError(str(error)) from None
        self.emit(result, options)

    def emit(self, result, options):
        """`result` is (data, lines): data for --json, lines for people."""
        data, lines = result
        if options.get("json"):
            self.stdout.write(json.dumps(data, default=to_json, ensure_ascii=False))
        else:
            for line in lines:
                self.stdout.write(line)

    def handler_actor(self, actor: Actor | None) -> Actor:
        if actor is None:
            raise CommandError(_("Geef --as GEBRUIKER."))
        return actor
