"""What every `cstraject` command shares: Dutch help and a database schema that is there.

- `CstrajectCommand`: a management command whose `--help` is Dutch (argparse's own
  words translated, Django's generic options hidden; they still work).
- `schema_ensure()`: call it in `handle` once the arguments are checked. On the
  embedded SQLite database it creates or updates the schema itself; on any other
  database it stops with one line that says what to run (`cstraject migrate`).
"""

import argparse
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

# Django's own options of every command: hidden from `--help` (they keep working).
DJANGO_BASE_OPTIONS = {
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}


class DutchHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix=prefix or _("gebruik: "))


def dutch_help(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """argparse's own words in Dutch: usage, the group titles, -h."""
    parser.formatter_class = DutchHelpFormatter
    parser._positionals.title = _("argumenten")
    parser._optionals.title = _("opties")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _("toon deze hulp en stop")
    return parser


class CstrajectCommand(BaseCommand):
    """Base of cstraject's commands: Dutch help, Django's generic options out of sight."""

    suppressed_base_arguments = DJANGO_BASE_OPTIONS

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        dutch_help(parser)
        return parser


def _pending_migrations(alias: str) -> int:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def schema_ensure(*, stderr: OutputWrapper | None = None, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Make sure the database has the current schema before a command uses it.

    SQLite (the embedded default): migrate it, with one line on `stderr` when
    something was done. Any other database: CommandError with one line naming the
    command to run. A database that cannot be reached: CommandError with one line;
    a SQLite file that this call created and left empty is removed again.
    """
    connection = connections[alias]
    embedded = connection.vendor == "sqlite"
    name = str(connection.settings_dict["NAME"])
    file = Path(name) if embedded and name != ":memory:" and not name.startswith("file:") else None
    existed = file is not None and file.exists()
    try:
        pending = _pending_migrations(alias)
        if pending and embedded:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
    except DatabaseError as error:
        connection.close()
        if file is not None and not existed and file.exists() and file.stat().st_size == 0:
            file.unlink()
        raise CommandError(
            _("Kan de databank %(name)s niet gebruiken: %(error)s") % {"name": name, "error": str(error).strip()}
        ) from None
    if not pending:
        return
    if not embedded:
        raise CommandError(
            _(
                "De databank %(name)s heeft het schema van cstraject nog niet (%(count)s migraties open): "
                "voer eerst `cstraject migrate` uit."
            )
            % {"name": name, "count": pending}
        )
    if stderr is not None:
        what = _("aangemaakt") if not existed else _("bijgewerkt")
        stderr.write(_("Databank %(name)s %(what)s (schema van cstraject).") % {"name": name, "what": what})
