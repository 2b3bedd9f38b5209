"""Numbers as people type them in Flanders: `19.850,00` (dots between thousands, a decimal comma),
`19850,00`, `19850.00`, `19 850,00`. `decimal_text` turns them into the text `Decimal` reads; it
never guesses: a dot is a thousands separator only in the grouped form with a decimal comma
(`19.850,00`) or with more than one group (`1.234.567`), so `19.850` stays nineteen point eight five."""

import datetime
import re
from decimal import Decimal

from django.utils import formats

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


def format_number(value, *, places: int | None = None) -> str:
    """`value` as the active language writes it, thousands grouped: 1.234,56 (nl) or 1,234.56 (en);
    `places` fixes the number of decimals (rounded as Python's format() rounds)."""
    if places is not None:
        # Round here, as f"{value:.2f}" does (Django's number_format cuts the decimals off).
        value = Decimal(f"{value:.{places}f}") if not isinstance(value, str) else Decimal(value)
    elif isinstance(value, (int, str)):
        value = Decimal(value)
    return formats.number_format(value, decimal_pos=places, force_grouping=True)


def format_date(value: datetime.date | datetime.datetime | None, *, with_time: bool = False) -> str:
    """A date (or date and time) as the active language writes it: 27-11-2026 (nl), 27/11/2026 (en);
    with the time on a 24-hour clock: 27-11-2026 14:05. An aware datetime is shown in local time."""
    if value is None:
        return "–"
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if not with_time:
            value = value.date()
    return formats.date_format(value, "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT")
