"""Declarations on honour (verklaringen op eer) signed by the SME with the application."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# key -> what the SME declares (Dutch source text, as on the template; shown in the active language)
DECLARATIONS: dict[str, Any] = {
    "sme_status": gettext_lazy("De onderneming is een kmo volgens de Europese definitie (Aanbeveling 2003/361/EG)."),
    "legal_form": gettext_lazy("De onderneming heeft een aanvaardbare rechtsvorm."),
    "main_activity": gettext_lazy("De hoofdactiviteit van de onderneming is aanvaardbaar."),
    "de_minimis": gettext_lazy(
        "De onderneming heeft alle de-minimissteun van de voorbije jaren opgegeven en blijft onder het plafond."
    ),
    "no_negative_equity": gettext_lazy("De onderneming heeft geen negatief eigen vermogen."),
}


def declarations_read(raw, *, field: str = "declarations") -> dict[str, bool]:
    """Validate a {key: true/false} mapping of declarations; unknown keys and non-booleans are refused."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationError({field: _("Verklaringen op eer moeten gegeven worden als {sleutel: true/false}.")})
    errors = {}
    for key, value in raw.items():
        if key not in DECLARATIONS:
            errors[f"{field}.{key}"] = _("Verklaring '%(key)s' is onbekend; kies uit %(declarations)s.") % {
                "key": key,
                "declarations": ", ".join(DECLARATIONS),
            }
        elif not isinstance(value, bool):
            errors[f"{field}.{key}"] = _("Verklaring '%(key)s' moet true of false zijn, niet %(value)s.") % {
                "key": key,
                "value": repr(value),
            }
    if errors:
        raise ValidationError(errors)
    return dict(raw)


def declarations_missing(declarations: dict) -> list[str]:
    return [key for key in DECLARATIONS if declarations.get(key) is not True]
