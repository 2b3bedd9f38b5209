"""Province and region, derived from the Belgian postal code, never typed in."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    ANTWERPEN = "antwerpen", _("Antwerpen")
    LIMBURG = "limburg", _("Limburg")
    OOST_VLAANDEREN = "oost-vlaanderen", _("Oost-Vlaanderen")
    VLAAMS_BRABANT = "vlaams-brabant", _("Vlaams-Brabant")
    WEST_VLAANDEREN = "west-vlaanderen", _("West-Vlaanderen")
    BRUSSEL = "brussel", _("Brussels Hoofdstedelijk Gewest")
    WAALS_BRABANT = "waals-brabant", _("Waals-Brabant")
    HENEGOUWEN = "henegouwen", _("Henegouwen")
    LUIK = "luik", _("Luik")
    LUXEMBURG = "luxemburg", _("Luxemburg")
    NAMEN = "namen", _("Namen")


class Region(models.TextChoices):
    VLAANDEREN = "vlaanderen", _("Vlaams Gewest")
    BRUSSEL = "brussel", _("Brussels Hoofdstedelijk Gewest")
    WALLONIE = "wallonie", _("Waals Gewest")


# (first, last, province) as bpost allocates them.
_POSTAL_RANGES = [
    (1000, 1299, Province.BRUSSEL),
    (1300, 1499, Province.WAALS_BRABANT),
    (1500, 1999, Province.VLAAMS_BRABANT),
    (2000, 2999, Province.ANTWERPEN),
    (3000, 3499, Province.VLAAMS_BRABANT),
    (3500, 3999, Province.LIMBURG),
    (4000, 4999, Province.LUIK),
    (5000, 5999, Province.NAMEN),
    (6000, 6599, Province.HENEGOUWEN),
    (6600, 6999, Province.LUXEMBURG),
    (7000, 7999, Province.HENEGOUWEN),
    (8000, 8999, Province.WEST_VLAANDEREN),
    (9000, 9999, Province.OOST_VLAANDEREN),
]

_REGION_OF = {
    Province.BRUSSEL: Region.BRUSSEL,
    Province.WAALS_BRABANT: Region.WALLONIE,
    Province.HENEGOUWEN: Region.WALLONIE,
    Province.LUIK: Region.WALLONIE,
    Province.LUXEMBURG: Region.WALLONIE,
    Province.NAMEN: Region.WALLONIE,
}

FLEMISH_PROVINCES = [
    Province.ANTWERPEN,
    Province.LIMBURG,
    Province.OOST_VLAANDEREN,
    Province.VLAAMS_BRABANT,
    Province.WEST_VLAANDEREN,
]


def normalize_postal_code(value, *, field: str = "postal_code") -> str:
    text = str(value or "").strip().upper().removeprefix("B-").removeprefix("B")
    if not (text.isascii() and text.isdigit() and len(text) == 4 and 1000 <= int(text) <= 9999):
        raise ValidationError(
            {
                field: _("Postcode '%(value)s' is geen Belgische postcode (4 cijfers, 1000-9999).")
                % {"value": str(value)[:30]}
            }
        )
    return text


def province_for_postal_code(postal_code: str) -> Province:
    code = int(normalize_postal_code(postal_code))
    for first, last, province in _POSTAL_RANGES:
        if first <= code <= last:
            return province
    raise ValidationError(
        {"postal_code": _("Postcode '%(value)s' hoort bij geen provincie.") % {"value": postal_code}}
    )  # pragma: no cover


def region_for_province(province: Province) -> Region:
    return _REGION_OF.get(Province(province), Region.VLAANDEREN)
