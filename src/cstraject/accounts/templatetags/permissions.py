"""The permission table in templates.

    {% load permissions %}
    {% if request.actor|may:"statistics.view" %}...{% endif %}
    {% may_on request.actor "dossier.edit_draft" dossier as can_edit %}{% if can_edit %}...{% endif %}

Templates only decide what to show; the services refuse what is not allowed.
"""

from django import template

from cstraject.accounts import permissions

register = template.Library()


@register.filter(name="may")
def may_filter(actor, action: str) -> bool:
    """May `actor` take `action` at all (no object)?"""
    return permissions.may(actor, action)


@register.simple_tag(name="may_on")
def may_on(actor, action: str, obj=None) -> bool:
    """May `actor` take `action` on `obj`?"""
    return permissions.may(actor, action, obj)
