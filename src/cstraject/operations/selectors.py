"""Reads of the outbox."""

from cstraject.accounts.actors import Actor
from cstraject.accounts.permissions import Action, may

from .models import Notification


def dossier_notifications(*, actor: Actor | None, dossier) -> list[Notification] | None:
    """The e-mails about `dossier`, newest first; None when the actor may not see them."""
    if actor is None or not may(actor, Action.NOTIFICATION_VIEW, dossier):
        return None
    return list(Notification.objects.filter(dossier=dossier).order_by("-created_at", "-id"))
