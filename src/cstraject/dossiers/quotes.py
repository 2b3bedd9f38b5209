"""Reading a quote (offerte) against a call: lines, totals, package mix, subsidy."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cstraject.calls.models import Call, Package
from cstraject.core.money import parse_amount, parse_quantity


@dataclass(frozen=True)
class QuoteLineInput:
    package: Package
    amount_excl_vat: Decimal
    man_days: Decimal


@dataclass(frozen=True)
class Quote:
    lines: list[QuoteLineInput]
    total_excl_vat: Decimal
    total_man_days: Decimal
    package_mix: str
    subsidy_amount: Decimal


def package_mix_for(packages: list[Package]) -> str:
    """'basis', 'light+uitbreiding', ...: the main package first, extensions after."""
    kinds = [p.kind for p in sorted(packages, key=lambda p: (p.is_extension, p.kind))]
    return "+".join(kinds)


def quote_read(*, call: Call, lines: list[dict], field: str = "quote_lines") -> Quote:
    """Validate raw quote lines ({package, amount_excl_vat, man_days}) for `call`.

    Errors name the line: quote_lines[1].amount_excl_vat.
    """
    if not lines:
        raise ValidationError({field: _("De offerte moet minstens één pakket bevatten.")})
    packages = {p.code.upper(): p for p in call.packages.all()}
    errors: dict[str, str] = {}
    parsed: list[QuoteLineInput] = []
    if not isinstance(lines, list | tuple):
        raise ValidationError({field: _("De offerte moet een lijst van pakketten zijn.")})
    for index, raw in enumerate(lines):
        prefix = f"{field}[{index}]"
        if not isinstance(raw, dict):
            errors[prefix] = _("Verwacht een object met package, amount_excl_vat en man_days.")
            continue
        code = str(raw.get("package", "")).upper()
        package = packages.get(code)
        if package is None:
            errors[f"{prefix}.package"] = _(
                "Pakket '%(get)s' bestaat niet in oproep %(code)s; kies uit %(packages)s."
            ) % {"get": str(raw.get("package"))[:30], "code": call.code, "packages": ", ".join(sorted(packages))}
        try:
            amount = parse_amount(raw.get("amount_excl_vat"), field=f"{prefix}.amount_excl_vat")
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            amount = None
        try:
            man_days = parse_quantity(raw.get("man_days"), field=f"{prefix}.man_days")
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            man_days = None
        if package and amount is not None and man_days is not None:
            parsed.append(QuoteLineInput(package=package, amount_excl_vat=amount, man_days=man_days))
    if errors:
        raise ValidationError(errors)
    codes = [line.package.code for line in parsed]
    if len(set(codes)) != len(codes):
        raise ValidationError({field: _("Elk pakket mag maar één keer in de offerte staan.")})
    total = sum((line.amount_excl_vat for line in parsed), Decimal("0.00"))
    man_days = sum((line.man_days for line in parsed), Decimal("0.0"))
    subsidy = call.subsidy_for(total)
    # The totals must fit their columns too (three lines of 999 billion do not).
    for value, read in (
        (total, lambda v: parse_amount(v, field=field)),
        (subsidy, lambda v: parse_amount(v, field=field)),
        (man_days, lambda v: parse_quantity(v, field=field)),
    ):
        try:
            read(value)
        except ValidationError:
            raise ValidationError({field: _("Het totaal van de offerte is te groot.")}) from None
    return Quote(
        lines=parsed,
        total_excl_vat=total,
        total_man_days=man_days,
        package_mix=package_mix_for([line.package for line in parsed]),
        subsidy_amount=subsidy,
    )
