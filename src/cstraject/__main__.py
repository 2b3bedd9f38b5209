"""The `cstraject` console script.

Every subcommand is a Django management command, so the CLI, the web
application and tests share one configuration and the same services.
Hyphenated names (`load-reference`) map to module names (`load_reference`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cstraject.settings")
    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cstraject", *argv])


if __name__ == "__main__":
    main()
