from decimal import Decimal

from django import forms, template
from django.utils.translation import get_language

from cstraject.accounts.models import Role
from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number
from cstraject.dossiers.models import DossierStatus

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


@register.filter
def status_label(value):
    """A dossier status as stored (the audit trail's from/to) in the user's words: "in_progress" -> "Lopend"."""
    return DossierStatus(value).label if value in DossierStatus.values else value


@register.filter
def role_label(value):
    """A role as stored with an audit event in the user's words: "case_handler" -> "Dossierbehandelaar"."""
    return Role(value).label if value in Role.values else value


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
