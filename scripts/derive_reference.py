#!/usr/bin/env python3
"""Derive the synthetic reference dataset of answer 526: see `cstraject.reference.derivation`.

Kept at this path because the dataset's metadata names it. Same as
`python -m cstraject.reference.derivation`; needs the `derive` extra (PuLP).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from cstraject.reference.derivation.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
