"""`python -m cstraject.reference.derivation`: derive, write, verify; exit 1 on any failed check."""

from __future__ import annotations

import sys
from pathlib import Path

from .build import build, write_files
from .inputs import CSV_PATH, JSON_PATH
from .verify import verify


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> int:
    data = build()
    write_files(data)
    print(f"wrote {shown(JSON_PATH)} and {shown(CSV_PATH)}")
    ok = verify()
    print("ALL CHECKS PASSED" if ok else "CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
