"""The `cstraject` console script.

Every subcommand is a Django management command, so the CLI, the web
application and tests share one configuration and the same services.
Hyphenated names (`load-reference`) map to module names (`load_reference`).

`cstraject`, `cstraject --help` and `cstraject help` list cstraject's own
commands, grouped by task, one line each. Django's own tools stay out of that
list: `cstraject django OPDRACHT ...` runs one (`cstraject django` or
`cstraject --all` lists them all); a Django command typed directly
(`cstraject migrate`, `cstraject check --deploy`) still works.
"""

import os
import re
import shutil
import sys

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cstraject.settings")

# The task groups of `cstraject --help`, in order. A command of a cstraject app that no
# group names is listed under "Overige" (so a new command is never hidden).
# Titles are marked for translation here and translated once Django is set up.
GROUPS: list[tuple[str, list[str | tuple[str, ...]]]] = [
    (gettext_noop("Start"), ["demo", ("setup", "migrate"), "serve"]),
    (gettext_noop("Dossiers"), ["dossiers", ("statements", "payments"), "settlements", "recoveries"]),
    (gettext_noop("Toezicht"), ["controls", "screening", "impact"]),
    (gettext_noop("Rapportering"), ["report", "load-reference"]),
    (gettext_noop("Gegevens"), [("kbo", "accounts"), ("import", "template"), ("api-tokens", "api-schema")]),
    (gettext_noop("Beheer"), ["users", ("backup", "restore"), ("retention", "export-subject"), "notifications"]),
]
# Commands that belong together share one row (so the list fits a 24-line screen), with one summary.
SHARED_SUMMARIES: dict[tuple[str, ...], str] = {
    ("setup", "migrate"): gettext_noop("Installatie (zonder demo), databankschema"),
    ("statements", "payments"): gettext_noop("Prestatiestaten, betalingen per schijf"),
    ("kbo", "accounts"): gettext_noop("KBO-register en jaarrekeningen inlezen"),
    ("import", "template"): gettext_noop("Excel-import van aanvragen en historiek"),
    ("api-tokens", "api-schema"): gettext_noop("API-sleutels per gebruiker, OpenAPI-schema"),
    ("backup", "restore"): gettext_noop("Back-up maken en terugzetten"),
    ("retention", "export-subject"): gettext_noop("Bewaartermijnen, inzage per persoon"),
}
HELP_WORDS = {"-h", "--help", "help"}
NAME_WIDTH = 24
GROUP_WIDTH = 13
SUMMARY_WIDTH = 80 - GROUP_WIDTH - NAME_WIDTH - 1


def _command_name(module_name: str) -> str:
    return module_name.replace("_", "-")


def _summary(help_text: str, width: int) -> str:
    """The first sentence of a command's help, on one line of at most `width` characters."""
    text = " ".join(str(help_text).split())
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(".;")
    if len(first) > width:
        first = first[: width - 1].rsplit(" ", 1)[0] + "…"
    return first


def our_commands() -> dict[str, str]:
    """{command name: one-line summary} of every command of a cstraject app, and `migrate`."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    width = min(shutil.get_terminal_size((80, 24)).columns, 100) - GROUP_WIDTH - NAME_WIDTH - 1
    commands = {}
    for module_name, app_name in get_commands().items():
        if app_name.startswith("cstraject.") or module_name == "migrate":
            command = load_command_class(app_name, module_name)
            commands[_command_name(module_name)] = _summary(command.help, width)
    commands["migrate"] = _summary(_("Databankschema bijwerken (SQLite: vanzelf)."), width)
    return commands


def main_help() -> str:
    """One line per command, the task group in the first column: fits a 80x24 screen."""
    commands = our_commands()
    lines = [
        _("cstraject: de cybersecurity-verbetertrajecten van VLAIO en vraag 526."),
        _("Gebruik: cstraject OPDRACHT [opties]  (de opties: cstraject OPDRACHT --help)"),
        "",
    ]
    listed: set[str] = set()
    groups: list[tuple[str, list[str | tuple[str, ...]]]] = [*GROUPS, (gettext_noop("Overige"), [*sorted(commands)])]
    for title, entries in groups:
        rows: list[tuple[str, str]] = []
        for entry in entries:
            names = tuple(
                n for n in ((entry,) if isinstance(entry, str) else entry) if n in commands and n not in listed
            )
            if not names:
                continue
            listed.update(names)
            shared = SHARED_SUMMARIES.get(names)
            summary = _summary(_(shared), SUMMARY_WIDTH) if shared else commands[names[0]]
            rows.append(("/".join(names), summary))
        for index, (name, summary) in enumerate(rows):
            group = _(title) if index == 0 else ""
            lines.append(f"{group:<{GROUP_WIDTH}}{name:<{NAME_WIDTH}} {summary}")
    lines.append("")
    lines.append(_("Django's eigen opdrachten: cstraject django OPDRACHT (lijst: cstraject --all)."))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    if not argv or (argv[0] in HELP_WORDS and len(argv) == 1):
        sys.stdout.write(main_help() + "\n")
        return
    if argv[0] == "--all" or argv == ["django"]:
        execute_from_command_line(["cstraject", "help"])
        return
    if argv[0] == "django":
        argv = argv[1:]
    elif argv[0] == "help":
        # `cstraject help report` = `cstraject report --help`
        argv = [argv[1].replace("-", "_"), "--help", *argv[2:]]
    elif not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    execute_from_command_line(["cstraject", *argv])


if __name__ == "__main__":
    main()
