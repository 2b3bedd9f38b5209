"""The red-flag indicator registry as data.

Every indicator says what it detects and why (with its source), which
parameters it takes from the call configuration (with their types and
defaults), its weight in the dossier's risk score, the Dutch sentence that
explains a hit, and the set-based computation that finds all hits of one
call at once (`indicators.py`).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number

Text = str | Promise  # Dutch text, often lazily translated


class Category:
    """The seven risk categories (after ARACHNE's categories and the EU's fraud-indicator lists)."""

    APPLICANT = "aanvrager"
    PROVIDER = "dienstverlener"
    PRICE = "offerte_prijs"
    PERFORMANCE = "prestatie"
    PAYMENT = "betaling"
    DOCUMENTS = "documenten"
    DOUBLE_FUNDING = "dubbele_financiering"

    LABELS = {
        APPLICANT: _("Aanvrager"),
        PROVIDER: _("Dienstverlener"),
        PRICE: _("Offerte en prijs"),
        PERFORMANCE: _("Prestatie"),
        PAYMENT: _("Betaling"),
        DOCUMENTS: _("Documenten"),
        DOUBLE_FUNDING: _("Dubbele financiering en frequentie"),
    }
    ORDER = list(LABELS)


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "int", "decimal" or "keywords"
    default: object  # None: the indicator is off unless the call sets it
    description: Text

    def read(self, value, *, field_name: str):
        """The value in its type, or a ValidationError naming the field."""
        if value is None:
            return None
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(
                    {
                        field_name: _("Parameter %(name)s moet een geheel getal zijn, niet %(value)r.")
                        % {"name": self.name, "value": value}
                    }
                )
            if value < 0:
                raise ValidationError(
                    {field_name: _("Parameter %(name)s mag niet negatief zijn.") % {"name": self.name}}
                )
            return value
        if self.kind == "decimal":
            if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
                raise ValidationError(
                    {
                        field_name: _(
                            'Parameter %(name)s moet een exact getal zijn (tekst zoals "5.0" of een geheel getal), niet %(value)r.'
                        )
                        % {"name": self.name, "value": value}
                    }
                )
            try:
                number = Decimal(str(value).strip().replace(",", "."))
            except InvalidOperation:
                raise ValidationError(
                    {
                        field_name: _("Parameter %(name)s: '%(value)s' is geen getal.")
                        % {"name": self.name, "value": value}
                    }
                ) from None
            if not number.is_finite() or number < 0:
                raise ValidationError(
                    {field_name: _("Parameter %(name)s moet een positief getal zijn.") % {"name": self.name}}
                )
            return number
        if self.kind == "keywords":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValidationError(
                    {
                        field_name: _("Parameter %(name)s moet een lijst van trefwoorden (tekst) zijn.")
                        % {"name": self.name}
                    }
                )
            return [v.strip().lower() for v in value]
        raise ValueError(self.kind)


DECIMAL = re.compile(r"-?\d+\.\d+")


MONEY_FIGURES = frozenset({"quote", "ceiling", "rate", "median", "amount", "list_price"})


def _figure_text(key: str, value):
    """One stored figure as the explanation shows it in the active language; a list of (msgid, figures)
    pairs is a figure of several parts (A1: each measure near its ceiling), joined with "; "."""
    if isinstance(value, list):
        return "; ".join(gettext(msgid) % {k: _figure_text(k, v) for k, v in parts.items()} for msgid, parts in value)
    if isinstance(value, str) and DECIMAL.fullmatch(value):
        return format_euro(Decimal(value)) if key in MONEY_FIGURES else format_number(Decimal(value))
    return gettext(value) if isinstance(value, str) else value


Hit = tuple[int, dict]  # (dossier id, the figures that raised the flag)


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    title: Text
    detects: Text
    why: Text
    source: Text
    weight: Decimal
    explanation: Text  # Dutch, %(figure)s placeholders filled from the hit's figures
    compute: Callable[..., Iterable[Hit]]
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    @property
    def category_label(self) -> str:
        return str(Category.LABELS[self.category])

    def enabled(self, values: dict) -> bool:
        """Off for a call that sets a parameter without default to null (optional parameters default to None)."""
        return all(values.get(p.name) is not None for p in self.parameters if p.default is not None)

    def explain(self, figures: dict) -> str:
        """The sentence in the active language, numbers as that language writes them (Dutch:
        `€ 3.200,00`, `25,0`; English: `€ 3,200.00`, `25.0`); the figures in `MONEY_FIGURES` are
        amounts in euro.

        The figures stay as stored; a figure that is a word was stored as its Dutch msgid
        (gettext_noop) and is translated here, anything else passes through gettext unchanged.
        """
        return str(self.explanation) % {key: _figure_text(key, value) for key, value in figures.items()}

    def as_data(self) -> dict:
        return {
            "code": self.code,
            "category": self.category,
            "category_label": self.category_label,
            "title": str(self.title),
            "detects": str(self.detects),
            "why": str(self.why),
            "source": str(self.source),
            "weight": str(self.weight),
            "parameters": [
                {
                    "name": p.name,
                    "type": p.kind,
                    "default": p.default if isinstance(p.default, int | list | type(None)) else str(p.default),
                    "description": str(p.description),
                }
                for p in self.parameters
            ],
        }
