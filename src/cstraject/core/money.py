"""Money in euro: `Decimal` with cents precision and explicit rounding.

Rule: round once, at the point where an amount becomes a legal fact (a
subsidy granted, a tranche paid). Totals are sums of such amounts and are
never rounded again.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .numbers import decimal_text, format_number

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY_DIGITS = 14  # up to 999,999,999,999.99: room for portfolio totals
MONEY_PLACES = 2
MONEY_INTEGER_DIGITS = MONEY_DIGITS - MONEY_PLACES  # 12


def _shown(value) -> str:
    """The input as it may appear in an error message: never a 2 MB string."""
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _too_many_digits(number: Decimal, integer_digits: int) -> bool:
    """More than `integer_digits` digits before the decimal point (checked before any quantize,
    which would raise InvalidOperation on a 40-digit number)."""
    return number != 0 and number.adjusted() >= integer_digits


def round_half_up_cents(value: Decimal) -> Decimal:
    """Round to the cent, half away from zero, as the agency's rule does."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def share_of(amount: Decimal, rate: Decimal) -> Decimal:
    """`rate` x `amount`, rounded half-up to the cent."""
    return round_half_up_cents(Decimal(amount) * Decimal(rate))


def parse_amount(value, *, field: str, allow_negative: bool = False) -> Decimal:
    """Read an amount in euro from user input; the error names `field`.

    Accepts a Decimal, int or string ("1234.56", "1234,56"). Refuses floats
    (binary fractions are not money), more than two decimals, and negative
    amounts unless allowed.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(
            {
                field: _("Bedrag moet exact gegeven worden (als tekst of Decimal), niet als %(value)s.")
                % {"value": repr(value)}
            }
        )
    text = decimal_text(value) if not isinstance(value, Decimal) else value
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("'%(value)s' is geen bedrag.") % {"value": _shown(value)}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("'%(value)s' is geen bedrag.") % {"value": _shown(value)}})
    if _too_many_digits(amount, MONEY_INTEGER_DIGITS):
        raise ValidationError(
            {
                field: _("Bedrag %(value)s is te groot: hoogstens %(digits)s cijfers voor de komma.")
                % {"value": _shown(value), "digits": MONEY_INTEGER_DIGITS}
            }
        )
    exponent = amount.as_tuple().exponent  # an int: the amount is finite (checked above)
    if (
        isinstance(exponent, int)
        and exponent < -MONEY_PLACES
        and amount != amount.quantize(CENT, rounding=ROUND_HALF_UP)
    ):
        raise ValidationError({field: _("Bedrag %(value)s heeft meer dan twee decimalen.") % {"value": _shown(value)}})
    if amount < 0 and not allow_negative:
        raise ValidationError({field: _("Bedrag %(value)s mag niet negatief zijn.") % {"value": _shown(value)}})
    return amount.quantize(CENT)


def parse_quantity(value, *, field: str, places: int = 1, integer_digits: int = 6) -> Decimal:
    """A non-negative quantity such as man-days (mensdagen) or FTE, with at most `places` decimals
    and at most `integer_digits` digits before the decimal point (the column's max_digits - places).

    Unlike amounts, a JSON number is accepted (`"headcount": 7.5`): it is read as the shortest
    decimal text that gives the same float (`repr`), which is the text in the JSON document, and
    then held to `places` decimals like any other input (0.1 + 0.2 is refused, not rounded)."""
    if isinstance(value, bool):
        raise ValidationError({field: _("'%(value)s' is geen getal.") % {"value": value}})
    if isinstance(value, float):
        value = repr(value)
    try:
        quantity = Decimal(decimal_text(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("'%(value)s' is geen getal.") % {"value": _shown(value)}}) from None
    if not quantity.is_finite():
        raise ValidationError({field: _("'%(value)s' is geen getal.") % {"value": _shown(value)}})
    if quantity < 0:
        raise ValidationError({field: _("%(value)s mag niet negatief zijn.") % {"value": _shown(value)}})
    if _too_many_digits(quantity, integer_digits):
        raise ValidationError(
            {
                field: _("%(value)s is te groot: hoogstens %(digits)s cijfers voor de komma.")
                % {"value": _shown(value), "digits": integer_digits}
            }
        )
    step = Decimal(1).scaleb(-places)
    exponent = quantity.as_tuple().exponent  # an int: the quantity is finite (checked above)
    if isinstance(exponent, int) and exponent < -places and quantity != quantity.quantize(step):
        raise ValidationError(
            {field: _("%(value)s heeft meer dan %(places)s decimalen.") % {"value": _shown(value), "places": places}}
        )
    return quantity.quantize(step)


def format_euro(amount: Decimal, *, exact: bool = False) -> str:
    """An amount as the active language writes it, rounded to the cent: `€ 1.234,56` in Dutch,
    `€ 1,234.56` in English (the separators come from `cstraject.formats`). With `exact` nothing
    is rounded: a weighted figure keeps every decimal it has beyond the cents (`€ 2.447,8125`)."""
    if exact:
        value = Decimal(amount)
        if value == value.quantize(CENT, rounding=ROUND_HALF_UP):
            value = value.quantize(CENT)
        else:
            value = value.normalize()
        sign = "-" if value < 0 else ""
        return f"{sign}€ {format_number(abs(value))}"
    rounded = round_half_up_cents(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}€ {format_number(abs(rounded), places=MONEY_PLACES)}"
