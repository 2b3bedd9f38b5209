from decimal import Decimal

from django import forms, template
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number

register = template.Library()


@register.filter
def euro(value):
    if value is None or value == "":
        return "–"
    return format_euro(Decimal(value))


@register.filter
def number(value, places=None):
    """`{{ n|number }}` 1.234 (nl) / 1,234 (en); `{{ x|number:2 }}` 1.234,50 / 1,234.50."""
    if value is None or value == "":
        return "–"
    return format_number(Decimal(str(value)), places=None if places in (None, "") else int(places))


_CHOICE_LABELS: dict[tuple[str, str, str | None], dict] = {}


@register.filter
def label(obj, field_name: str):
    """`{{ dossier|label:"status" }}`: what get_status_display() gives, from a dict kept per language.

    Django's get_FOO_display() builds a dict of the field's lazy labels on every call, translating
    every choice each time: in a list of 25 dossiers with three such columns, hundreds of
    translations per page.
    """
    field = obj._meta.get_field(field_name)
    key = (obj._meta.label, field_name, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {value: str(text) for value, text in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(value, value)


def _choice_label(choices, value) -> str:
    """The label of `value` in a TextChoices class; an empty value as "–", an unknown one as stored."""
    if value in (None, ""):
        return "–"
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.filter
def percent(value) -> str:
    """A rate or share (0..1) as a percentage in the active language's notation: 0.6 -> "60 %",
    0.455 -> "45,5 %" (at most two decimals, no trailing zeros)."""
    if value is None or value == "":
        return "–"
    pct = (Decimal(value) * 100).quantize(Decimal("0.01")).normalize()
    exponent = pct.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{number_format(pct, decimal_pos=places)} %"


@register.filter
def role_label(value) -> str:
    """`{{ event.actor_role|role_label }}`: "Dossierbehandelaar", not "case_handler"."""
    from cstraject.accounts.models import Role

    return _choice_label(Role, value)


@register.filter
def status_label(value) -> str:
    """`{{ event.to_status|status_label }}`: "ingediend", not "submitted"."""
    from cstraject.dossiers.models import DossierStatus

    return _choice_label(DossierStatus, value)


@register.filter
def field_label(key: str, model_label: str) -> str:
    """`{{ key|field_label:"companies.Company" }}`: a model field's name in words (its verbose_name)."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        return str(apps.get_model(model_label)._meta.get_field(key).verbose_name)
    except (LookupError, FieldDoesNotExist, AttributeError):
        return key


@register.simple_tag
def field_value(model_label: str, key: str, value) -> str:
    """`{% field_value "companies.Company" key value %}`: "rechtsvorm: besloten vennootschap", not
    "legal_form: bv" (the field's verbose_name; the choice's label where the field has choices)."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        model_field = apps.get_model(model_label)._meta.get_field(key)
    except (LookupError, FieldDoesNotExist):
        return f"{key}: {value}"
    shown = value
    if getattr(model_field, "choices", None):
        shown = {k: str(v) for k, v in model_field.flatchoices}.get(value, value)
    elif isinstance(value, bool):
        shown = _("ja") if value else _("nee")
    return f"{model_field.verbose_name}: {shown if shown not in (None, '') else '–'}"


@register.inclusion_tag("web/_error_summary.html")
def error_summary(*form_list):
    bound = [f for f in form_list if f is not None and getattr(f, "errors", None)]
    items = []
    for form in bound:
        for error in form.non_field_errors():
            items.append({"href": "", "text": error})
        for field in form:
            for error in field.errors:
                if field.is_hidden:
                    items.append({"href": "", "text": error})
                else:
                    items.append({"href": f"#{field.id_for_label}", "text": f"{field.label}: {error}"})
    return {"items": items}


def requirement_marker(bound_field) -> tuple[str, str] | None:
    """("required" | "optional", text) shown after a field's label, or None for a filter form.

    A field that is needed only in some cases (an amount for a chosen package, a motivation for a
    refusal) carries its own `requirement` text ("verplicht bij afwijzing") and is never called
    optional; otherwise the field's `required` decides. Forms that only filter a list set
    `marks_requirements = False`.
    """
    if not getattr(bound_field.form, "marks_requirements", True):
        return None
    note = getattr(bound_field.field, "requirement", "")
    if note:
        return ("required", str(note))
    if bound_field.field.required:
        return ("required", _("verplicht"))
    return ("optional", _("optioneel"))


@register.inclusion_tag("web/_field.html")
def field(bound_field, extra_class=""):
    widget = bound_field.field.widget
    kind = "text"
    if isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        kind = "group"
    elif isinstance(widget, forms.HiddenInput):
        kind = "hidden"
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    attrs = {}
    if described and kind != "group":
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors and kind != "group":
        attrs["aria-invalid"] = "true"
    if bound_field.field.required and kind in ("text", "checkbox"):
        attrs["required"] = True
    return {
        "f": bound_field,
        "kind": kind,
        "marker": requirement_marker(bound_field),
        "widget": bound_field.as_widget(attrs=attrs) if kind != "group" else None,
        "extra_class": extra_class,
        "described": " ".join(described),
    }


@register.simple_tag
def cell(row, year, measure):
    """One figure of a statistics table in the active language: euro for amounts, "12,5 %" / "12.5 %"
    for shares, "4,20" / "4.20" for scores, counts grouped by thousands."""
    value = row.value(year, measure.key)
    if value is None:
        return "–"
    unit = getattr(measure, "unit", "")
    if unit == "%":
        return f"{format_number(Decimal(value), places=1)} %"
    if unit == "score":
        return format_number(Decimal(value), places=2)
    if measure.is_money:
        return format_euro(Decimal(value))
    return format_number(value) if isinstance(value, int) else value
