"""Declarations on honour (verklaringen op eer) signed by the SME with the application."""

from django.core.exceptions import ValidationError

# key -> what the SME declares (Dutch, as on the template)
DECLARATIONS: dict[str, str] = {
    "sme_status": "De onderneming is een kmo volgens de Europese definitie (Aanbeveling 2003/361/EG).",
    "legal_form": "De onderneming heeft een aanvaardbare rechtsvorm.",
    "main_activity": "De hoofdactiviteit van de onderneming is aanvaardbaar.",
    "de_minimis": "De onderneming heeft alle de-minimissteun van de voorbije jaren opgegeven en blijft onder het plafond.",
    "no_negative_equity": "De onderneming heeft geen negatief eigen vermogen.",
}


def declarations_read(raw, *, field: str = "declarations") -> dict[str, bool]:
    """Validate a {key: true/false} mapping of declarations; unknown keys and non-booleans are refused."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationError({field: "Verklaringen op eer moeten gegeven worden als {sleutel: true/false}."})
    errors = {}
    for key, value in raw.items():
        if key not in DECLARATIONS:
            errors[f"{field}.{key}"] = f"Verklaring '{key}' is onbekend; kies uit {', '.join(DECLARATIONS)}."
        elif not isinstance(value, bool):
            errors[f"{field}.{key}"] = f"Verklaring '{key}' moet true of false zijn, niet {value!r}."
    if errors:
        raise ValidationError(errors)
    return dict(raw)


def declarations_missing(declarations: dict) -> list[str]:
    return [key for key in DECLARATIONS if declarations.get(key) is not True]
