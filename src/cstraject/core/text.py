"""Text from users (forms, JSON intake, CLI), checked before it reaches the database:
the column's max_length (taken from the model, never repeated), no NUL characters
(PostgreSQL refuses them), and text only (no lists or objects)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def max_length_of(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


def clean_text(value, *, model, field: str, key: str | None = None, required: bool = True) -> str:
    """`value` as stripped text fitting `model.field`; a ValidationError naming `key` (default `field`) otherwise."""
    key = key or field
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError({key: _("Moet tekst zijn.")})
    text = str(value).strip()
    if "\x00" in text:
        raise ValidationError({key: _("Tekst mag geen NUL-teken bevatten.")})
    if required and not text:
        raise ValidationError({key: _("Dit veld is verplicht.")})
    limit = max_length_of(model, field)
    if limit is not None and len(text) > limit:
        raise ValidationError(
            {key: _("Maximaal %(limit)s tekens (nu %(length)s).") % {"limit": limit, "length": len(text)}}
        )
    return text
