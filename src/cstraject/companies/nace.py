"""Every NACE-BEL code, without a hand-typed list.

A NACE-BEL code is NACE Rev. 2 (2008) or Rev. 2.1 (2025) plus one national digit:
five digits, written `10.711`. A code is valid when it has that form and its NACE
class (the first four digits) exists in python-stdnum's NACE registry for the
version's revision. Its label is the official Dutch one imported from the KBO code
table (`NaceCode.label_nl`, filled by `cstraject kbo import`); until then, the
English label of its NACE class from python-stdnum.
"""

from __future__ import annotations

import re

from stdnum.eu import nace as stdnum_nace
from stdnum.exceptions import ValidationError as StdnumError

# NACE-BEL version -> NACE revision in python-stdnum's registry.
STDNUM_REVISION = {"2008": "2.0", "2025": "2.1"}

NACE_BEL_FORM = re.compile(r"^(\d\d)\.?(\d\d\d)$")


def nace_bel_digits(code) -> str | None:
    """'10.711' or '10711' -> '10711'; anything else (other lengths, letters) -> None."""
    match = NACE_BEL_FORM.fullmatch(str(code or "").strip())
    if not match or not match.group(0).isascii():
        return None
    return match.group(1) + match.group(2)


def nace_label(version: str, code: str) -> str:
    """python-stdnum's label of the NACE code (division, group or class; a subclass -> its class).

    Empty when the version has no NACE revision in stdnum (NACE-BEL 2003) or the code is unknown."""
    revision = STDNUM_REVISION.get(str(version))
    digits = str(code or "")
    if revision is None or not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return ""
    try:
        return stdnum_nace.get_label(digits[:4], revision=revision)
    except StdnumError:
        return ""


def nace_class_exists(version: str, digits: str) -> bool:
    """Whether the NACE class of a 5-digit NACE-BEL code exists in the version's NACE revision."""
    revision = STDNUM_REVISION.get(str(version))
    if revision is None:
        return False
    try:
        return len(stdnum_nace.validate(digits[:4], revision=revision)) == 4
    except StdnumError:
        return False


def level_for(digits: str) -> str:
    """NACE level by the number of digits (KBO's code table holds every level)."""
    return {1: "section", 2: "division", 3: "group", 4: "class"}.get(len(digits), "subclass")
