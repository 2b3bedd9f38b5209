from django import template

from cstraject.operations.selectors import dossier_letters as letters_of
from cstraject.operations.selectors import dossier_notifications as notifications_of

register = template.Library()


@register.inclusion_tag("operations/_dossier_notifications.html", takes_context=True)
def dossier_notifications(context, dossier):
    request = context.get("request")
    return {"notifications": notifications_of(actor=getattr(request, "actor", None), dossier=dossier)}


@register.inclusion_tag("operations/_dossier_letters.html", takes_context=True)
def dossier_letters(context, dossier):
    request = context.get("request")
    return {"letters": letters_of(actor=getattr(request, "actor", None), dossier=dossier)}
