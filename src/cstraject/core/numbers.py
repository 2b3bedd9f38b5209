"""Numbers as people type them in Flanders: `19.850,00` (dots between thousands, a decimal comma),
`19850,00`, `19850.00`, `19 850,00`. `decimal_text` turns them into the text `Decimal` reads; it
never guesses: a dot is a thousands separator only in the grouped form with a decimal comma
(`19.850,00`) or with more than one group (`1.234.567`), so `19.850` stays nineteen point eight five."""

import re

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_GROUPED_WITH_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d*$")
_GROUPED_MANY = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")
_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}( \d{3})+([.,]\d*)?$")


def decimal_text(value) -> str:
    """The text of `value` as Decimal reads it ('19.850,00' -> '19850.00'); anything else unchanged
    but for a decimal comma, so Decimal refuses it with the caller's message."""
    text = str(value).strip()
    spaced = _SPACES.sub(" ", text)
    if _SPACE_GROUPED.match(spaced):
        text = spaced.replace(" ", "")
    if _GROUPED_WITH_COMMA.match(text) or _GROUPED_MANY.match(text):
        text = text.replace(".", "")
    return text.replace(",", ".")
