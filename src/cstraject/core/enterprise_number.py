"""Belgian enterprise number (ondernemingsnummer, KBO/BCE).

Ten digits, the first 0 or 1; the last two are 97 - (first eight mod 97).
python-stdnum's `be.vat` implements exactly that check (the VAT number is the
enterprise number); this module only fixes our storage and display forms.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError


def normalize_enterprise_number(value, *, field: str = "enterprise_number") -> str:
    """Return the 10 digits, or raise a ValidationError naming `field`."""
    text = re.sub(r"[\s.\-/]", "", str(value or "")).upper().removeprefix("BE")
    if not re.fullmatch(r"[0-9]{10}", text):
        raise ValidationError(
            {
                field: _("Ondernemingsnummer '%(value)s' moet uit 10 cijfers bestaan (0123.456.789).")
                % {"value": str(value)[:30]}
            }
        )
    try:
        return vat.validate(text)
    except StdnumError:
        raise ValidationError(
            {
                field: _(
                    "Ondernemingsnummer '%(value)s' is ongeldig: het controlegetal (modulo 97) klopt niet "
                    "of het begint niet met 0 of 1."
                )
                % {"value": value}
            }
        ) from None


def format_enterprise_number(digits: str) -> str:
    """0123456789 -> 0123.456.789"""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits


def check_digits(first_eight: str) -> str:
    """The two check digits for eight leading digits (used by data generators)."""
    return f"{97 - int(first_eight) % 97:02d}"
