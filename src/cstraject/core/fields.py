"""Field shortcuts so every amount in the schema has the same precision."""

from django.db import models

from .money import MONEY_DIGITS, MONEY_PLACES


def MoneyField(verbose_name=None, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


def RateField(verbose_name=None, **kwargs) -> models.DecimalField:
    """A fraction such as 0.4500 (45 %)."""
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=4, **kwargs)
