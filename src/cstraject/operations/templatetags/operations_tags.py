from django import template

from cstraject.operations.selectors import dossier_notifications as notifications_of

register = template.Library()


@register.inclusion_tag("operations/_dossier_notifications.html", takes_context=True)
def dossier_notifications(context, dossier):
    request = context.get("request")
    return {"notifications": notifications_of(actor=getattr(request, "actor", None), dossier=dossier)}
