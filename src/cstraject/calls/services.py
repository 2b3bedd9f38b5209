"""Configuring calls and their package catalogues."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cstraject.core.money import format_euro, parse_amount

from .models import Call, FrequencyScope, Package, PackageKind, StoppedSettlement


def _rate(value, *, field: str) -> Decimal:
    rate = Decimal(str(value))
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValidationError(
            {field: (_("%(value)s moet een fractie tussen 0 en 1 zijn (0,45 voor 45 %%).") % {"value": value})}
        )
    return rate


@transaction.atomic
def call_configure(*, code: str, name: str, opens_date: date, packages: list[dict], **parameters) -> Call:
    """Create or update a call and its packages (idempotent on `code`)."""
    for key in ("subsidy_rate", "vat_rate", "tranche1_share", "tranche1_delivery_threshold"):
        if key in parameters:
            parameters[key] = _rate(parameters[key], field=key)
    for key in ("min_quote_excl_vat", "max_quote_excl_vat"):
        if parameters.get(key) is not None:
            parameters[key] = parse_amount(parameters[key], field=key)
    for key, choices in (("frequency_scope", FrequencyScope), ("stopped_settlement", StoppedSettlement)):
        if key in parameters and parameters[key] not in choices.values:
            raise ValidationError(
                {
                    key: (
                        _("'%(parameters)s' is onbekend; kies uit %(values)s.")
                        % {"parameters": parameters[key], "values": ", ".join(choices.values)}
                    )
                }
            )
    low, high = parameters.get("min_quote_excl_vat"), parameters.get("max_quote_excl_vat")
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {
                "max_quote_excl_vat": (
                    _("Maximum %(high)s ligt onder het minimum %(low)s.")
                    % {"high": format_euro(high), "low": format_euro(low)}
                )
            }
        )
    call, _created = Call.objects.update_or_create(
        code=code, defaults={"name": name, "opens_date": opens_date, **parameters}
    )
    for spec in packages:
        if spec["kind"] not in PackageKind.values:
            raise ValidationError(
                {"packages.kind": (_("Pakketsoort '%(kind)s' is onbekend.") % {"kind": spec["kind"]})}
            )
        price = spec.get("list_price_excl_vat")
        Package.objects.update_or_create(
            call=call,
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "is_extension": bool(spec.get("is_extension")),
                "list_price_excl_vat": parse_amount(price, field="list_price_excl_vat") if price is not None else None,
            },
        )
    return call
